"""A missing prerequisite skips with a reason, except under CI=true: then it fails.

Two prerequisites: a reachable PostgreSQL for the database tests, and the source articles
(``../shared/seeds``) for the checks of the seed files against them.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import ROOT

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/test"


def run_pytest(ci: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *args],
        cwd=ROOT, env={**os.environ, "CI": ci, **env}, capture_output=True, text=True,
    )


def run_pg_test(ci: str) -> subprocess.CompletedProcess[str]:
    return run_pytest(ci, "tests/test_cli_seed.py::test_seeded_rows",
                      TRACKER_TEST_POSTGRES_URL=UNREACHABLE)


def test_unreachable_postgres_skips_locally_with_the_reason():
    out = run_pg_test("")
    assert out.returncode == 0, out.stdout
    assert "1 passed, 1 skipped" in out.stdout
    assert "PostgreSQL not reachable at" in out.stdout


def test_unreachable_postgres_fails_under_ci():
    out = run_pg_test("true")
    assert out.returncode != 0
    assert "CI=true but PostgreSQL not reachable" in out.stdout


def run_article_tests(ci: str, tmp_path) -> subprocess.CompletedProcess[str]:
    missing = tmp_path / "no-such-folder"
    return run_pytest(ci, "tests/test_cli_seed.py",
                      "-k", "take_facts_not_sentences or an_article_that_exists",
                      TRACKER_TEST_SHARED_SEEDS=str(missing))


def test_missing_source_articles_skip_locally_with_the_reason(tmp_path):
    out = run_article_tests("", tmp_path)
    assert out.returncode == 0, out.stdout
    assert "2 skipped" in out.stdout and "passed" not in out.stdout, out.stdout
    assert "source articles not found" in out.stdout


def test_missing_source_articles_fail_under_ci(tmp_path):
    out = run_article_tests("true", tmp_path)
    assert out.returncode != 0
    assert "2 failed" in out.stdout, out.stdout
    assert "CI=true but source articles not found" in out.stdout


def test_test_modules_import_only_the_shared_helpers():
    """A helper lives in tests/helpers.py once; no test module borrows from another."""
    import ast

    allowed = {"tests.helpers", "tests.conftest"}
    borrowed = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            borrowed += [(path.name, n) for n in names
                         if n.split(".")[0] == "tests" and n not in allowed]
    assert borrowed == []
