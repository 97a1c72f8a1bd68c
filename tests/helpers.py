"""Helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import tracker.clock


@contextmanager
def pinned_clock(iso: str) -> Iterator[None]:
    """Run the block with tracker's clock at ``iso`` (naive UTC), then restore it."""
    previous = tracker.clock._pinned
    tracker.clock._pinned = dt.datetime.fromisoformat(iso)
    try:
        yield
    finally:
        tracker.clock._pinned = previous
