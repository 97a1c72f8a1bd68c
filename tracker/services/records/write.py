"""Writing the log: new contacts and messages, corrections and voids.

Every function validates all of its input before it writes anything and then appends rows
only: a correction or a void is a new version that supersedes the current one, with a reason.
Callers run each call in one write transaction, so a refused call leaves nothing behind and,
because numbers come from the locked counter, takes no registration number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.errors import (
    BadValue,
    BeforeOpening,
    LooksLikeDuplicate,
    NamedTwice,
    NotApplicable,
    NothingToCorrect,
    RecordIsVoid,
    RecordNotVoid,
    SameSide,
    WrongRegister,
)
from tracker.models import Contact, ContactVersion, Office
from tracker.services.dates import event_interval
from tracker.services.records import resolve
from tracker.services.records.chain import Appender, VersionDraft
from tracker.services.records.numbers import lock_for_writing, take_numbers
from tracker.services.records.registers import (
    CONTACTS,
    MESSAGES,
    Record,
    Register,
    Version,
    current_version,
    is_current,
)
from tracker.services.records.text import clean_clerk, clean_tags, clean_text, required_text

TIME = re.compile(r"^([0-9]{1,2}):([0-5][0-9])$")


class Lookup:
    """Turns what a clerk or a file says into the codes and ids a version stores.

    ``log_contact``/``log_message`` and ``tracker import`` validate through the same
    functions (``contact_fields``, ``message_fields``, ``participant_ids``); an import passes
    a subclass that remembers answers, since a file names the same kinds and people on
    thousands of lines, and knows the records named by the file itself.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def kind(self, register: Register, value: str) -> str:
        return resolve.kind(self.session, register, value)

    def side(self, value: str, field: str) -> str:
        return resolve.side(self.session, value, field)

    def field_of_work(self, value: str) -> str:
        return resolve.field_of_work(self.session, value)

    def outcome(self, value: str) -> str:
        return resolve.outcome(self.session, value)

    def person(self, value: str) -> tuple[int, str]:
        """The person's id and label."""
        view = resolve.person(self.session, value)
        return view.id, view.label

    def opened(self) -> dt.date | None:
        """The day the office opened (None before the seed)."""
        return self.session.scalar(select(func.min(Office.opened_on)))

    def contact(self, value: str) -> int:
        return _linked_contact(self.session, value)

    def message(self, value: str) -> int:
        return _answered(self.session, value)


def participant_ids(lookup: Lookup, names: list[str]) -> tuple[int, ...]:
    ids: list[int] = []
    for name in names:
        person_id, label = lookup.person(name)
        if person_id in ids:
            raise NamedTwice(f"{label} is named twice", field="with")
        ids.append(person_id)
    return tuple(ids)


def _participants(session: Session, names: list[str]) -> tuple[int, ...]:
    return participant_ids(Lookup(session), names)


def _new_record(session: Session, register: Register, draft: VersionDraft, clerk: str) -> str:
    clerk = clean_clerk(clerk)
    (reg_no,) = take_numbers(session, register)
    record = register.record(reg_no=reg_no, provenance="logged")
    session.add(record)
    session.flush()
    Appender(session, register).append(record, draft, version_no=1, supersedes=None,
                                       recorded_at=utcnow(), recorded_by=clerk)
    return reg_no


def _check_opening(session: Session, start: dt.date, field: str, allowed: bool) -> None:
    check_opening(Lookup(session), start, field, allowed)


def check_opening(lookup: Lookup, start: dt.date, field: str, allowed: bool) -> None:
    """Refuse a date before the office opened unless the clerk insists."""
    opened = lookup.opened()
    if opened is not None and start < opened and not allowed:
        raise BeforeOpening(f"{start} is before the office opened ({opened})", field=field,
                            insist=("before_opening", "if it really is"))


