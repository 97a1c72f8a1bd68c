"""Held contacts as event data: one record per contact, in the shape event-data analysts use.

Each held, current, non-void contact becomes one event: its date (or the interval it is known
to), the source actor (the side that initiated it) and the target actor (the other side), an
event type mapped from its kind, its field, its registration number and its source. A
contact whose initiator was not recorded has no source or target actor: the two sides met,
but who asked is not known, and it is not guessed.

Event types (our mapping, stated in the README): a meeting of any level is ``meeting``
(CAMEO 046, "engage in negotiation"); any other contact is ``consultation`` (CAMEO 040,
"consult").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from tracker.models import Contact, ContactKind, ContactVersion, Side, Source
from tracker.services.records.registers import is_current
from tracker.services.reports.counting import held

EVENT_TYPES = {True: ("meeting", "046"), False: ("consultation", "040")}
BATCH = 2_000


def events(session: Session) -> Iterator[dict[str, Any]]:
    """The events, oldest first, streamed in batches (a large log is never held at once)."""
    sides = {code: name for code, name in session.execute(select(Side.code, Side.name))}
    v = ContactVersion
    rows = session.execute(
        select(Contact.reg_no, v.date_from, v.date_to, v.time_of_day, v.kind_code,
               ContactKind.is_meeting, v.initiated_by, v.field_code, Source.key)
        .join(Contact, Contact.id == v.contact_id)
        .join(ContactKind, ContactKind.code == v.kind_code)
        .outerjoin(Source, Source.id == Contact.source_id)
        .where(v.is_void == false(), is_current(v), held(v))
        .order_by(v.date_from, Contact.id)
        .execution_options(yield_per=BATCH))
    for reg_no, d0, d1, at, kind, is_meeting, initiator, field, source in rows:
        event_type, cameo = EVENT_TYPES[bool(is_meeting)]
        target = next((code for code in sides if code != initiator), None) if initiator \
            else None
        yield {
            "date": d0.isoformat() if d0 == d1 else None,
            "date_from": d0.isoformat(),
            "date_to": d1.isoformat(),
            "time_of_day": at,
            "source_actor": sides.get(initiator) if initiator else None,
            "source_side": initiator,
            "target_actor": sides.get(target) if target else None,
            "target_side": target,
            "event_type": event_type,
            "cameo_code": cameo,
            "kind": kind,
            "field": field,
            "reg_no": reg_no,
            "source": source or "logged",
        }
