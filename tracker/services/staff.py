"""Staff posts: a person's service in the office. Add, list, leave; leaving adds a row and
the post and its history stay. Only posts count as staff in the summary and reconcile; a
counterpart who is not office staff is a person without a post."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.db.session import stream
from tracker.errors import AlreadyLeft, AmbiguousPerson, NoSuchPost, ServiceNotBegun
from tracker.models import Staff, StaffLeave
from tracker.services import people
from tracker.services.dates import one_day
from tracker.services.records import resolve
from tracker.services.records.text import clean_clerk, clean_text, required_text

STAFF_COLUMNS = ["id", "side", "name", "role", "service_from", "service_to", "status"]
POST_ID = re.compile(r"^#([0-9]{1,9})$")


def add_staff(session: Session, *, side: str, role: str, name: str | None = None,
              service_from: str | None = None, clerk: str, source_id: int | None = None,
              source_key: str | None = None, recorded_at: dt.datetime | None = None) -> Staff:
    """A new post; ``name`` is an existing person (any of their names) or a new one. An
    import gives the post's source and key, and when the exported log recorded it."""
    side_code = resolve.side(session, side, "side")
    role_text = required_text(role, "role", max_len=40)
    start = one_day(service_from, field="from") if service_from else None
    person_id = None
    if name is not None and clean_text(name, "name", max_len=200) is not None:
        known = people.named_exactly(session, name)  # never a partial match: no guessing
        if len(known) > 1:
            listed = "; ".join(p.label for p in known)
            raise AmbiguousPerson(f"'{name}' is the name of several people: {listed}; "
                                  "give #ID", field="name")
        person_id = known[0].id if known else people.add_person(
            session, name=name, side=side_code, new=True, clerk=clerk).id
    staff = Staff(side_code=side_code, person_id=person_id, role=role_text,
                  service_from=start, source_id=source_id, source_key=source_key,
                  recorded_at=recorded_at or utcnow(), recorded_by=clean_clerk(clerk))
    session.add(staff)
    session.flush()
    return staff


def find_post(session: Session, who: str, field: str = "who") -> Staff:
    """A post by ``#ID``, or the one post in service of the person named."""
    text = who.strip()
    match = POST_ID.match(text)
    if match:
        post = session.get(Staff, int(match[1]))
        if post is None:
            raise NoSuchPost(f"no staff post {text} (see `tracker staff list`)", field=field)
        return post
    person = people.find(session, text, field)
    held = people.folded_into(session, person.id)
    ended = select(StaffLeave.staff_id)
    posts = session.scalars(select(Staff).where(Staff.person_id.in_(held),
                                                Staff.id.not_in(ended))
                            .order_by(Staff.id)).all()
    if len(posts) == 1:
        return posts[0]
    if not posts:
        left = session.scalars(select(Staff).where(Staff.person_id.in_(held))
                               .order_by(Staff.id.desc()).limit(1)).first()
        if left is not None:
            raise AlreadyLeft("has already left", about=resolve.staff_label(session, left))
        raise NoSuchPost(f"{person.label} holds no post in the office", field=field)
    listed = "; ".join(resolve.staff_label(session, p) for p in posts)
    raise NoSuchPost(f"{person.label} holds several posts: {listed}; give the post's #ID",
                     field=field)


def leave(session: Session, who: str, *, on: str, reason: str | None, clerk: str) -> Staff:
    staff = find_post(session, who)
    service_to = one_day(on, field="on")
    if staff.service_from is not None and service_to < staff.service_from:
        raise ServiceNotBegun(f"{service_to} is before the service began "
                              f"({staff.service_from})", field="on")
    if session.scalar(select(StaffLeave.id).where(StaffLeave.staff_id == staff.id)):
        raise AlreadyLeft("has already left", about=resolve.staff_label(session, staff))
    session.add(StaffLeave(staff_id=staff.id, service_to=service_to,
                           reason=clean_text(reason, "reason"), recorded_at=utcnow(),
                           recorded_by=clean_clerk(clerk)))
    session.flush()
    return staff


def list_staff(session: Session, *, side: str | None = None,
               include_left: bool = False, limit: int | None = None
               ) -> Iterator[dict[str, Any]]:
    """Staff posts in id order, as a stream (the side is checked before the first row)."""
    query = (select(Staff, StaffLeave.service_to)
             .outerjoin(StaffLeave, StaffLeave.staff_id == Staff.id).order_by(Staff.id))
    if side is not None:
        query = query.where(Staff.side_code == resolve.side(session, side, "side"))
    if not include_left:
        query = query.where(StaffLeave.id.is_(None))
    if limit is not None:
        query = query.limit(limit)
    return _staff_rows(session, query)


def _staff_rows(session: Session, query: Any) -> Iterator[dict[str, Any]]:
    names = people.name_lookup(session)
    for s, to in stream(session, query):
        yield {"id": s.id, "side": s.side_code,
               "name": names([s.person_id])[0] if s.person_id else None, "role": s.role,
               "service_from": s.service_from, "service_to": to,
               "status": "left" if to else "in service"}
