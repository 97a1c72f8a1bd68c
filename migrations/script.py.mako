"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.db import append_only, search_index
${imports if imports else ""}

revision: str = ${repr(up_revision)}
down_revision: str | Sequence[str] | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}


def upgrade() -> None:
    # The append-only triggers would refuse a rewrite of rows, and a batch migration on SQLite
    # drops a rebuilt table's triggers: take them all down, then re-create them from their
    # one definition (tracker/db/append_only.py) at the end; the same for the SQLite search
    # tables' triggers (tracker/db/search_index.py).
    append_only.drop(op.get_bind())
    ${upgrades if upgrades else "pass"}
    append_only.create(op.get_bind())
    search_index.ensure(op.get_bind())


def downgrade() -> None:
    append_only.drop(op.get_bind())
    ${downgrades if downgrades else "pass"}
    append_only.create(op.get_bind())
    search_index.ensure(op.get_bind())
