"""Without PostgreSQL the database tests skip with a reason, except under CI=true: then fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/test"


def run_pg_test(ci: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": ci, "TRACKER_TEST_POSTGRES_URL": UNREACHABLE}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "tests/test_seed.py::test_seeded_rows"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


def test_unreachable_postgres_skips_locally_with_the_reason():
    out = run_pg_test("")
    assert out.returncode == 0, out.stdout
    assert "1 passed, 1 skipped" in out.stdout
    assert "PostgreSQL not reachable at" in out.stdout


def test_unreachable_postgres_fails_under_ci():
    out = run_pg_test("true")
    assert out.returncode != 0
    assert "CI=true but PostgreSQL not reachable" in out.stdout
