"""Staff: a post on one side of the office (a person's service there), with the person on
it when known."""


import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, intpk, recorded_at_col, recorded_by_col, text_opt


class Staff(Base):
    """A post in the office; ``person_id`` is NULL for a post whose holder was never named."""

    __tablename__ = "staff"

    id: Mapped[intpk]
    side_code: Mapped[str] = mapped_column(ForeignKey("side.code"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    service_from: Mapped[dt.date | None]  # NULL: start not known
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    seed_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Added in 0010: the key an import gave it, unique so that a re-run adds no one twice.
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]


class StaffLeave(Base):
    """The end of a staff member's service, added instead of updating the staff row."""

    __tablename__ = "staff_leave"

    id: Mapped[intpk]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), unique=True)
    service_to: Mapped[dt.date]
    reason: Mapped[text_opt]
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]
