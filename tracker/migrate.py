"""Running the Alembic chain from inside the tool (``tracker db upgrade``, first use of SQLite).

Alembic is imported here only, so that ordinary commands never pay for it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import text

from tracker.db import is_sqlite, make_engine
from tracker.errors import SchemaError


def migrations_dir() -> Path:
    """The chain inside an installed wheel, else the checkout's top-level ``migrations/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_migrations", here.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise SchemaError("cannot find the migrations directory of this tracker installation")


def alembic_config(url: str):  # -> alembic.config.Config
    from alembic.config import Config

    cfg = Config(stdout=sys.stdout)  # the stream now, not the one at alembic's import
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["tracker_url"] = url
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate ``url`` to ``revision``.

    On SQLite foreign keys are switched off for the migration's connection (a batch rebuild of
    a parent table would otherwise cascade or fail) and checked afterwards.
    """
    from alembic import command

    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            if is_sqlite(url):
                broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise SchemaError(f"migration left {len(broken)} broken foreign keys")
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()
