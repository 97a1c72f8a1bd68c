"""Several clerks at once: separate OS processes logging contacts into one database.

Each worker is a real process (``multiprocessing`` "spawn": SQLAlchemy engines and open
connections must never cross a fork) that runs the real CLI in-process in a loop. All workers
wait on one barrier and start together, so their write transactions really contend for the
register's lock. Numbers must come out gapless and unique, and the hash chain unbroken.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import sys
import time
import traceback
from pathlib import Path

from sqlalchemy import create_engine, text

PROCESSES = 4
LOGS_PER_PROCESS = 25
SEEDED_CONTACTS = 285  # the seed holds C-000001 .. C-000285
GENESIS = "0" * 64
DAY = "2018-12-21"  # in the past: no need to pin the clock
ROOT = str(Path(__file__).resolve().parent.parent)
SPAWN = mp.get_context("spawn")
JOIN_TIMEOUT_S = 120


def _worker(url: str, worker: int, count: int, barrier, results, bad_with_at: int = -1) -> None:
    """Runs in a spawned child: ``count`` x ``tracker contact log``, reported back in one put.

    ``bad_with_at`` makes that iteration name an unknown participant, so it must be refused.
    """
    report: dict = {"worker": worker, "pid": os.getpid(), "calls": [], "error": None,
                    "root_on_path": ROOT in sys.path, "module_file": None}
    try:
        from typer.testing import CliRunner

        import tracker
        import tracker.cli

        # ``app`` with every command attached (``full_app`` where commands register lazily).
        app = getattr(tracker.cli, "full_app", lambda: tracker.cli.app)()
        report["module_file"] = tracker.__file__
        runner = CliRunner()
        # Warm up the imports the command loads lazily, so the start line is really shared.
        import tracker.db.session
        import tracker.services.records.write

        barrier.wait(timeout=60)
        for i in range(count):
            args = ["--db", url, "contact", "log", "--kind", "other", "--on", DAY,
                    "--subject", f"w{worker} n{i}", "--clerk", f"clerk{worker}"]
            if i == bad_with_at:
                args += ["--with", "Nobody Of-That-Name"]
            started = time.perf_counter()
            result = runner.invoke(app, args)
            report["calls"].append({
                "i": i, "exit": result.exit_code, "stdout": result.stdout,
                "stderr": result.stderr, "seconds": time.perf_counter() - started,
                "exception": None if result.exception is None or isinstance(
                    result.exception, SystemExit) else repr(result.exception),
            })
    except BaseException:
        report["error"] = traceback.format_exc()
    results.put(report)


def _run_workers(url: str, plan: list[tuple[int, int, int]]) -> tuple[list[dict], float]:
    """Start one process per (worker, count, bad_with_at) behind a shared barrier."""
    barrier = SPAWN.Barrier(len(plan) + 1)  # + the parent, which starts the clock
    results = SPAWN.Queue()
    procs = [SPAWN.Process(target=_worker, args=(url, w, n, barrier, results, bad),
                           name=f"clerk{w}") for w, n, bad in plan]
    for p in procs:
        p.start()
    try:
        barrier.wait(timeout=90)
        started = time.perf_counter()
        reports = [results.get(timeout=JOIN_TIMEOUT_S) for _ in procs]
        wall = time.perf_counter() - started
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.terminate()
                p.join()
    for r in reports:
        assert r["error"] is None, f"worker {r['worker']} crashed:\n{r['error']}"
        assert r["root_on_path"], f"worker {r['worker']}: {ROOT} not on the child's sys.path"
        assert r["module_file"] and r["module_file"].startswith(ROOT), r["module_file"]
    assert [p.exitcode for p in procs] == [0] * len(procs), [p.exitcode for p in procs]
    assert len({r["pid"] for r in reports} | {os.getpid()}) == len(procs) + 1
    return sorted(reports, key=lambda r: r["worker"]), wall


def _reg(n: int) -> str:
    return f"C-{n:06d}"


def _database_state(url: str) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            q = lambda sql: conn.execute(text(sql))  # noqa: E731
            state = {
                "contacts": q("SELECT count(*) FROM contact").scalar_one(),
                "versions": q("SELECT count(*) FROM contact_version").scalar_one(),
                "last_no": q("SELECT last_no FROM register_counter WHERE register = 'C'")
                .scalar_one(),
                "reg_nos": set(q("SELECT reg_no FROM contact").scalars()),
                "chain": q("SELECT id, prev_hash, hash FROM contact_version ORDER BY id").all(),
                "logged": {reg_no: (subject, by) for reg_no, subject, by in q(
                    "SELECT c.reg_no, v.subject, v.recorded_by FROM contact c "
                    "JOIN contact_version v ON v.contact_id = c.id "
                    "WHERE c.provenance = 'logged'").all()},
            }
    finally:
        engine.dispose()
    return state


def _chain_breaks(chain) -> list[int]:
    """Ids of version rows whose prev_hash is not the hash of the row before them."""
    breaks = [row.id for prev, row in itertools.pairwise(chain)
              if row.prev_hash != prev.hash]
    if chain and chain[0].prev_hash != GENESIS:
        breaks.insert(0, chain[0].id)
    return breaks


def test_concurrent_clerks_get_unique_gapless_numbers(engine_name, seeded_url):
    total = PROCESSES * LOGS_PER_PROCESS
    reports, wall = _run_workers(seeded_url, [(w, LOGS_PER_PROCESS, -1)
                                              for w in range(PROCESSES)])
    calls = [(r["worker"], c) for r in reports for c in r["calls"]]

    failed = [(w, c["i"], c["exit"], c["stderr"].strip(), c["exception"])
              for w, c in calls if c["exit"] != 0]
    noisy = [(w, c["i"], c["stderr"].strip()) for w, c in calls if c["stderr"].strip()]
    locked = [n for n in noisy if "locked" in n[2].lower()]
    printed = [c["stdout"].strip() for _, c in calls if c["exit"] == 0]
    duplicates = sorted({n for n in printed if printed.count(n) > 1})
    expected = [_reg(n) for n in range(SEEDED_CONTACTS + 1, SEEDED_CONTACTS + total + 1)]
    gaps = sorted(set(expected) - set(printed))
    unexpected = sorted(set(printed) - set(expected))
    slowest = max((c["seconds"] for _, c in calls), default=0.0)

    db = _database_state(seeded_url)
    breaks = _chain_breaks(db["chain"])
    print(f"\n[{engine_name}] {PROCESSES} processes x {LOGS_PER_PROCESS} logs = {len(calls)} "
          f"calls in {wall:.2f}s (slowest call {slowest:.2f}s): failures {len(failed)}, "
          f"stderr lines {len(noisy)}, lock errors {len(locked)}, duplicates {len(duplicates)}, "
          f"gaps {len(gaps)}, unexpected {len(unexpected)}; db contacts {db['contacts']}, "
          f"versions {db['versions']}, counter C={db['last_no']}, chain breaks {len(breaks)}")

    assert len(calls) == total, f"{len(calls)} calls reported, expected {total}"
    assert not failed, f"{len(failed)}/{total} calls failed: {failed[:5]}"
    assert not locked, f"{len(locked)}/{total} 'locked' errors: {locked[:5]}"
    assert not noisy, f"{len(noisy)}/{total} calls wrote to stderr: {noisy[:5]}"
    assert not duplicates, f"{len(duplicates)} duplicate numbers: {duplicates[:10]}"
    assert not gaps, f"{len(gaps)} numbers missing from {expected[0]}..{expected[-1]}: {gaps[:10]}"
    assert not unexpected, f"{len(unexpected)} numbers outside the range: {unexpected[:10]}"
    assert sorted(printed) == expected

    final = SEEDED_CONTACTS + total
    assert db["contacts"] == final, f"{db['contacts']} contacts, expected {final}"
    assert db["versions"] == final, f"{db['versions']} contact_version rows, expected {final}"
    assert db["last_no"] == final, f"register_counter C is {db['last_no']}, expected {final}"
    assert db["reg_nos"] == {_reg(n) for n in range(1, final + 1)}
    assert not breaks, f"hash chain broken at version ids {breaks[:10]} of {len(db['chain'])}"
    # Every printed number is the record its own call wrote, with that call's subject and clerk.
    said = {c["stdout"].strip(): (f"w{w} n{c['i']}", f"clerk{w}") for w, c in calls}
    assert db["logged"] == said


def test_a_refused_log_takes_no_number(engine_name, seeded_url):
    """Good, refused, rolled back after taking a number, good: the good ones are consecutive."""
    from tracker.db.session import Database
    from tracker.services.records.numbers import take_numbers
    from tracker.services.records.registers import CONTACTS

    first, _ = _run_workers(seeded_url, [(0, 1, -1)])
    refused, _ = _run_workers(seeded_url, [(1, 1, 0)])  # an unknown --with, refused

    # A transaction that did take a number and then failed gives the number back.
    db = Database(seeded_url)
    taken: list[str] = []
    try:
        with db.write() as session:
            taken = take_numbers(session, CONTACTS)
            raise RuntimeError("the clerk changed their mind")
    except RuntimeError:
        pass
    finally:
        db.engine.dispose()

    last, _ = _run_workers(seeded_url, [(2, 1, -1)])
    good = [first[0]["calls"][0], last[0]["calls"][0]]
    bad = refused[0]["calls"][0]
    numbers = [c["stdout"].strip() for c in good]
    state = _database_state(seeded_url)
    print(f"\n[{engine_name}] good logs -> {numbers}; refused log exit {bad['exit']} "
          f"({bad['stderr'].strip()}); rolled-back take_numbers saw {taken}; "
          f"counter C={state['last_no']}, contacts {state['contacts']}")

    assert [c["exit"] for c in good] == [0, 0], [(c["exit"], c["stderr"]) for c in good]
    assert bad["exit"] != 0 and bad["stdout"] == "", bad
    assert "--with" in bad["stderr"] and "Nobody Of-That-Name" in bad["stderr"], bad["stderr"]
    assert taken == [_reg(SEEDED_CONTACTS + 2)], taken
    assert numbers == [_reg(SEEDED_CONTACTS + 1), _reg(SEEDED_CONTACTS + 2)], numbers
    assert state["last_no"] == SEEDED_CONTACTS + 2
    assert state["contacts"] == state["versions"] == SEEDED_CONTACTS + 2
    assert state["reg_nos"] == {_reg(n) for n in range(1, SEEDED_CONTACTS + 3)}
    assert not _chain_breaks(state["chain"])
