"""Report builders: run the GROUP BY queries, shape the result, say what was left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from tracker.errors import UsageError
from tracker.services.periods import as_of_cutoff, make_period
from tracker.services.report_frames import SPREADS, monthly_frame, summary_document, summary_frame
from tracker.services.report_queries import month_counts, summary_counts


@dataclass
class Report:
    frame: pd.DataFrame
    document: Any = None  # JSON shape, when it is not simply the table's rows
    notes: list[str] = field(default_factory=list)  # said on stderr: what was left out


def _left_out_note(contacts: int, messages: int) -> list[str]:
    if not contacts and not messages:
        return []
    return [
        f"left out {contacts} contacts and {messages} messages whose dates cross the period's "
        "edge (not split by guesswork; widen --from/--to to include them)"
    ]


def summary_report(session: Session, *, start: str | None = None, end: str | None = None,
                   as_of: str | None = None) -> Report:
    counts = summary_counts(session, make_period(start, end), as_of_cutoff(as_of))
    return Report(
        summary_frame(counts),
        summary_document(counts),
        _left_out_note(counts.straddling_contacts, counts.straddling_messages),
    )


def monthly_report(session: Session, *, start: str | None = None, end: str | None = None,
                   as_of: str | None = None, spread: str = "separate") -> Report:
    if spread not in SPREADS:
        raise UsageError(f"--spread: '{spread}' is not one of {', '.join(SPREADS)}")
    period = make_period(start, end)
    counts = month_counts(session, period, as_of_cutoff(as_of))
    return Report(
        monthly_frame(counts, period, spread),
        notes=_left_out_note(counts.straddling_contacts, counts.straddling_messages),
    )


def reconcile_report(session: Session) -> tuple[Report, list[str]]:
    """The reconciliation table and the metrics that disagree with the log."""
    from tracker.services.reconcile import COLUMNS, reconcile

    result = reconcile(session)
    frame = pd.DataFrame(result.rows, columns=COLUMNS).astype({"difference": "Int64"})
    return Report(frame), result.disagreeing
