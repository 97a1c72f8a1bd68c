"""The two registers of the log: contacts and messages, each an identity plus its versions.

A record (``contact``/``message``) holds what never changes: its registration number and
provenance. Everything a clerk may later correct lives in a version row. A correction or a
void appends a version whose ``supersedes_id`` points at the version it replaces, so nothing is
ever updated or deleted. ``supersedes_id`` is unique: a version is replaced at most once, the
history of a record is a chain, and the current version is the one nothing supersedes. Each
version also stores the hash of the register's previous version row, chaining the register.
"""


import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from tracker.models.base import Base, intpk, recorded_at_col, recorded_by_col, text_opt

PROVENANCE_CHECK = "provenance IN ('logged', 'seeded', 'imported')"


class RegisterCounter(Base):
    """Last registration number handed out per register; locked by every write to it."""

    __tablename__ = "register_counter"

    register: Mapped[str] = mapped_column(String(1), primary_key=True)
    last_no: Mapped[int]


class _Record:
    id: Mapped[intpk]
    reg_no: Mapped[str] = mapped_column(String(12), unique=True)
    provenance: Mapped[str] = mapped_column(String(10))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    seed_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Added in 0010 for imported records: the file they came from and their source key (the
    # file's ``external_ref``, else the file's SHA-256 and line), unique so a re-run adds none.
    import_file_id: Mapped[int | None] = mapped_column(ForeignKey("import_file.id"))
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (CheckConstraint(PROVENANCE_CHECK, name="provenance"),)


class _Version:
    """Columns every version row carries, whatever the register."""

    id: Mapped[intpk]
    version_no: Mapped[int]
    date_from: Mapped[dt.date]
    date_to: Mapped[dt.date]
    subject: Mapped[text_opt]
    notes: Mapped[text_opt]
    is_void: Mapped[bool]
    reason: Mapped[text_opt]  # why this version was made (NULL for the first)
    recorded_at: Mapped[recorded_at_col]
    recorded_by: Mapped[recorded_by_col]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Added in 0006; every earlier version says "unknown", never a guess.
    field_code: Mapped[str] = mapped_column(ForeignKey("field.code"),
                                            server_default=text("'unknown'"))


class Contact(_Record, Base):
    __tablename__ = "contact"


class ContactVersion(_Version, Base):
    __tablename__ = "contact_version"
    __table_args__ = (
        CheckConstraint("date_to >= date_from", name="date_order"),
        CheckConstraint("version_no >= 1", name="version_no"),
        UniqueConstraint("contact_id", "version_no", name="uq_contact_version_contact_id_version"),
        # Covering index for reports: GROUP BY (kind, day, outcome, initiator, field) reads
        # it in order, without touching the table (see migration 0006).
        Index("ix_contact_version_report", "kind_code", "date_from", "date_to", "outcome_code",
              "initiated_by", "field_code", "is_void", "recorded_at"),
        # A list for a period reads just that period (migration 0009).
        Index("ix_contact_version_dates", "date_from", "date_to"),
    )

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_version.id"), unique=True
    )
    kind_code: Mapped[str] = mapped_column(ForeignKey("contact_kind.code"))
    venue: Mapped[text_opt]
    initiated_by: Mapped[str | None] = mapped_column(ForeignKey("side.code"))
    time_of_day: Mapped[str | None] = mapped_column(String(5))  # "HH:MM", local office time
    outcome_code: Mapped[str] = mapped_column(ForeignKey("contact_outcome.code"),
                                              server_default=text("'held'"))


class ContactParticipant(Base):
    """Who took part (any person), per version: a correction may change the participants."""

    __tablename__ = "contact_participant"

    version_id: Mapped[int] = mapped_column(ForeignKey("contact_version.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)


class ContactTag(Base):
    """Free tags of a version (``railway``, ``forestry``): a correction may change them."""

    __tablename__ = "contact_tag"

    version_id: Mapped[int] = mapped_column(ForeignKey("contact_version.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class Message(_Record, Base):
    __tablename__ = "message"


class MessageVersion(_Version, Base):
    __tablename__ = "message_version"
    __table_args__ = (
        CheckConstraint("date_to >= date_from", name="date_order"),
        CheckConstraint("version_no >= 1", name="version_no"),
        CheckConstraint("from_side IS NULL OR to_side IS NULL OR from_side <> to_side",
                        name="sides_differ"),
        UniqueConstraint("message_id", "version_no", name="uq_message_version_message_id_version"),
        Index("ix_message_version_report", "date_from", "date_to", "from_side", "to_side",
              "field_code", "kind_code", "is_void", "recorded_at"),
    )

    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("message_version.id"), unique=True
    )
    kind_code: Mapped[str] = mapped_column(ForeignKey("message_kind.code"))
    from_side: Mapped[str | None] = mapped_column(ForeignKey("side.code"))
    to_side: Mapped[str | None] = mapped_column(ForeignKey("side.code"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"), index=True)
    time_of_day: Mapped[str | None] = mapped_column(String(5))  # "HH:MM", local office time


class MessageTag(Base):
    """Free tags of a message version."""

    __tablename__ = "message_tag"

    version_id: Mapped[int] = mapped_column(ForeignKey("message_version.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)
