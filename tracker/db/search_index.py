"""The SQLite search tables' one definition: what each register's FTS5 table holds and the
trigger that keeps it current.

Migration 0009 creates them. A batch migration of a version table (SQLite copies and renames
it) drops the table's triggers with it, so every migration ends by calling :func:`ensure`
(the Alembic template does), as it re-creates the append-only triggers: a missing trigger
would leave every later version out of search, without a sound.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

# Per version table, the columns searched (PostgreSQL's index in 0009 joins the same ones).
SEARCHED = {
    "contact_version": ("subject", "venue", "notes", "reason"),
    "message_version": ("subject", "notes", "reason"),
}


def trigger_name(table: str) -> str:
    return f"fts_{table}_insert"


def ensure(conn: Connection) -> None:
    """Create each search table's trigger where the table exists and the trigger does not
    (SQLite only: PostgreSQL's trigram index needs no trigger)."""
    if conn.dialect.name != "sqlite":
        return
    tables = set(inspect(conn).get_table_names())
    for table, columns in SEARCHED.items():
        if f"fts_{table}" not in tables or table not in tables:
            continue
        listed = ", ".join(columns)
        values = ", ".join(f"new.{c}" for c in columns)
        conn.execute(text(
            f"CREATE TRIGGER IF NOT EXISTS {trigger_name(table)} AFTER INSERT ON {table} "
            f"BEGIN INSERT INTO fts_{table} (rowid, {listed}) VALUES (new.id, {values}); END"))


def triggers(conn: Connection) -> list[str]:
    """The search triggers a SQLite database has, sorted."""
    if conn.dialect.name != "sqlite":
        return []
    return sorted(str(name) for name in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'fts\\_%' "
        "ESCAPE '\\'")).scalars())
