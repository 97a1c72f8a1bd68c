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

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from tracker.db.engine import create_private_file, ensure_wal, is_sqlite, make_engine
from tracker.db.faults import check_target, translate
from tracker.errors import ForeignDatabase, SchemaError
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


# Held for the length of a migration transaction on PostgreSQL, so that of several
# simultaneous `db upgrade`s (or first `seed`s) exactly one migrates and the others, once it
# has committed, find the schema at head.
MIGRATION_LOCK = 0x7472_6163  # "trac"


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate ``url`` to ``revision``; returns the revisions before and after.

    Refuses a database that holds another application's tables, and checks afterwards that
    no foreign key was left dangling.
    """
    from alembic import command

    check_target(url, creating=True)
    create_private_file(url)
    try:
        with migration_config(url) as cfg:
            conn = cfg.attributes["connection"]
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                             {"key": MIGRATION_LOCK})
            before = _current_revision(conn)
            command.upgrade(cfg, revision)
            if is_sqlite(url):
                broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise SchemaError(f"migration left {len(broken)} broken foreign keys")
            after = _current_revision(conn)
    except DBAPIError as exc:
        known = translate(exc, url)
        if known is not None:
            raise known from exc
        raise
    if is_sqlite(url):  # a tracker database is in WAL mode: clerks read while one writes
        engine = make_engine(url)
        ensure_wal(engine)
        engine.dispose()
    return before, after


def _current_revision(conn: Connection) -> str | None:
    """The database's revision; refuses one that holds other tables and no tracker schema."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if tables:
        listed = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
        raise ForeignDatabase(f"the database holds {len(tables)} tables of another "
                              f"application ({listed}) and no tracker schema; give tracker "
                              "a database of its own")
    return None


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    with migration_config(url) as cfg:
        command.downgrade(cfg, revision)
