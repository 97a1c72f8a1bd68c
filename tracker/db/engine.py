"""Engines and the one place that knows engine quirks.

SQLite: WAL, a busy timeout, foreign keys on, and ``BEGIN IMMEDIATE`` for every write
transaction, so that concurrent clerks queue for the write lock instead of failing with
"database is locked" (pysqlite's own deferred BEGIN makes read-then-write transactions fail
under contention). Read-only connections use a plain ``BEGIN``: a consistent WAL snapshot.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url

from tracker.db.faults import parse_url

BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "tracker_read_only"  # execution option: this connection will not write


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other engines and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


FOLD_FUNCTION = "tracker_fold"


def _fold(text: str | None) -> str | None:
    return None if text is None else text.lower()


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    engine = create_engine(parse_url(url))
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
        cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cur.execute("PRAGMA recursive_triggers = ON")
        cur.close()
        # SQLite's lower() and LIKE fold ASCII only; search folds every script (É = é).
        dbapi_connection.create_function(FOLD_FUNCTION, 1, _fold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def ensure_wal(engine: Engine) -> None:
    """Put a SQLite database in WAL mode (persistent in the file), once, before a write.

    Not on connect: switching is a write, and a read must leave a file as it found it (an
    empty file, another application's file, a read-only copy).
    """
    if engine.dialect.name != "sqlite":
        return
    import sqlite3

    raw = engine.raw_connection()
    try:
        cur = raw.cursor()  # autocommit (isolation_level None): no transaction is open
        if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()
    except sqlite3.Error:
        pass  # a damaged or read-only file: the write itself fails next, with its own line
    finally:
        raw.close()


def first_line(exc: BaseException | None) -> str:
    """The first line of an exception's text, or its type's name when it has none."""
    return str(exc).strip().splitlines()[0] if exc and str(exc).strip() else type(exc).__name__


def create_private_file(url: str) -> None:
    """Create a new SQLite file readable by its owner only (0600) before SQLite opens it.

    SQLite gives its -wal and -shm files the main file's mode, so they are private too. A
    0-byte file is an empty database; an existing file is left exactly as it is.
    """
    path = sqlite_path(url)
    if path is None or path.exists():
        return
    with contextlib.suppress(FileExistsError):  # another clerk's first command was first
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
