"""When a contact or message took place: ``--on`` [``--until``] into a date interval.

Accepted: ``YYYY-MM-DD``, ``today``, ``yesterday``, or a month ``YYYY-MM`` (the whole month).
A date known only to a period is ``--on START --until END``; an exact day is ``from == to``.
"""

from __future__ import annotations

import datetime as dt

from tracker.errors import RejectedError, UsageError
from tracker.services.clock import local_today
from tracker.services.periods import DAY, MONTH, month_bounds


def parse_day_or_month(value: str, *, field: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The interval a single date expression denotes."""
    text = value.strip().lower()
    if text == "today":
        return today, today
    if text == "yesterday":
        day = today - dt.timedelta(days=1)
        return day, day
    month = MONTH.match(text)
    try:
        if month:
            first, last = month_bounds(int(month[1]), int(month[2]))
            # The current month: what has happened in it happened by today.
            return first, min(last, today) if first <= today else last
        if DAY.match(text):
            day = dt.date.fromisoformat(text)
            return day, day
    except ValueError:
        raise UsageError(f"{field}: '{value}' is not a real date") from None
    raise UsageError(
        f"{field}: '{value}' is not a date (YYYY-MM-DD, YYYY-MM, today or yesterday)"
    )


def event_interval(on: str, until: str | None = None, *, allow_future: bool = False,
                   today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or local_today()
    start, end = parse_day_or_month(on, field="--on", today=today)
    if until is not None:
        until_start, end = parse_day_or_month(until, field="--until", today=today)
        if end < start:
            raise RejectedError(f"--until: {until_start} is before --on {start}")
    if end > today and not allow_future:
        raise RejectedError(
            f"--{'until' if until is not None else 'on'}: {end} is in the future "
            f"(today is {today}); pass --allow-future to log a planned date"
        )
    return start, end
