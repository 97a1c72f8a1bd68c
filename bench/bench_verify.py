"""`tracker verify` at scale: its rate against a bare loop over the same rows, and its memory.

    python bench/bench_verify.py [--engine sqlite|postgresql|both] [--versions 1000000]

A scratch database is filled with a valid hash chain (contacts with participants, some
corrected, and messages) through the raw driver. Then, in the same run, on the same data:

- ours: ``tracker.services.records.verify.verify`` (SQLAlchemy Core, streamed);
- bare: the raw driver (sqlite3 / psycopg server-side cursor) runs the same SELECT and a
  plain loop recomputes every hash with the same canonical JSON, checking only the links.

It prints both times, the rate (versions per second), the ratio bare/ours (target >= 0.5)
and the peak Python memory of ours at 10,000 versions and at the full size (target: the
same within 1.5x, i.e. independent of the number of versions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import create_engine, text
from synthetic import _insert as insert_rows  # the raw-driver bulk insert, shared

from tracker.db.migrate import upgrade
from tracker.db.session import Database
from tracker.services.records.chain import (
    GENESIS_HASH,
    version_content,
    version_hash,
)
from tracker.services.records.registers import CONTACTS, MESSAGES
from tracker.services.records.verify import verify, versions_query

PG = os.environ.get("TRACKER_TEST_POSTGRES_URL",
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KINDS = ["gov-meeting", "working-talks", "chief-meeting", "other"]
RECORDED = dt.datetime(2026, 1, 1, 9, 0, 0, 123456)
CHUNK = 20_000


def chain_rows(register: Any, n_versions: int, seed: int) -> Iterator[tuple[list, list, list]]:
    """Chunks of (records, versions, participants) forming one valid chain."""
    rng = random.Random(seed)
    head, version_id, record_id = GENESIS_HASH, 0, 0
    records: list = []
    versions: list = []
    participants: list = []
    while version_id < n_versions:
        record_id += 1
        reg_no = register.format_reg_no(record_id)
        records.append((record_id, reg_no, "logged", None, None))
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        if register is CONTACTS:
            fields = {"kind_code": rng.choice(KINDS), "date_from": day, "date_to": day,
                      "venue": "office", "subject": f"contact {record_id}",
                      "initiated_by": "S", "notes": None, "time_of_day": None,
                      "field_code": "unknown", "outcome_code": "held"}
        else:
            fields = {"kind_code": "notice", "date_from": day, "date_to": day,
                      "from_side": "S", "to_side": "N", "subject": f"message {record_id}",
                      "contact_id": None, "notes": None, "time_of_day": None,
                      "reply_to_id": None, "field_code": "unknown"}
        staff = sorted(rng.sample(range(1, 51), 2)) if (
            register is CONTACTS and rng.random() < 0.1) else []
        assert list(fields) == list(register.fields)  # the order columns() inserts them in
        previous: tuple[int, str] | None = None
        for version_no in (1, 2) if rng.random() < 0.01 else (1,):
            version_id += 1
            recorded = RECORDED + dt.timedelta(seconds=version_id)
            content = version_content(
                register, reg_no=reg_no, version_no=version_no,
                supersedes_hash=previous[1] if previous else None, is_void=False,
                reason="fix" if previous else None, recorded_at=recorded,
                recorded_by="bench", participants=staff, fields=fields)
            digest = version_hash(head, content)
            versions.append((version_id, record_id, version_no,
                             previous[0] if previous else None, *fields.values(), False,
                             "fix" if previous else None, recorded, "bench", head, digest))
            participants.extend((version_id, s) for s in staff)
            head, previous = digest, (version_id, digest)
        if len(versions) >= CHUNK:
            yield records, versions, participants
            records, versions, participants = [], [], []
    if versions:
        yield records, versions, participants


def columns(register: Any) -> str:
    fk = register.record_fk.key
    return ", ".join(["id", fk, "version_no", "supersedes_id", *register.fields, "is_void",
                      "reason", "recorded_at", "recorded_by", "prev_hash", "hash"])


def fill(url: str, contact_versions: int, message_versions: int) -> None:
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("INSERT INTO side (code, name, body) VALUES ('S', 'South', 'MOU'), "
                    "('N', 'North', 'MOU')")
        for person_id in range(1, 51):  # the participants
            cur.execute("INSERT INTO person (id, recorded_at, recorded_by) "
                        f"VALUES ({person_id}, '2026-01-01', 'bench')")
        for register, n, seed in ((CONTACTS, contact_versions, 1),
                                  (MESSAGES, message_versions, 2)):
            record_table = register.record.__table__.name
            version_table = register.version.__table__.name
            cols = columns(register)
            for records, versions, participants in chain_rows(register, n, seed):
                insert_rows(engine, cur, record_table,
                            "id, reg_no, provenance, source_id, seed_key",
                        records)
                insert_rows(engine, cur, version_table, cols, versions)
                if participants:
                    insert_rows(engine, cur, "contact_participant", "version_id, person_id",
                            participants)
            cur.execute(f"UPDATE register_counter SET last_no = (SELECT count(*) FROM "
                        f"{record_table}) WHERE register = '{register.code}'")
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def ours(url: str, *, trace: bool = False) -> tuple[float, int, int]:
    """Time of one verify (untraced), or its peak Python memory (traced: much slower)."""
    db = Database(url)
    try:
        if trace:
            tracemalloc.start()
        t0 = time.perf_counter()
        with db.read() as session:
            result = verify(session.connection())
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
    finally:
        db.dispose()
    assert result.ok, [c.broken for c in result.registers]
    return elapsed, sum(c.versions for c in result.registers), peak


def bare(url: str) -> float:
    """The same SELECT through the raw driver, and a plain loop over the same hashes."""
    engine = create_engine(url)
    total = 0.0
    try:
        for register in (CONTACTS, MESSAGES):
            sql = str(versions_query(register).compile(
                dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
            raw = engine.raw_connection()
            try:
                sqlite = engine.dialect.name == "sqlite"
                cur = raw.cursor() if sqlite else raw.cursor(name="bench")
                t0 = time.perf_counter()
                cur.execute(sql)
                names = None
                head = GENESIS_HASH
                while True:
                    rows = cur.fetchmany(5000)
                    if not rows:
                        break
                    if names is None:
                        names = [d[0] for d in cur.description]
                        index = {n: i for i, n in enumerate(names)}
                    for row in rows:
                        head = _bare_check(register, row, index, head, sqlite)
                total += time.perf_counter() - t0
            finally:
                raw.close()
    finally:
        engine.dispose()
    return total


def _bare_check(register: Any, row: tuple, index: dict[str, int], head: str,
                sqlite: bool) -> str:
    def get(name: str) -> Any:
        return row[index[name]]

    fields = {}
    for name in register.fields:
        value = get(name)
        if sqlite and name in ("date_from", "date_to"):
            value = dt.date.fromisoformat(value)
        fields[name] = value
    recorded = get("recorded_at")
    if sqlite:
        recorded = dt.datetime.fromisoformat(recorded)
    participants = get("participants") if "participants" in index else None
    content = version_content(
        register, reg_no=get("reg_no"), version_no=get("version_no"),
        supersedes_hash=get("superseded_hash"), is_void=bool(get("is_void")),
        reason=get("reason"), recorded_at=recorded, recorded_by=get("recorded_by"),
        participants=[int(x) for x in participants.split(",")] if participants else [],
        fields=fields)
    digest = version_hash(head, content)
    if get("prev_hash") != head or digest != get("hash"):
        raise AssertionError(f"bare loop: chain broken at {get('reg_no')}")
    return digest


def run(engine_name: str, versions: int) -> None:
    for size in (10_000, versions):
        url, cleanup = scratch(engine_name)
        try:
            upgrade(url)
            t0 = time.perf_counter()
            fill(url, int(size * 0.8), size - int(size * 0.8))
            filled = time.perf_counter() - t0
            ours_s, checked, _ = ours(url)
            bare_s = bare(url)
            _, _, peak = ours(url, trace=True)
            print(f"{engine_name:10} {checked:>9,} versions  fill {filled:6.1f} s  "
                  f"ours {ours_s:6.2f} s ({checked / ours_s:>9,.0f}/s)  "
                  f"bare {bare_s:6.2f} s  ratio bare/ours {bare_s / ours_s:4.2f} (>= 0.5)  "
                  f"peak {peak / 2**20:5.2f} MiB", flush=True)
        finally:
            cleanup()


def scratch(engine_name: str) -> tuple[str, Any]:
    if engine_name == "sqlite":
        folder = tempfile.mkdtemp()
        path = Path(folder) / "bench.sqlite"

        def remove() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            os.rmdir(folder)

        return f"sqlite:///{path}", remove
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{PG}?options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--versions", type=int, default=1_000_000)
    args = parser.parse_args()
    for engine_name in (["sqlite", "postgresql"] if args.engine == "both" else [args.engine]):
        run(engine_name, args.versions)


if __name__ == "__main__":
    main()
