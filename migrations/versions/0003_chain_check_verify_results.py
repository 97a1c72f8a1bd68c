"""chain_check: the results of `tracker verify`, so every report can say if the log is broken.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:11:59
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.db import append_only

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The append-only triggers would refuse a rewrite of rows, and a batch migration on SQLite
    # drops a rebuilt table's triggers: take them all down, then re-create them from their
    # one definition (tracker/db/append_only.py) at the end.
    append_only.drop(op.get_bind())
    op.create_table(
        "chain_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("register", sa.String(length=1), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("versions", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("reg_no", sa.String(length=12), nullable=True),
        sa.Column("version_no", sa.Integer(), nullable=True),
        sa.Column("stored_hash", sa.String(length=64), nullable=True),
        sa.Column("what", sa.String(length=2000), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("checked_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("status IN ('ok', 'broken', 'accepted')",
                           name=op.f("ck_chain_check_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_check")),
    )
    append_only.create(op.get_bind())


def downgrade() -> None:
    append_only.drop(op.get_bind())
    op.drop_table("chain_check")
    append_only.create(op.get_bind())
