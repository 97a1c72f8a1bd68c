"""The schema check and the migration policy: which database a command may open or create.

Only a command that can succeed on an empty log (``seed``, ``contact log``, ``staff add`` …)
may create a brand-new SQLite file, which is then migrated here. A read, or a write that
needs an existing record (``correct``, ``void``, ``staff leave``), refuses a missing file: a
mistyped ``--db`` path must not answer with an empty log. Anything else (an older schema, a
shared PostgreSQL database) is left alone with a hint, never migrated silently.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from tracker.db.engine import create_private_file, is_sqlite, sqlite_path
from tracker.db.faults import check_target, safe_url
from tracker.db.migrate import upgrade
from tracker.db.session import Database
from tracker.errors import ForeignDatabase, NoDatabase, SchemaError

# The Alembic revision this code expects; a test keeps it equal to the chain's head. A
# constant, so that checking the schema costs one SELECT and no Alembic import.
SCHEMA_REVISION = "0010"


class Access(Enum):
    """What a command needs of the database."""

    ANY = "any"  # no schema check at all (`db current`)
    EXISTING = "existing"  # a tracker database must already exist
    MAY_CREATE = "may_create"  # a missing SQLite file is created and migrated


def schema_revision(db: Database) -> str | None:
    """The database's Alembic revision, or None when it has no tracker schema at all."""
    with db.read_connection() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None


def _has_tables(db: Database) -> bool:
    with db.read_connection() as conn:
        return bool(inspect(conn).get_table_names())


def open_database(url: str, access: Access = Access.EXISTING) -> Database:
    """The database at ``url``, refusing one whose schema is not this code's."""
    check_target(url, creating=access is Access.MAY_CREATE)
    path = sqlite_path(url)
    if path is not None and access is Access.EXISTING and not path.exists():
        raise NoDatabase(f"no tracker database at {path}; `tracker seed` or "
                         "`tracker db upgrade` creates one")
    if path is not None and access is Access.EXISTING and path.stat().st_size == 0:
        # Opening it would switch it to WAL mode, a write: a read must leave it as it is.
        raise SchemaError(f"database {safe_url(url)} has no tracker schema; "
                          "run `tracker db upgrade` to create it")
    if access is Access.MAY_CREATE:
        create_private_file(url)
    db = Database(url)
    if access is not Access.ANY:
        _check(db, create=access is Access.MAY_CREATE)
    return db


def _check(db: Database, *, create: bool) -> None:
    revision = schema_revision(db)
    if revision == SCHEMA_REVISION:
        return
    if revision is None and _has_tables(db):
        raise ForeignDatabase(f"database {safe_url(db.url)} holds another application's "
                              "tables and no tracker schema; give tracker a database of its own")
    if revision is None and create and is_sqlite(db.url):
        upgrade(db.url)
        return
    if revision is None:
        raise SchemaError(
            f"database {safe_url(db.url)} has no tracker schema; "
            "run `tracker db upgrade` to create it"
        )
    raise SchemaError(
        f"database schema is at revision {revision}, this tracker needs {SCHEMA_REVISION}; "
        "run `tracker db upgrade` (or upgrade tracker if the database is newer)"
    )
