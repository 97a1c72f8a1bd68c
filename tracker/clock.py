"""The one source of "now" for record times and of "today" for the clerk's dates.

The installed program always reads the system clock: a record time is evidence in a
hash-chained log, so no environment variable may change it. Tests pin the clock in-process
(``tests/helpers.py: pinned_clock`` sets ``_pinned``).
"""

from __future__ import annotations

import datetime as dt

_pinned: dt.datetime | None = None  # set by tests only (tests/conftest.py, fixture ``clock``)


def utcnow() -> dt.datetime:
    """Naive UTC, as stored."""
    if _pinned is not None:
        return _pinned
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_today() -> dt.date:
    """The clerk's calendar day: what "today", "yesterday" and "in the future" refer to."""
    if _pinned is not None:
        return _pinned.date()
    return dt.date.today()
