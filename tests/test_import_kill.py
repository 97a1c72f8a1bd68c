"""kill -9 in the middle of ``tracker import``: the import is one transaction, so nothing of it
is left behind, and the same file then imports whole.

A contacts file big enough that the import runs for a few seconds is imported by the real
``tracker`` executable, which is SIGKILLed at seeded random moments of its run: early (around the
start of its transaction, before its first chunk is written), in the middle and late in its
chunked writes, and once right after the writes are seen to have begun (SQLite: its
-wal file grows; PostgreSQL: the record tables grow on disk with rows not yet committed).
After every kill the log is as it was: 285 contacts, as many versions, no ``import_file`` row,
counter C at 285, every table's row count unchanged, no lock left behind, ``tracker verify``
ok. A run that finished before the kill landed is noticed, checked whole, undone (the seeded
database restored) and not counted. Then the whole file imports: C-000286 onwards, in file
order, gapless.

The kill moments are fractions of a first, real import of the same file, timed from the open
of the database to the exit, then undone. Measured when this was written (2026-12-04, a
loaded machine): SQLite, 35,000 rows, 3.4-5.3 s; PostgreSQL, 25,000 rows, 3.8-6.0 s; the
whole test about 30 s per engine.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from tests.helpers import counts, has_database_open, wait_for

TRACKER = str(Path(sys.executable).with_name("tracker"))  # the venv's console script
SEEDED_CONTACTS = 285  # the seed holds C-000001 .. C-000285
ROWS = {"sqlite": 35_000, "postgresql": 25_000}  # each a few seconds' import (measured)
RUN_TIMEOUT_S = 120  # a guard against hanging, not a speed check
PROMPT_S = 10.0  # a command after a kill must not wait on a lock the dead one held
PEOPLE = ["Chun Hae-sung", "Kim Chang-soo", "Jon Jong-su", "Cho Myoung-gyon", "Ri Son-gwon"]
KINDS = ["working-talks", "chief-meeting", "gov-meeting", "other"]
TAGS = ["rail", "roads", "health", "forestry", "family reunions"]
FIRST_DAY = dt.date(2018, 9, 14)  # the office's opening
LAST_DAY = dt.date(2025, 12, 31)  # in the past
# When each attempt is killed: a fraction of the measured run (from the open of the database),
# drawn from the range; "writing": first wait until writes are seen, then that fraction more.
PLAN = [("early", 0.02, 0.10), ("middle", 0.35, 0.55), ("late", 0.70, 0.90),
        ("writing", 0.05, 0.30)]
MIN_LANDED = 3  # of len(PLAN): kills that must land mid-import
MIN_WRITING = 1  # of those: kills that must land after the writes were seen to begin


# --- the file ---------------------------------------------------------------------------------

@dataclass
class ContactsFile:
    path: Path
    subjects: list[str]
    participants: int  # contact_participant rows its import adds
    tags: int  # contact_tag rows its import adds


def write_contacts(path: Path, rows: int, seed: str) -> ContactsFile:
    """A contacts CSV of ``rows`` valid lines, every optional column used now and then."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    subjects: list[str] = []
    participants = tags = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["date_from", "kind", "subject", "with", "tags", "notes", "venue",
                      "external_ref"])
        for i in range(rows):
            named = rng.sample(PEOPLE, rng.randrange(0, 3))
            tagged = rng.sample(TAGS, rng.randrange(0, 3))
            subject = f"killed import {i}: talks on {rng.choice(TAGS)}"
            out.writerow([(FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))).isoformat(),
                          KINDS[i % len(KINDS)], subject,
                          json.dumps(named) if named or i % 2 else "",
                          json.dumps(tagged) if tagged or i % 2 else "",
                          f"note {i}" if i % 3 else "", "Kaesong" if i % 5 else "",
                          f"kill-test-{i:06d}"])
            subjects.append(subject)
            participants += len(named)
            tags += len(tagged)
    return ContactsFile(path, subjects, participants, tags)