def log_contact(
    session: Session, *, kind: str, on: str, until: str | None = None, subject: str | None,
    venue: str | None = None, with_: list[str] | None = None, initiated_by: str | None = None,
    notes: str | None = None, allow_future: bool = False, before_opening: bool = False,
    again: bool = False, at: str | None = None, field: str | None = None,
    tags: list[str] | None = None, outcome: str | None = None, clerk: str,
) -> str:
    """Log a new round of contact; returns its registration number."""
    lookup = Lookup(session)
    values = contact_fields(lookup, kind=kind, on=on, until=until, subject=subject, venue=venue,
                            initiated_by=initiated_by, notes=notes, at=at, field=field,
                            outcome=outcome, allow_future=allow_future)
    _check_opening(session, values["date_from"], "on", before_opening)
    draft = VersionDraft(fields=values, participants=participant_ids(lookup, with_ or []),
                         tags=clean_tags(tags))
    if not again:
        _refuse_lookalike(session, draft)
    return _new_record(session, CONTACTS, draft, clerk)


def contact_fields(lookup: Lookup, *, kind: str, on: str, until: str | None,
                   subject: str | None, venue: str | None, initiated_by: str | None,
                   notes: str | None, at: str | None, field: str | None,
                   outcome: str | None, allow_future: bool) -> dict[str, Any]:
    """A contact version's columns from what was given, each checked; errors name the field."""
    date_from, date_to = event_interval(on, until, allow_future=allow_future)
    return {
        "kind_code": lookup.kind(CONTACTS, kind),
        "date_from": date_from,
        "date_to": date_to,
        "venue": clean_text(venue, "venue"),
        "subject": required_text(subject, "subject"),
        "initiated_by": lookup.side(initiated_by, "initiated_by")
        if initiated_by is not None else None,
        "notes": clean_text(notes, "note"),
        "time_of_day": time_of_day(at),
        "field_code": lookup.field_of_work(field) if field is not None else "unknown",
        "outcome_code": lookup.outcome(outcome) if outcome is not None else "held",
    }


def _refuse_lookalike(session: Session, draft: VersionDraft) -> None:
    """A contact on the same days, of the same kind and outcome, with the same subject or the
    same participants as one in the log is most likely logged twice: refuse, naming it."""
    values = draft.fields
    version = ContactVersion
    rows = session.execute(
        select(Contact.reg_no, version.id, version.subject)
        .join(Contact, Contact.id == version.contact_id)
        .where(version.kind_code == values["kind_code"], version.date_from == values["date_from"],
               version.date_to == values["date_to"], version.is_void.is_(False),
               # a call that went unanswered and the one that got through are two contacts
               version.outcome_code == values["outcome_code"],
               is_current(version))
        .order_by(Contact.id)).all()
    subject = (values["subject"] or "").casefold()
    for reg_no, version_id, other_subject in rows:
        same = ("subject" if (other_subject or "").casefold() == subject else
                "participants" if draft.participants and set(draft.participants) ==
                set(CONTACTS.participants(session, version_id)) else None)
        if same:
            raise LooksLikeDuplicate(f"looks like {reg_no} (same days, kind and {same})",
                                     field="subject", insist=("again", "to log another"))


def log_message(
    session: Session, *, sender: str, recipient: str, kind: str, on: str,
    until: str | None = None, subject: str | None, contact: str | None = None,
    notes: str | None = None, allow_future: bool = False, before_opening: bool = False,
    at: str | None = None, reply_to: str | None = None, field: str | None = None,
    tags: list[str] | None = None, clerk: str,
) -> str:
    """Log a message or document exchanged; returns its registration number."""
    values = message_fields(Lookup(session), sender=sender, recipient=recipient, kind=kind,
                            on=on, until=until, subject=subject, contact=contact, notes=notes,
                            at=at, reply_to=reply_to, field=field, allow_future=allow_future)
    _check_opening(session, values["date_from"], "on", before_opening)
    return _new_record(session, MESSAGES, VersionDraft(fields=values, tags=clean_tags(tags)),
                       clerk)


def message_fields(lookup: Lookup, *, sender: str | None, recipient: str | None, kind: str,
                   on: str, until: str | None, subject: str | None, contact: str | None,
                   notes: str | None, at: str | None, reply_to: str | None,
                   field: str | None, allow_future: bool) -> dict[str, Any]:
    """A message version's columns from what was given, each checked; errors name the field."""
    date_from, date_to = event_interval(on, until, allow_future=allow_future)
    return {
        "kind_code": lookup.kind(MESSAGES, kind),
        "date_from": date_from,
        "date_to": date_to,
        **message_sides(lookup, sender, recipient),
        "subject": required_text(subject, "subject"),
        "contact_id": lookup.contact(contact) if contact else None,
        "notes": clean_text(notes, "note"),
        "time_of_day": time_of_day(at),
        "reply_to_id": lookup.message(reply_to) if reply_to else None,
        "field_code": lookup.field_of_work(field) if field is not None else "unknown",
    }


