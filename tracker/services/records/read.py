"""Reading the log for clerks: list with filters, show one record, its history."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from tracker.db.session import stream
from tracker.errors import ConflictingOptions, NotApplicable
from tracker.models import ContactParticipant, ImportFile, Message, MessageVersion, Source
from tracker.services.dates import make_period, month_period
from tracker.services.people import display_names, folded_into, name_lookup
from tracker.services.records import resolve
from tracker.services.records.registers import (
    CONTACTS,
    Record,
    Register,
    Version,
    current_version,
    is_current,
)


@dataclass
class Filters:
    month: str | None = None
    start: str | None = None
    end: str | None = None
    overlapping: bool = False  # keep records overlapping the period, not only those inside
    kind: str | None = None
    side: str | None = None
    person: str | None = None
    contact: str | None = None  # messages linked to this contact
    grep: str | None = None  # search text (see services.search)
    include_void: bool = False


@dataclass
class Order:
    sort: str = "reg_no"
    reverse: bool = False
    limit: int | None = None


STREAM_BATCH = 1000  # rows fetched at a time: memory stays flat however long the list


def list_records(session: Session, register: Register, filters: Filters,
                 order: Order | None = None) -> Iterator[dict[str, Any]]:
    """Current versions, in registration order unless ``order`` says otherwise, as a stream.

    A record belongs to a period when its whole date interval lies inside it, as in every
    report; ``overlapping`` widens that. The filters are checked here, before the first row
    is asked for, so a bad one is refused before anything is printed.
    """
    order = order or Order()
    version = register.version
    conditions = [is_current(version)]
    if not filters.include_void:
        conditions.append(version.is_void == false())
    period = _period_conditions(version, filters)
    conditions.extend(period)
    if filters.kind is not None:
        conditions.append(version.kind_code == resolve.kind(session, register, filters.kind))
    if filters.side is not None:
        conditions.append(register.side_condition(resolve.side(session, filters.side, "side")))
    if filters.person is not None:
        person = resolve.person(session, filters.person, "person")
        conditions.append(register.person_condition(folded_into(session, person.id)))
    if filters.contact is not None:
        linked_to, contact = resolve.record(session, filters.contact, "contact")
        if linked_to is not CONTACTS or "contact_id" not in register.fields:
            raise NotApplicable("lists the messages of a contact: give C-…, to "
                                "`message list`", field="contact")
        conditions.append(MessageVersion.contact_id == contact.id)
    if filters.grep is not None:
        from tracker.services.search import matching

        conditions.append(matching(session, register, filters.grep, field="grep").condition)
    # With a period or a search, the rows are found by that index and then sorted: left to
    # itself, SQLite walked the whole register in the order's index and filtered as it went
    # (4 s for one month of a million contacts). Other filters are not selective enough to
    # beat reading in order, which also lets the first row out at once.
    keys = _order_by(register, order.sort, order.reverse,
                     by_index=not period and filters.grep is None)
    query = register.list_select().where(*conditions).order_by(*keys)
    if order.limit is not None:
        query = query.limit(order.limit)
    return stream_rows(session, register, query)


def _period_conditions(version: Any, filters: Filters) -> list[Any]:
    if filters.month is not None:
        if filters.start or filters.end:
            raise ConflictingOptions("month", ["from", "to"])
        period = month_period(filters.month)
    else:
        period = make_period(filters.start, filters.end)
    conditions = []
    if filters.overlapping:
        if period.start is not None:
            conditions.append(version.date_to >= period.start)
        if period.end is not None:
            conditions.append(version.date_from <= period.end)
        return conditions
    # Inside: both ends within the period. Bounding date_from on both sides (implied, as
    # date_from <= date_to) lets the (date_from, date_to) index read just the period.
    for column in (version.date_from, version.date_to):
        if period.start is not None:
            conditions.append(column >= period.start)
        if period.end is not None:
            conditions.append(column <= period.end)
    return conditions


def _order_by(register: Register, sort: str, reverse: bool, *, by_index: bool) -> list[Any]:
    """The sort keys; unless ``by_index``, spelled so that no index can serve them
    (``coalesce(x, x)``), which leaves the planner to pick the index of the filter."""
    version = register.version
    orders: dict[str, list[Any]] = {
        "reg_no": [register.record_fk],
        # an unknown time sorts before any time of its day, on both engines
        "date": [version.date_from, version.date_to, func.coalesce(version.time_of_day, ""),
                 register.record_fk],
        "kind": [version.kind_code, version.date_from, register.record_fk],
    }
    keys = orders[sort] if by_index else [func.coalesce(k, k) for k in orders[sort]]
    return [key.desc() for key in keys] if reverse else keys


def stream_rows(session: Session, register: Register, query: Any) -> Iterator[dict[str, Any]]:
    """Rows of ``register.list_select()`` as list rows, fetched in batches."""
    names = name_lookup(session) if register.has_participants else _no_names
    for m in stream(session, query, STREAM_BATCH):
        yield register.row(m, names)


def _no_names(ids: Sequence[int]) -> list[str]:
    return []


def _tags(session: Session, register: Register, version_ids: list[int]) -> dict[int, list[str]]:
    table = register.tag_table
    tags: dict[int, list[str]] = {}
    for version_id, tag in session.execute(
            select(table.version_id, table.tag).where(table.version_id.in_(version_ids))
            .order_by(table.version_id, table.tag)):
        tags.setdefault(version_id, []).append(tag)
    return tags


def _participant_names(session: Session, version_ids: list[int]) -> dict[int, list[str]]:
    """Each version's participants as shown today (a merged person as the survivor)."""
    pairs = [(v, p) for v, p in session.execute(
        select(ContactParticipant.version_id, ContactParticipant.person_id)
        .where(ContactParticipant.version_id.in_(version_ids))
        .order_by(ContactParticipant.version_id, ContactParticipant.person_id))]
    shown = display_names(session, sorted({p for _, p in pairs}))
    names: dict[int, list[str]] = {}
    for version_id, person_id in pairs:
        names.setdefault(version_id, []).append(shown.get(person_id, f"#{person_id}"))
    return names


