"""What differs between the contact and the message register, as typed columns and behaviour.

Everything else (numbering, the hash chain, corrections, voids, listing) is written once
against ``Register`` and never asks which register it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, cast

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from tracker.models import (
    Contact,
    ContactKind,
    ContactParticipant,
    ContactTag,
    ContactVersion,
    Message,
    MessageKind,
    MessageTag,
    MessageVersion,
)
from tracker.services.sql import TEXT_SEPARATOR, id_list, text_list

Record = Contact | Message
Version = ContactVersion | MessageVersion

# Columns of a version row that say how it came to be, not what it says about the event.
BOOKKEEPING = frozenset({"id", "version_no", "supersedes_id", "is_void", "reason",
                         "recorded_at", "recorded_by", "prev_hash", "hash"})


def date_label(start: dt.date, end: dt.date, time_of_day: str | None = None) -> str:
    day = start.isoformat() if start == end else f"{start}/{end}"
    return f"{day} {time_of_day}" if time_of_day else day


Names = Callable[[Sequence[int]], list[str]]  # person ids -> names as shown today


class Register:
    """One register: its record and version tables and how its records read and filter."""

    code: ClassVar[str]  # also the registration number's prefix
    noun: ClassVar[str]
    record: ClassVar[type[Contact] | type[Message]]
    version: ClassVar[type[ContactVersion] | type[MessageVersion]]
    kind_table: ClassVar[type[ContactKind] | type[MessageKind]]
    tag_table: ClassVar[type[ContactTag] | type[MessageTag]]
    columns: ClassVar[tuple[str, ...]]  # of a list as a table
    # of a list as CSV or JSON: tidy for analysts (dates in their own columns, notes)
    data_columns: ClassVar[tuple[str, ...]]
    has_participants: ClassVar[bool] = False

    def __init__(self, *, record_fk: InstrumentedAttribute[int],
                 correctable: tuple[InstrumentedAttribute[Any], ...]) -> None:
        self.record_fk = record_fk  # the version's column pointing at its record
        # The version's columns a clerk gives and may correct; all of them are hashed.
        self.correctable = correctable

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.correctable)

    def state(self, version: Version) -> dict[str, Any]:
        return {name: getattr(version, name) for name in self.fields}

    def format_reg_no(self, number: int) -> str:
        return f"{self.code}-{number:06d}"

    def participants(self, session: Session, version_id: int) -> tuple[int, ...]:
        """Person ids of a version's participants, in id order."""
        return ()

    def tags(self, session: Session, version_id: int) -> tuple[str, ...]:
        """A version's tags, sorted."""
        table = self.tag_table
        return tuple(session.scalars(select(table.tag).where(table.version_id == version_id)
                                     .order_by(table.tag)))

    def side_condition(self, side: str) -> ColumnElement[bool]:
        """Versions that concern ``side``."""
        raise NotImplementedError

    def person_condition(self, person_ids: list[int]) -> ColumnElement[bool]:
        """Versions concerning one of these people."""
        raise NotImplementedError

    def list_select(self) -> Any:
        """One row per version, with everything a list row shows: no ORM object per row,
        participants and tags gathered by the database, so a long list streams."""
        v, table = self.version, self.tag_table
        tags = (select(text_list(table.tag)).where(table.version_id == v.id)
                .scalar_subquery().label("tags"))
        return (select(self.record.reg_no, self.record_fk.label("record_id"),
                       v.id.label("version_id"), v.version_no, v.date_from, v.date_to,
                       v.time_of_day, v.kind_code, v.field_code, v.subject, v.notes,
                       v.is_void, v.recorded_by, tags, *self.own_columns())
                .join(self.record, self.record_fk == self.record.id))

    def own_columns(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def row(self, m: Any, names: Names) -> dict[str, Any]:
        """A list row (every column of ``columns`` and ``data_columns``) from ``list_select``."""
        raise NotImplementedError

    def common_row(self, m: Any) -> dict[str, Any]:
        return {"reg_no": m.reg_no, "date": date_label(m.date_from, m.date_to, m.time_of_day),
                "date_from": m.date_from, "date_to": m.date_to, "time_of_day": m.time_of_day,
                "kind": m.kind_code, "field": m.field_code, "subject": m.subject,
                "notes": m.notes, "tags": split_text_list(m.tags),
                "status": "void" if m.is_void else "current", "recorded_by": m.recorded_by}


def split_text_list(joined: str | None) -> list[str]:
    return sorted(joined.split(TEXT_SEPARATOR)) if joined else []


def split_id_list(joined: str | None) -> list[int]:
    return sorted(int(x) for x in joined.split(",")) if joined else []


class ContactRegister(Register):
    code = "C"
    noun = "contact"
    record = Contact
    version = ContactVersion
    kind_table = ContactKind
    tag_table = ContactTag
    columns = ("reg_no", "date", "kind", "outcome", "field", "subject", "venue", "initiated_by",
               "with", "tags", "status", "recorded_by")
    data_columns = ("reg_no", "date_from", "date_to", "time_of_day", "kind", "outcome", "field",
                    "subject", "venue", "initiated_by", "with", "tags", "notes", "status",
                    "recorded_by")
    has_participants = True

    def __init__(self) -> None:
        v = ContactVersion
        super().__init__(record_fk=v.contact_id,
                         correctable=(v.kind_code, v.date_from, v.date_to, v.venue, v.subject,
                                      v.initiated_by, v.notes, v.time_of_day, v.field_code,
                                      v.outcome_code))

    def participants(self, session: Session, version_id: int) -> tuple[int, ...]:
        return tuple(session.scalars(
            select(ContactParticipant.person_id)
            .where(ContactParticipant.version_id == version_id)
            .order_by(ContactParticipant.person_id)
        ))

    def side_condition(self, side: str) -> ColumnElement[bool]:
        return ContactVersion.initiated_by == side

    def person_condition(self, person_ids: list[int]) -> ColumnElement[bool]:
        return exists().where(ContactParticipant.version_id == ContactVersion.id,
                              ContactParticipant.person_id.in_(person_ids))

    def own_columns(self) -> tuple[Any, ...]:
        v = ContactVersion
        people = (select(id_list(ContactParticipant.person_id))
                  .where(ContactParticipant.version_id == v.id).scalar_subquery())
        return v.outcome_code, v.venue, v.initiated_by, people.label("participant_ids")

    def row(self, m: Any, names: Names) -> dict[str, Any]:
        return {**self.common_row(m), "outcome": m.outcome_code, "venue": m.venue,
                "initiated_by": m.initiated_by, "with": names(split_id_list(m.participant_ids))}


class MessageRegister(Register):
    code = "M"
    noun = "message"
    record = Message
    version = MessageVersion
    kind_table = MessageKind
    tag_table = MessageTag
    columns = ("reg_no", "date", "kind", "field", "sender", "recipient", "subject", "contact",
               "tags", "status", "recorded_by")
    data_columns = ("reg_no", "date_from", "date_to", "time_of_day", "kind", "field", "sender",
                    "recipient", "subject", "contact", "tags", "notes", "status", "recorded_by")

    def __init__(self) -> None:
        v = MessageVersion
        super().__init__(record_fk=v.message_id,
                         correctable=(v.kind_code, v.date_from, v.date_to, v.from_side,
                                      v.to_side, v.subject, v.contact_id, v.notes,
                                      v.time_of_day, v.reply_to_id, v.field_code))

    def side_condition(self, side: str) -> ColumnElement[bool]:
        return or_(MessageVersion.from_side == side, MessageVersion.to_side == side)

    def person_condition(self, person_ids: list[int]) -> ColumnElement[bool]:
        """Messages of a contact one of these people took part in."""
        newer = aliased(ContactVersion)
        took_part = (select(ContactVersion.contact_id)
                     .join(ContactParticipant,
                           ContactParticipant.version_id == ContactVersion.id)
                     .where(ContactParticipant.person_id.in_(person_ids),
                            ~exists().where(newer.supersedes_id == ContactVersion.id)))
        return MessageVersion.contact_id.in_(took_part)

    def own_columns(self) -> tuple[Any, ...]:
        v = MessageVersion
        contact = select(Contact.reg_no).where(Contact.id == v.contact_id).scalar_subquery()
        return v.from_side, v.to_side, contact.label("contact_reg_no")

    def row(self, m: Any, names: Names) -> dict[str, Any]:
        return {**self.common_row(m), "sender": m.from_side, "recipient": m.to_side,
                "contact": m.contact_reg_no}


CONTACTS: Register = ContactRegister()
MESSAGES: Register = MessageRegister()
REGISTERS: dict[str, Register] = {r.code: r for r in (CONTACTS, MESSAGES)}
# Writers lock registers in this order, always, so two clerks cannot deadlock.
LOCK_ORDER: Sequence[Register] = (CONTACTS, MESSAGES)


def is_current(version: type[ContactVersion] | type[MessageVersion]) -> ColumnElement[bool]:
    """No later version supersedes this one: the record as it stands (void or not)."""
    newer = aliased(version)
    return ~exists().where(newer.supersedes_id == version.id)


def current_version(session: Session, register: Register, record: Record) -> Version:
    version = register.version
    # select() over a union of two mapped classes is typed as their common base
    return cast(Version, session.scalars(
        select(version).where(register.record_fk == record.id, is_current(version))
    ).one())

