"""The summary: held contacts by kind with the meetings subtotal and by initiating side,
contacts that were not held by outcome, messages by direction, staff per side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from tracker.services.dates import as_of_cutoff, make_period
from tracker.services.records.verify import log_state
from tracker.services.reports.counting import (
    GroupCounts,
    SummaryCounts,
    contact_totals,
    group_counts,
    straddling_counts,
    summary_counts,
)
from tracker.services.reports.dimensions import dimensions
from tracker.services.reports.report import Report, left_out_note


def summary_report(session: Session, *, start: str | None = None, end: str | None = None,
                   as_of: str | None = None, by: Sequence[str] | None = None) -> Report:
    period, cutoff = make_period(start, end), as_of_cutoff(as_of)
    if by:
        dims = dimensions(by)
        groups = group_counts(session, period, cutoff, dims)
        straddling = straddling_counts(session, period, cutoff)
        return Report(grouped_frame(groups, [d.name for d in dims]),
                      notes=left_out_note(*straddling), log=log_state(session))
    counts = summary_counts(session, period, cutoff)
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
            "by_initiator": dict(s.initiated),
            "not_held": dict(s.not_held),
        },
        "messages": {"total": s.messages, "by_direction": dict(s.directions)},
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
    sides = {c.side: c.name for c in s.staff}
    rows.extend(("initiated", side, f"initiated by {sides[side]}" if side in sides
                 else "initiator not recorded", n) for side, n in s.initiated.items())
    rows.extend(("not-held", code, s.outcome_names.get(code, code), n)
                for code, n in s.not_held.items())
    rows.append(("messages", "total", "messages and documents", s.messages))
    for way, n in s.directions.items():
        ends = way.split("->")
        name = (f"{sides.get(ends[0], ends[0])} to {sides.get(ends[1], ends[1])}"
                if len(ends) == 2 else "direction not recorded")
        rows.append(("messages", way, name, n))
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




def grouped_frame(g: GroupCounts, names: list[str]) -> pd.DataFrame:
    """``--by``: one row per group (labels in sorted order), held contacts per kind, the
    meetings subtotal, all held contacts, not-held contacts and messages. Every record is in
    exactly one group, so each column sums to the plain summary's figure."""
    kind_codes = [k.code for k in g.kinds]
    meeting_codes = [k.code for k in g.kinds if k.is_meeting]
    table: list[dict[str, Any]] = []
    for label in sorted({*g.contacts, *g.not_held, *g.messages}):
        by_kind = g.contacts.get(label, {})
        groups: dict[str, Any] = dict(zip(names, label, strict=True))
        table.append({
            **groups,
            **{code: by_kind.get(code, 0) for code in kind_codes},
            "meetings": sum(by_kind.get(code, 0) for code in meeting_codes),
            "contacts": sum(by_kind.get(code, 0) for code in kind_codes),
            "not_held": g.not_held.get(label, 0),
            "messages": g.messages.get(label, 0),
        })
    columns = [*names, *kind_codes, "meetings", "contacts", "not_held", "messages"]
    frame = pd.DataFrame(table, columns=columns)
    return frame.astype({c: "int64" for c in columns[len(names):]})
