"""The monthly report: one row per calendar month, period-only records apart or apportioned."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from tracker.errors import UnknownChoice
from tracker.services.dates import Period, as_of_cutoff, make_period
from tracker.services.records.verify import log_state
from tracker.services.reports.apportion import apportion, months_covered
from tracker.services.reports.counting import MonthCounts, month_counts
from tracker.services.reports.report import Report, left_out_note

SPREADS = ("separate", "apportion")


def monthly_report(session: Session, *, start: str | None = None, end: str | None = None,
                   as_of: str | None = None, spread: str = "separate") -> Report:
    if spread not in SPREADS:
        raise UnknownChoice(spread, SPREADS, field="spread")
    period = make_period(start, end)
    counts = month_counts(session, period, as_of_cutoff(as_of))
    return Report(
        monthly_frame(counts, period, spread),
        notes=left_out_note(counts.straddling_contacts, counts.straddling_messages),
        log=log_state(session),
    )


def monthly_frame(mc: MonthCounts, period: Period, spread: str = "separate") -> pd.DataFrame:
    """One row per month (and per period-only interval, or per estimated month).

    Columns: ``period``, one per contact kind, ``meetings``, ``contacts``, ``messages``,
    ``estimated``. A group whose interval lies in one month is exact. A group spanning months
    is a row of its own labelled ``FROM/TO``; with ``spread="apportion"`` it is spread over
    its months instead, in rows marked ``estimated``. Rows are in date order, an exact month
    before its estimates.

    The few hundred groups are summed in plain dicts; pandas only holds the finished table.
    """
    kind_codes = [k.code for k in mc.kinds]
    value_columns = [*kind_codes, "messages"]
    # (start, end, estimated) -> label and counts per column; an exact month has end ""
    rows: dict[tuple[str, str, bool], dict[str, Any]] = {}

    def add(key: tuple[str, str, bool], label: str, column: str, count: int) -> None:
        row = rows.setdefault(key, {"period": label, **dict.fromkeys(value_columns, 0)})
        row[column] += count

    def place(month: str | None, start: Any, end: Any, column: str, count: int) -> None:
        if month is not None:
            add((month, "", False), month, column, count)
        elif spread == "apportion":
            for label, share in apportion(count, start, end):
                add((label, "", True), label, column, share)
        else:
            add((start.isoformat(), end.isoformat(), False), f"{start}/{end}", column, count)

    for month, start, end, kind, count in mc.contacts:
        place(month, start, end, kind, count)
    for month, start, end, count in mc.messages:
        place(month, start, end, "messages", count)
    present = {key[0] for key in rows if not key[1]}
    for month in _months_to_show(present, period):
        if month not in present:
            add((month, "", False), month, "messages", 0)

    meeting_codes = [k.code for k in mc.kinds if k.is_meeting]
    table = []
    for key in sorted(rows):
        row = rows[key]
        table.append({
            "period": row["period"],
            **{code: row[code] for code in kind_codes},
            "meetings": sum(row[code] for code in meeting_codes),
            "contacts": sum(row[code] for code in kind_codes),
            "messages": row["messages"],
            "estimated": key[2],
        })
    columns = ["period", *kind_codes, "meetings", "contacts", "messages", "estimated"]
    frame = pd.DataFrame(table, columns=columns)
    return frame.astype({**{c: "int64" for c in columns[1:-1]}, "estimated": bool})


def _months_to_show(months: set[str], period: Period) -> list[str]:
    """Every month of the asked period, or of the span of exact months: no silent gaps."""
    first = period.start or (_month_start(min(months)) if months else None)
    last = period.end or (_month_start(max(months)) if months else None)
    if first is None or last is None:
        return []
    return [month for month, _ in months_covered(first, last)]


def _month_start(label: str) -> dt.date:
    return dt.date.fromisoformat(f"{label}-01")
