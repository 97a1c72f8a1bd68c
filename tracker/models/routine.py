"""Routines: contacts the office's rules say happen every day, week or month (the co-heads'
weekly meeting), so that ``tracker check`` can list the periods where one is missing."""


import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, intpk, recorded_at_col, recorded_by_col, text_opt


class Routine(Base):
    __tablename__ = "routine"
    __table_args__ = (CheckConstraint("every IN ('day', 'week', 'month')", name="every"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind_code: Mapped[str] = mapped_column(ForeignKey("contact_kind.code"))
    every: Mapped[str] = mapped_column(String(10))
    time_of_day: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" of a routine call
    starts_on: Mapped[dt.date]
    basis: Mapped[text_opt]  # what the sources say, in our words
    seed_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]


class RoutineSource(Base):
    """A source that states the routine (several may)."""

    __tablename__ = "routine_source"

    routine_id: Mapped[int] = mapped_column(ForeignKey("routine.id"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), primary_key=True)
