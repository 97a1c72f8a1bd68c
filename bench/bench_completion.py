"""Shell-completion latency on a large log, against the least any completer must do.

    python bench/bench_completion.py [--engine sqlite|postgresql|both] [--contacts 1000000]
                                     [--runs 11]

For each engine it fills a migrated, seeded scratch database with N synthetic contacts (and
N/10 messages), then times, as fresh processes run alternately in the same run, what the shell
runs on <TAB>: `tracker` with `_TRACKER_COMPLETE=complete_bash` for a registration number, a
person and a kind; and a bare reference: `python -c` that imports the raw driver, connects and
runs the same one indexed query. It prints the medians and the ratio (target: ≤ 0.3 s wall
time on 1,000,000 records).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_reports import make_db

WORDS = {
    "reg_no": ("tracker show C-00050", 2),
    "person": ("tracker contact log --with Ch", 4),
    "kind": ("tracker contact list --kind c", 4),
}


def bare_code(url: str) -> str:
    """The reference: start Python, open the database with the raw driver, one query."""
    query = ("SELECT reg_no FROM contact WHERE reg_no >= 'C-00050' AND reg_no < 'C-00051' "
             "ORDER BY reg_no DESC LIMIT 50")
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        return (f"import sqlite3; c = sqlite3.connect('file:{path}?mode=ro', uri=True); "
                f"print(c.execute({query!r}).fetchall())")
    libpq = "postgresql://" + url.partition("://")[2]
    return (f"import psycopg; c = psycopg.connect({libpq!r}); "
            f"print(c.execute({query!r}).fetchall())")


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(argv, check=True, env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, out.stdout


def measure(engine_name: str, contacts: int, runs: int) -> None:
    print(f"{engine_name}: {contacts:,} contacts", flush=True)
    url, cleanup = make_db(engine_name, contacts, contacts // 10)
    tracker = str(Path(sys.executable).parent / "tracker")
    try:
        bare_argv = [sys.executable, "-c", bare_code(url)]
        for name, (words, cword) in WORDS.items():
            env = {**os.environ, "TRACKER_DATABASE_URL": url, "_TRACKER_COMPLETE":
                   "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
            ours, bare = [], []
            answer = ""
            for _ in range(runs):
                seconds, answer = timed([tracker], env)
                ours.append(seconds)
                bare.append(timed(bare_argv, dict(os.environ))[0])
            mine, ref = statistics.median(ours), statistics.median(bare)
            first = (answer.split("\n") or [""])[0]
            print(f"  {name:8} tracker {mine:6.3f} s   bare driver {ref:6.3f} s   "
                  f"ratio {mine / ref:4.2f}   (first suggestion: {first!r})", flush=True)
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    for engine_name in (["sqlite", "postgresql"] if args.engine == "both" else [args.engine]):
        measure(engine_name, args.contacts, args.runs)


if __name__ == "__main__":
    main()