# --- the database -----------------------------------------------------------------------------

def sqlite_path(url: str) -> Path | None:
    return Path(make_url(url).database or "") if url.startswith("sqlite") else None


def with_app_name(url: str, name: str) -> str:
    """``url`` whose PostgreSQL connections are named ``name`` (SQLite: as it is)."""
    if sqlite_path(url) is not None:
        return url
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


def written_bytes(url: str) -> int:
    """How much the open import has written so far, uncommitted writes included: the size
    of the -wal file (SQLite), of the record tables on disk (PostgreSQL)."""
    path = sqlite_path(url)
    if path is not None:
        wal = path.with_name(path.name + "-wal")
        with contextlib.suppress(FileNotFoundError):
            return wal.stat().st_size
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT pg_relation_size('contact') + pg_relation_size('contact_version') "
                "+ pg_relation_size('contact_participant') + pg_relation_size('contact_tag')")
            ).scalar_one()
    finally:
        engine.dispose()


def quiet_wal(url: str) -> None:
    """SQLite: the -wal file empty (checkpointed, truncated), so a growing -wal is the next
    writer's. A -wal a killed writer left behind is recovered here (its frames uncommitted)."""
    path = sqlite_path(url)
    if path is None:
        return
    with contextlib.closing(sqlite3.connect(path, timeout=0)) as conn:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0, "the -wal could not be checkpointed: someone still holds the database"
    assert written_bytes(url) == 0


def lock_is_free(url: str) -> float:
    """Take every register's lock as a writer would (and give it back); how long it took.
    SQLite: ``BEGIN IMMEDIATE`` with no busy wait. PostgreSQL: the counter rows ``FOR UPDATE``,
    waiting at most ``PROMPT_S`` for a dying backend to let go."""
    started = time.monotonic()
    path = sqlite_path(url)
    if path is not None:
        with contextlib.closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as c:
            c.execute("BEGIN IMMEDIATE")
            c.execute("SELECT last_no FROM register_counter").fetchall()
            c.execute("ROLLBACK")
        return time.monotonic() - started
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{int(PROMPT_S * 1000)}ms'"))
            conn.execute(text("SELECT last_no FROM register_counter ORDER BY register "
                              "FOR UPDATE")).all()
            conn.rollback()
    finally:
        engine.dispose()
    return time.monotonic() - started


def backend_gone(url: str, name: str) -> float:
    """PostgreSQL: wait until no backend of the connection named ``name`` is left (a gone
    backend holds no lock); how long that took (0 on SQLite)."""
    if sqlite_path(url) is not None:
        return 0.0
    started = time.monotonic()
    engine = create_engine(url)

    def gone() -> bool:
        with engine.connect() as conn:  # a new snapshot of pg_stat_activity each time
            return not conn.execute(text(
                "SELECT a.pid FROM pg_stat_activity a WHERE a.application_name = :name"),
                {"name": name}).all()

    try:
        wait_for(gone, f"the killed import's backend is still there {PROMPT_S:g} s on",
                 PROMPT_S, step=0.02)
        return time.monotonic() - started
    finally:
        engine.dispose()


def snapshot(url: str) -> Callable[[], None]:
    """A way back to the database as it is now (for a run that finished before its kill)."""
    path = sqlite_path(url)
    if path is not None:
        quiet_wal(url)
        saved = path.read_bytes()

        def restore_file() -> None:
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            path.write_bytes(saved)

        return restore_file

    def reseed() -> None:  # the log refuses DELETE: a new schema, migrated and seeded again
        from tracker.db.migrate import upgrade
        from tracker.db.session import Database
        from tracker.services.seed import load_seed

        schema = make_url(url).query["options"].rsplit("=", 1)[-1]  # -csearch_path=SCHEMA
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        upgrade(url)
        db = Database(url)
        with db.write() as session:
            load_seed(session)
        db.engine.dispose()

    return reseed


# --- the process ------------------------------------------------------------------------------

