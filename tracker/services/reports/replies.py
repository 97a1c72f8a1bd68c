"""How fast the other side answers: replies and response times, and what is still waiting.

A reply is a current, non-void message whose ``reply_to`` names another current, non-void
message. Its time to answer is the reply's date (and time of day, when both messages have
one) minus the answered message's. A message dated only to a period has no such time: the
pair is counted as ``untimed``, never given an invented one.

``overdue_report`` lists the messages dated to a day that no reply answers (and that answer
nothing themselves), ``days`` or more days after they were sent (as of today, or of
``--as-of``): the 173 seeded messages, known only to a period, are left out of that list and
counted in a note.

SQL finds the pairs (one row per reply, a join on the reply link); the median and the 90th
percentile are computed here, because SQLite has no percentile function.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import and_, false, func, select
from sqlalchemy.orm import Session, aliased

from tracker.clock import local_today
from tracker.errors import BadValue
from tracker.models import Message, MessageVersion
from tracker.services.dates import as_of_cutoff, make_period
from tracker.services.records.registers import is_current
from tracker.services.records.verify import log_state
from tracker.services.reports.counting import UNKNOWN, direction, inside, visible
from tracker.services.reports.report import Report

ALL = "(all)"


@dataclass(frozen=True)
class Pair:
    direction: str
    field: str
    days: float | None  # None: one of the two is known only to a period


def _moment(day_from: dt.date, day_to: dt.date, time_of_day: str | None
            ) -> tuple[dt.date, str | None] | None:
    return (day_from, time_of_day) if day_from == day_to else None


def _days(answered: tuple[dt.date, str | None], reply: tuple[dt.date, str | None]) -> float:
    """Days from the message to its answer; to the minute when both have a time of day."""
    (d0, t0), (d1, t1) = answered, reply
    if t0 and t1:
        start = dt.datetime.combine(d0, dt.time.fromisoformat(t0))
        end = dt.datetime.combine(d1, dt.time.fromisoformat(t1))
        return (end - start).total_seconds() / 86400
    return float((d1 - d0).days)


def reply_pairs(session: Session, start: str | None, end: str | None,
                as_of: str | None) -> list[Pair]:
    """One pair per reply whose answered message is in the log (current, not void)."""
    cutoff = as_of_cutoff(as_of)
    period = make_period(start, end)
    reply, answered = aliased(MessageVersion, name="reply"), aliased(MessageVersion,
                                                                     name="answered")
    rows = session.execute(
        select(reply.from_side, reply.to_side, answered.field_code,
               answered.date_from, answered.date_to, answered.time_of_day,
               reply.date_from, reply.date_to, reply.time_of_day)
        .join(answered, and_(answered.message_id == reply.reply_to_id,
                             answered.is_void == false(), _current(answered, cutoff),
                             *visible(answered, cutoff)))
        .where(reply.reply_to_id.is_not(None), reply.is_void == false(),
               _current(reply, cutoff), *visible(reply, cutoff), *inside(reply, period))
    )
    pairs = []
    for from_side, to_side, field, a0, a1, at, r0, r1, rt in rows:
        first, answer = _moment(a0, a1, at), _moment(r0, r1, rt)
        days = _days(first, answer) if first and answer else None
        pairs.append(Pair(direction(from_side, to_side), field, days))
    return pairs


def _current(version: Any, cutoff: dt.datetime | None) -> Any:
    """Current as of the cut-off: no later version recorded before it supersedes this one."""
    if cutoff is None:
        return is_current(version)
    newer = aliased(MessageVersion)
    return ~select(newer.id).where(newer.supersedes_id == version.id,
                                   newer.recorded_at < cutoff).exists()


def _percentile(values: list[float], q: float) -> float:
    """The q-th percentile by linear interpolation (as numpy's default and PostgreSQL's
    ``percentile_cont``)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def replies_frame(pairs: list[Pair]) -> pd.DataFrame:
    """Per (direction, field) of the answered message, and for all replies: count, median
    and 90th percentile of days to answer, and how many could not be timed."""
    groups: dict[tuple[str, str], list[Pair]] = {}
    for pair in pairs:
        groups.setdefault((pair.direction, pair.field), []).append(pair)
    groups[(ALL, ALL)] = pairs
    table = []
    for (way, field), members in sorted(groups.items(), key=lambda item: (
            item[0] == (ALL, ALL), item[0][0] == UNKNOWN, item[0])):
        timed = [p.days for p in members if p.days is not None]
        table.append({
            "direction": way, "field": field, "replies": len(members),
            "median_days": round(statistics.median(timed), 2) if timed else None,
            "p90_days": round(_percentile(timed, 0.9), 2) if timed else None,
            "untimed": len(members) - len(timed),
        })
    columns = ["direction", "field", "replies", "median_days", "p90_days", "untimed"]
    return pd.DataFrame(table, columns=columns)


def replies_report(session: Session, *, start: str | None = None, end: str | None = None,
                   as_of: str | None = None, overdue: int | None = None) -> Report:
    if overdue is not None:
        return overdue_report(session, overdue, as_of)
    pairs = reply_pairs(session, start, end, as_of)
    untimed = sum(1 for p in pairs if p.days is None)
    notes = ([f"{untimed} replies are not timed: one of the two messages is dated only to a "
              "period"] if untimed else [])
    return Report(replies_frame(pairs), notes=notes, log=log_state(session))


def overdue_report(session: Session, days: int, as_of: str | None) -> Report:
    """Messages dated to a day that nothing answers, ``days`` or more days on."""
    if days < 0:
        raise BadValue("must be 0 or more days", field="overdue")
    cutoff = as_of_cutoff(as_of)
    today = (cutoff - dt.timedelta(days=1)).date() if cutoff else local_today()
    message, reply = MessageVersion, aliased(MessageVersion, name="reply")
    answered = (select(reply.reply_to_id).where(reply.reply_to_id.is_not(None),
                                                reply.is_void == false(),
                                                _current(reply, cutoff),
                                                *visible(reply, cutoff)))
    # a reply is itself an answer: what waits is a message that answers nothing
    waiting = [message.is_void == false(), _current(message, cutoff),
               *visible(message, cutoff), message.reply_to_id.is_(None),
               message.message_id.not_in(answered)]
    rows = session.execute(
        select(Message.reg_no, message.date_from, message.time_of_day, message.from_side,
               message.to_side, message.field_code, message.subject)
        .join(Message, Message.id == message.message_id)
        .where(*waiting, message.date_from == message.date_to,
               message.date_from <= today - dt.timedelta(days=days))
        .order_by(message.date_from, Message.id)).all()
    period_only = session.scalar(select(func.count()).select_from(message)
                                 .where(*waiting, message.date_from != message.date_to)) or 0
    table = [{"reg_no": reg_no, "date": f"{day} {at}" if at else day.isoformat(),
              "direction": direction(s, r), "field": field, "subject": subject,
              "days_waiting": (today - day).days}
             for reg_no, day, at, s, r, field, subject in rows]
    columns = ["reg_no", "date", "direction", "field", "subject", "days_waiting"]
    notes = ([f"{period_only} unanswered messages are dated only to a period and not listed "
              "(how long they have waited is not known)"] if period_only else [])
    return Report(pd.DataFrame(table, columns=columns).astype({"days_waiting": "int64"}),
                  notes=notes, log=log_state(session))
