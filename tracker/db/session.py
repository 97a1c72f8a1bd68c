"""Sessions: one write transaction or one read snapshot per command.

PostgreSQL reads run at REPEATABLE READ so a report's several queries see one snapshot; on
SQLite a read is a plain ``BEGIN`` in WAL mode, which never queues behind a writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tracker.db.engine import READ_ONLY, first_line, make_engine, safe_url
from tracker.errors import DatabaseUnavailable


class Database:
    """An engine plus the two kinds of session the commands use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed if the block ends normally, else rolled back."""
        with self._translate(), Session(self.engine) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._translate(), Session(self._read_bind()) as session, session.begin():
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A bare read-only connection, for checks that must not take the write lock."""
        try:
            conn = self.engine.execution_options(**{READ_ONLY: True}).connect()
        except DBAPIError as exc:
            raise self.unavailable(exc) from exc
        with conn:
            yield conn

    def _read_bind(self) -> Any:
        opts: dict[str, Any] = {READ_ONLY: True}
        if self.engine.dialect.name == "postgresql":
            opts["isolation_level"] = "REPEATABLE READ"
        return self.engine.execution_options(**opts)

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise self.unavailable(exc) from exc
            raise

    def unavailable(self, exc: DBAPIError) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            f"cannot open database {safe_url(self.url)}: {first_line(exc.orig)}"
        )
