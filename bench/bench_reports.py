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
import shutil
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
from tracker.db.migrate import upgrade
from tracker.db.session import Database
from tracker.services.seed import load_seed

PG_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def current(table: str, keys: list[str], where: str, cutoff: str | None,
            strategy: str) -> str:
    """SQL for ``keys…, n``: current non-void versions per group, by one of two strategies.

    ``antijoin``: NOT EXISTS a superseding version, row by row. ``subtract``: all non-void
    versions minus the superseded ones found by a join; ``subtract_in``: the same with the
    superseded ones found by ``id IN (…)``. ``where`` is a condition on alias ``v``.
    """
    cols = ", ".join(f"v.{k}" for k in keys)
    sel = f"{cols}, " if keys else ""
    group = f" GROUP BY {cols}" if keys else ""
    seen = f" AND v.recorded_at < '{cutoff}'" if cutoff else ""
    newer_seen = f" AND n.recorded_at < '{cutoff}'" if cutoff else ""
    cond = f" AND {where}" if where else ""
    if strategy == "antijoin":
        return (f"SELECT {sel}count(*) AS n FROM {table} v WHERE NOT v.is_void{seen}{cond} "
                f"AND NOT EXISTS (SELECT 1 FROM {table} n WHERE n.supersedes_id = v.id"
                f"{newer_seen}){group}")
    outer = ", ".join(keys)
    if strategy == "subtract_in":
        return (
            f"SELECT {outer + ', ' if keys else ''}sum(n) AS n FROM ("
            f"SELECT {sel}count(*) AS n FROM {table} v WHERE NOT v.is_void{seen}{cond}{group} "
            f"UNION ALL SELECT {sel}-count(*) FROM {table} v WHERE v.id IN (SELECT "
            f"n.supersedes_id FROM {table} n WHERE n.supersedes_id IS NOT NULL{newer_seen}) "
            f"AND NOT v.is_void{cond}{group}) t"
            f"{' GROUP BY ' + outer if keys else ''}"
        )
    return (
        f"SELECT {outer + ', ' if keys else ''}sum(n) AS n FROM ("
        f"SELECT {sel}count(*) AS n FROM {table} v WHERE NOT v.is_void{seen}{cond}{group} "
        f"UNION ALL SELECT {sel}-count(*) FROM {table} n JOIN {table} v "
        f"ON n.supersedes_id = v.id WHERE NOT v.is_void{newer_seen}{cond}{group}) t"
        f"{' GROUP BY ' + outer if keys else ''}"
    )


STRATEGIES = ("antijoin", "subtract", "subtract_in")


def staff_sql(on: str | None = None) -> str:
    left = "SELECT staff_id FROM staff_leave" + (f" WHERE service_to < '{on}'" if on else "")
    since = f" AND (service_from IS NULL OR service_from <= '{on}')" if on else ""
    return (f"SELECT side_code, count(*) FROM staff WHERE id NOT IN ({left}){since} "
            "GROUP BY side_code")


def _label(d0: Any, d1: Any) -> str:
    d0, d1 = str(d0), str(d1)
    return d0[:7] if d0[:7] == d1[:7] else f"{d0}/{d1}"


def month_sql(conn: Any, column: str) -> str:
    return (f"substr({column}, 1, 7)" if conn.dialect.name == "sqlite"
            else f"to_char({column}, 'YYYY-MM')")


# What the reports split by (the same answer as ours: held or not, initiator, direction).
CONTACT_SPLIT = ["kind_code", "outcome_code", "initiated_by"]
MESSAGE_SPLIT = ["from_side", "to_side"]


def summary_candidates(cutoff: str | None) -> list[Callable[[Any], Any]]:
    def make(strategy: str) -> Callable[[Any], Any]:
        def run(conn: Any) -> Any:
            kinds = conn.execute(text(current("contact_version", CONTACT_SPLIT, "", cutoff,
                                              strategy))).all()
            messages = conn.execute(text(current("message_version", MESSAGE_SPLIT, "",
                                                 cutoff, strategy))).all()
            return kinds, messages, conn.execute(text(staff_sql())).all()
        return run
    return [make(s) for s in STRATEGIES]


def by_field_candidates() -> list[Callable[[Any], Any]]:
    """``report summary --by field``: held contacts per kind and field, messages per field."""
    def make(strategy: str) -> Callable[[Any], Any]:
        def run(conn: Any) -> Any:
            contacts = conn.execute(text(current(
                "contact_version", ["kind_code", "outcome_code", "field_code"], "", None,
                strategy))).all()
            messages = conn.execute(text(current("message_version", ["field_code"], "", None,
                                                 strategy))).all()
            return contacts, messages
        return run
    return [make(s) for s in STRATEGIES]


def yearly_candidates() -> list[Callable[[Any], Any]]:
    """``report yearly``: held contacts per field and year, messages per year (a record
    spanning years apart), rolled up in Python from the interval groups."""
    def make(strategy: str) -> Callable[[Any], Any]:
        def run(conn: Any) -> Any:
            out: Counter = Counter()
            for table, keys, where in (
                    ("contact_version", ["field_code", "initiated_by"],
                     "v.outcome_code = 'held'"),
                    ("message_version", ["from_side", "to_side"], "")):
                sql = current(table, [*keys, "date_from", "date_to"], where, None, strategy)
                for *key, d0, d1, n in conn.execute(text(sql)):
                    y0, y1 = str(d0)[:4], str(d1)[:4]
                    out[(table, y0 if y0 == y1 else f"{d0}/{d1}", *key)] += n
            return out
        return run
    return [make(s) for s in STRATEGIES]


