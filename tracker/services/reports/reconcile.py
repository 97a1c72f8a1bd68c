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
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from tracker.models import ContactVersion, MessageVersion, ReportedFigure, Side, Source
from tracker.services.records.verify import log_state
from tracker.services.reports.counting import (
    contact_kinds,
    contact_totals,
    held,
    net_counts,
    staff_in_service,
)
from tracker.services.reports.report import Report

COLUMNS = ["metric", "as_of", "reported", "qualifier", "logged", "difference", "status",
           "source"]
FAILING = "disagrees"


def checkable_metrics(session: Session) -> list[str]:
    kinds = [f"contacts.{k.code}" for k in contact_kinds(session)]
    sides = [f"staff.{code}" for code in session.scalars(select(Side.code).order_by(Side.code))]
    return ["contacts.total", "contacts.meetings", *kinds, "messages.total", *sides]


def logged_values(session: Session, as_of: dt.date) -> dict[str, tuple[int, int]]:
    """Every checkable metric as the log has it for ``as_of``: a (low, high) range.

    Counts of records are exact (low == high); a staff count is a range when some posts'
    start of service is unknown.
    """
    def by_then(v: Any) -> list[ColumnElement[bool]]:
        return [v.date_to <= as_of]

    def held_by_then(v: Any) -> list[ColumnElement[bool]]:
        return [v.date_to <= as_of, held(v)]  # only a held contact is a round of contact

    kinds = contact_kinds(session)
    by_kind = {k: int(n) for k, n in session.execute(
        net_counts(ContactVersion, ["kind_code"], None, held_by_then))}
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


def _range(low: int, high: int) -> int | str:
    """A number when exact (so a spreadsheet can sum it); a range stays text, ``50-60``."""
    return low if low == high else f"{low}-{high}"


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


def reconcile_report(session: Session) -> tuple[Report, list[str]]:
    """The reconciliation table and the metrics that disagree with the log."""
    result = reconcile(session)
    frame = pd.DataFrame(result.rows, columns=COLUMNS).astype({"difference": "Int64"})
    return Report(frame, log=log_state(session)), result.disagreeing
