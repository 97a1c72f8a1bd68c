"""Reply links between messages and an optional time of day on contacts and messages.

Both are new, optional fields of a version: existing versions have none, and a version's
hash covers them only when they are set, so every existing chain still verifies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 09:35:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.db import append_only

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A batch migration on SQLite drops a rebuilt table's triggers: take them all down, then
    # re-create them from their one definition (tracker/db/append_only.py) at the end.
    append_only.drop(op.get_bind())
    with op.batch_alter_table("contact_version") as batch:
        batch.add_column(sa.Column("time_of_day", sa.String(length=5), nullable=True))
    with op.batch_alter_table("message_version") as batch:
        batch.add_column(sa.Column("reply_to_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("time_of_day", sa.String(length=5), nullable=True))
        batch.create_index(batch.f("ix_message_version_reply_to_id"), ["reply_to_id"])
        batch.create_foreign_key(batch.f("fk_message_version_reply_to_id_message"), "message",
                                 ["reply_to_id"], ["id"])
    append_only.create(op.get_bind())


def downgrade() -> None:
    append_only.drop(op.get_bind())
    with op.batch_alter_table("message_version") as batch:
        batch.drop_constraint(batch.f("fk_message_version_reply_to_id_message"),
                              type_="foreignkey")
        batch.drop_index(batch.f("ix_message_version_reply_to_id"))
        batch.drop_column("time_of_day")
        batch.drop_column("reply_to_id")
    with op.batch_alter_table("contact_version") as batch:
        batch.drop_column("time_of_day")
    append_only.create(op.get_bind())
