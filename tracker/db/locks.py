"""Serialising first-time work that two clerks may start at once.

On SQLite every write transaction already holds the database's write lock (``BEGIN
IMMEDIATE``). On PostgreSQL two transactions may both find a source or the seed missing and
both insert it; a transaction-scoped advisory lock on the job's name lets exactly one do the
work while the other waits, then finds it done.
"""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def exclusive(session: Session, job: str) -> None:
    """Hold ``job``'s lock until the transaction ends (PostgreSQL; SQLite needs none)."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"tracker:{job}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