def history(session: Session, reg_no: str) -> tuple[Register, Record, list[dict[str, Any]]]:
    """Every version, oldest first, with what changed from the one before."""
    register, record = resolve.record(session, reg_no)
    version = register.version
    # select() over a union of two mapped classes is typed as their common base
    versions = cast(Sequence[Version], session.scalars(
        select(version).where(register.record_fk == record.id).order_by(version.version_no)
    ).all())
    names = (_participant_names(session, [v.id for v in versions])
             if register.has_participants else {})
    tags = _tags(session, register, [v.id for v in versions])
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    was_void = False
    for v in versions:
        state = register.state(v)
        if register.has_participants:
            state["with"] = "; ".join(names.get(v.id, []))
        state["tags"] = "; ".join(tags.get(v.id, [])) or None
        if previous is None:
            change = "created"
        elif v.is_void:
            change = "void"
        elif was_void:
            change = "restored"
        else:
            change = "; ".join(f"{k}: {_show(previous[k])} -> {_show(state[k])}"
                               for k in state if state[k] != previous[k])
        out.append({"version": v.version_no, "recorded_at": recorded_label(v.recorded_at),
                    "recorded_by": v.recorded_by, "reason": v.reason, "change": change,
                    "hash": v.hash[:12]})
        previous, was_void = state, v.is_void
    return register, record, out


def recorded_label(when: Any) -> str:
    """A record time as a clerk reads it: to the second, with its zone (stored as UTC)."""
    return f"{when:%Y-%m-%d %H:%M:%S} UTC"


def _show(value: Any) -> str:
    return "(none)" if value is None else str(value)


def show(session: Session, reg_no: str) -> dict[str, Any]:
    """One record as it stands: current fields, participants, provenance and history size."""
    register, record, versions = history(session, reg_no)
    current = current_version(session, register, record)
    listed = next(stream_rows(session, register, register.list_select().where(
        register.version.id == current.id)))
    source = session.get(Source, record.source_id) if record.source_id else None
    return {
        **listed,
        **_links(session, register, record, current),
        "notes": current.notes,
        "provenance": record.provenance,
        "source": f"{source.publisher}, {source.title} ({source.published_on})" if source
        else None,
        **_imported_from(session, record),
        "versions": len(versions),
        "hash": current.hash,
        "history": versions,
    }



def _imported_from(session: Session, record: Record) -> dict[str, Any]:
    """Which file an imported record came from, and which line of it (or its own key)."""
    if record.import_file_id is None:
        return {}
    file = session.get(ImportFile, record.import_file_id)
    assert file is not None  # a foreign key
    key = record.source_key or ""
    where = (f"line {key.split(':', 1)[1]}" if key.startswith(f"{file.sha256}:")
             else f"external_ref {key}")
    return {"imported_from": f"{file.name}, {where} (SHA-256 {file.sha256[:12]}…, imported "
                             f"{recorded_label(file.recorded_at)} by {file.recorded_by})"}


def _links(session: Session, register: Register, record: Record, current: Any
           ) -> dict[str, Any]:
    """What a record is linked to: a contact's messages; a message's answer and replies."""
    def numbers(condition: Any) -> list[str]:
        return list(session.scalars(
            select(Message.reg_no).join(MessageVersion, MessageVersion.message_id == Message.id)
            .where(condition, is_current(MessageVersion), MessageVersion.is_void == false())
            .order_by(Message.id)))

    if register is CONTACTS:
        return {"messages": numbers(MessageVersion.contact_id == record.id)}
    answered = (session.scalar(select(Message.reg_no).where(Message.id == current.reply_to_id))
                if current.reply_to_id else None)
    return {"reply_to": answered, "replies": numbers(MessageVersion.reply_to_id == record.id)}
