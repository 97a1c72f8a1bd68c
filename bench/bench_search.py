"""Search on a large log, against a ``LIKE '%…%'`` scan of the same columns, in one run.

    python bench/bench_search.py [--engine sqlite|postgresql|both] [--contacts 1000000]
                                 [--runs 5] [--keep DIR]

For each engine it fills a migrated, seeded scratch database with N synthetic contacts (and
N/10 messages; ``bench/synthetic.py``), then times, in the same process and alternately:

- ``tracker search WORD`` through the service (every matching record, and the first page of
  20 as the CLI would print it), for a rare Latin word, a rare Hangul word and a common word;
- the reference: the raw driver running ``SELECT id FROM contact_version WHERE subject LIKE
  '%WORD%' OR venue LIKE … OR notes LIKE … OR reason LIKE …`` (ILIKE on PostgreSQL: the same
  case-insensitive question) over the same columns.

It prints the medians and the speed-up (target: ≥ 20x for a rare word, ≤ 0.1 s for the first
page).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cached import bench_db
from bench.synthetic import RARE_HANGUL, RARE_WORD
from tracker.db.session import Database
from tracker.services.search import search

COMMON = "railway"
COLUMNS = ("subject", "venue", "notes", "reason")


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def like_scan(db: Database, word: str) -> Callable[[], int]:
    raw = db.engine.raw_connection()
    postgres = db.engine.dialect.name == "postgresql"
    op, mark = ("ILIKE", "%s") if postgres else ("LIKE", "?")
    where = " OR ".join(f"{c} {op} {mark}" for c in COLUMNS)
    sql = f"SELECT id FROM contact_version WHERE {where}"
    pattern = f"%{word}%"

    def run() -> int:
        cur = raw.cursor()
        cur.execute(sql, (pattern,) * len(COLUMNS))
        return len(cur.fetchall())

    return run


def ours(db: Database, word: str, limit: int | None) -> Callable[[], int]:
    def run() -> int:
        with db.read() as session:
            return sum(1 for _ in search(session, word, registers=("C",), limit=limit))

    return run


def measure(engine_name: str, contacts: int, runs: int, keep: Path | None) -> None:
    print(f"{engine_name}: {contacts:,} contacts", flush=True)
    url, cleanup = bench_db(engine_name, contacts, contacts // 10, keep)
    db = Database(url)
    try:
        for label, word in (("rare", RARE_WORD), ("rare Hangul", RARE_HANGUL),
                            ("common", COMMON)):
            scan_s, scanned = median_time(like_scan(db, word), runs)
            all_s, found = median_time(ours(db, word, None), runs)
            page_s, _ = median_time(ours(db, word, 20), runs)
            print(f"  {label:11} {word!r:12} LIKE scan {scan_s:7.3f} s ({scanned:,} versions)"
                  f"   search {all_s:7.4f} s ({found:,} records)   speed-up "
                  f"{scan_s / all_s:7.1f}x   first page of 20 {page_s:7.4f} s", flush=True)
    finally:
        db.engine.dispose()
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="Keep the filled databases (SQLite files in DIR) for later runs.")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for engine_name in engines:
        measure(engine_name, args.contacts, args.runs, args.keep)


if __name__ == "__main__":
    main()
