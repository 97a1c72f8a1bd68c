"""The monthly report: one row per calendar month, period-only records apart or apportioned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from tracker.errors import UnknownChoice
from tracker.services.dates import Period, as_of_cutoff, make_period
from tracker.services.records.verify import log_state
from tracker.services.reports.apportion import apportion, largest_remainder, months_covered
from tracker.services.reports.counting import UNKNOWN, MonthCounts, direction, month_counts
from tracker.services.reports.dimensions import dimensions
from tracker.services.reports.report import Report, left_out_note

SPREADS = ("separate", "apportion")


def monthly_report(session: Session, *, start: str | None = None, end: str | None = None,
                   as_of: str | None = None, spread: str = "separate",
                   by: Sequence[str] | None = None) -> Report:
    if spread not in SPREADS:
        raise UnknownChoice(spread, SPREADS, field="spread")
    period = make_period(start, end)
    dims = dimensions(by)
    counts = month_counts(session, period, as_of_cutoff(as_of), dims)
    return Report(
        monthly_frame(counts, period, spread, [d.name for d in dims]),
        notes=left_out_note(counts.straddling_contacts, counts.straddling_messages),
        log=log_state(session),
    )


def monthly_frame(mc: MonthCounts, period: Period, spread: str = "separate",
                  group_names: Sequence[str] = ()) -> pd.DataFrame:
    """One row per month (and per period-only interval, or per estimated month).

    Columns: ``period``, one per contact kind (held contacts), ``meetings``, ``contacts``,
    the held contacts by initiating side (``initiated_s``, ``initiated_n``,
    ``initiated_unknown``), ``not_held`` (contacts with no answer, refused, cancelled or
    postponed), ``messages`` and its split by direction (``messages_s_to_n``,
    ``messages_n_to_s``, ``messages_unknown``), ``estimated``. A group whose interval lies
    in one month is exact. A group spanning months is a row of its own labelled ``FROM/TO``;
    with ``spread="apportion"`` it is spread over its months instead, in rows marked
    ``estimated``. Rows are in date order, an exact month
    before its estimates. With ``--by`` (``group_names``), each row is one group of one
    period, the group's labels in columns after ``period``, and every group has a row for
    every month of the span.

    The few hundred groups are summed in plain dicts; pandas only holds the finished table.
    """
    kind_codes = [k.code for k in mc.kinds]
    direction_columns = {f"{a}->{b}": f"messages_{a.lower()}_to_{b.lower()}"
                         for a in mc.sides for b in mc.sides if a != b}
    direction_columns[UNKNOWN] = "messages_unknown"
    initiator_columns = {side: f"initiated_{side.lower()}" for side in [*mc.sides, UNKNOWN]}
    value_columns = [*kind_codes, *initiator_columns.values(), "not_held", "messages",
                     *direction_columns.values()]
    # (start, end, estimated, group) -> label and counts per column; a month has end ""
    rows: dict[tuple[str, str, bool, tuple[str, ...]], dict[str, Any]] = {}

    def add(key: tuple[str, str, bool, tuple[str, ...]], label: str, column: str,
            count: int) -> None:
        row = rows.setdefault(key, {"period": label, **dict.fromkeys(value_columns, 0)})
        row[column] += count

    # Period-only counts to apportion, summed per (interval, group) first. Each count column
    # (a kind, not held, messages) of an interval is spread once over its months, so its
    # estimates sum exactly to it whatever the records' other splits. The split columns
    # (initiating side, direction) then share out each month's estimate in proportion to the
    # interval's split, so that every estimated row adds up and every column sums exactly.
    pending: dict[tuple[Any, Any, tuple[str, ...]], dict[str, int]] = {}
    splits: dict[tuple[Any, Any, tuple[str, ...]], dict[str, dict[str, int]]] = {}

    def place(month: str | None, start: Any, end: Any, group: tuple[str, ...], column: str,
              count: int, split: tuple[str, str] | None = None) -> None:
        if month is not None:
            add((month, "", False, group), month, column, count)
            if split:
                add((month, "", False, group), month, split[1], count)
        elif spread == "apportion":
            counts = pending.setdefault((start, end, group), {})
            counts[column] = counts.get(column, 0) + count
            if split:
                family = splits.setdefault((start, end, group), {}).setdefault(split[0], {})
                family[split[1]] = family.get(split[1], 0) + count
        else:
            key = (start.isoformat(), end.isoformat(), False, group)
            add(key, f"{start}/{end}", column, count)
            if split:
                add(key, f"{start}/{end}", split[1], count)

    for month, start, end, kind, outcome, initiator, group, count in mc.contacts:
        if outcome in mc.held:
            place(month, start, end, group, kind, count,
                  ("contacts", initiator_columns[initiator or UNKNOWN]))
        else:
            place(month, start, end, group, "not_held", count)
    for month, start, end, from_side, to_side, group, count in mc.messages:
        place(month, start, end, group, "messages", count,
              ("messages", direction_columns[direction(from_side, to_side)]))
    for (start, end, group), counts in sorted(pending.items()):
        estimates: dict[str, dict[str, int]] = {}
        for column, count in counts.items():
            for label, share in apportion(count, start, end):
                estimates.setdefault(label, {})[column] = share
        # What each split column has left to give: shared out month by month in proportion
        # to it, a split column's estimates also sum exactly to its count.
        left = {family: dict(weights)
                for family, weights in splits.get((start, end, group), {}).items()}
        for label, shares in sorted(estimates.items()):
            key = (label, "", True, group)
            for column, share in shares.items():
                add(key, label, column, share)
            bases = {"contacts": sum(shares.get(k, 0) for k in kind_codes),
                     "messages": shares.get("messages", 0)}
            for family, remaining in left.items():
                names = sorted(remaining)
                if not bases[family] or not sum(remaining.values()):
                    continue
                parts = largest_remainder(bases[family], [remaining[n] for n in names])
                for name, part in zip(names, parts, strict=True):
                    add(key, label, name, part)
                    remaining[name] -= part
    present = {key[0] for key in rows if not key[1]}
    shown = {(key[0], key[3]) for key in rows if not key[1]}  # exact or estimated
    groups = {key[3] for key in rows} or {tuple("" for _ in group_names)}
    for month in _months_to_show(present, period):
        for group in groups:
            if (month, group) not in shown:
                add((month, "", False, group), month, "messages", 0)

    meeting_codes = [k.code for k in mc.kinds if k.is_meeting]
    table = []
    for key in sorted(rows):
        row = rows[key]
        table.append({
            "period": row["period"],
            **dict(zip(group_names, key[3], strict=True)),
            **{code: row[code] for code in kind_codes},
            "meetings": sum(row[code] for code in meeting_codes),
            "contacts": sum(row[code] for code in kind_codes),
            **{c: row[c] for c in initiator_columns.values()},
            "not_held": row["not_held"],
            "messages": row["messages"],
            **{c: row[c] for c in direction_columns.values()},
            "estimated": key[2],
        })
    columns = ["period", *group_names, *kind_codes, "meetings", "contacts",
               *initiator_columns.values(), "not_held", "messages",
               *direction_columns.values(), "estimated"]
    frame = pd.DataFrame(table, columns=columns)
    counted = columns[1 + len(group_names):-1]
    return frame.astype({**{c: "int64" for c in counted}, "estimated": bool})


def _months_to_show(months: set[str], period: Period) -> list[str]:
    """Every month of the asked period, or of the span of exact months: no silent gaps."""
    first = period.start or (_month_start(min(months)) if months else None)
    last = period.end or (_month_start(max(months)) if months else None)
    if first is None or last is None:
        return []
    return [month for month, _ in months_covered(first, last)]


def _month_start(label: str) -> dt.date:
    return dt.date.fromisoformat(f"{label}-01")
