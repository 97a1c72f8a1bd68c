"""Every date the user types: event dates (``--on``/``--until``), report periods
(``--from``/``--to``/``--month``) and record-time cut-offs (``--as-of``).

One parser, ``parse_interval``, reads every form into the interval it denotes: a day
``YYYY-MM-DD`` (also ``2018-9-5``), a month ``YYYY-MM``, a quarter ``2018-Q4``, a year
``2018``, ``today``, ``yesterday``, and relative English such as ``3 days ago`` or ``last
friday``. The ISO-like forms are read by regular expressions; the natural-language parser
(dateparser) is imported only when the text has a word that is not ``today``/``yesterday``,
so a clerk's usual ``--on 2018-12-21`` costs no import. Digits in any other shape
(``2018/12/01``, ``20181220``) are refused rather than guessed.
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

DAY = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
QUARTER = re.compile(r"^([0-9]{4})-?q([1-4])$")
YEAR = re.compile(r"^([0-9]{4})$")
WORD = re.compile(r"[a-z]{3,}")
FORMS = "YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, today, yesterday, or e.g. '3 days ago'"


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


def parse_interval(value: str, *, field: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The interval one date expression denotes (a day: ``start == end``)."""
    text = value.strip().lower()
    if text == "today":
        return today, today
    if text == "yesterday":
        day = today - dt.timedelta(days=1)
        return day, day
    try:
        if match := DAY.match(text):
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            return day, day
        if match := MONTH.match(text):
            return month_bounds(int(match[1]), int(match[2]))
        if match := QUARTER.match(text):
            year, first = int(match[1]), 3 * int(match[2]) - 2
            return dt.date(year, first, 1), month_bounds(year, first + 2)[1]
        if match := YEAR.match(text):
            year = int(match[1])
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        kind = "month" if MONTH.match(text) else "date"
        raise BadDate(f"'{value}' is not a real {kind}", field=field) from None
    if WORD.search(text):  # "3 days ago", "last friday"; not "2018-12-20t00:00"
        natural = _natural(text, today)
        if natural is not None:
            return natural, natural
    raise BadDate(f"'{value}' is not a date ({FORMS})", field=field)


def _natural(text: str, today: dt.date) -> dt.date | None:
    """``3 days ago``, ``last friday`` …, relative to ``today``; None when not understood."""
    import dateparser  # only here: ISO input never pays for its import

    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    })
    return parsed.date() if parsed is not None else None


def _capped(start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """A period that has begun but not ended: what has happened in it happened by today."""
    return (start, min(end, today)) if start <= today else (start, end)


def parse_day_or_month(value: str, *, field: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """When something took place: the interval, a current month/quarter/year ending today."""
    return _capped(*parse_interval(value, field=field, today=today), today)


def parse_day(value: str, *, field: str) -> dt.date:
    """One day, in any form that denotes a single day."""
    start, end = parse_interval(value, field=field, today=local_today())
    if start != end:
        raise NotADay(f"'{value}' is a period; give the day (YYYY-MM-DD)", field=field)
    return start


def parse_bound(value: str, *, field: str, end: bool) -> dt.date:
    """A period's bound: the first day of what ``value`` denotes (its last with ``end``)."""
    first, last = parse_interval(value, field=field, today=local_today())
    return last if end else first


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
    start, end = parse_interval(value, field=field, today=today)
    if start != end:
        raise NotADay(f"'{value}' is a period; give the day (YYYY-MM-DD)", field=field)
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
    """``--as-of DAY``: everything recorded before the following midnight (UTC).

    A period (``2018-Q4``, ``2018``) means its last day.
    """
    if value is None:
        return None
    day = parse_bound(value, field="as_of", end=True)
    if day == dt.date.max:
        return None  # the end of time: everything recorded so far
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
