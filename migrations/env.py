"""Alembic environment: batch mode everywhere (SQLite needs it, PostgreSQL ignores it)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from tracker.config import resolve_url
from tracker.db.engine import make_engine
from tracker.models import Base

config = context.config
if config.config_file_name is not None and not config.attributes.get("connection"):
    fileConfig(config.config_file_name)

target_metadata = Base.metadata

# Search machinery made by migration 0009 that the models cannot describe: SQLite's FTS5
# tables (and their shadow tables) and PostgreSQL's trigram expression indexes.
SEARCH_INDEXES = {"ix_contact_version_text", "ix_message_version_text"}


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    if type_ == "table" and name is not None and name.startswith("fts_"):
        return False
    return not (type_ == "index" and name in SEARCH_INDEXES)


def _url() -> str:
    return (
        config.attributes.get("tracker_url")
        or context.get_x_argument(as_dictionary=True).get("db")
        or resolve_url()
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url(), foreign_keys=False)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
