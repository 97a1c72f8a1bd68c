"""People as the office knows them: anyone a contact may involve, staff or counterpart.

A person is an identity row plus versions (name, side, affiliation), corrected like records:
a correction or a merge appends a version that supersedes the current one, with a reason. A
merge's version names the person it was folded into; contacts keep the id they were logged
with and show the surviving person. Aliases (other romanisations, Hangul, titles used as
names) are matched after normalisation (``normalised``); they are only ever added.
"""

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, intpk, recorded_at_col, recorded_by_col, text_opt


class Person(Base):
    __tablename__ = "person"

    id: Mapped[intpk]
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    seed_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Added in 0010: the key an import gave it, unique so that a re-run adds no one twice.
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]


class PersonVersion(Base):
    __tablename__ = "person_version"
    __table_args__ = (
        CheckConstraint("version_no >= 1", name="version_no"),
        UniqueConstraint("person_id", "version_no", name="uq_person_version_person_id_version"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    version_no: Mapped[int]
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("person_version.id"),
                                                      unique=True)
    name: Mapped[str] = mapped_column(String(200))
    side_code: Mapped[str | None] = mapped_column(ForeignKey("side.code"))
    affiliation: Mapped[text_opt]  # title or affiliation: "Unification Minister"
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    reason: Mapped[text_opt]
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]


class PersonAlias(Base):
    __tablename__ = "person_alias"
    __table_args__ = (
        UniqueConstraint("person_id", "normalised", name="uq_person_alias_person_id_normalised"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    alias: Mapped[str] = mapped_column(String(200))
    normalised: Mapped[str] = mapped_column(String(200), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]
