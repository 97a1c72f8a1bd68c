"""SQL views of the log as it stands, for psql, Datasette, spreadsheets and BI tools.

``current_contacts``, ``current_messages`` and ``current_participants`` show each record's
current version once and leave void records out, with registration numbers, kind, field,
outcome and side names, dates and tags, so a tool that knows nothing about versions reads
the log as the reports count it (a contact counts as a round of contact when ``is_held``).

The definitions are frozen here: a later migration that changes a table these views read
drops them first and creates its own definitions after (SQLite refuses to rename a table
under a view that names it, which a batch migration does).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = ("current_participants", "current_messages", "current_contacts")


def _tags(table: str, dialect: str) -> str:
    if dialect == "postgresql":
        return (f"(SELECT string_agg(t.tag, '; ' ORDER BY t.tag) FROM {table} t "
                "WHERE t.version_id = v.id)")
    return (f"(SELECT group_concat(tag, '; ') FROM (SELECT t.tag FROM {table} t "
            "WHERE t.version_id = v.id ORDER BY t.tag))")


def _current(version_table: str) -> str:
    return (f"v.is_void = FALSE AND NOT EXISTS (SELECT 1 FROM {version_table} n "
            "WHERE n.supersedes_id = v.id)")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(f"""
CREATE VIEW current_contacts AS
SELECT c.reg_no, v.version_no, c.provenance,
       v.kind_code AS kind, k.name AS kind_name, k.is_meeting,
       v.date_from, v.date_to, v.time_of_day, v.subject, v.venue,
       v.initiated_by, si.name AS initiated_by_name,
       v.field_code AS field, f.name AS field_name,
       v.outcome_code AS outcome, o.name AS outcome_name, o.is_held,
       {_tags("contact_tag", dialect)} AS tags,
       v.notes, v.recorded_at, v.recorded_by
FROM contact_version v
JOIN contact c ON c.id = v.contact_id
JOIN contact_kind k ON k.code = v.kind_code
JOIN field f ON f.code = v.field_code
JOIN contact_outcome o ON o.code = v.outcome_code
LEFT JOIN side si ON si.code = v.initiated_by
WHERE {_current("contact_version")}
""")
    op.execute(f"""
CREATE VIEW current_messages AS
SELECT m.reg_no, v.version_no, m.provenance,
       v.kind_code AS kind, k.name AS kind_name,
       v.date_from, v.date_to, v.time_of_day, v.subject,
       v.from_side AS sender, ss.name AS sender_name,
       v.to_side AS recipient, sr.name AS recipient_name,
       v.field_code AS field, f.name AS field_name,
       {_tags("message_tag", dialect)} AS tags,
       c.reg_no AS contact, r.reg_no AS reply_to,
       v.notes, v.recorded_at, v.recorded_by
FROM message_version v
JOIN message m ON m.id = v.message_id
JOIN message_kind k ON k.code = v.kind_code
JOIN field f ON f.code = v.field_code
LEFT JOIN side ss ON ss.code = v.from_side
LEFT JOIN side sr ON sr.code = v.to_side
LEFT JOIN contact c ON c.id = v.contact_id
LEFT JOIN message r ON r.id = v.reply_to_id
WHERE {_current("message_version")}
""")
    op.execute(f"""
CREATE VIEW current_participants AS
SELECT c.reg_no, p.person_id, pv.name, pv.side_code AS side,
       pv.merged_into_id AS merged_into_person_id
FROM contact_version v
JOIN contact c ON c.id = v.contact_id
JOIN contact_participant p ON p.version_id = v.id
JOIN person_version pv ON pv.person_id = p.person_id
    AND NOT EXISTS (SELECT 1 FROM person_version n WHERE n.supersedes_id = pv.id)
WHERE {_current("contact_version")}
""")


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
