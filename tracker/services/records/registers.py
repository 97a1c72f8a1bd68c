"""What differs between the contact and the message register, as typed columns and behaviour.

Everything else (numbering, the hash chain, corrections, voids, listing) is written once
against ``Register`` and never asks which register it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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

Record = Contact | Message
Version = ContactVersion | MessageVersion

# Columns of a version row that say how it came to be, not what it says about the event.
BOOKKEEPING = frozenset({"id", "version_no", "supersedes_id", "is_void", "reason",
                         "recorded_at", "recorded_by", "prev_hash", "hash"})


def date_label(start: dt.date, end: dt.date, time_of_day: str | None = None) -> str:
    day = start.isoformat() if start == end else f"{start}/{end}"
    return f"{day} {time_of_day}" if time_of_day else day


@dataclass(frozen=True)
class Linked:
    """Names looked up once for a page of versions: participants and linked contacts."""

    participants: dict[int, list[str]]
    contacts: dict[int, str]
    tags: dict[int, list[str]]


class Register:
    """One register: its record and version tables and how its records read and filter."""

    code: ClassVar[str]  # also the registration number's prefix
    noun: ClassVar[str]
    record: ClassVar[type[Contact] | type[Message]]
    version: ClassVar[type[ContactVersion] | type[MessageVersion]]
    kind_table: ClassVar[type[ContactKind] | type[MessageKind]]
    tag_table: ClassVar[type[ContactTag] | type[MessageTag]]
    columns: ClassVar[tuple[str, ...]]  # of a list row
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

    def linked_contact_ids(self, versions: Iterable[Any]) -> list[int]:
        return []

    def row(self, reg_no: str, v: Any, linked: Linked) -> dict[str, Any]:
        """A list row of ``columns``."""
        raise NotImplementedError

    def common_row(self, reg_no: str, v: Any, linked: Linked) -> dict[str, Any]:
        return {"reg_no": reg_no, "date": date_label(v.date_from, v.date_to, v.time_of_day),
                "kind": v.kind_code, "field": v.field_code, "subject": v.subject,
                "tags": linked.tags.get(v.id, []),
                "status": "void" if v.is_void else "current", "recorded_by": v.recorded_by}


class ContactRegister(Register):
    code = "C"
    noun = "contact"
    record = Contact
    version = ContactVersion
    kind_table = ContactKind
    tag_table = ContactTag
    columns = ("reg_no", "date", "kind", "outcome", "field", "subject", "venue", "initiated_by",
               "with", "tags", "status", "recorded_by")
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

    def row(self, reg_no: str, v: Any, linked: Linked) -> dict[str, Any]:
        return {**self.common_row(reg_no, v, linked), "outcome": v.outcome_code, "venue": v.venue,
                "initiated_by": v.initiated_by,
                "with": linked.participants.get(v.id, [])}


class MessageRegister(Register):
    code = "M"
    noun = "message"
    record = Message
    version = MessageVersion
    kind_table = MessageKind
    tag_table = MessageTag
    columns = ("reg_no", "date", "kind", "field", "sender", "recipient", "subject", "contact",
               "tags", "status", "recorded_by")

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

    def linked_contact_ids(self, versions: Iterable[Any]) -> list[int]:
        return [v.contact_id for v in versions if v.contact_id is not None]

    def row(self, reg_no: str, v: Any, linked: Linked) -> dict[str, Any]:
        return {**self.common_row(reg_no, v, linked), "sender": v.from_side, "recipient": v.to_side,
                "contact": linked.contacts.get(v.contact_id) if v.contact_id else None}


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

