"""Wall time of `tracker contact log …` on SQLite against `python -c "import sqlalchemy.orm"`.

    python bench/bench_startup.py [--runs 21]

Both are run alternately as fresh processes, in the same run, on the same machine; the
median of each is reported with the ratio (target <= 1.3). The log goes to a scratch SQLite
file that is migrated and seeded first, so the timing is the clerk's path: start-up, schema
check, one write transaction.
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


def timed(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    tracker = str(bindir / "tracker")
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite",
               "TRACKER_CLERK": "bench"}
        subprocess.run([tracker, "seed"], check=True, env=env, stdout=subprocess.DEVNULL)
        log = [tracker, "contact", "log", "--kind", "other", "--on", "2018-12-21",
               "--subject", "start-up benchmark", "--again"]  # the same contact, many times
        orm = [sys.executable, "-c", "import sqlalchemy.orm"]
        timed(orm, env), timed(log, env)  # warm the OS caches
        base, ours = [], []
        for _ in range(args.runs):
            base.append(timed(orm, env))
            ours.append(timed(log, env))
    b, o = statistics.median(base), statistics.median(ours)
    print(f"import sqlalchemy.orm: median {b:.3f} s (min {min(base):.3f})")
    print(f"tracker contact log:  median {o:.3f} s (min {min(ours):.3f})")
    print(f"ratio (medians): {o / b:.2f}   target <= 1.30")


if __name__ == "__main__":
    main()
