"""Helpers shared by the test modules (fixtures live in conftest.py).

Test modules import from here and nowhere else in ``tests/``: a helper lives in this file
once, never in one test module for another to borrow.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import tracker.clock

ROOT = Path(__file__).resolve().parent.parent
UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_unless_ci(reason: str) -> None:
    """Skip with ``reason``; under ``CI=true`` a missing prerequisite fails the test instead."""
    if UNDER_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def pinned_clock(iso: str) -> Iterator[None]:
    """Run the block with tracker's clock at ``iso`` (naive UTC), then restore it."""
    previous = tracker.clock._pinned
    tracker.clock._pinned = dt.datetime.fromisoformat(iso)
    try:
        yield
    finally:
        tracker.clock._pinned = previous


class Cli:
    """Runs ``tracker --db URL …`` in-process and keeps stdout and stderr apart."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None):
        from tracker.cli import full_app

        return self.runner.invoke(full_app(), ["--db", self.url, *args], input=input, env=env)


def scalar(url: str, sql: str) -> Any:
    """The one value ``sql`` selects from the database at ``url``."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def rows_of(result) -> list[dict[str, str]]:
    """The CSV rows a successful command printed."""
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def log(cli, *args: str, now: str | None = None) -> str:
    """Run a command that must succeed (with the clock at ``now`` if given); its stdout."""
    if now is None:
        result = cli(*args)
    else:
        with pinned_clock(now):
            result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def summary_doc(cli, *args: str) -> dict:
    """``report summary --format json`` as a document."""
    result = cli("report", "summary", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def monthly_totals(cli, *args: str) -> dict[str, int]:
    """Each count column of ``report monthly``, summed over its rows."""
    result = cli("report", "monthly", "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    columns = [c for c in rows[0] if c not in ("period", "estimated")] if rows else []
    return {c: sum(int(r[c]) for r in rows) for c in columns}


def assert_monthly_sums_to_summary(cli, *args: str) -> None:
    """The monthly rows (with the same options) add up to the summary, kind by kind."""
    totals = monthly_totals(cli, *args)
    doc = summary_doc(cli, *args)
    for kind, count in doc["contacts"]["by_kind"].items():
        assert totals.get(kind, 0) == count, kind
    assert totals.get("meetings", 0) == doc["contacts"]["meetings"]
    assert totals.get("contacts", 0) == doc["contacts"]["total"]
    assert totals.get("messages", 0) == doc["messages"]["total"]


def counts(url: str) -> dict[str, int]:
    """Rows per table and the registers' counters: what any write would change."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                     for t in inspect(conn).get_table_names()}
            for register, last_no in conn.execute(
                    text("SELECT register, last_no FROM register_counter")):
                found[f"counter {register}"] = last_no
            return found
    finally:
        engine.dispose()


def has_database_open(pid: int, url: str) -> bool:
    """Whether process ``pid`` holds the database at ``url`` open: the SQLite file, or (any
    other engine) a socket."""
    from sqlalchemy import make_url

    path = os.path.realpath(make_url(url).database or "") if url.startswith("sqlite") else None
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target == path if path else target.startswith("socket:"):
            return True
    return False


def wait_for(ready: Callable[[], bool], what: str, timeout: float,
             step: float = 0.002) -> None:
    """Poll ``ready`` until it holds; fail the test with ``what`` if it never does within
    ``timeout`` seconds (a guard against hanging, not a speed check)."""
    import time

    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail(what)
        time.sleep(step)
