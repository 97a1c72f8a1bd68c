"""Report periods and record-time cut-offs: what ``--from``/``--to``/``--as-of`` mean."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from tracker.errors import UsageError


@dataclass(frozen=True)
class Period:
    """An inclusive range of event dates; either end may be open."""

    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.start is None and self.end is None

    def label(self) -> str:
        return f"{self.start or '…'}/{self.end or '…'}"


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_bound(value: str, *, field: str, end: bool) -> dt.date:
    """A day ``YYYY-MM-DD`` or a month ``YYYY-MM`` (its first or last day)."""
    text = value.strip()
    try:
        if len(text) == 7:
            year, month = (int(p) for p in text.split("-"))
            first, last = month_bounds(year, month)
            return last if end else first
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{field}: '{value}' is not a date (YYYY-MM-DD) or a month (YYYY-MM)") \
            from None


def make_period(start: str | None, end: str | None) -> Period:
    period = Period(
        parse_bound(start, field="--from", end=False) if start else None,
        parse_bound(end, field="--to", end=True) if end else None,
    )
    if period.start and period.end and period.end < period.start:
        raise UsageError(f"--to: {period.end} is before --from {period.start}")
    return period


def as_of_cutoff(value: str | None) -> dt.datetime | None:
    """``--as-of DAY``: everything recorded before the following midnight (UTC)."""
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--as-of: '{value}' is not a date (YYYY-MM-DD)") from None
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
