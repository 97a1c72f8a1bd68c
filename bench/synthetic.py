"""Filling a scratch database with N synthetic contacts and M messages, fast.

Rows go in through the raw driver (SQLite ``executemany``, PostgreSQL ``COPY``) in chunks, so
filling a million rows takes seconds and little memory. The data look like a busy log: dates
spread over years, all kinds, about 1 % dated only to their quarter, 0.5 % corrected
and 0.2 % voided (so that "current version" is not trivially every row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine

KINDS = ["gov-meeting", "working-talks", "chief-meeting", "other"]
KIND_WEIGHTS = [2, 3, 15, 80]
MESSAGE_KINDS = ["message", "notice", "document"]
START = dt.date(2015, 1, 1)
DAYS = 365 * 10
RECORDED = dt.datetime(2026, 1, 1, 9, 0, 0)
CHUNK = 20_000


def _fake_hash(register: str, i: int) -> str:
    return hashlib.sha256(f"{register}{i}".encode()).hexdigest()


def _dates(rng: random.Random) -> tuple[dt.date, dt.date]:
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    if rng.random() < 0.01:  # known only to its quarter
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        end = (dt.date(day.year + 1, 1, 1) if first_month == 10
               else dt.date(day.year, first_month + 3, 1)) - dt.timedelta(days=1)
        return start, end
    return day, day


def contact_rows(n: int, first_id: int, seed: int = 1) -> Iterator[tuple[list, list]]:
    """Chunks of (contact rows, version rows); corrections and voids appended as versions."""
    rng = random.Random(seed)
    version_id = first_id
    for start in range(0, n, CHUNK):
        records, versions = [], []
        for i in range(start, min(n, start + CHUNK)):
            cid = first_id + i
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            d0, d1 = _dates(rng)
            records.append((cid, f"C-{cid:07d}", "logged", None, None))
            base = (kind, d0, d1, "office", f"synthetic contact {cid}", "S", None)
            versions.append((version_id, cid, 1, None, *base, False, None, RECORDED, "bench",
                             "0" * 64, _fake_hash("C", version_id)))
            version_id += 1
            roll = rng.random()
            if roll < 0.007:  # a correction (kind changed) or a void
                is_void = roll < 0.002
                new_kind = kind if is_void else rng.choice(KINDS)
                versions.append((version_id, cid, 2, version_id - 1, new_kind, d0, d1, "office",
                                 f"synthetic contact {cid}", "S", None, is_void, "bench fix",
                                 RECORDED + dt.timedelta(days=30), "bench", "0" * 64,
                                 _fake_hash("C", version_id)))
                version_id += 1
        yield records, versions


def message_rows(n: int, first_id: int, seed: int = 2) -> Iterator[tuple[list, list]]:
    rng = random.Random(seed)
    for start in range(0, n, CHUNK):
        records, versions = [], []
        for i in range(start, min(n, start + CHUNK)):
            mid = first_id + i
            d0, d1 = _dates(rng)
            sides = ("S", "N") if rng.random() < 0.5 else ("N", "S")
            records.append((mid, f"M-{mid:07d}", "logged", None, None))
            versions.append((mid, mid, 1, None, rng.choice(MESSAGE_KINDS), d0, d1, *sides,
                             f"synthetic message {mid}", None, None, False, None, RECORDED,
                             "bench", "0" * 64, _fake_hash("M", mid)))
        yield records, versions


RECORD_COLS = "id, reg_no, provenance, source_id, seed_key"
CONTACT_VERSION_COLS = (
    "id, contact_id, version_no, supersedes_id, kind_code, date_from, date_to, venue, subject, "
    "initiated_by, notes, is_void, reason, recorded_at, recorded_by, prev_hash, hash"
)
MESSAGE_VERSION_COLS = (
    "id, message_id, version_no, supersedes_id, kind_code, date_from, date_to, from_side, "
    "to_side, subject, contact_id, notes, is_void, reason, recorded_at, recorded_by, "
    "prev_hash, hash"
)


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return int(v)
    return v


def fill(engine: Engine, contacts: int, messages: int) -> None:
    """Append synthetic rows after whatever the (seeded) database holds."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "sqlite":
            cur.execute("BEGIN")  # the engine's connections are in autocommit mode
        next_ids = {}
        for table in ("contact", "contact_version", "message", "message_version"):
            cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            next_ids[table] = cur.fetchone()[0]
        first_c = max(next_ids["contact"], next_ids["contact_version"])
        first_m = max(next_ids["message"], next_ids["message_version"])
        jobs = [
            ("contact", "contact_version", CONTACT_VERSION_COLS, contact_rows(contacts, first_c)),
            ("message", "message_version", MESSAGE_VERSION_COLS, message_rows(messages, first_m)),
        ]
        for record_table, version_table, version_cols, chunks in jobs:
            for records, versions in chunks:
                _insert(engine, cur, record_table, RECORD_COLS, records)
                _insert(engine, cur, version_table, version_cols, versions)
        # the counter only moves forward (an append-only trigger): move only what grew
        if contacts:
            cur.execute("UPDATE register_counter SET last_no = (SELECT max(id) FROM contact) "
                        "WHERE register = 'C'")
        if messages:
            cur.execute("UPDATE register_counter SET last_no = (SELECT max(id) FROM message) "
                        "WHERE register = 'M'")
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def _insert(engine: Engine, cur: Any, table: str, cols: str, rows: list[tuple]) -> None:
    if engine.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in cols.split(","))
        cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                        [tuple(_sqlite_value(v) for v in row) for row in rows])
    else:
        with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
