"""Staff posts: add, list, leave. Leaving adds a row; the staff row and its history stay."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.errors import AlreadyLeft, ServiceNotBegun
from tracker.models import Staff, StaffLeave
from tracker.services.dates import one_day
from tracker.services.records import resolve
from tracker.services.records.text import clean_clerk, clean_text, required_text

STAFF_COLUMNS = ["id", "side", "name", "role", "service_from", "service_to", "status"]


def add_staff(session: Session, *, side: str, role: str, name: str | None = None,
              service_from: str | None = None, clerk: str) -> Staff:
    staff = Staff(
        side_code=resolve.side(session, side, "side"),
        name=clean_text(name, "name", max_len=200),
        role=required_text(role, "role", max_len=40),
        service_from=one_day(service_from, field="from") if service_from else None,
        recorded_at=utcnow(),
        recorded_by=clean_clerk(clerk),
    )
    session.add(staff)
    session.flush()
    return staff


def leave(session: Session, who: str, *, on: str, reason: str | None, clerk: str) -> Staff:
    staff = resolve.person(session, who, "who")
    service_to = one_day(on, field="on")
    if staff.service_from is not None and service_to < staff.service_from:
        raise ServiceNotBegun(f"{service_to} is before the service began "
                              f"({staff.service_from})", field="on")
    if session.scalar(select(StaffLeave.id).where(StaffLeave.staff_id == staff.id)):
        raise AlreadyLeft("has already left", about=resolve.staff_label(staff))
    session.add(StaffLeave(staff_id=staff.id, service_to=service_to,
                           reason=clean_text(reason, "reason"), recorded_at=utcnow(),
                           recorded_by=clean_clerk(clerk)))
    session.flush()
    return staff


def list_staff(session: Session, *, side: str | None = None,
               include_left: bool = False) -> list[dict[str, Any]]:
    query = (select(Staff, StaffLeave.service_to)
             .outerjoin(StaffLeave, StaffLeave.staff_id == Staff.id).order_by(Staff.id))
    if side is not None:
        query = query.where(Staff.side_code == resolve.side(session, side, "side"))
    if not include_left:
        query = query.where(StaffLeave.id.is_(None))
    return [
        {"id": s.id, "side": s.side_code, "name": s.name, "role": s.role,
         "service_from": s.service_from, "service_to": to,
         "status": "left" if to else "in service"}
        for s, to in session.execute(query)
    ]
