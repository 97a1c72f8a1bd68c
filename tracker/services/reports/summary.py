"""The summary: contacts by kind with the meetings subtotal, messages, staff per side."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from tracker.services.dates import as_of_cutoff, make_period
from tracker.services.records.verify import log_state
from tracker.services.reports.counting import SummaryCounts, contact_totals, summary_counts
from tracker.services.reports.report import Report, left_out_note


def summary_report(session: Session, *, start: str | None = None, end: str | None = None,
                   as_of: str | None = None) -> Report:
    counts = summary_counts(session, make_period(start, end), as_of_cutoff(as_of))
    return Report(
        summary_frame(counts),
        summary_document(counts),
        left_out_note(counts.straddling_contacts, counts.straddling_messages),
        log_state(session),
    )


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


