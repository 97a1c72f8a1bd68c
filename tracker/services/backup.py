"""A consistent copy of a SQLite log, made while clerks may be writing, and checked.

SQLite's online backup API copies the database page by page and starts again if another
connection writes meanwhile, so the copy is one consistent state. The copy is then checked
twice: SQLite's own ``integrity_check`` and the hash chains (``verify``). PostgreSQL is
backed up with its own tools (``pg_dump``/``pg_restore``, see the README).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tracker.db.engine import sqlite_path
from tracker.errors import BackupFailed, UnsupportedDatabase


@dataclass
class Backup:
    path: Path
    size: int
    heads: dict[str, str]
    versions: dict[str, int]


def backup_sqlite(url: str, target: Path) -> Backup:
    """Copy the database at ``url`` to ``target`` (replaced only once checked)."""
    source = sqlite_path(url)
    if source is None:
        raise UnsupportedDatabase("`tracker db backup` copies a SQLite file; back up "
                                  "PostgreSQL with pg_dump (see the README)", field="db")
    target = target.expanduser().absolute()
    if target.is_dir():
        raise BackupFailed(f"{target} is a directory; give the backup's file name",
                           field="file")
    if not target.parent.is_dir():
        raise BackupFailed(f"directory {target.parent} does not exist", field="file")
    if target.resolve() == source.resolve():
        raise BackupFailed("the backup would overwrite the database itself", field="file")
    tmp = target.with_name(f".{target.name}.partial")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)  # as private as the log
    os.close(fd)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        result = check_copy(tmp)  # opened through tracker's engine, which switches to WAL
        copy = sqlite3.connect(tmp)
        try:
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupFailed(f"cannot copy {source}: {exc}", field="file") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    result.path = target
    return result


def check_copy(path: Path) -> Backup:
    """SQLite's integrity check and the hash chains of a copy; refuses a bad copy."""
    from tracker.db.session import Database
    from tracker.services.records.verify import verify

    conn = sqlite3.connect(path)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    if status != "ok":
        raise BackupFailed(f"the copy fails SQLite's integrity check: {status}", field="file")
    db = Database(f"sqlite:///{path}")
    try:
        with db.read() as session:
            checked = verify(session.connection())
    finally:
        db.dispose()
    if not checked.ok:
        breaks = "; ".join(c.broken.describe() for c in checked.registers if c.broken)
        raise BackupFailed(f"the copy's hash chain is broken: {breaks}", field="file")
    return Backup(path, path.stat().st_size, checked.heads,
                  {c.register: c.versions for c in checked.registers})
