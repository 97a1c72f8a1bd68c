"""Writing the log: new contacts and messages, corrections and voids.

Every function validates all of its input before it writes anything and then appends rows
only: a correction or a void is a new version that supersedes the current one, with a reason.
Callers run each call in one write transaction, so a refused call leaves nothing behind and,
because numbers come from the locked counter, takes no registration number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import RejectedError, UsageError
from tracker.models import Contact, ContactParticipant, ContactVersion, Message, MessageVersion
from tracker.services import lookup
from tracker.services.clock import utcnow
from tracker.services.event_dates import event_interval
from tracker.services.registers import (
    CONTACTS,
    MESSAGES,
    Appender,
    Register,
    VersionDraft,
    is_current,
    lock_register,
    take_numbers,
)

MAX_TEXT = 2000  # the String length of subjects, venues, notes and reasons
MAX_CLERK = 100  # recorded_by


def clean_clerk(clerk: str) -> str:
    return clean_text(clerk, "--clerk", required=True, max_len=MAX_CLERK)  # type: ignore[return-value]


def clean_text(value: str | None, field: str, *, required: bool = False,
               max_len: int = MAX_TEXT) -> str | None:
    """Trimmed text, or None; refuses control characters and what the column cannot hold."""
    if value is None:
        if required:
            raise UsageError(f"{field}: is required")
        return None
    text = value.strip()
    if not text:
        if required:
            raise UsageError(f"{field}: must not be empty")
        return None
    if any(ord(ch) < 32 and ch not in "\t\n" for ch in text) or "\x7f" in text:
        raise UsageError(f"{field}: contains a control character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{field}: is not valid text (unpaired surrogate)") from None
    if len(text) > max_len:
        raise RejectedError(f"{field}: is {len(text)} characters; at most {max_len} are kept")
    return text


def _participants(session: Session, names: list[str]) -> tuple[int, ...]:
    ids: list[int] = []
    for name in names:
        staff = lookup.person(session, name)
        if staff.id in ids:
            raise RejectedError(f"--with: {lookup.staff_label(staff)} is named twice")
        ids.append(staff.id)
    return tuple(ids)


def _new_record(session: Session, register: Register, draft: VersionDraft, clerk: str) -> str:
    clerk = clean_clerk(clerk)
    (reg_no,) = take_numbers(session, register)
    record = register.record(reg_no=reg_no, provenance="logged")
    session.add(record)
    session.flush()
    Appender(session, register).append(record, draft, version_no=1, supersedes=None,
                                       recorded_at=utcnow(), recorded_by=clerk)
    return reg_no


def log_contact(
    session: Session, *, kind: str, on: str, until: str | None = None, subject: str | None,
    venue: str | None = None, with_: list[str] | None = None, initiated_by: str | None = None,
    notes: str | None = None, allow_future: bool = False, clerk: str,
) -> str:
    """Log a new round of contact; returns its registration number."""
    date_from, date_to = event_interval(on, until, allow_future=allow_future)
    fields = {
        "kind_code": lookup.contact_kind(session, kind),
        "date_from": date_from,
        "date_to": date_to,
        "venue": clean_text(venue, "--venue"),
        "subject": clean_text(subject, "--subject", required=True),
        "initiated_by": lookup.side(session, initiated_by, "--initiated-by")
        if initiated_by is not None else None,
        "notes": clean_text(notes, "--note"),
    }
    draft = VersionDraft(fields=fields, participants=_participants(session, with_ or []))
    return _new_record(session, CONTACTS, draft, clerk)


def log_message(
    session: Session, *, from_side: str, to_side: str, kind: str, on: str,
    until: str | None = None, subject: str | None, contact: str | None = None,
    notes: str | None = None, allow_future: bool = False, clerk: str,
) -> str:
    """Log a message or document exchanged; returns its registration number."""
    date_from, date_to = event_interval(on, until, allow_future=allow_future)
    fields = {
        "kind_code": lookup.message_kind(session, kind),
        "date_from": date_from,
        "date_to": date_to,
        **_message_sides(session, from_side, to_side),
        "subject": clean_text(subject, "--subject", required=True),
        "contact_id": _linked_contact(session, contact) if contact else None,
        "notes": clean_text(notes, "--note"),
    }
    return _new_record(session, MESSAGES, VersionDraft(fields=fields), clerk)


def _message_sides(session: Session, from_side: str | None, to_side: str | None,
                   *, keep: dict[str, str | None] | None = None) -> dict[str, str | None]:
    """Resolve the given ends; an end not given keeps its value in ``keep`` (may be unknown)."""
    keep = keep or {}
    sender = (lookup.side(session, from_side, "--from") if from_side is not None
              else keep.get("from_side"))
    receiver = (lookup.side(session, to_side, "--to") if to_side is not None
                else keep.get("to_side"))
    if sender is not None and sender == receiver:
        raise RejectedError(f"--to: a message goes between the sides; both ends are {sender}")
    return {"from_side": sender, "to_side": receiver}


def _linked_contact(session: Session, value: str) -> int:
    register, record = lookup.record(session, value, "--contact")
    if register is not CONTACTS:
        raise UsageError(f"--contact: {record.reg_no} is a message, not a contact")
    # Hold the contacts lock (contacts before messages, always) so that the contact cannot be
    # voided between this check and our commit.
    lock_register(session, CONTACTS)
    if current_version(session, register, record).is_void:
        raise RejectedError(f"--contact: {record.reg_no} is void")
    return record.id


def current_version(session: Session, register: Register,
                    record: Contact | Message) -> ContactVersion | MessageVersion:
    version = register.version
    return session.scalars(
        select(version).where(getattr(version, register.record_fk) == record.id,
                              is_current(version))
    ).one()


def participants_of(session: Session, version_id: int) -> tuple[int, ...]:
    return tuple(session.scalars(
        select(ContactParticipant.staff_id)
        .where(ContactParticipant.version_id == version_id)
        .order_by(ContactParticipant.staff_id)
    ))


@dataclass
class Changes:
    """What a correction asks for; None means "leave as it is"."""

    kind: str | None = None
    on: str | None = None
    until: str | None = None
    subject: str | None = None
    venue: str | None = None
    with_: list[str] | None = None
    initiated_by: str | None = None
    notes: str | None = None
    from_side: str | None = None
    to_side: str | None = None
    contact: str | None = None
    allow_future: bool = False


def correct(session: Session, reg_no: str, changes: Changes, *, reason: str,
            clerk: str) -> tuple[str, int]:
    """Append a corrected version; returns the registration number and the version number."""
    reason_text = clean_text(reason, "--reason", required=True)
    register, record = lookup.record(session, reg_no)
    current = _writable_current(session, register, record, "correct")
    fields: dict[str, Any] = {name: getattr(current, name) for name in register.fields}
    old_participants = participants_of(session, current.id) if register is CONTACTS else ()
    participants = old_participants
    _check_applicable(register, changes)

    if changes.kind is not None:
        fields["kind_code"] = (lookup.contact_kind if register is CONTACTS
                               else lookup.message_kind)(session, changes.kind)
    if changes.on is not None or changes.until is not None:
        fields["date_from"], fields["date_to"] = _corrected_dates(current, changes)
    for name in ("subject", "venue", "notes"):
        value = getattr(changes, name)
        if value is not None:
            flag = "--note" if name == "notes" else f"--{name}"
            fields[name] = clean_text(value, flag, required=name == "subject")
    if changes.initiated_by is not None:
        fields["initiated_by"] = (lookup.side(session, changes.initiated_by, "--initiated-by")
                                  if changes.initiated_by.strip() else None)
    if changes.with_ is not None:
        participants = tuple(sorted(_participants(session, changes.with_)))
    if changes.from_side is not None or changes.to_side is not None:
        fields.update(_message_sides(session, changes.from_side, changes.to_side, keep=fields))
    if changes.contact is not None:
        fields["contact_id"] = _linked_contact(session, changes.contact)

    if fields == {n: getattr(current, n) for n in register.fields} and \
            tuple(sorted(participants)) == old_participants:
        raise RejectedError(f"{record.reg_no}: the correction changes nothing")
    return _append(session, register, record, current,
                   VersionDraft(fields=fields, participants=participants, reason=reason_text),
                   clerk)


def void(session: Session, reg_no: str, *, reason: str, clerk: str) -> tuple[str, int]:
    """Append a void version: the record stays, with its history, but no longer counts."""
    reason_text = clean_text(reason, "--reason", required=True)
    register, record = lookup.record(session, reg_no)
    current = _writable_current(session, register, record, "void")
    fields = {name: getattr(current, name) for name in register.fields}
    participants = participants_of(session, current.id) if register is CONTACTS else ()
    return _append(session, register, record, current,
                   VersionDraft(fields=fields, participants=participants, is_void=True,
                                reason=reason_text), clerk)


def _writable_current(session: Session, register: Register, record: Contact | Message,
                      verb: str) -> ContactVersion | MessageVersion:
    """The current version, read under the register's lock so no other clerk can race us.

    Locks are always taken contacts first, then messages, so two clerks cannot deadlock.
    """
    if register is not CONTACTS:
        lock_register(session, CONTACTS)
    lock_register(session, register)
    current = current_version(session, register, record)
    if current.is_void:
        raise RejectedError(f"{record.reg_no}: is void and cannot be {verb}ed")
    return current


def _check_applicable(register: Register, changes: Changes) -> None:
    only_contacts = {"venue": changes.venue, "with": changes.with_,
                     "initiated-by": changes.initiated_by}
    only_messages = {"from": changes.from_side, "to": changes.to_side,
                     "contact": changes.contact}
    wrong = only_messages if register is CONTACTS else only_contacts
    for flag, value in wrong.items():
        if value is not None:
            raise UsageError(f"--{flag}: does not apply to a {register.noun}")


def _corrected_dates(current: ContactVersion | MessageVersion,
                     changes: Changes) -> tuple[dt.date, dt.date]:
    on = changes.on if changes.on is not None else current.date_from.isoformat()
    until = changes.until
    if until is None and changes.on is None:
        until = current.date_to.isoformat()
    return event_interval(on, until, allow_future=changes.allow_future)


def _append(session: Session, register: Register, record: Contact | Message,
            current: ContactVersion | MessageVersion, draft: VersionDraft,
            clerk: str) -> tuple[str, int]:
    clerk_text = clean_clerk(clerk)
    # A clock that stepped back (another clerk's machine, NTP) must not date a correction
    # before what it corrects: as-of reports rely on the order of record times.
    recorded_at = max(utcnow(), current.recorded_at)
    version = Appender(session, register).append(
        record, draft, version_no=current.version_no + 1, supersedes=current,
        recorded_at=recorded_at, recorded_by=clerk_text,
    )
    return record.reg_no, version.version_no
