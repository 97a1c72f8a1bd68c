"""The one source of "now" for record times, so tests can pin it."""

from __future__ import annotations

import datetime as dt
import os


def utcnow() -> dt.datetime:
    """Naive UTC, as stored. ``TRACKER_NOW`` (ISO) pins it for tests and reproducible demos."""
    pinned = os.environ.get("TRACKER_NOW")
    if pinned:
        return dt.datetime.fromisoformat(pinned)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_today() -> dt.date:
    """The clerk's calendar day: what "today", "yesterday" and "in the future" refer to."""
    pinned = os.environ.get("TRACKER_NOW")
    if pinned:
        return dt.datetime.fromisoformat(pinned).date()
    return dt.date.today()
