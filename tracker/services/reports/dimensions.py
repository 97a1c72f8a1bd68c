"""What a report can be split by (``--by``): field, side, initiator, tag, outcome.

Each dimension says, per register, which version columns (or expressions) to GROUP BY and how
to label a group, so that every record falls into exactly one group and the groups of a
split report sum to the plain one:

- ``field``: the record's field (``unknown`` when nobody classified it).
- ``initiator``: the side that initiated a contact; for a message, its sender.
- ``side``: for a contact its initiating side, for a message its direction (``S->N``).
- ``tag``: the record's set of tags as one label (``rail; roads``, or ``(no tags)``): a record
  with two tags is one record, counted once, never once per tag.
- ``outcome``: a contact's outcome (held, no-answer …); messages have none (``n/a``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, literal, select

from tracker.errors import BadValue, UnknownChoice
from tracker.models import ContactTag, MessageTag
from tracker.services.reports.counting import UNKNOWN, Key, direction
from tracker.services.sql import TEXT_SEPARATOR, text_list

NO_TAGS = "(no tags)"
NOT_APPLICABLE = "n/a"


def _tags_of(table: Any) -> Callable[[Any], ColumnElement[Any]]:
    def expression(version: Any) -> ColumnElement[Any]:
        return (select(text_list(table.tag)).where(table.version_id == version.id)
                .scalar_subquery())
    return expression


def _constant(value: str) -> Callable[[Any], ColumnElement[Any]]:
    def expression(version: Any) -> ColumnElement[Any]:
        return literal(value)
    return expression


def _tag_label(values: Sequence[Any]) -> str:
    (joined,) = values
    return "; ".join(sorted(joined.split(TEXT_SEPARATOR))) if joined else NO_TAGS


def _value_or_unknown(values: Sequence[Any]) -> str:
    (value,) = values
    return str(value) if value is not None else UNKNOWN


def _direction_label(values: Sequence[Any]) -> str:
    return direction(*values)


@dataclass(frozen=True)
class Dimension:
    name: str
    keys: dict[str, list[Key]]  # register code -> the keys to group by (names unique)
    labels: dict[str, Callable[[Sequence[Any]], str]]  # register code -> label of a group


DIMENSIONS: dict[str, Dimension] = {
    "field": Dimension("field", {"C": [("by_field", lambda v: v.field_code)],
                                 "M": [("by_field", lambda v: v.field_code)]},
                       {"C": _value_or_unknown, "M": _value_or_unknown}),
    "initiator": Dimension("initiator", {"C": [("by_initiator", lambda v: v.initiated_by)],
                                         "M": [("by_initiator", lambda v: v.from_side)]},
                           {"C": _value_or_unknown, "M": _value_or_unknown}),
    "side": Dimension("side", {"C": [("by_side", lambda v: v.initiated_by)],
                               "M": [("by_side_from", lambda v: v.from_side),
                                     ("by_side_to", lambda v: v.to_side)]},
                      {"C": _value_or_unknown, "M": _direction_label}),
    "tag": Dimension("tag", {"C": [("by_tag", _tags_of(ContactTag))],
                             "M": [("by_tag", _tags_of(MessageTag))]},
                     {"C": _tag_label, "M": _tag_label}),
    "outcome": Dimension("outcome", {"C": [("by_outcome", lambda v: v.outcome_code)],
                                     "M": [("by_outcome", _constant(NOT_APPLICABLE))]},
                         {"C": _value_or_unknown, "M": _value_or_unknown}),
}


def dimensions(names: Sequence[str] | None) -> list[Dimension]:
    """The dimensions ``--by`` names (at most two, each once)."""
    chosen: list[Dimension] = []
    for name in names or []:
        wanted = name.strip().lower()
        if wanted not in DIMENSIONS:
            raise UnknownChoice(name, list(DIMENSIONS), field="by")
        if any(d.name == wanted for d in chosen):
            raise BadValue(f"'{wanted}' is given twice", field="by")
        chosen.append(DIMENSIONS[wanted])
    if len(chosen) > 2:
        raise BadValue("at most two dimensions: a report is a table", field="by")
    return chosen


def group_keys(dims: Sequence[Dimension], register: str) -> list[Key]:
    return [key for d in dims for key in d.keys[register]]


def group_label(dims: Sequence[Dimension], register: str, values: Sequence[Any]
                ) -> tuple[str, ...]:
    """The labels of one group, from the values of ``group_keys`` in a result row."""
    labels: list[str] = []
    at = 0
    for d in dims:
        width = len(d.keys[register])
        labels.append(d.labels[register](values[at:at + width]))
        at += width
    return tuple(labels)
