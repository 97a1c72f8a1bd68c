"""Engines, sessions and the schema check. The one place that knows engine quirks.

SQLite: WAL, a busy timeout, foreign keys on, and ``BEGIN IMMEDIATE`` for every write
transaction, so that concurrent clerks queue for the write lock instead of failing with
"database is locked" (pysqlite's own deferred BEGIN makes read-then-write transactions fail
under contention). Read-only sessions use a plain ``BEGIN``: a consistent WAL snapshot.
PostgreSQL: reads run at REPEATABLE READ so a report's several queries see one snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from tracker.errors import SchemaError, TrackerError, UsageError
from tracker.schema_version import SCHEMA_REVISION

BUSY_TIMEOUT_MS = 30_000


class DatabaseUnavailable(TrackerError):
    """The database cannot be opened or reached."""


def safe_url(url: str) -> str:
    """The URL with any password masked, fit for an error message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other engines and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    try:
        engine = create_engine(url)
    except ArgumentError as exc:  # unknown dialect or driver, malformed URL
        raise UsageError(f"--db: {safe_url(url)} is not a usable database URL: {exc}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, foreign_keys=foreign_keys)
    return engine


def _configure_sqlite(engine: Engine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite; the "begin" listener below issues BEGIN.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cur.execute("PRAGMA recursive_triggers = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get("tracker_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Database:
    """An engine plus the two kinds of session the commands use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed if the block ends normally, else rolled back."""
        with self._translate(), Session(self.engine) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        opts: dict[str, Any] = {"tracker_read_only": True}
        if self.engine.dialect.name == "postgresql":
            opts["isolation_level"] = "REPEATABLE READ"
        bind = self.engine.execution_options(**opts)
        with self._translate(), Session(bind) as session, session.begin():
            yield session

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise self._unavailable(exc) from exc
            raise

    def _unavailable(self, exc: DBAPIError) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            f"cannot open database {safe_url(self.url)}: {_first_line(exc.orig)}"
        )

    def schema_revision(self) -> str | None:
        """The database's Alembic revision, or None when it has no tracker schema at all."""
        try:
            # Read-only: on SQLite a plain BEGIN, so the check never queues behind a writer.
            conn = self.engine.execution_options(tracker_read_only=True).connect()
        except DBAPIError as exc:
            raise self._unavailable(exc) from exc
        with conn:
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except DBAPIError:
                return None

    def is_empty(self) -> bool:
        from sqlalchemy import inspect

        with self.engine.execution_options(tracker_read_only=True).connect() as conn:
            return not inspect(conn).get_table_names()

    def ensure_schema(self, *, create: bool = False) -> None:
        """Refuse to run against a schema other than this code's.

        With ``create`` (commands that write), a brand-new SQLite file is created and migrated
        here. A read finds no file to create: a mistyped ``--db`` path must not answer with an
        empty log. Anything else (an older schema, a shared PostgreSQL database) is left alone
        with a hint, never migrated silently.
        """
        path = sqlite_path(self.url)
        if path is not None and not create and not path.exists():
            raise SchemaError(f"no tracker database at {path}; `tracker seed` or "
                              "`tracker db upgrade` creates one")
        revision = self.schema_revision()
        if revision == SCHEMA_REVISION:
            return
        if revision is None and is_sqlite(self.url) and self.is_empty():
            from tracker.migrate import upgrade

            upgrade(self.url)
            return
        if revision is None:
            raise SchemaError(
                f"database {safe_url(self.url)} has no tracker schema; "
                "run `tracker db upgrade` to create it"
            )
        raise SchemaError(
            f"database schema is at revision {revision}, this tracker needs {SCHEMA_REVISION}; "
            "run `tracker db upgrade` (or upgrade tracker if the database is newer)"
        )


def _first_line(exc: BaseException | None) -> str:
    return str(exc).strip().splitlines()[0] if exc and str(exc).strip() else type(exc).__name__
