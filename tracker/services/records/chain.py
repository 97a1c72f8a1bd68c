"""The hash chain: every version row stores the hash of its register's previous version.

A version's hash covers what it says (every correctable field, its participants and tags) and
how it came to be (number, version, what it supersedes, void, reason, when and by whom).
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
# Fields added to versions after chains were first written, with the value every earlier
# version has: hashed only when a version says something else, so that every version
# written before they existed hashes exactly as it did.
LATER_FIELDS: dict[str, Any] = {"time_of_day": None, "reply_to_id": None,
                                "field_code": "unknown", "outcome_code": "held"}
_ABSENT = object()


def chain_head(session: Session, register: Register) -> str:
    """The hash of the register's newest version (the genesis hash when it has none)."""
    version = register.version
    head = session.scalar(select(version.hash).order_by(version.id.desc()).limit(1))
    return head or GENESIS_HASH


def version_content(register: Register, *, reg_no: str, version_no: int,
                    supersedes_hash: str | None, is_void: bool, reason: str | None,
                    recorded_at: dt.datetime, recorded_by: str, participants: list[int],
                    fields: dict[str, Any], tags: list[str] | None = None) -> dict[str, Any]:
    """What a version's hash covers: written by ``Appender``, recomputed by ``verify``."""
    content = {
        "register": register.code,
        "reg_no": reg_no,
        "version_no": version_no,
        "supersedes": supersedes_hash,
        "is_void": is_void,
        "reason": reason,
        "recorded_at": recorded_at,
        "recorded_by": recorded_by,
        "participants": sorted(participants),
        **{k: v for k, v in fields.items() if v != LATER_FIELDS.get(k, _ABSENT)},
    }
    if tags:  # added with fields: none is what every earlier version had
        content["tags"] = sorted(tags)
    return content


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
    tags: tuple[str, ...] = ()
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
            tags=list(draft.tags),
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
        if draft.tags:
            tag_table = self.register.tag_table
            self.session.add_all(tag_table(version_id=version.id, tag=t) for t in draft.tags)
        self.head = digest
        return version
