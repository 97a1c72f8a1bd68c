"""Imports: records may come from a file, named and fingerprinted, each under a source key.

- ``import_file``: one row per file ``tracker import`` took records from (name, SHA-256,
  when and by whom).
- ``contact`` / ``message``: provenance may now be ``imported``; ``import_file_id`` names the
  file and ``source_key`` (unique) the row in it, so re-running an import adds nothing.
- ``person`` / ``staff``: ``source_key`` (unique), for the same reason.

Existing rows keep what they have: their new columns are NULL. Going back is refused once an
import has been recorded, since revision 0009 could not say where those records came from.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 16:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.db import append_only, search_index

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_PROVENANCE = "provenance IN ('logged', 'seeded')"
NEW_PROVENANCE = "provenance IN ('logged', 'seeded', 'imported')"


def _views_down() -> list[str]:
    """On SQLite, drop the views (a batch migration renames the tables they read, which
    SQLite refuses) and return their exact definitions to re-create; PostgreSQL alters the
    tables in place and keeps its views."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return []
    views = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'view' "
                                 "ORDER BY name")).all()
    for name, _ in views:
        op.execute(f'DROP VIEW "{name}"')
    return [sql for _, sql in views]


def _views_up(definitions: list[str]) -> None:
    for sql in definitions:
        op.execute(sql)


def upgrade() -> None:
    # The append-only triggers would refuse a rewrite of rows, and a batch migration on SQLite
    # drops a rebuilt table's triggers: take them all down, then re-create them from their
    # one definition (tracker/db/append_only.py) at the end; the same for the SQLite search
    # tables' triggers (tracker/db/search_index.py).
    append_only.drop(op.get_bind())
    op.create_table(
        "import_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_file")),
    )
    views = _views_down()
    for table in ("contact", "message"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("import_file_id", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("source_key", sa.String(length=200), nullable=True))
            batch.create_foreign_key(batch.f(f"fk_{table}_import_file_id_import_file"),
                                     "import_file", ["import_file_id"], ["id"])
            batch.create_unique_constraint(batch.f(f"uq_{table}_source_key"), ["source_key"])
            batch.drop_constraint(batch.f(f"ck_{table}_provenance"), type_="check")
            batch.create_check_constraint(batch.f(f"ck_{table}_provenance"), NEW_PROVENANCE)
    for table in ("person", "staff"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("source_key", sa.String(length=200), nullable=True))
            batch.create_unique_constraint(batch.f(f"uq_{table}_source_key"), ["source_key"])
    _views_up(views)
    append_only.create(op.get_bind())
    search_index.ensure(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    imported = conn.execute(sa.text("SELECT count(*) FROM import_file")).scalar_one()
    keyed = sum(conn.execute(sa.text(f"SELECT count(*) FROM {t} WHERE source_key IS NOT NULL"))
                .scalar_one() for t in ("contact", "message", "person", "staff"))
    if imported or keyed:
        raise RuntimeError(f"{imported} imported files and {keyed} rows with a source key are "
                           "recorded; revision 0009 cannot say where they came from, so the "
                           "log is not downgraded")
    append_only.drop(op.get_bind())
    views = _views_down()
    for table in ("staff", "person"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(batch.f(f"uq_{table}_source_key"), type_="unique")
            batch.drop_column("source_key")
    for table in ("message", "contact"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(batch.f(f"ck_{table}_provenance"), type_="check")
            batch.create_check_constraint(batch.f(f"ck_{table}_provenance"), OLD_PROVENANCE)
            batch.drop_constraint(batch.f(f"uq_{table}_source_key"), type_="unique")
            batch.drop_constraint(batch.f(f"fk_{table}_import_file_id_import_file"),
                                  type_="foreignkey")
            batch.drop_column("source_key")
            batch.drop_column("import_file_id")
    op.drop_table("import_file")
    _views_up(views)
    append_only.create(op.get_bind())
    search_index.ensure(op.get_bind())
