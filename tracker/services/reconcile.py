"""Checking reported figures against the log.

A figure "metric = value as of D" is compared with the current versions of the records that
took place by D (their whole interval ends on or before D). Staff figures are compared with
the staff in service on D; posts whose start is unknown make the log's count a range.

Statuses: ``agrees``; ``disagrees`` (the only one that fails the reconciliation);
``sources disagree`` (several sources give different values for the same metric and day:
every claim is shown as it is, none averaged or picked); ``expectation`` (a plan or forecast,
shown but not checked); ``log cannot tell`` (the claim lies within the log's range);
``not in log`` (a metric the log does not record).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from tracker.errors import RejectedError, UsageError
from tracker.models import ReportedFigure, Side, Source
from tracker.services.clock import utcnow
from tracker.services.logbook import clean_clerk, clean_text
from tracker.services.periods import parse_day
from tracker.services.report_queries import (
    contact_kinds,
    contact_totals,
    net_counts,
    staff_in_service,
)

COLUMNS = ["metric", "as_of", "reported", "qualifier", "logged", "difference", "status",
           "source"]
FAILING = "disagrees"
QUALIFIERS = ("exact", "about", "expected")
VALUE = re.compile(r"^\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?$")


def checkable_metrics(session: Session) -> list[str]:
    kinds = [f"contacts.{k.code}" for k in contact_kinds(session)]
    sides = [f"staff.{code}" for code in session.scalars(select(Side.code).order_by(Side.code))]
    return ["contacts.total", "contacts.meetings", *kinds, "messages.total", *sides]


def logged_values(session: Session, as_of: dt.date) -> dict[str, tuple[int, int]]:
    """Every checkable metric as the log has it for ``as_of``: a (low, high) range.

    Counts of records are exact (low == high); a staff count is a range when some posts'
    start of service is unknown.
    """
    from tracker.models import ContactVersion, MessageVersion

    def by_then(v: Any) -> list[ColumnElement[bool]]:
        return [v.date_to <= as_of]

    kinds = contact_kinds(session)
    by_kind = {k: int(n) for k, n in session.execute(
        net_counts(ContactVersion, ["kind_code"], None, by_then))}
    counts = {f"contacts.{k.code}": by_kind.get(k.code, 0) for k in kinds}
    counts["contacts.meetings"], counts["contacts.total"] = contact_totals(kinds, by_kind)
    counts["messages.total"] = int(
        session.execute(net_counts(MessageVersion, [], None, by_then)).scalar() or 0)
    values = {metric: (n, n) for metric, n in counts.items()}
    for staff in staff_in_service(session, as_of, None):
        values[f"staff.{staff.side}"] = (staff.in_service,
                                         staff.in_service + staff.start_unknown)
    return values


@dataclass
class Reconciliation:
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def disagreeing(self) -> list[str]:
        return sorted({r["metric"] for r in self.rows if r["status"] == FAILING})


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def reconcile(session: Session) -> Reconciliation:
    figures = session.execute(
        select(ReportedFigure, Source)
        .join(Source, Source.id == ReportedFigure.source_id)
        .order_by(ReportedFigure.metric, ReportedFigure.as_of, ReportedFigure.id)
    ).all()
    claims: dict[tuple[str, dt.date], set[tuple[int, int]]] = {}
    for figure, _ in figures:
        claims.setdefault((figure.metric, figure.as_of), set()).add(
            (figure.value_low, figure.value_high))
    checkable = set(checkable_metrics(session))
    logged_by_date: dict[dt.date, dict[str, tuple[int, int]]] = {}
    result = Reconciliation()
    for figure, source in figures:
        low, high = figure.value_low, figure.value_high
        row: dict[str, Any] = {
            "metric": figure.metric, "as_of": figure.as_of, "reported": _range(low, high),
            "qualifier": figure.qualifier, "logged": None, "difference": None,
            "source": _source_label(source),
        }
        result.rows.append(row)
        if figure.metric not in checkable:
            row["status"] = "not in log"
            continue
        if figure.as_of not in logged_by_date:
            logged_by_date[figure.as_of] = logged_values(session, figure.as_of)
        log_low, log_high = logged_by_date[figure.as_of][figure.metric]
        row["logged"] = _range(log_low, log_high)
        if log_low == log_high:
            row["difference"] = (0 if low <= log_low <= high
                                 else log_low - (low if log_low < low else high))
        overlaps = low <= log_high and log_low <= high
        if len(claims[(figure.metric, figure.as_of)]) > 1:
            row["status"] = "sources disagree"
        elif figure.qualifier == "expected":
            row["status"] = "expectation"
        elif row["difference"] == 0:
            row["status"] = "agrees"
        elif row["difference"] is None and overlaps:
            row["status"] = "log cannot tell"
        else:
            row["status"] = FAILING
    return result


def _source_label(source: Source) -> str:
    parts = [p for p in (source.publisher, source.title) if p]
    date = f" ({source.published_on})" if source.published_on else ""
    return ", ".join(parts) + date


def parse_value(value: str) -> tuple[int, int]:
    match = VALUE.match(value)
    if not match:
        raise UsageError(f"--value: '{value}' is not a whole number or a range like 15-20")
    low = int(match[1])
    high = int(match[2]) if match[2] else low
    if high < low:
        raise UsageError(f"--value: the range {value} runs backwards")
    return low, high


def add_figure(session: Session, *, metric: str, value: str, as_of: str, source: str,
               qualifier: str = "exact", note: str | None = None,
               clerk: str) -> ReportedFigure:
    """Record a figure someone published, with its source, for ``reconcile`` to check."""
    metrics = checkable_metrics(session)
    if metric not in metrics:
        raise UsageError(f"--metric: '{metric}' is not one the log can check; "
                         f"choose one of: {', '.join(metrics)}")
    if qualifier not in QUALIFIERS:
        raise UsageError(f"--qualifier: '{qualifier}' is not one of {', '.join(QUALIFIERS)}")
    low, high = parse_value(value)
    day = parse_day(as_of, field="--as-of")
    source_text = clean_text(source, "--source", required=True, max_len=500)
    found = session.scalar(select(Source).where(Source.key == source_text))
    if found is None:  # a description: the same words name the same source, and only those
        key = "user:" + hashlib.sha256(source_text.encode()).hexdigest()[:32]
        found = session.scalar(select(Source).where(Source.key == key))
    if found is None:
        found = Source(key=key, title=source_text)
        session.add(found)
        session.flush()
    duplicate = session.scalar(select(ReportedFigure.id).where(
        ReportedFigure.metric == metric, ReportedFigure.as_of == day,
        ReportedFigure.source_id == found.id, ReportedFigure.qualifier == qualifier,
        ReportedFigure.value_low == low, ReportedFigure.value_high == high))
    if duplicate is not None:
        raise RejectedError(f"--value: this figure is already recorded (figure {duplicate})")
    figure = ReportedFigure(metric=metric, value_low=low, value_high=high, qualifier=qualifier,
                            as_of=day, source_id=found.id, note=clean_text(note, "--note"),
                            recorded_at=utcnow(), recorded_by=clean_clerk(clerk))
    session.add(figure)
    session.flush()
    return figure
