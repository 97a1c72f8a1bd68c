"""Running the Alembic chain from inside the tool (``tracker db upgrade``, first use of SQLite).

Imports only ``tracker.db.engine``: the schema policy calls this module, never the reverse.

Alembic is imported here only, so that ordinary commands never pay for it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from tracker.db.engine import is_sqlite, make_engine
from tracker.errors import SchemaError
from tracker.paths import bundled_dir

if TYPE_CHECKING:  # Alembic is imported only when a migration runs
    from alembic.config import Config


def migrations_dir() -> Path:
    """The chain inside an installed wheel, else the checkout's top-level ``migrations/``."""
    found = bundled_dir("migrations", "env.py")
    if found is not None:
        return found
    raise SchemaError("cannot find the migrations directory of this tracker installation")


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config(stdout=sys.stdout)  # the stream now, not the one at alembic's import
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["tracker_url"] = url
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:
        raise SchemaError("the migrations directory of this installation holds no revision")
    return head


@contextmanager
def migration_config(url: str) -> Iterator[Config]:
    """An Alembic config bound to one transaction on ``url``, foreign keys off on SQLite.

    A batch rebuild of a parent table would otherwise cascade or fail; ``upgrade`` checks the
    keys afterwards.
    """
    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            yield cfg
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate ``url`` to ``revision`` and check that no foreign key was left dangling."""
    from alembic import command

    with migration_config(url) as cfg:
        command.upgrade(cfg, revision)
        if is_sqlite(url):
            conn = cfg.attributes["connection"]
            broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise SchemaError(f"migration left {len(broken)} broken foreign keys")


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    with migration_config(url) as cfg:
        command.downgrade(cfg, revision)
