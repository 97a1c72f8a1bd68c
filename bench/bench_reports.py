"""Report speed and memory against the best plain SQL for the same answer, on the same data.

    python bench/bench_reports.py [--engine sqlite|postgresql|both] [--contacts N]
                                  [--messages M] [--repeat K]

For each engine: migrate and seed a scratch database, add N synthetic contacts (default
1,000,000) and M messages, then time, in this process, each report as the tool runs it (SQL,
pandas shaping) and each hand-written SQL candidate for the same answer (fetch included, plus
the tiny Python roll-up a two-stage candidate needs). Best of K runs. The reference is the
fastest candidate; the ratio is ours / reference (target <= 1.5). Peak Python memory of each
report (tracemalloc) is measured at N and on a 1,000-contact database (target ratio <= 1.2).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from bench.synthetic import fill
from tracker.db import Database
from tracker.migrate import upgrade
from tracker.services.seed import load_seed

PG_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def live(table: str, alias: str = "v", cutoff: str | None = None) -> str:
    """Hand-written "current, non-void version" condition."""
    newer = f"n.supersedes_id = {alias}.id"
    own = ""
    if cutoff:
        newer += f" AND n.recorded_at < '{cutoff}'"
        own = f" AND {alias}.recorded_at < '{cutoff}'"
    return (f"NOT {alias}.is_void{own} AND NOT EXISTS "
            f"(SELECT 1 FROM {table} n WHERE {newer})")


# ---- plain SQL candidates: each returns the same numbers the report shows ----

def sql_summary(conn: Any) -> Any:
    kinds = conn.execute(text(
        f"SELECT kind_code, count(*) FROM contact_version v WHERE {live('contact_version')} "
        "GROUP BY kind_code")).all()
    messages = conn.execute(text(
        f"SELECT count(*) FROM message_version v WHERE {live('message_version')}")).scalar()
    staff = conn.execute(text(
        "SELECT side_code, count(*) FROM staff WHERE id NOT IN "
        "(SELECT staff_id FROM staff_leave) GROUP BY side_code")).all()
    return kinds, messages, staff


def sql_monthly_two_stage(conn: Any) -> Any:
    """GROUP BY (interval, kind) in SQL, roll the few thousand groups up to months."""
    out: Counter = Counter()
    for d0, d1, kind, n in conn.execute(text(
            "SELECT date_from, date_to, kind_code, count(*) FROM contact_version v "
            f"WHERE {live('contact_version')} GROUP BY date_from, date_to, kind_code")):
        out[(_label(str(d0), str(d1)), kind)] += n
    for d0, d1, n in conn.execute(text(
            "SELECT date_from, date_to, count(*) FROM message_version v "
            f"WHERE {live('message_version')} GROUP BY date_from, date_to")):
        out[(_label(str(d0), str(d1)), "messages")] += n
    return out


def _label(d0: str, d1: str) -> str:
    return d0[:7] if d0[:7] == d1[:7] else f"{d0}/{d1}"


def sql_monthly_rollup_in_sql(conn: Any) -> Any:
    """Both stages in SQL: (kind, interval) groups through the index, then months."""
    month = "substr({0}, 1, 7)" if conn.dialect.name == "sqlite" else "to_char({0}, 'YYYY-MM')"
    m0, m1 = month.format("date_from"), month.format("date_to")
    out = []
    for table, key in (("contact_version", "kind_code, "), ("message_version", "")):
        out.append(conn.execute(text(
            f"SELECT CASE WHEN {m0} = {m1} THEN {m0} END AS m, "
            f"CASE WHEN {m0} <> {m1} THEN date_from END AS p0, "
            f"CASE WHEN {m0} <> {m1} THEN date_to END AS p1, {key}sum(n) FROM "
            f"(SELECT {key}date_from, date_to, count(*) AS n FROM {table} v "
            f"WHERE {live(table)} GROUP BY {key}date_from, date_to) g "
            f"GROUP BY m, p0, p1{', kind_code' if key else ''}")).all())
    return out


def sql_monthly_one_stage(conn: Any) -> Any:
    if conn.dialect.name == "sqlite":
        label = ("CASE WHEN strftime('%Y-%m', date_from) = strftime('%Y-%m', date_to) "
                 "THEN strftime('%Y-%m', date_from) ELSE date_from || '/' || date_to END")
    else:
        label = ("CASE WHEN date_trunc('month', date_from) = date_trunc('month', date_to) "
                 "THEN to_char(date_from, 'YYYY-MM') ELSE date_from || '/' || date_to END")
    contacts = conn.execute(text(
        f"SELECT {label} AS p, kind_code, count(*) FROM contact_version v "
        f"WHERE {live('contact_version')} GROUP BY p, kind_code")).all()
    messages = conn.execute(text(
        f"SELECT {label} AS p, count(*) FROM message_version v "
        f"WHERE {live('message_version')} GROUP BY p")).all()
    return contacts, messages


# ---- harness ----

def best_of(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def peak_memory(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def make_db(engine_name: str, contacts: int, messages: int) -> tuple[str, Callable[[], None]]:
    if engine_name == "sqlite":
        folder = tempfile.mkdtemp(prefix="tracker-bench-")
        url = f"sqlite:///{folder}/bench.sqlite"
        cleanup = lambda: None  # noqa: E731  (kept for inspection; in the temp dir)
    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"

        def cleanup() -> None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    upgrade(url)
    db = Database(url)
    with db.write() as session:
        load_seed(session)
    t0 = time.perf_counter()
    fill(db.engine, contacts, messages)
    print(f"  filled {contacts:,} contacts + {messages:,} messages in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    db.engine.dispose()
    return url, cleanup


def report_cases(db: Database) -> dict[str, tuple[Callable[[], Any], list[Callable[[Any], Any]]]]:
    """name -> (the tool's report, plain SQL candidates for the same answer)."""
    from tracker.services.reports import monthly_report, summary_report

    def ours(build: Callable[..., Any], **kw: Any) -> Callable[[], Any]:
        def run() -> Any:
            with db.read() as session:
                return build(session, **kw)
        return run

    return {
        "summary": (ours(summary_report), [sql_summary]),
        "monthly": (ours(monthly_report), [sql_monthly_two_stage, sql_monthly_rollup_in_sql,
                                          sql_monthly_one_stage]),
    }


def measure(engine_name: str, contacts: int, messages: int, repeat: int) -> None:
    print(f"\n== {engine_name}: {contacts:,} contacts, {messages:,} messages", flush=True)
    url, cleanup = make_db(engine_name, contacts, messages)
    small_url, small_cleanup = make_db(engine_name, 1_000, min(messages, 500))
    try:
        db, small = Database(url), Database(small_url)
        cases, small_cases = report_cases(db), report_cases(small)
        print(f"  {'report':<10} {'ours s':>8} {'best SQL s':>10} {'ratio':>6}   "
              f"{'peak MiB @N':>11} {'@1k':>6} {'ratio':>6}")
        for name, (ours, candidates) in cases.items():
            ours()  # warm caches
            t_ours = best_of(ours, repeat)
            times = []
            for candidate in candidates:
                with db.engine.connect() as conn:
                    times.append(best_of(lambda c=candidate, k=conn: c(k), repeat))
            reference = min(times)
            mem_n = peak_memory(ours)
            mem_1k = peak_memory(small_cases[name][0])
            print(f"  {name:<10} {t_ours:8.3f} {reference:10.3f} {t_ours / reference:6.2f}   "
                  f"{mem_n / 2**20:11.2f} {mem_1k / 2**20:6.2f} {mem_n / mem_1k:6.2f}",
                  flush=True)
        db.engine.dispose()
        small.engine.dispose()
    finally:
        cleanup()
        small_cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--messages", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for engine_name in engines:
        measure(engine_name, args.contacts, args.messages, args.repeat)


if __name__ == "__main__":
    main()
