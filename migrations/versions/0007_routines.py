"""Routines: what the office's rules say happens every day, week or month.

New tables only (``routine``, ``routine_source``), empty until the seed or a clerk adds one;
nothing existing changes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.db import append_only

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    append_only.drop(op.get_bind())
    op.create_table(
        "routine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind_code", sa.String(length=20), nullable=False),
        sa.Column("every", sa.String(length=10), nullable=False),
        sa.Column("time_of_day", sa.String(length=5), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=2000), nullable=True),
        sa.Column("seed_key", sa.String(length=120), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("every IN ('day', 'week', 'month')", name=op.f("ck_routine_every")),
        sa.ForeignKeyConstraint(["kind_code"], ["contact_kind.code"],
                                name=op.f("fk_routine_kind_code_contact_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routine")),
        sa.UniqueConstraint("name", name=op.f("uq_routine_name")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_routine_seed_key")),
    )
    op.create_table(
        "routine_source",
        sa.Column("routine_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["routine_id"], ["routine.id"],
                                name=op.f("fk_routine_source_routine_id_routine")),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name=op.f("fk_routine_source_source_id_source")),
        sa.PrimaryKeyConstraint("routine_id", "source_id", name=op.f("pk_routine_source")),
    )
    append_only.create(op.get_bind())


def downgrade() -> None:
    append_only.drop(op.get_bind())
    op.drop_table("routine_source")
    op.drop_table("routine")
    append_only.create(op.get_bind())
