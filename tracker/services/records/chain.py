"""The hash chain: every version row stores the hash of its register's previous version.

A version's hash covers what it says (every correctable field and its participants) and how
it came to be (number, version, what it supersedes, void, reason, when and by whom).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import ContactParticipant
from tracker.services.records.registers import Record, Register, Version

GENESIS_HASH = "0" * 64
# Fields added to versions after chains were first written: hashed only when set, so that
# every version written before they existed hashes exactly as it did.
LATER_FIELDS = frozenset({"time_of_day", "reply_to_id"})


def chain_head(session: Session, register: Register) -> str:
    """The hash of the register's newest version (the genesis hash when it has none)."""
    version = register.version
    head = session.scalar(select(version.hash).order_by(version.id.desc()).limit(1))
    return head or GENESIS_HASH


def version_content(register: Register, *, reg_no: str, version_no: int,
                    supersedes_hash: str | None, is_void: bool, reason: str | None,
                    recorded_at: dt.datetime, recorded_by: str, participants: list[int],
                    fields: dict[str, Any]) -> dict[str, Any]:
    """What a version's hash covers: written by ``Appender``, recomputed by ``verify``."""
    return {
        "register": register.code,
        "reg_no": reg_no,
        "version_no": version_no,
        "supersedes": supersedes_hash,
        "is_void": is_void,
        "reason": reason,
        "recorded_at": recorded_at,
        "recorded_by": recorded_by,
        "participants": sorted(participants),
        **{k: v for k, v in fields.items() if v is not None or k not in LATER_FIELDS},
    }


def version_hash(prev_hash: str, content: dict[str, Any]) -> str:
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
        record: Record,
        draft: VersionDraft,
        *,
        version_no: int,
        supersedes: Version | None,
        recorded_at: dt.datetime,
        recorded_by: str,
    ) -> Version:
        if set(draft.fields) != set(self.register.fields):
            raise ValueError(f"a {self.register.noun} version needs exactly the fields "
                             f"{self.register.fields}, got {sorted(draft.fields)}")
        content = version_content(
            self.register, reg_no=record.reg_no, version_no=version_no,
            supersedes_hash=supersedes.hash if supersedes is not None else None,
            is_void=draft.is_void, reason=draft.reason, recorded_at=recorded_at,
            recorded_by=recorded_by, participants=list(draft.participants), fields=draft.fields,
        )
        digest = version_hash(self.head, content)
        version = self.register.version(
            **{self.register.record_fk.key: record.id},
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
                ContactParticipant(version_id=version.id, person_id=s) for s in draft.participants
            )
        self.head = digest
        return version
