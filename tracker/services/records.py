"""Reading the log for clerks: list with filters, show one record, its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import Session

from tracker.errors import UsageError
from tracker.models import ContactParticipant, Source, Staff
from tracker.services import lookup
from tracker.services.periods import make_period, parse_bound
from tracker.services.registers import CONTACTS, Register, is_current

CONTACT_COLUMNS = ["reg_no", "date", "kind", "subject", "venue", "initiated_by", "with",
                   "status", "recorded_by"]
MESSAGE_COLUMNS = ["reg_no", "date", "kind", "from", "to", "subject", "contact", "status",
                   "recorded_by"]


def date_label(start: dt.date, end: dt.date) -> str:
    return start.isoformat() if start == end else f"{start}/{end}"


@dataclass
class Filters:
    month: str | None = None
    start: str | None = None
    end: str | None = None
    kind: str | None = None
    side: str | None = None
    person: str | None = None
    include_void: bool = False


def list_records(session: Session, register: Register, filters: Filters) -> list[dict[str, Any]]:
    """Current versions, oldest number first. Date filters keep records that overlap them."""
    version, record = register.version, register.record
    conditions = [is_current(version)]
    if not filters.include_void:
        conditions.append(version.is_void == false())
    if filters.month is not None:
        if filters.start or filters.end:
            raise UsageError("--month: give either --month or --from/--to, not both")
        start = parse_bound(filters.month, field="--month", end=False)
        end = parse_bound(filters.month, field="--month", end=True)
    else:
        period = make_period(filters.start, filters.end)
        start, end = period.start, period.end
    if start is not None:
        conditions.append(version.date_to >= start)
    if end is not None:
        conditions.append(version.date_from <= end)
    if filters.kind is not None:
        kind_of = lookup.contact_kind if register is CONTACTS else lookup.message_kind
        conditions.append(version.kind_code == kind_of(session, filters.kind))
    if filters.side is not None:
        side = lookup.side(session, filters.side, "--side")
        if register is CONTACTS:
            conditions.append(version.initiated_by == side)
        else:
            conditions.append(or_(version.from_side == side, version.to_side == side))
    if filters.person is not None:
        if register is not CONTACTS:
            raise UsageError("--person: applies to contacts only")
        staff = lookup.person(session, filters.person, "--person")
        conditions.append(exists().where(and_(ContactParticipant.version_id == version.id,
                                              ContactParticipant.staff_id == staff.id)))
    rows = session.execute(
        select(record.reg_no, version)
        .join(record, getattr(version, register.record_fk) == record.id)
        .where(*conditions)
        .order_by(record.id)
    ).all()
    names = _participant_names(session, [v.id for _, v in rows]) if register is CONTACTS else {}
    linked = _contact_numbers(session, [v.contact_id for _, v in rows
                                        if getattr(v, "contact_id", None)])
    return [_row(register, reg_no, v, names.get(v.id, []), linked) for reg_no, v in rows]


def _row(register: Register, reg_no: str, v: Any, names: list[str],
         linked: dict[int, str]) -> dict[str, Any]:
    common = {"reg_no": reg_no, "date": date_label(v.date_from, v.date_to), "kind": v.kind_code,
              "subject": v.subject, "status": "void" if v.is_void else "current",
              "recorded_by": v.recorded_by}
    if register is CONTACTS:
        return {**common, "venue": v.venue, "initiated_by": v.initiated_by,
                "with": "; ".join(names)}
    return {**common, "from": v.from_side, "to": v.to_side,
            "contact": linked.get(v.contact_id) if v.contact_id else None}


def _participant_names(session: Session, version_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    if not version_ids:
        return names
    for chunk in _chunks(version_ids):
        for version_id, staff in session.execute(
            select(ContactParticipant.version_id, Staff)
            .join(Staff, Staff.id == ContactParticipant.staff_id)
            .where(ContactParticipant.version_id.in_(chunk))
            .order_by(ContactParticipant.version_id, Staff.id)
        ):
            names.setdefault(version_id, []).append(staff.name or f"#{staff.id}")
    return names


def _contact_numbers(session: Session, contact_ids: list[int]) -> dict[int, str]:
    from tracker.models import Contact

    found: dict[int, str] = {}
    for chunk in _chunks(sorted(set(contact_ids))):
        found.update(session.execute(
            select(Contact.id, Contact.reg_no).where(Contact.id.in_(chunk))).all())
    return found


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def history(session: Session, reg_no: str) -> tuple[Register, Any, list[dict[str, Any]]]:
    """Every version, oldest first, with what changed from the one before."""
    register, record = lookup.record(session, reg_no)
    version = register.version
    versions = session.scalars(
        select(version).where(getattr(version, register.record_fk) == record.id)
        .order_by(version.version_no)
    ).all()
    names = _participant_names(session, [v.id for v in versions]) if register is CONTACTS else {}
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for v in versions:
        state = {name: getattr(v, name) for name in register.fields}
        if register is CONTACTS:
            state["with"] = "; ".join(names.get(v.id, []))
        if previous is None:
            change = "created"
        elif v.is_void:
            change = "void"
        else:
            change = "; ".join(f"{k}: {_show(previous[k])} -> {_show(state[k])}"
                               for k in state if state[k] != previous[k])
        out.append({"version": v.version_no, "recorded_at": v.recorded_at.isoformat(sep=" "),
                    "recorded_by": v.recorded_by, "reason": v.reason, "change": change,
                    "hash": v.hash[:12]})
        previous = state
    return register, record, out


def _show(value: Any) -> str:
    return "(none)" if value is None else str(value)


def show(session: Session, reg_no: str) -> dict[str, Any]:
    """One record as it stands: current fields, participants, provenance and history size."""
    register, record, versions = history(session, reg_no)
    from tracker.services.logbook import current_version

    current = current_version(session, register, record)
    listed = list_one(session, register, current)
    source = session.get(Source, record.source_id) if record.source_id else None
    return {
        **listed,
        "notes": current.notes,
        "provenance": record.provenance,
        "source": f"{source.publisher}, {source.title} ({source.published_on})" if source
        else None,
        "versions": len(versions),
        "hash": current.hash,
        "history": versions,
    }


def list_one(session: Session, register: Register, v: Any) -> dict[str, Any]:
    record = session.get(register.record, getattr(v, register.record_fk))
    names = _participant_names(session, [v.id]) if register is CONTACTS else {}
    linked = _contact_numbers(session, [v.contact_id] if getattr(v, "contact_id", None) else [])
    return _row(register, record.reg_no, v, names.get(v.id, []), linked)