def monthly_candidates(cutoff: str | None, apportioned: bool) -> list[Callable[[Any], Any]]:
    """Stage 1 (interval groups) by either strategy; roll-up in SQL or in Python."""
    from tracker.services.reports.apportion import apportion

    def spread(rows: list[tuple], out: Counter) -> None:
        for month, d0, d1, key, n in rows:
            if month is not None:
                out[(month, key)] += n
            elif apportioned:
                for label, share in apportion(int(n), d0, d1):
                    out[(label + "~", key)] += share
            else:
                out[(_label(d0, d1), key)] += n

    def sql_rollup(strategy: str) -> Callable[[Any], Any]:
        def run(conn: Any) -> Any:
            m0, m1 = month_sql(conn, "date_from"), month_sql(conn, "date_to")
            out: Counter = Counter()
            for table, keys in (("contact_version", CONTACT_SPLIT),
                                ("message_version", MESSAGE_SPLIT)):
                inner = current(table, [*keys, "date_from", "date_to"], "", cutoff, strategy)
                groups = ", ".join(str(i) for i in range(1, 4 + len(keys)))
                rows = conn.execute(text(
                    f"SELECT CASE WHEN {m0} = {m1} THEN {m0} END AS m, "
                    f"CASE WHEN {m0} <> {m1} THEN date_from END AS p0, "
                    f"CASE WHEN {m0} <> {m1} THEN date_to END AS p1, {', '.join(keys)}, "
                    f"sum(n) FROM ({inner}) g GROUP BY {groups}")).all()
                spread([(m, _date(p0), _date(p1), (table, *k), n)
                        for m, p0, p1, *k, n in rows], out)
            return out
        return run

    def python_rollup(strategy: str) -> Callable[[Any], Any]:
        def run(conn: Any) -> Any:
            out: Counter = Counter()
            for table, keys in (("contact_version", CONTACT_SPLIT),
                                ("message_version", MESSAGE_SPLIT)):
                rows = conn.execute(text(current(table, ["date_from", "date_to", *keys], "",
                                                 cutoff, strategy))).all()
                staged = []
                for d0, d1, *rest in rows:
                    key = (table, *rest[:-1])
                    s0, s1 = str(d0), str(d1)
                    same = s0[:7] == s1[:7]
                    staged.append((s0[:7] if same else None, _date(d0), _date(d1), key,
                                   rest[-1]))
                spread(staged, out)
            return out
        return run

    return [f(s) for s in STRATEGIES for f in (sql_rollup, python_rollup)]


def _date(value: Any) -> Any:
    import datetime as dt

    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def reconcile_candidates(dates: list[str]) -> list[Callable[[Any], Any]]:
    def make(strategy: str) -> Callable[[Any], Any]:
        def run(conn: Any) -> Any:
            out = {}
            for day in dates:
                kinds = conn.execute(text(current(
                    "contact_version", ["kind_code"],
                    f"v.date_to <= '{day}' AND v.outcome_code = 'held'", None,
                    strategy))).all()
                messages = conn.execute(text(current("message_version", [],
                                                     f"v.date_to <= '{day}'", None,
                                                     strategy))).scalar()
                out[day] = (kinds, messages, conn.execute(text(staff_sql(day))).all())
            return out
        return run
    return [make(s) for s in STRATEGIES]


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
        def cleanup() -> None:
            shutil.rmtree(folder, ignore_errors=True)
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


AS_OF_DAY = "2026-01-15"  # synthetic rows are recorded 2026-01-01, corrections a month later


def report_cases(db: Database) -> dict[str, tuple[Callable[[], Any], list[Callable[[Any], Any]]]]:
    """name -> (the tool's report, plain SQL candidates for the same answer)."""
    from sqlalchemy import select

    from tracker.models import ReportedFigure
    from tracker.services.reports.monthly import monthly_report
    from tracker.services.reports.reconcile import reconcile
    from tracker.services.reports.summary import summary_report
    from tracker.services.reports.yearly import yearly_report

    cutoff = "2026-01-16 00:00:00"
    with db.read() as session:
        dates = sorted({d.isoformat() for d in session.scalars(select(ReportedFigure.as_of))})

    def ours(build: Callable[..., Any], **kw: Any) -> Callable[[], Any]:
        def run() -> Any:
            with db.read() as session:
                return build(session, **kw)
        return run

    return {
        "summary": (ours(summary_report), summary_candidates(None)),
        "monthly": (ours(monthly_report), monthly_candidates(None, False)),
        "monthly apportion": (ours(monthly_report, spread="apportion"),
                              monthly_candidates(None, True)),
        "summary as-of": (ours(summary_report, as_of=AS_OF_DAY), summary_candidates(cutoff)),
        "monthly as-of": (ours(monthly_report, as_of=AS_OF_DAY),
                          monthly_candidates(cutoff, False)),
        "reconcile": (ours(reconcile), reconcile_candidates(dates)),
        "summary --by field": (ours(summary_report, by=["field"]), by_field_candidates()),
        "yearly": (ours(yearly_report), yearly_candidates()),
    }


def measure(engine_name: str, contacts: int, messages: int, repeat: int) -> None:
    print(f"\n== {engine_name}: {contacts:,} contacts, {messages:,} messages", flush=True)
    url, cleanup = make_db(engine_name, contacts, messages)
    small_url, small_cleanup = make_db(engine_name, 1_000, min(messages, 500))
    try:
        db, small = Database(url), Database(small_url)
        cases, small_cases = report_cases(db), report_cases(small)
        print(f"  {'report':<18} {'ours s':>8} {'best SQL s':>10} {'ratio':>6}   "
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
            print(f"  {name:<18} {t_ours:8.3f} {reference:10.3f} {t_ours / reference:6.2f}   "
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
    parser.add_argument("--messages", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for engine_name in engines:
        measure(engine_name, args.contacts, args.messages, args.repeat)


if __name__ == "__main__":
    main()
