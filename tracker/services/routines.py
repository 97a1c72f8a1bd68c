"""Routines and the check for the periods where one is missing (as ``timew gaps`` lists
untracked time).

A routine says a contact of one kind happens every day, week or month from a day on. Weeks
are counted from that day (a routine from Friday 2018-09-14 has weeks Friday to Thursday),
months are calendar months. For each period the log says one of three things:

- ``held``: a held contact of the kind is dated inside the period;
- ``cannot tell``: none is, but a contact of the kind known only to a longer interval
  overlaps the period, so it may have been held then (the seeded totals are such records);
- ``missing``: nothing of the kind touches the period.

A period that has not ended yet is not judged. Only current, non-void, held contacts count.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from tracker.clock import local_today, utcnow
from tracker.errors import NothingToCorrect, UnknownChoice
from tracker.models import ContactVersion, Routine, RoutineSource, Source
from tracker.services.dates import make_period, one_day
from tracker.services.records import resolve
from tracker.services.records.registers import CONTACTS
from tracker.services.records.text import clean_clerk, clean_text, required_text
from tracker.services.records.write import time_of_day
from tracker.services.reports.counting import held, net_counts

EVERY = ("day", "week", "month")
HELD, CANNOT_TELL, MISSING = "held", "cannot tell", "missing"


def add_routine(session: Session, *, name: str, kind: str, every: str, starts_on: str,
                at: str | None = None, sources: list[str] | None = None,
                basis: str | None = None, clerk: str, seed_key: str | None = None) -> Routine:
    """A new routine; its name must be new (a routine is never rewritten)."""
    text = required_text(name, "name", max_len=200)
    wanted = every.strip().lower()
    if wanted not in EVERY:
        raise UnknownChoice(every, EVERY, field="every")
    if session.scalar(select(Routine.id).where(Routine.name == text)) is not None:
        raise NothingToCorrect(f"a routine named '{text}' exists already", field="name")
    known = {s.key: s for s in session.scalars(select(Source))}
    for key in sources or []:
        if key not in known:
            raise UnknownChoice(key, sorted(known), field="source", what="is not a source")
    routine = Routine(name=text, kind_code=resolve.kind(session, CONTACTS, kind),
                      every=wanted, time_of_day=time_of_day(at),
                      starts_on=one_day(starts_on, field="from"),
                      basis=clean_text(basis, "basis"), seed_key=seed_key,
                      recorded_at=utcnow(), recorded_by=clean_clerk(clerk))
    session.add(routine)
    session.flush()
    session.add_all(RoutineSource(routine_id=routine.id, source_id=known[key].id)
                    for key in dict.fromkeys(sources or []))
    return routine


def list_routines(session: Session) -> list[dict[str, Any]]:
    rows = []
    for routine in session.scalars(select(Routine).order_by(Routine.id)):
        keys = session.scalars(select(Source.key).join(RoutineSource,
                                                       RoutineSource.source_id == Source.id)
                               .where(RoutineSource.routine_id == routine.id)
                               .order_by(Source.key)).all()
        rows.append({"name": routine.name, "kind": routine.kind_code, "every": routine.every,
                     "at": routine.time_of_day, "from": routine.starts_on.isoformat(),
                     "sources": list(keys), "basis": routine.basis})
    return rows


@dataclass
class RoutineCheck:
    routine: str
    every: str
    periods: list[tuple[dt.date, dt.date, str]] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for *_, s in self.periods if s == status)


def periods_of(routine: Routine, first: dt.date, last: dt.date
               ) -> list[tuple[dt.date, dt.date]]:
    """The routine's periods that overlap ``first`` … ``last`` and have ended by ``last``."""
    out: list[tuple[dt.date, dt.date]] = []
    start = routine.starts_on.replace(day=1) if routine.every == "month" else routine.starts_on
    step = {"day": 1, "week": 7}.get(routine.every)
    while start <= last:
        if step:
            end = start + dt.timedelta(days=step - 1)
            following = end + dt.timedelta(days=1)
        else:
            following = (start.replace(year=start.year + 1, month=1) if start.month == 12
                         else start.replace(month=start.month + 1))
            end = following - dt.timedelta(days=1)
        if end >= first and end <= last:
            out.append((start, end))
        start = following
    return out


def check(session: Session, *, start: str | None = None, end: str | None = None
          ) -> list[RoutineCheck]:
    """Every routine's periods between ``start`` and ``end`` (default: today), judged."""
    period = make_period(start, end)
    yesterday = local_today() - dt.timedelta(days=1)  # today is not over: not judged yet
    last = min(period.end or yesterday, yesterday)
    results = []
    for routine in session.scalars(select(Routine).order_by(Routine.id)):
        first = max(period.start or routine.starts_on, routine.starts_on)
        spans = periods_of(routine, first, last)
        result = RoutineCheck(routine.name, routine.every)
        if spans:
            result.periods = _judge(session, routine.kind_code, spans)
        results.append(result)
    return results


def _judge(session: Session, kind: str, spans: list[tuple[dt.date, dt.date]]
           ) -> list[tuple[dt.date, dt.date, str]]:
    lo, hi = spans[0][0], spans[-1][1]

    def relevant(v: Any) -> list[ColumnElement[bool]]:
        return [v.kind_code == kind, v.date_to >= lo, v.date_from <= hi, held(v)]

    intervals = [(d0, d1) for d0, d1, _ in session.execute(
        net_counts(ContactVersion, ["date_from", "date_to"], None, relevant))]
    days = sorted(d0 for d0, d1 in intervals if d0 == d1)
    longer = [(d0, d1) for d0, d1 in intervals if d0 != d1]
    judged = []
    for s, e in spans:
        at = bisect_left(days, s)
        inside_day = at < len(days) and days[at] <= e
        inside_span = any(s <= d0 and d1 <= e for d0, d1 in longer)
        if inside_day or inside_span:
            status = HELD
        elif any(d0 <= e and d1 >= s for d0, d1 in longer):
            status = CANNOT_TELL
        else:
            status = MISSING
        judged.append((s, e, status))
    return judged
