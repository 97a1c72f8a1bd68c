"""People apart from posts: person (versioned, with aliases); staff becomes a post held by a
person; contact participants are people.

Existing data moves in place: every named staff post becomes a person with the post's id (so
the participant ids inside every version's hash stay the same and the chains still verify),
and so does an unnamed post that took part in a contact, named for what it is ("(unnamed
official, post #12)"). Each person's name is its first alias.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:40:00
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.db import append_only

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here as it was when this revision was written (tracker/services/names.py).
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015'\u2018\u2019`\u00b4.\u00b7]+")


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).casefold()
    return unicodedata.normalize("NFC", _SEPARATORS.sub("", folded))


def upgrade() -> None:
    bind = op.get_bind()
    append_only.drop(bind)
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("seed_key", sa.String(length=120), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name=op.f("fk_person_source_id_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_person_seed_key")),
    )
    op.create_table(
        "person_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("side_code", sa.String(length=1), nullable=True),
        sa.Column("affiliation", sa.String(length=2000), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("version_no >= 1", name=op.f("ck_person_version_version_no")),
        sa.ForeignKeyConstraint(["merged_into_id"], ["person.id"],
                                name=op.f("fk_person_version_merged_into_id_person")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_person_version_person_id_person")),
        sa.ForeignKeyConstraint(["side_code"], ["side.code"],
                                name=op.f("fk_person_version_side_code_side")),
        sa.ForeignKeyConstraint(["supersedes_id"], ["person_version.id"],
                                name=op.f("fk_person_version_supersedes_id_person_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_version")),
        sa.UniqueConstraint("person_id", "version_no",
                            name="uq_person_version_person_id_version"),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_person_version_supersedes_id")),
    )
    op.create_table(
        "person_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("normalised", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_person_alias_person_id_person")),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name=op.f("fk_person_alias_source_id_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_alias")),
        sa.UniqueConstraint("person_id", "normalised",
                            name="uq_person_alias_person_id_normalised"),
    )
    op.create_index(op.f("ix_person_alias_normalised"), "person_alias", ["normalised"])

    _people_from_posts(bind)

    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_staff_person_id"), ["person_id"])
        batch.create_foreign_key(batch.f("fk_staff_person_id_person"), "person",
                                 ["person_id"], ["id"])
    bind.execute(sa.text("UPDATE staff SET person_id = id "
                         "WHERE id IN (SELECT id FROM person)"))
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("name")

    with op.batch_alter_table("contact_participant") as batch:
        batch.drop_constraint("fk_contact_participant_staff_id_staff", type_="foreignkey")
        batch.drop_index("ix_contact_participant_staff_id")
        batch.alter_column("staff_id", new_column_name="person_id",
                           existing_type=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table("contact_participant") as batch:
        batch.create_foreign_key(batch.f("fk_contact_participant_person_id_person"), "person",
                                 ["person_id"], ["id"])
        batch.create_index(batch.f("ix_contact_participant_person_id"), ["person_id"])
    append_only.create(bind)


def _people_from_posts(bind: sa.Connection) -> None:
    posts = bind.execute(sa.text(
        "SELECT id, side_code, name, role, source_id, recorded_at, recorded_by FROM staff "
        "ORDER BY id")).all()
    took_part = set(bind.execute(sa.text(
        "SELECT DISTINCT staff_id FROM contact_participant")).scalars())
    for post_id, side, name, role, source_id, recorded_at, recorded_by in posts:
        if name is None and post_id not in took_part:
            continue
        shown = name or f"(unnamed {role}, post #{post_id})"
        values = {"id": post_id, "side": side, "name": shown, "source": source_id,
                  "at": recorded_at, "by": recorded_by, "norm": _normalise(shown)}
        bind.execute(sa.text(
            "INSERT INTO person (id, source_id, seed_key, recorded_at, recorded_by) "
            "VALUES (:id, :source, NULL, :at, :by)"), values)
        bind.execute(sa.text(
            "INSERT INTO person_version (person_id, version_no, supersedes_id, name, "
            "side_code, affiliation, merged_into_id, reason, recorded_at, recorded_by) "
            "VALUES (:id, 1, NULL, :name, :side, NULL, NULL, NULL, :at, :by)"), values)
        bind.execute(sa.text(
            "INSERT INTO person_alias (person_id, alias, normalised, source_id, recorded_at, "
            "recorded_by) VALUES (:id, :name, :norm, :source, :at, :by)"), values)
    if bind.dialect.name == "postgresql":  # explicit ids: move the sequence past them
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('person', 'id'), "
                             "coalesce(max(id), 0) + 1, false) FROM person"))


def downgrade() -> None:
    bind = op.get_bind()
    append_only.drop(bind)
    with op.batch_alter_table("contact_participant") as batch:
        batch.drop_constraint("fk_contact_participant_person_id_person", type_="foreignkey")
        batch.drop_index("ix_contact_participant_person_id")
        batch.alter_column("person_id", new_column_name="staff_id",
                           existing_type=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table("contact_participant") as batch:
        batch.create_foreign_key("fk_contact_participant_staff_id_staff", "staff",
                                 ["staff_id"], ["id"])
        batch.create_index("ix_contact_participant_staff_id", ["staff_id"])
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("name", sa.String(length=200), nullable=True))
    bind.execute(sa.text(
        "UPDATE staff SET name = (SELECT v.name FROM person_version v "
        "WHERE v.person_id = staff.person_id AND NOT EXISTS (SELECT 1 FROM person_version n "
        "WHERE n.supersedes_id = v.id))"))
    with op.batch_alter_table("staff") as batch:
        batch.drop_constraint("fk_staff_person_id_person", type_="foreignkey")
        batch.drop_index("ix_staff_person_id")
        batch.drop_column("person_id")
    op.drop_index(op.f("ix_person_alias_normalised"), table_name="person_alias")
    op.drop_table("person_alias")
    op.drop_table("person_version")
    op.drop_table("person")
    append_only.create(bind)
