"""Staff posts: add, list, leave. Leaving adds a row; the staff row and its history stay."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import RejectedError
from tracker.models import Staff, StaffLeave
from tracker.services import lookup
from tracker.services.clock import local_today, utcnow
from tracker.services.event_dates import parse_day_or_month
from tracker.services.logbook import clean_clerk, clean_text

STAFF_COLUMNS = ["id", "side", "name", "role", "service_from", "service_to", "status"]


def _day(value: str, field: str):
    start, end = parse_day_or_month(value, field=field, today=local_today())
    if start != end:
        raise RejectedError(f"{field}: '{value}' is a month; give the day (YYYY-MM-DD)")
    if start > local_today():
        raise RejectedError(f"{field}: {start} is in the future")
    return start


def add_staff(session: Session, *, side: str, role: str, name: str | None = None,
              service_from: str | None = None, clerk: str) -> Staff:
    staff = Staff(
        side_code=lookup.side(session, side, "--side"),
        name=clean_text(name, "--name", max_len=200),
        role=clean_text(role, "--role", required=True, max_len=40),
        service_from=_day(service_from, "--from") if service_from else None,
        recorded_at=utcnow(),
        recorded_by=clean_clerk(clerk),
    )
    session.add(staff)
    session.flush()
    return staff


def leave(session: Session, who: str, *, on: str, reason: str | None, clerk: str) -> Staff:
    staff = lookup.person(session, who, "STAFF")
    service_to = _day(on, "--on")
    if staff.service_from is not None and service_to < staff.service_from:
        raise RejectedError(f"--on: {service_to} is before the service began "
                            f"({staff.service_from})")
    if session.scalar(select(StaffLeave.id).where(StaffLeave.staff_id == staff.id)):
        raise RejectedError(f"{lookup.staff_label(staff)} has already left")
    session.add(StaffLeave(staff_id=staff.id, service_to=service_to,
                           reason=clean_text(reason, "--reason"), recorded_at=utcnow(),
                           recorded_by=clean_clerk(clerk)))
    session.flush()
    return staff


def list_staff(session: Session, *, side: str | None = None,
               include_left: bool = False) -> list[dict[str, Any]]:
    query = (select(Staff, StaffLeave.service_to)
             .outerjoin(StaffLeave, StaffLeave.staff_id == Staff.id).order_by(Staff.id))
    if side is not None:
        query = query.where(Staff.side_code == lookup.side(session, side, "--side"))
    if not include_left:
        query = query.where(StaffLeave.id.is_(None))
    return [
        {"id": s.id, "side": s.side_code, "name": s.name, "role": s.role,
         "service_from": s.service_from, "service_to": to,
         "status": "left" if to else "in service"}
        for s, to in session.execute(query)
    ]
