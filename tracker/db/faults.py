"""Faults of the database and its environment, each turned into one clear typed error.

Two halves: ``check_target`` refuses, before anything is opened, a ``--db`` that cannot be
a tracker database (a directory, a device, a text file, a missing directory, an in-memory
database, an engine tracker does not support); ``translate`` names what the engine said
when it refused (damaged file, disk full, read-only, busy, unreachable, a role that may not
write, an append-only trigger). Anything it does not recognise is left to propagate.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from tracker.db.append_only import MARKER
from tracker.errors import (
    AppendOnlyViolation,
    BadValue,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseReadOnly,
    DatabaseUnavailable,
    DiskFull,
    NotADatabase,
    RoleMayNotWrite,
    TrackerError,
    UnsupportedDatabase,
)

SUPPORTED = ("sqlite", "postgresql")
SQLITE_HEADER = b"SQLite format 3\x00"


def safe_url(url: str) -> str:
    """The URL with any password masked, fit for an error message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # malformed (a port that is not a number …): mask by hand
        return re.sub(r"(://[^/:@]*:)[^/@]*@", r"\1***@", url)


def parse_url(url: str) -> URL:
    """The URL, refused with one line when it is malformed or names an unsupported engine."""
    try:
        parsed = make_url(url)
        _ = parsed.port  # a port that is not a number fails only when read
    except (ArgumentError, ValueError) as exc:
        raise UnsupportedDatabase(f"{safe_url(url)} is not a valid database URL ({exc})",
                                  field="db") from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise UnsupportedDatabase(
            f"{safe_url(url)}: tracker supports SQLite (a file path or sqlite:///PATH) and "
            f"PostgreSQL (postgresql+psycopg://USER@HOST/DB), not {backend}", field="db")
    return parsed


def sqlite_file(parsed: URL) -> Path | None:
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_target(url: str, *, creating: bool) -> None:
    """Refuse a ``--db`` that cannot hold a tracker database, before opening it."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    path = sqlite_file(parsed)
    if path is None:
        raise BadValue("an in-memory database would vanish when the command ends; "
                       "give a file path", field="db")
    if path.is_dir():
        raise NotADatabase(f"{path} is a directory, not a database file")
    if path.exists() and not path.is_file():
        raise NotADatabase(f"{path} is not a regular file (a device or a pipe)")
    if creating and not path.parent.is_dir():
        raise DatabaseUnavailable(f"cannot create {path}: directory {path.parent} does not "
                                  "exist")
    if path.is_file():
        try:
            with path.open("rb") as fh:
                header = fh.read(100)
        except OSError as exc:
            raise DatabaseUnavailable(f"cannot read {path}: {exc.strerror}") from None
        if header and not header.startswith(SQLITE_HEADER):
            raise NotADatabase(f"{path} is not a SQLite database")
        if header and _truncated(header, path.stat().st_size):
            raise DatabaseDamaged(f"{path} is damaged (shorter than its header says: "
                                  "truncated); restore it from a backup")


def _truncated(header: bytes, size: int) -> bool:
    """The file is shorter than the pages its header counts (checked before SQLite opens
    it: opening a damaged WAL-mode file would leave -wal/-shm files beside it)."""
    if len(header) < 100:
        return True
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]  # the count is kept up to date
    return counter_valid and pages > 0 and size < page_size * pages


def translate(exc: DBAPIError, url: str) -> TrackerError | None:
    """The typed error for what the engine said, or None when it is not a known fault."""
    message = _first_line(exc.orig)
    lowered = message.lower()
    if MARKER in message:
        return AppendOnlyViolation(f"the log is append-only: {message.split(MARKER, 1)[1].strip()}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_fault(lowered, message, sqlite_file(parsed))
    return _postgresql_fault(exc, lowered, message, parsed)


def _sqlite_fault(lowered: str, message: str, path: Path | None) -> TrackerError | None:
    where = str(path) if path else "the database"
    if "file is not a database" in lowered:
        return NotADatabase(f"{where} is not a SQLite database")
    if "malformed" in lowered or "corrupt" in lowered:
        return DatabaseDamaged(f"{where} is damaged ({message}); restore it from a backup")
    if "database or disk is full" in lowered:
        return DiskFull("the disk is full (or the database reached its size limit); "
                        "nothing was written")
    if "readonly database" in lowered or "read-only" in lowered:
        return DatabaseReadOnly(f"{where} is read-only for you: this command cannot write "
                                "to it")
    if "database is locked" in lowered or "database is busy" in lowered:
        from tracker.db.engine import BUSY_TIMEOUT_MS

        return DatabaseBusy(f"the database is busy (locked by another program for "
                            f"{BUSY_TIMEOUT_MS / 1000:g} s); try again")
    if "unable to open database file" in lowered:
        if path is not None and path.is_file() and not os.access(path.parent, os.W_OK):
            return DatabaseReadOnly(f"{where} is read-only for you (its directory is not "
                                    "writable): this command cannot write to it")
        return DatabaseUnavailable(f"cannot open {where}{_why_unopenable(path)}")
    if "disk i/o error" in lowered:
        return DatabaseUnavailable(f"cannot read or write {where}: disk I/O error")
    return None


def _why_unopenable(path: Path | None) -> str:
    if path is None:
        return ""
    if not path.parent.is_dir():
        return f": directory {path.parent} does not exist"
    if not os.access(path.parent, os.W_OK):
        return f": no permission to write in {path.parent}"
    return ""


def _postgresql_fault(exc: DBAPIError, lowered: str, message: str,
                      parsed: URL) -> TrackerError | None:
    if "permission denied" in lowered or "read-only transaction" in lowered:
        role = parsed.username or "this role"
        return RoleMayNotWrite(f"this database role may not write ({role})")
    if exc.connection_invalidated or any(
            word in lowered for word in ("connection refused", "could not connect",
                                         "connection failed", "server closed the connection",
                                         "terminating connection", "could not translate host",
                                         "timeout expired", "no route to host")):
        host = parsed.host or "localhost"
        return DatabaseUnavailable(f"cannot reach the database at {host}:{parsed.port or 5432} "
                                   f"({_reason(message)})")
    return None


def _reason(message: str) -> str:
    """The last clause of a libpq message (it never holds the password)."""
    return message.rsplit(":", 1)[-1].strip() or message


def _first_line(exc: BaseException | None) -> str:
    return str(exc).strip().splitlines()[0] if exc and str(exc).strip() else type(exc).__name__
