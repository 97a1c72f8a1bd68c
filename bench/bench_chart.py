"""`tracker report chart` on a log spanning 10 years, against the raw engine's GROUP BY.

    python bench/bench_chart.py [--engine sqlite|postgresql|both] [--contacts 1000000]
                                [--runs 3]

Fills a migrated, seeded scratch database with N synthetic contacts spread over 2015-2024,
then times, as fresh processes in the same run, `tracker report chart --out chart.png` and a
bare reference: `python -c` that imports the raw driver and runs one GROUP BY of contacts per
month and kind (no versions, no chart). Prints the medians and their ratio; the target is
≤ 3 s for the chart at 1,000,000 contacts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_reports import make_db

GROUP_BY = ("SELECT substr(CAST(date_from AS TEXT), 1, 7), kind_code, count(*) "
            "FROM contact_version GROUP BY 1, 2")


def bare_code(url: str) -> str:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        return (f"import sqlite3; c = sqlite3.connect('file:{path}?mode=ro', uri=True); "
                f"print(len(c.execute({GROUP_BY!r}).fetchall()))")
    libpq = "postgresql://" + url.partition("://")[2]
    return (f"import psycopg; c = psycopg.connect({libpq!r}); "
            f"print(len(c.execute({GROUP_BY!r}).fetchall()))")


def timed(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, env=env, capture_output=True)
    return time.perf_counter() - t0


def measure(engine_name: str, contacts: int, runs: int) -> None:
    print(f"{engine_name}: {contacts:,} contacts over 10 years", flush=True)
    url, cleanup = make_db(engine_name, contacts, 0)
    tracker = str(Path(sys.executable).parent / "tracker")
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = {**os.environ, "TRACKER_DATABASE_URL": url}
            for suffix in ("png", "svg"):
                chart = [tracker, "report", "chart", "--out", f"{folder}/chart.{suffix}"]
                ours = [timed(chart, env) for _ in range(runs)]
                bare = [timed([sys.executable, "-c", bare_code(url)], env) for _ in range(runs)]
                mine, ref = statistics.median(ours), statistics.median(bare)
                print(f"  chart.{suffix}  tracker {mine:6.2f} s   bare GROUP BY {ref:6.2f} s   "
                      f"ratio {mine / ref:5.2f}   (target <= 3 s: "
                      f"{'met' if mine <= 3 else 'NOT met'})", flush=True)
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for engine_name in (["sqlite", "postgresql"] if args.engine == "both" else [args.engine]):
        measure(engine_name, args.contacts, args.runs)


if __name__ == "__main__":
    main()