def time_of_day(value: str | None) -> str | None:
    """``--at 9:00`` as ``09:00`` (the office's local time of a routine call)."""
    if value is None or not value.strip():
        return None
    match = TIME.match(value.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise BadValue(f"'{value}' is not a time of day (HH:MM, 00:00 to 23:59)", field="at")
    return f"{int(match[1]):02d}:{match[2]}"


def _answered(session: Session, value: str) -> int:
    """The message a reply answers: a message, not void (held under the messages lock)."""
    register, record = resolve.record(session, value, "reply_to")
    if register is not MESSAGES:
        raise WrongRegister(f"{record.reg_no} is a contact, not a message", field="reply_to")
    lock_for_writing(session, MESSAGES)
    if current_version(session, register, record).is_void:
        raise RecordIsVoid(f"{record.reg_no} is void", field="reply_to")
    return record.id


def message_sides(lookup: Lookup, sender: str | None, recipient: str | None,
                  *, keep: dict[str, Any] | None = None) -> dict[str, str | None]:
    """Resolve the given ends; an end not given keeps its value in ``keep`` (may be unknown)."""
    keep = keep or {}
    from_side = (lookup.side(sender, "sender") if sender is not None
                 else keep.get("from_side"))
    to_side = (lookup.side(recipient, "recipient") if recipient is not None
               else keep.get("to_side"))
    if from_side is not None and from_side == to_side:
        raise SameSide(f"a message goes between the sides; both ends are {from_side}",
                       field="recipient")
    return {"from_side": from_side, "to_side": to_side}


def _linked_contact(session: Session, value: str) -> int:
    register, record = resolve.record(session, value, "contact")
    if register is not CONTACTS:
        raise WrongRegister(f"{record.reg_no} is a message, not a contact", field="contact")
    # Hold the contacts lock so that the contact cannot be voided before our commit.
    lock_for_writing(session, CONTACTS)
    if current_version(session, register, record).is_void:
        raise RecordIsVoid(f"{record.reg_no} is void", field="contact")
    return record.id


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
    sender: str | None = None
    recipient: str | None = None
    contact: str | None = None
    allow_future: bool = False
    before_opening: bool = False
    at: str | None = None
    reply_to: str | None = None
    field: str | None = None
    tags: list[str] | None = None  # replaces the tags; [] or [""] clears them
    outcome: str | None = None


# A change that only some registers have: the version column it sets, and its field name.
_REGISTER_SPECIFIC = {
    "venue": ("venue", "venue"),
    "with_": (None, "with"),  # participants, not a column
    "initiated_by": ("initiated_by", "initiated_by"),
    "sender": ("from_side", "sender"),
    "recipient": ("to_side", "recipient"),
    "contact": ("contact_id", "contact"),
    "reply_to": ("reply_to_id", "reply_to"),
    "outcome": ("outcome_code", "outcome"),
}


def _check_applicable(register: Register, changes: Changes) -> None:
    for name, (column, field) in _REGISTER_SPECIFIC.items():
        applies = register.has_participants if column is None else column in register.fields
        if getattr(changes, name) is not None and not applies:
            raise NotApplicable(f"does not apply to a {register.noun}", field=field)


def correct(session: Session, reg_no: str, changes: Changes, *, reason: str,
            clerk: str) -> tuple[str, int]:
    """Append a corrected version; returns the registration number and the version number."""
    reason_text = required_text(reason, "reason")
    register, record = resolve.record(session, reg_no)
    current = _writable_current(session, register, record, "correct")
    old_values = register.state(current)
    values = dict(old_values)
    old_participants = register.participants(session, current.id)
    participants = old_participants
    old_tags = tuple(sorted(register.tags(session, current.id)))  # Python's order, not the
    tags = old_tags  # database collation's, so that the same tags compare equal
    _check_applicable(register, changes)

    if changes.kind is not None:
        values["kind_code"] = resolve.kind(session, register, changes.kind)
    if changes.on is not None or changes.until is not None:
        values["date_from"], values["date_to"] = _corrected_dates(current, changes)
        _check_opening(session, values["date_from"], "on", changes.before_opening)
    for name, field in (("subject", "subject"), ("venue", "venue"), ("notes", "note")):
        value = getattr(changes, name)
        if value is not None:
            values[name] = clean_text(value, field, required=name == "subject")
    if changes.initiated_by is not None:
        values["initiated_by"] = (resolve.side(session, changes.initiated_by, "initiated_by")
                                  if changes.initiated_by.strip() else None)
    if changes.with_ is not None:
        participants = tuple(sorted(_participants(session, changes.with_)))
    if changes.sender is not None or changes.recipient is not None:
        values.update(message_sides(Lookup(session), changes.sender, changes.recipient,
                                    keep=values))
    if changes.contact is not None:
        values["contact_id"] = _linked_contact(session, changes.contact)
    if changes.at is not None:
        values["time_of_day"] = time_of_day(changes.at)
    if changes.reply_to is not None:
        values["reply_to_id"] = (_answered(session, changes.reply_to)
                                 if changes.reply_to.strip() else None)
        if values["reply_to_id"] == record.id:
            raise BadValue("a message cannot answer itself", field="reply_to")

    if changes.field is not None:
        values["field_code"] = resolve.field_of_work(session, changes.field)
    if changes.outcome is not None:
        values["outcome_code"] = resolve.outcome(session, changes.outcome)
    if changes.tags is not None:
        tags = clean_tags([t for t in changes.tags if t.strip()])

    if (values == old_values and tuple(sorted(participants)) == old_participants
            and tags == old_tags):
        raise NothingToCorrect("the correction changes nothing", about=record.reg_no)
    return _append(session, register, record, current,
                   VersionDraft(fields=values, participants=participants, tags=tags,
                                reason=reason_text),
                   clerk)


def void(session: Session, reg_no: str, *, reason: str, clerk: str) -> tuple[str, int]:
    """Append a void version: the record stays, with its history, but no longer counts."""
    reason_text = required_text(reason, "reason")
    register, record = resolve.record(session, reg_no)
    current = _writable_current(session, register, record, "void")
    draft = VersionDraft(fields=register.state(current),
                         participants=register.participants(session, current.id),
                         tags=tuple(sorted(register.tags(session, current.id))), is_void=True,
                         reason=reason_text)
    return _append(session, register, record, current, draft, clerk)


def restore(session: Session, reg_no: str, *, reason: str, clerk: str) -> tuple[str, int]:
    """Take back a void: a new version, as it stood before, that counts again."""
    reason_text = required_text(reason, "reason")
    register, record = resolve.record(session, reg_no)
    lock_for_writing(session, register)
    current = current_version(session, register, record)
    if not current.is_void:
        raise RecordNotVoid("is not void; there is nothing to restore", about=record.reg_no)
    draft = VersionDraft(fields=register.state(current),
                         participants=register.participants(session, current.id),
                         tags=tuple(sorted(register.tags(session, current.id))),
                         reason=reason_text)
    return _append(session, register, record, current, draft, clerk)


def _writable_current(session: Session, register: Register, record: Record,
                      verb: str) -> Version:
    """The current version, read under the register's lock so no other clerk can race us."""
    lock_for_writing(session, register)
    current = current_version(session, register, record)
    if current.is_void:
        raise RecordIsVoid(f"is void and cannot be {verb}ed", about=record.reg_no)
    return current


def _corrected_dates(current: Version, changes: Changes) -> tuple[dt.date, dt.date]:
    on = changes.on if changes.on is not None else current.date_from.isoformat()
    until = changes.until
    if until is None and changes.on is None:
        until = current.date_to.isoformat()
    return event_interval(on, until, allow_future=changes.allow_future)


def _append(session: Session, register: Register, record: Record, current: Version,
            draft: VersionDraft, clerk: str) -> tuple[str, int]:
    clerk_text = clean_clerk(clerk)
    # A clock that stepped back (another clerk's machine, NTP) must not date a correction
    # before what it corrects: as-of reports rely on the order of record times.
    recorded_at = max(utcnow(), current.recorded_at)
    version = Appender(session, register).append(
        record, draft, version_no=current.version_no + 1, supersedes=current,
        recorded_at=recorded_at, recorded_by=clerk_text,
    )
    return record.reg_no, version.version_no

