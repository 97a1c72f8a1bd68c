"""The database-enforced append-only rule: the one definition of its triggers.

Every table of the log and of its evidence refuses UPDATE and DELETE; the registration
counter may only move forward. What each engine needs beyond that (measured, see
``shared/PITFALLS.md``):

- SQLite: ``INSERT OR REPLACE`` deletes the conflicting row without firing a DELETE trigger
  unless the connection set ``PRAGMA recursive_triggers=ON`` (ours do; the ``sqlite3`` shell
  does not). So a BEFORE INSERT trigger also refuses any row whose primary key or unique key
  already exists, whoever's connection it comes from.
- PostgreSQL: TRUNCATE fires no row trigger, so each table gets a statement-level one;
  ``INSERT … ON CONFLICT DO UPDATE`` runs the UPDATE trigger and is refused with it.

The unique keys are read from the database itself, so ``create`` is right at whatever
revision it runs. A batch migration on SQLite rebuilds a table and loses its triggers: every
migration after ``0002`` calls ``drop`` first and ``create`` last (see
``migrations/script.py.mako``), and a test checks the trigger list after ``upgrade head``.

Triggers stop mistakes and casual edits; whoever can write the SQLite file can drop them.
The hash chain (``tracker verify``) is what detects such tampering.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

# Tables whose rows are never changed or removed once written.
APPEND_ONLY_TABLES = (
    "side", "office", "contact_kind", "message_kind", "field", "contact_outcome", "source",
    "reported_figure",
    "staff", "staff_leave", "person", "person_version", "person_alias",
    "contact", "contact_version", "contact_participant", "contact_tag",
    "message", "message_version", "message_tag",
    "chain_check", "routine", "routine_source", "import_file",
)
COUNTER_TABLE = "register_counter"
# The text every refusal starts with: how ``tracker.db.session`` recognises one.
MARKER = "append-only:"

_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION tracker_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MARKER} % refuses %', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE OR REPLACE FUNCTION tracker_counter_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.register <> OLD.register OR NEW.last_no <= OLD.last_no THEN
        RAISE EXCEPTION '{MARKER} % only counts forward', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
"""


def _unique_keys(conn: Connection, table: str) -> list[list[str]]:
    """The primary key and every unique key of ``table`` as the database has them."""
    inspector = inspect(conn)
    keys: list[list[str | None]] = [list(inspector.get_pk_constraint(table)["constrained_columns"])]
    keys += [list(u["column_names"]) for u in inspector.get_unique_constraints(table)]
    keys += [list(i["column_names"]) for i in inspector.get_indexes(table) if i.get("unique")]
    unique: list[list[str]] = []
    for key in keys:
        columns = [c for c in key if c]  # an expression index has no column name
        if columns and columns not in unique:
            unique.append(columns)
    return unique


def _sqlite_statements(conn: Connection, table: str) -> list[str]:
    refuse = "SELECT RAISE(ABORT, '{marker} {table} refuses {op}');"
    if table == COUNTER_TABLE:
        on_update = (f"CREATE TRIGGER ao_{table}_update BEFORE UPDATE ON {table} "
                     "WHEN NEW.register <> OLD.register OR NEW.last_no <= OLD.last_no "
                     f"BEGIN SELECT RAISE(ABORT, '{MARKER} {table} only counts forward'); END")
    else:
        on_update = (f"CREATE TRIGGER ao_{table}_update BEFORE UPDATE ON {table} BEGIN "
                     + refuse.format(marker=MARKER, table=table, op="UPDATE") + " END")
    exists = " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE "
        + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")"
        for key in _unique_keys(conn, table)
    )
    return [
        on_update,
        f"CREATE TRIGGER ao_{table}_delete BEFORE DELETE ON {table} BEGIN "
        + refuse.format(marker=MARKER, table=table, op="DELETE") + " END",
        f"CREATE TRIGGER ao_{table}_replace BEFORE INSERT ON {table} WHEN {exists} BEGIN "
        f"SELECT RAISE(ABORT, '{MARKER} {table} refuses a row whose key exists'); END",
    ]


def _postgresql_statements(table: str) -> list[str]:
    update = "tracker_counter_forward" if table == COUNTER_TABLE else "tracker_refuse_change"
    return [
        f"CREATE TRIGGER ao_{table}_update BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {update}()",
        f"CREATE TRIGGER ao_{table}_delete BEFORE DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION tracker_refuse_change()",
        f"CREATE TRIGGER ao_{table}_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION tracker_refuse_change()",
    ]


def protected_tables(conn: Connection) -> list[str]:
    """The append-only tables (and the counter) that exist at this revision."""
    existing = set(inspect(conn).get_table_names())
    return [t for t in (*APPEND_ONLY_TABLES, COUNTER_TABLE) if t in existing]


def create(conn: Connection) -> None:
    """Create every trigger (after dropping any left from an earlier definition)."""
    drop(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(text(_PG_FUNCTIONS))
    for table in protected_tables(conn):
        statements = (_postgresql_statements(table) if conn.dialect.name == "postgresql"
                      else _sqlite_statements(conn, table))
        for statement in statements:
            conn.execute(text(statement))


def drop(conn: Connection) -> None:
    """Remove every trigger of ours (a migration that must rewrite rows does this first)."""
    for name, table in trigger_list(conn):
        if conn.dialect.name == "postgresql":
            conn.execute(text(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"'))
        else:
            conn.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP FUNCTION IF EXISTS tracker_refuse_change() CASCADE"))
        conn.execute(text("DROP FUNCTION IF EXISTS tracker_counter_forward() CASCADE"))


def trigger_list(conn: Connection) -> list[tuple[str, str]]:
    """(trigger, table) of every append-only trigger in the database, sorted."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text(
            "SELECT t.tgname, c.relname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE 'ao\\_%' "
            "AND c.relnamespace = current_schema()::regnamespace"
        ))
    else:
        rows = conn.execute(text(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'ao\\_%' ESCAPE '\\'"
        ))
    return sorted((str(name), str(table)) for name, table in rows)
