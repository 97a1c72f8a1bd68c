"""Reference data: the two sides, the office, contact and message kinds, sources and figures."""


import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import (
    Base,
    intpk,
    recorded_at_col,
    recorded_by_col,
    str_code,
    str_name,
    text_opt,
)


class Side(Base):
    __tablename__ = "side"

    code: Mapped[str] = mapped_column(String(1), primary_key=True)
    name: Mapped[str_name]
    body: Mapped[str_name]  # the body that staffs the office for this side


class Source(Base):
    """Where a figure or a seeded record comes from."""

    __tablename__ = "source"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(100), unique=True)
    publisher: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    published_on: Mapped[dt.date | None]
    date_basis: Mapped[text_opt]  # how published_on is known (stated, inferred from …)
    seed_file: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))


class Office(Base):
    __tablename__ = "office"

    id: Mapped[intpk]
    name: Mapped[str_name] = mapped_column(unique=True)
    location: Mapped[str_name]
    opened_on: Mapped[dt.date]
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))


class ContactKind(Base):
    __tablename__ = "contact_kind"

    code: Mapped[str_code] = mapped_column(primary_key=True)
    name: Mapped[str_name]
    is_meeting: Mapped[bool]
    sort_order: Mapped[int]


class MessageKind(Base):
    __tablename__ = "message_kind"

    code: Mapped[str_code] = mapped_column(primary_key=True)
    name: Mapped[str_name]
    sort_order: Mapped[int]


class Field(Base):
    """The field a contact or message concerns: the unification ministry's categories of
    inter-Korean talks (political, military, economic, humanitarian, social-cultural), plus
    ``other`` and ``unknown`` (what a record says when no one has said)."""

    __tablename__ = "field"

    code: Mapped[str_code] = mapped_column(primary_key=True)
    name: Mapped[str_name]
    sort_order: Mapped[int]


class ContactOutcome(Base):
    """What became of a contact: only one that was held counts as a round of contact."""

    __tablename__ = "contact_outcome"

    code: Mapped[str_code] = mapped_column(primary_key=True)
    name: Mapped[str_name]
    is_held: Mapped[bool]
    sort_order: Mapped[int]


class ReportedFigure(Base):
    """A figure a source published, e.g. 285 contacts as of 2018-12-20.

    A figure reported as a range ("15-20") keeps both ends; an exact one has low == high.
    Conflicting claims are separate rows and are never averaged.
    """

    __tablename__ = "reported_figure"
    __table_args__ = (
        CheckConstraint("value_high >= value_low", name="value_range"),
        UniqueConstraint("metric", "as_of", "source_id", "qualifier", "value_low", "value_high"),
    )

    id: Mapped[intpk]
    metric: Mapped[str] = mapped_column(String(60))
    value_low: Mapped[int]
    value_high: Mapped[int]
    qualifier: Mapped[str_code]  # exact, about, some, expected …
    as_of: Mapped[dt.date]
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    note: Mapped[text_opt]
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]