def start_import(url: str, args: list[str]) -> tuple[subprocess.Popen, float]:
    """Start ``tracker import``; return it once it has opened the database (or ended), with
    the time it did. Python's start-up before that writes nothing: kills there prove nothing."""
    proc = subprocess.Popen([TRACKER, "--db", url, "import", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    wait_for(lambda: proc.poll() is not None or has_database_open(proc.pid, url),
             "tracker never opened the database", RUN_TIMEOUT_S)
    return proc, time.monotonic()


def run_tracker(url: str, *args: str,
                timeout: float = RUN_TIMEOUT_S) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([TRACKER, "--db", url, *args], capture_output=True, text=True,
                          timeout=timeout)
    return done, time.monotonic() - started


def verify_ok(url: str) -> None:
    done, _ = run_tracker(url, "verify")
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Error" not in done.stderr and "broken" not in done.stdout, (done.stdout, done.stderr)


@dataclass
class Attempt:
    label: str
    fraction: float
    delay: float = 0.0  # seconds from the open of the database to the kill
    exit: int | None = None
    landed: bool = False  # killed mid-import, nothing committed
    writing: bool = False  # and the import's writes were seen before the kill
    seen: int = 0  # contacts ``report summary`` counted right after
    backend_s: float = 0.0
    lock_s: float = 0.0

    def describe(self) -> str:
        what = ("landed, writes under way" if self.writing else "landed") if self.landed \
            else "finished first: not counted"
        return (f"{self.label} {self.fraction:.2f}x = {self.delay:.2f}s -> exit {self.exit}, "
                f"{what}; backend gone {self.backend_s:.2f}s, lock free {self.lock_s:.2f}s")


def kill_once(url: str, file: ContactsFile, attempt: Attempt, span: float) -> None:
    """One run of the import, SIGKILLed as ``attempt`` says; fills in what happened."""
    quiet_wal(url)
    before = written_bytes(url)
    name = f"tracker-kill-{uuid.uuid4().hex[:8]}"
    proc, opened = start_import(with_app_name(url, name), [str(file.path)])
    if attempt.label == "writing":  # wait for the writes to begin, then a little more
        wait_for(lambda: proc.poll() is not None or written_bytes(url) > before,
                 "the import never wrote", RUN_TIMEOUT_S, step=0.005)
        time.sleep(attempt.fraction * span)
    else:
        time.sleep(max(0.0, opened + attempt.fraction * span - time.monotonic()))
    running = proc.poll() is None
    attempt.writing = running and written_bytes(url) > before
    attempt.delay = time.monotonic() - opened
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
    attempt.exit = proc.returncode
    assert proc.returncode in (0, -signal.SIGKILL), (proc.returncode, stdout, stderr)
    # The next command is tracker's own, a read (SQLite: it is the first to open the file the
    # dead writer left with its -wal): it sees the log as it was, or as the whole import left it.
    summary, _ = run_tracker(url, "report", "summary", "--format", "json")
    assert summary.returncode == 0, (summary.stdout, summary.stderr)
    attempt.seen = json.loads(summary.stdout)["contacts"]["total"]
    attempt.backend_s = backend_gone(url, name)
    attempt.lock_s = lock_is_free(url)  # raises if a lock is still held
    committed = counts(url)["import_file"]
    assert committed in (0, 1), committed
    attempt.landed = proc.returncode == -signal.SIGKILL and committed == 0
    if not attempt.landed:
        attempt.writing = False


# --- the test ---------------------------------------------------------------------------------

def test_kill_9_during_import_leaves_nothing(engine_name, seeded_url, tmp_path):
    url = seeded_url
    rows = ROWS[engine_name]
    file = write_contacts(tmp_path / "contacts.csv", rows, f"import-kill file {engine_name}")
    rng = random.Random(f"import-kill {engine_name}")
    restore = snapshot(url)
    seeded = counts(url)
    assert seeded["contact"] == seeded["counter C"] == SEEDED_CONTACTS
    assert seeded["import_file"] == 0

    # How long the import works once it has opened the database: one real run, checked whole
    # and undone (the seeded database restored: the way back a run that finishes before its
    # kill takes, so that way is tried in every run of this test).
    proc, opened = start_import(url, [str(file.path)])
    stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
    span = time.monotonic() - opened
    assert proc.returncode == 0, (stdout, stderr)
    measured = counts(url)
    assert measured["contact"] == measured["counter C"] == SEEDED_CONTACTS + rows
    assert measured["import_file"] == 1
    restore()
    assert counts(url) == seeded

    attempts = [Attempt(label, rng.uniform(low, high)) for label, low, high in PLAN]
    for attempt in attempts:
        before = counts(url)
        kill_once(url, file, attempt, span)
        after = counts(url)
        print(f"\n[{engine_name}] {attempt.describe()}", end="")
        if not attempt.landed:  # it committed before the kill: whole, then undone
            assert after["import_file"] == 1
            assert after["contact"] == after["counter C"] == SEEDED_CONTACTS + rows
            assert after["contact_version"] == seeded["contact_version"] + rows
            assert attempt.seen == SEEDED_CONTACTS + rows
            restore()
            assert counts(url) == seeded
            continue
        assert after == before, {t: (before.get(t), n) for t, n in after.items()
                                 if before.get(t) != n}
        assert after["contact"] == SEEDED_CONTACTS
        assert after["contact_version"] == seeded["contact_version"]
        assert after["import_file"] == 0
        assert after["counter C"] == SEEDED_CONTACTS
        assert attempt.seen == SEEDED_CONTACTS
        verify_ok(url)

    landed = [a for a in attempts if a.landed]
    writing = [a for a in landed if a.writing]
    print(f"\n[{engine_name}] {rows} rows, first import {span:.2f}s after the open; "
          f"{len(landed)}/{len(attempts)} kills landed, {len(writing)} with writes under way")
    assert len(landed) >= MIN_LANDED, [a.describe() for a in attempts]
    assert len(writing) >= MIN_WRITING, [a.describe() for a in attempts]

    # The same file, whole: every line, numbered on from the seed in file order.
    proc, opened = start_import(url, [str(file.path)])
    stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
    took = time.monotonic() - opened
    print(f"\n[{engine_name}] full import of {rows} rows: {took:.2f}s after the open", end="")
    assert proc.returncode == 0, (stdout, stderr)
    assert stdout.strip() == f"contacts.csv: added {rows} contacts; 0 already in the log", stdout
    done = counts(url)
    last = SEEDED_CONTACTS + rows
    assert done["contact"] == done["counter C"] == last
    assert done["contact_version"] == seeded["contact_version"] + rows
    assert done["contact_participant"] == seeded["contact_participant"] + file.participants
    assert done["contact_tag"] == seeded["contact_tag"] + file.tags
    assert done["import_file"] == 1
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            imported = conn.execute(text(
                "SELECT c.reg_no, v.subject, c.source_key FROM contact c "
                "JOIN contact_version v ON v.contact_id = c.id "
                "WHERE c.provenance = 'imported' ORDER BY c.reg_no, v.version_no")).all()
    finally:
        engine.dispose()
    assert [r.reg_no for r in imported] == [f"C-{n:06d}" for n in
                                            range(SEEDED_CONTACTS + 1, last + 1)]
    assert [r.subject for r in imported] == file.subjects
    assert [r.source_key for r in imported] == [f"kill-test-{i:06d}" for i in range(rows)]
    verify_ok(url)

    # And the log goes on at once: no lock of a killed run is left to wait for.
    logged, _ = run_tracker(url, "contact", "log", "--kind", "other", "--on", "2018-12-21",
                            "--subject", "after the killed imports", timeout=PROMPT_S)
    assert logged.returncode == 0, (logged.stdout, logged.stderr)
    assert logged.stdout.strip() == f"C-{last + 1:06d}"
