"""Spreading a count known only over a date interval across the months it covers.

Used only when the analyst asks for estimates (``--spread apportion``); the shares are whole
numbers by the largest-remainder method, so they always sum exactly to the count.
"""

from __future__ import annotations

import datetime as dt

from tracker.services.dates import month_bounds


def months_covered(start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    """(``YYYY-MM``, days of the interval in that month), in order."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first, last = month_bounds(year, month)
        days = (min(last, end) - max(first, start)).days + 1
        months.append((f"{year:04d}-{month:02d}", days))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def largest_remainder(count: int, weights: list[int]) -> list[int]:
    """Whole shares of ``count`` proportional to ``weights``; ties go to the earlier weight."""
    total = sum(weights)
    if total <= 0:
        raise ValueError("weights must have a positive sum")
    exact = [count * w for w in weights]  # numerators over ``total``: exact integer arithmetic
    shares = [e // total for e in exact]
    leftover = count - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] % total), i))
    for i in order[:leftover]:
        shares[i] += 1
    return shares


def apportion(count: int, start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    months = months_covered(start, end)
    shares = largest_remainder(count, [days for _, days in months])
    return [(label, share) for (label, _), share in zip(months, shares, strict=True)]
