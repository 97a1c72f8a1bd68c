"""Search indexes and the index a date filter needs.

- ``ix_contact_version_dates`` (date_from, date_to): a list for one month reads that month's
  rows; the report index starts with the kind, so without this a date-only filter read the
  whole register. (Messages' report index already starts with date_from.)
- Search over each version's subject, venue, notes and reason, with each engine's own
  machinery. SQLite: an FTS5 table per register with the ``trigram`` tokenizer (Korean has no
  spaces inside words, so word tokenizers miss a word inside a longer one), reading its text
  from the version table (external content, nothing stored twice) and kept current by an
  AFTER INSERT trigger; versions are never updated or deleted, so no other trigger is
  needed. PostgreSQL: a GIN ``pg_trgm`` index on the same text joined by newlines, which the
  database keeps current itself. Existing versions are indexed here, on both engines.

A later batch migration of a version table (SQLite copies and renames it) drops the trigger
with the table: every migration ends with ``search_index.ensure`` (the Alembic template
calls it), which creates it again from its one definition in tracker/db/search_index.py.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.db import search_index

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED = {  # frozen here; tracker/db/search_index.py holds the same for later migrations
    "contact_version": ("subject", "venue", "notes", "reason"),
    "message_version": ("subject", "notes", "reason"),
}


def _pg_text(columns: Sequence[str]) -> str:
    return "(" + " || E'\\n' || ".join(f"coalesce({c}, '')" for c in columns) + ")"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_index("ix_contact_version_dates", "contact_version", ["date_from", "date_to"])
    if dialect == "postgresql":
        # In ``public`` unless it is already installed: an extension lives in one schema
        # per database, and the log's schema may be dropped or several may share it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        schema = op.get_bind().scalar(sa.text(
            "SELECT quote_ident(n.nspname) FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"))
        for table, columns in SEARCHED.items():
            op.execute(f"CREATE INDEX ix_{table}_text ON {table} "
                       f"USING gin ({_pg_text(columns)} {schema}.gin_trgm_ops)")
        return
    for table, columns in SEARCHED.items():
        listed = ", ".join(columns)
        op.execute(f"CREATE VIRTUAL TABLE fts_{table} USING fts5({listed}, "
                   f"content='{table}', content_rowid='id', tokenize='trigram')")
        op.execute(f"INSERT INTO fts_{table} (fts_{table}) VALUES ('rebuild')")
    search_index.ensure(op.get_bind())  # the triggers that keep them current


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in SEARCHED:
        if dialect == "postgresql":
            op.execute(f"DROP INDEX ix_{table}_text")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS fts_{table}_insert")
            op.execute(f"DROP TABLE fts_{table}")
    op.drop_index("ix_contact_version_dates", table_name="contact_version")
