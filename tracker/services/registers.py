"""Registration numbers and version rows, shared by the contact and message registers.

Numbers come from a counter row that every write to a register locks (``SELECT … FOR UPDATE``
on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so they are gapless:
a rolled-back transaction gives its number back. The same lock orders the hash chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.orm import Session, aliased

from tracker.models import (
    Contact,
    ContactParticipant,
    ContactVersion,
    Message,
    MessageVersion,
    RegisterCounter,
)

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Register:
    code: str  # also the registration number's prefix
    noun: str
    record: type[Contact] | type[Message]
    version: type[ContactVersion] | type[MessageVersion]
    record_fk: str  # the version's column pointing at its record
    fields: tuple[str, ...]  # the correctable fields of a version


CONTACTS = Register(
    "C", "contact", Contact, ContactVersion, "contact_id",
    ("kind_code", "date_from", "date_to", "venue", "subject", "initiated_by", "notes"),
)
MESSAGES = Register(
    "M", "message", Message, MessageVersion, "message_id",
    ("kind_code", "date_from", "date_to", "from_side", "to_side", "subject", "contact_id",
     "notes"),
)
REGISTERS = {r.code: r for r in (CONTACTS, MESSAGES)}


def is_current(version: type[ContactVersion] | type[MessageVersion]) -> ColumnElement[bool]:
    """No later version supersedes this one: the record as it stands (void or not)."""
    newer = aliased(version)
    return ~exists().where(newer.supersedes_id == version.id)


def format_reg_no(register: Register, number: int) -> str:
    return f"{register.code}-{number:06d}"


def take_numbers(session: Session, register: Register, count: int = 1) -> list[str]:
    """Reserve the next ``count`` numbers; the row lock is held until the transaction ends."""
    last = lock_register(session, register)
    session.execute(
        update(RegisterCounter)
        .where(RegisterCounter.register == register.code)
        .values(last_no=last + count)
    )
    return [format_reg_no(register, n) for n in range(last + 1, last + count + 1)]


def lock_register(session: Session, register: Register) -> int:
    """Take the register's lock (kept to the end of the transaction); returns the last number."""
    return session.execute(
        select(RegisterCounter.last_no)
        .where(RegisterCounter.register == register.code)
        .with_for_update()
    ).scalar_one()


def chain_head(session: Session, register: Register) -> str:
    head = session.execute(
        select(register.version.hash).order_by(register.version.id.desc()).limit(1)
    ).scalar()
    return head or GENESIS_HASH


def version_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of a version and the previous hash of its register."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=_jsonable)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _jsonable(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


@dataclass
class VersionDraft:
    """What a new version says; ``fields`` holds every name in ``Register.fields``."""

    fields: dict[str, Any]
    participants: tuple[int, ...] = ()
    is_void: bool = False
    reason: str | None = None


class Appender:
    """Appends versions to one register inside one transaction, keeping the hash chain."""

    def __init__(self, session: Session, register: Register) -> None:
        self.session = session
        self.register = register
        self.head = chain_head(session, register)

    def append(
        self,
        record: Contact | Message,
        draft: VersionDraft,
        *,
        version_no: int,
        supersedes: ContactVersion | MessageVersion | None,
        recorded_at: dt.datetime,
        recorded_by: str,
    ) -> ContactVersion | MessageVersion:
        content = {
            "register": self.register.code,
            "reg_no": record.reg_no,
            "version_no": version_no,
            "supersedes": supersedes.hash if supersedes is not None else None,
            "is_void": draft.is_void,
            "reason": draft.reason,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
            "participants": sorted(draft.participants),
            **draft.fields,
        }
        digest = version_hash(self.head, content)
        version = self.register.version(
            **{self.register.record_fk: record.id},
            version_no=version_no,
            supersedes_id=supersedes.id if supersedes is not None else None,
            is_void=draft.is_void,
            reason=draft.reason,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            prev_hash=self.head,
            hash=digest,
            **draft.fields,
        )
        self.session.add(version)
        self.session.flush()
        if draft.participants:
            self.session.add_all(
                ContactParticipant(version_id=version.id, staff_id=s) for s in draft.participants
            )
        self.head = digest
        return version
