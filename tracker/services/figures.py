"""Figures a source published about the office, recorded for ``reconcile`` to check."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.db.locks import exclusive
from tracker.errors import BadValue, DuplicateFigure, UnknownChoice
from tracker.models import ReportedFigure, Source
from tracker.services.dates import parse_day
from tracker.services.records.text import clean_clerk, clean_text, required_text
from tracker.services.reports.reconcile import checkable_metrics

QUALIFIERS = ("exact", "about", "expected")
VALUE = re.compile(r"^\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?$")


def parse_value(value: str) -> tuple[int, int]:
    match = VALUE.match(value)
    if not match:
        raise BadValue(f"'{value}' is not a whole number or a range like 15-20", field="value")
    low = int(match[1])
    high = int(match[2]) if match[2] else low
    if high < low:
        raise BadValue(f"the range {value} runs backwards", field="value")
    return low, high


def add_figure(session: Session, *, metric: str, value: str, as_of: str, source: str,
               qualifier: str = "exact", note: str | None = None,
               clerk: str) -> ReportedFigure:
    """Record a figure someone published, with its source, for ``reconcile`` to check."""
    metrics = checkable_metrics(session)
    if metric not in metrics:
        raise UnknownChoice(metric, metrics, field="metric", what="is not one the log can check")
    if qualifier not in QUALIFIERS:
        raise UnknownChoice(qualifier, QUALIFIERS, field="qualifier")
    low, high = parse_value(value)
    day = parse_day(as_of, field="as_of")
    source_text = required_text(source, "source", max_len=500)
    exclusive(session, "figure")  # two clerks adding the same new source or figure at once
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
        raise DuplicateFigure(f"this figure is already recorded (figure {duplicate})",
                              field="value")
    figure = ReportedFigure(metric=metric, value_low=low, value_high=high, qualifier=qualifier,
                            as_of=day, source_id=found.id, note=clean_text(note, "note"),
                            recorded_at=utcnow(), recorded_by=clean_clerk(clerk))
    session.add(figure)
    session.flush()
    return figure


