"""Report periods and record-time cut-offs: what ``--from``/``--to``/``--as-of`` mean."""

from __future__ import annotations

import calendar
import datetime as dt
import re
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


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_day(value: str, *, field: str) -> dt.date:
    """Strictly ``YYYY-MM-DD`` (``date.fromisoformat`` alone also takes ``20181220``)."""
    text = value.strip()
    try:
        if DAY.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{field}: '{value}' is not a real date") from None
    raise UsageError(f"{field}: '{value}' is not a date (YYYY-MM-DD)")


def parse_bound(value: str, *, field: str, end: bool) -> dt.date:
    """A day ``YYYY-MM-DD`` or a month ``YYYY-MM`` (its first or last day)."""
    month = MONTH.match(value.strip())
    if month:
        try:
            first, last = month_bounds(int(month[1]), int(month[2]))
        except ValueError:
            raise UsageError(f"{field}: '{value}' is not a real month") from None
        return last if end else first
    if DAY.match(value.strip()):
        return parse_day(value, field=field)
    raise UsageError(f"{field}: '{value}' is not a date (YYYY-MM-DD) or a month (YYYY-MM)")


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
    day = parse_day(value, field="--as-of")
    if day == dt.date.max:
        return None  # the end of time: everything recorded so far
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
