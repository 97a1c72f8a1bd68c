"""Every date the user types: event dates (``--on``/``--until``), report periods
(``--from``/``--to``/``--month``) and record-time cut-offs (``--as-of``).

Accepted forms: a day ``YYYY-MM-DD`` and a month ``YYYY-MM`` everywhere; ``today`` and
``yesterday`` for event dates. ``date.fromisoformat`` alone would also take ``20181220``, so
the shape is checked first.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from tracker.clock import local_today
from tracker.errors import (
    BadDate,
    DateInFuture,
    EndBeforeStart,
    NotADay,
    PeriodEndBeforeStart,
)

MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


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


def _not_real(value: str, field: str, what: str = "date") -> BadDate:
    return BadDate(f"'{value}' is not a real {what}", field=field)


def _day(text: str, value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _not_real(value, field) from None


def _month(match: re.Match[str], value: str, field: str, what: str) -> tuple[dt.date, dt.date]:
    try:
        return month_bounds(int(match[1]), int(match[2]))
    except ValueError:
        raise _not_real(value, field, what) from None


def parse_day(value: str, *, field: str) -> dt.date:
    """Strictly one day, ``YYYY-MM-DD``."""
    text = value.strip()
    if DAY.match(text):
        return _day(text, value, field)
    raise BadDate(f"'{value}' is not a date (YYYY-MM-DD)", field=field)


def parse_bound(value: str, *, field: str, end: bool) -> dt.date:
    """A period's bound: a day, or a month (its first day, or its last with ``end``)."""
    text = value.strip()
    month = MONTH.match(text)
    if month:
        first, last = _month(month, value, field, "month")
        return last if end else first
    if DAY.match(text):
        return _day(text, value, field)
    raise BadDate(f"'{value}' is not a date (YYYY-MM-DD) or a month (YYYY-MM)", field=field)


def parse_day_or_month(value: str, *, field: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The interval one event-date expression denotes (a day: ``from == to``)."""
    text = value.strip().lower()
    if text == "today":
        return today, today
    if text == "yesterday":
        day = today - dt.timedelta(days=1)
        return day, day
    month = MONTH.match(text)
    if month:
        first, last = _month(month, value, field, "date")
        # The current month: what has happened in it happened by today.
        return first, min(last, today) if first <= today else last
    if DAY.match(text):
        day = _day(text, value, field)
        return day, day
    raise BadDate(f"'{value}' is not a date (YYYY-MM-DD, YYYY-MM, today or yesterday)",
                  field=field)


def event_interval(on: str, until: str | None = None, *, allow_future: bool = False,
                   today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """When a contact or message took place: ``on`` [``until``] as a date interval."""
    today = today or local_today()
    start, end = parse_day_or_month(on, field="on", today=today)
    if until is not None:
        until_start, end = parse_day_or_month(until, field="until", today=today)
        if end < start:
            raise EndBeforeStart(until_start, start, field="until", start_field="on")
    if end > today and not allow_future:
        raise DateInFuture(end, today, field="until" if until is not None else "on",
                           override="allow_future")
    return start, end


def one_day(value: str, *, field: str) -> dt.date:
    """A single past or present day (a month is refused: it is not one day)."""
    today = local_today()
    start, end = parse_day_or_month(value, field=field, today=today)
    if start != end:
        raise NotADay(f"'{value}' is a month; give the day (YYYY-MM-DD)", field=field)
    if start > today:
        raise DateInFuture(start, today, field=field)
    return start


def make_period(start: str | None, end: str | None, *, start_field: str = "from",
                end_field: str = "to") -> Period:
    period = Period(
        parse_bound(start, field=start_field, end=False) if start else None,
        parse_bound(end, field=end_field, end=True) if end else None,
    )
    if period.start and period.end and period.end < period.start:
        raise PeriodEndBeforeStart(period.end, period.start, field=end_field,
                                   start_field=start_field)
    return period


def month_period(month: str, *, field: str = "month") -> Period:
    return Period(parse_bound(month, field=field, end=False),
                  parse_bound(month, field=field, end=True))


def as_of_cutoff(value: str | None) -> dt.datetime | None:
    """``--as-of DAY``: everything recorded before the following midnight (UTC)."""
    if value is None:
        return None
    day = parse_day(value, field="as_of")
    if day == dt.date.max:
        return None  # the end of time: everything recorded so far
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
