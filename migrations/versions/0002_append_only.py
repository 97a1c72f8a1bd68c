"""Append-only, enforced by the database: triggers refuse UPDATE, DELETE, REPLACE, TRUNCATE.

The definitions live in ``tracker/db/append_only.py``; this revision only creates them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 08:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tracker.db import append_only

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    append_only.create(op.get_bind())


def downgrade() -> None:
    append_only.drop(op.get_bind())
