"""Lists on logs of growing size: first-row latency, peak memory, and a month's list.

    python bench/bench_lists.py [--engine sqlite|postgresql|both] [--keep DIR]
                                [--sizes 10000,1000000] [--month-sizes 10000,1000000,10000000]

For each engine and size it fills a migrated, seeded scratch database with N synthetic
contacts and N/10 messages (``bench/synthetic.py``; ``--keep`` keeps it for later runs, see
``bench/cached.py``) and measures, with the real ``tracker`` executable:

- first row: the time from starting ``tracker contact list --format csv`` until its first
  data row arrives on a pipe, against ``tracker show C-000001`` (start-up, opening the
  database and reading one record: what any command that reads the log costs);
- the whole list to /dev/null: wall time, rows/s and the process's peak RSS; memory at the
  largest size should stay within 1.5x of the smallest;
- one month's list (``--month``, CSV) at each of ``--month-sizes``: wall time, rows printed.
  Its cost should be the time at 10,000 records plus the rows it prints: the line
  ``expected`` is 2 t(10,000) + rows * (per-row cost of the whole 10,000-row list).
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

from bench.cached import bench_db

TRACKER = str(Path(sys.executable).parent / "tracker")
MONTH = "2019-03"
# Runs a command with stdout to /dev/null and prints its peak RSS in KiB (Linux ru_maxrss).
PEAK = ("import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def env_for(url: str) -> dict[str, str]:
    return {**os.environ, "TRACKER_DATABASE_URL": url, "PAGER": "cat"}


def first_row(url: str) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen([TRACKER, "contact", "list", "--format", "csv"],
                            stdout=subprocess.PIPE, env=env_for(url))
    assert proc.stdout is not None
    proc.stdout.readline()  # the header
    proc.stdout.readline()  # the first row
    seconds = time.perf_counter() - t0
    proc.kill()
    proc.wait()
    return seconds


def start_up(url: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([TRACKER, "show", "C-000001"], check=True, capture_output=True,
                   env=env_for(url))
    return time.perf_counter() - t0


def whole_list(url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PEAK, TRACKER, "contact", "list", "--format",
                          "csv"], check=True, capture_output=True, text=True, env=env_for(url))
    return time.perf_counter() - t0, int(out.stdout.strip())


def month_list(url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    out = subprocess.run([TRACKER, "contact", "list", "--month", MONTH, "--format", "csv"],
                         check=True, capture_output=True, text=True, env=env_for(url))
    return time.perf_counter() - t0, out.stdout.count("\n") - 1


def best(fn, runs: int = 3):  # type: ignore[no-untyped-def]
    results = [fn() for _ in range(runs)]
    return min(results, key=lambda r: r[0] if isinstance(r, tuple) else r)


def measure(engine_name: str, sizes: list[int], month_sizes: list[int],
            keep: Path | None) -> None:
    print(f"{engine_name}:", flush=True)
    per_row = None
    base_month = None
    memory: dict[int, int] = {}
    for size in sorted(set(sizes) | set(month_sizes)):
        url, cleanup = bench_db(engine_name, size, size // 10, keep)
        try:
            if size in sizes:
                first = statistics.median(first_row(url) for _ in range(5))
                boot = statistics.median(start_up(url) for _ in range(5))
                seconds, rss = whole_list(url)
                rows = size + 285
                memory[size] = rss
                if per_row is None:
                    per_row = seconds / rows
                print(f"  {size:>10,} contacts: first row {first:6.3f} s ({boot:5.3f} s for "
                      f"`show`); whole list {seconds:7.2f} s, {rows / seconds:9,.0f} rows/s, "
                      f"peak RSS {rss / 1024:6.1f} MiB", flush=True)
            if size in month_sizes:
                seconds, rows = best(lambda u=url: month_list(u))
                if base_month is None:
                    base_month = seconds
                line = (f"  {size:>10,} contacts: --month {MONTH} {seconds:6.3f} s, "
                        f"{rows:,} rows")
                if per_row is not None:
                    expected = 2 * base_month + rows * per_row
                    line += f"   (expected at most {expected:6.3f} s)"
                print(line, flush=True)
        finally:
            cleanup()
    if len(memory) > 1:
        low, high = min(memory), max(memory)
        print(f"  peak memory {high:,} vs {low:,} contacts: "
              f"{memory[high] / memory[low]:4.2f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="Keep the filled databases (SQLite files in DIR) for later runs.")
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--month-sizes", default="10000,1000000,10000000")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    month_sizes = [int(x) for x in args.month_sizes.split(",") if x]
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for engine_name in engines:
        measure(engine_name, sizes, month_sizes, args.keep)


if __name__ == "__main__":
    main()
