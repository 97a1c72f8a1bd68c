"""Shaping the small results of ``report_queries`` into tables (pandas lives here only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from tracker.services.apportion import apportion, months_covered
from tracker.services.periods import Period
from tracker.services.report_queries import MonthCounts, SummaryCounts, contact_totals

SPREADS = ("separate", "apportion")


def summary_document(s: SummaryCounts) -> dict[str, Any]:
    """The summary as a nested mapping: the JSON format, and the source of the table."""
    meetings, total = contact_totals(s.kinds, s.contacts)
    doc: dict[str, Any] = {
        "period": {"from": _iso(s.period.start), "to": _iso(s.period.end)},
        # the cut-off is the midnight after the asked day
        "as_of": (s.as_of - dt.timedelta(days=1)).date().isoformat() if s.as_of else None,
        "contacts": {
            "by_kind": {k.code: s.contacts[k.code] for k in s.kinds},
            "meetings": meetings,
            "total": total,
        },
        "messages": {"total": s.messages},
        "staff": {c.side: c.in_service for c in s.staff},
    }
    if any(c.start_unknown for c in s.staff):
        doc["staff_start_unknown"] = {c.side: c.start_unknown for c in s.staff}
    if not s.period.is_open:
        doc["left_out_straddling"] = {
            "contacts": s.straddling_contacts, "messages": s.straddling_messages,
        }
    return doc


def summary_frame(s: SummaryCounts) -> pd.DataFrame:
    doc = summary_document(s)
    contacts = doc["contacts"]
    rows: list[tuple[str, str, str, int]] = []
    for k in s.kinds:
        if k.is_meeting:
            rows.append(("contacts", k.code, k.name, s.contacts[k.code]))
    rows.append(("contacts", "meetings", "meetings (subtotal)", contacts["meetings"]))
    for k in s.kinds:
        if not k.is_meeting:
            rows.append(("contacts", k.code, k.name, s.contacts[k.code]))
    rows.append(("contacts", "total", "all contacts", contacts["total"]))
    rows.append(("messages", "total", "messages and documents", s.messages))
    rows.extend(("staff", c.side, f"{c.name}: in service", c.in_service) for c in s.staff)
    rows.extend(("staff", f"{c.side}?", f"{c.name}: start of service unknown", c.start_unknown)
                for c in s.staff if "staff_start_unknown" in doc)
    if "left_out_straddling" in doc:
        rows.append(("left-out", "contacts", "interval crosses the period's edge",
                     s.straddling_contacts))
        rows.append(("left-out", "messages", "interval crosses the period's edge",
                     s.straddling_messages))
    return pd.DataFrame(rows, columns=["section", "item", "name", "count"])


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


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
