"""PostgreSQL roles for a shared office database: clerks write the log, analysts read it.

The application never needs to log in as the owner of the tables: migrations and the seed
run as the owner (the administrator), everyone else logs in as a user that is a member of
``tracker_clerk`` (SELECT, INSERT on the log, moving the registration counter forward) or
``tracker_analyst`` (SELECT only). UPDATE, DELETE and TRUNCATE are refused to both by the
append-only triggers and, beneath them, by not being granted; dropping a trigger needs the
owner.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from tracker.errors import UnsupportedDatabase

CLERK = "tracker_clerk"
ANALYST = "tracker_analyst"
# The tables a clerk's commands insert into (reference data is loaded by the seed, as owner).
CLERK_INSERTS = ("contact", "contact_version", "contact_participant", "contact_tag",
                 "message", "message_version", "message_tag", "staff", "staff_leave",
                 "source", "reported_figure", "chain_check", "person", "person_version",
                 "person_alias", "routine", "routine_source")


def create_roles(conn: Connection) -> list[str]:
    """Create the two roles if missing and grant them on the current schema; what was done."""
    if conn.dialect.name != "postgresql":
        raise UnsupportedDatabase("roles are a PostgreSQL feature; a SQLite file is protected "
                                  "by its file permissions", field="db")
    done: list[str] = []
    for role in (CLERK, ANALYST):
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": role}).scalar()
        if not exists:
            conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
            done.append(f"created role {role}")
        else:
            done.append(f"role {role} exists")
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    both = f"{CLERK}, {ANALYST}"
    statements = [
        f'GRANT USAGE ON SCHEMA "{schema}" TO {both}',
        f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {both}',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" GRANT SELECT ON TABLES TO {both}',
        f'GRANT INSERT ON {", ".join(f"{schema!s}.{t}" for t in CLERK_INSERTS)} TO {CLERK}',
        f'GRANT UPDATE (last_no) ON "{schema}".register_counter TO {CLERK}',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {CLERK}',
    ]
    for statement in statements:
        conn.execute(text(statement))
    done.append(f"granted {ANALYST}: SELECT on every table of schema {schema}")
    done.append(f"granted {CLERK}: SELECT on every table, INSERT on "
                f"{', '.join(CLERK_INSERTS)}, UPDATE (last_no) on register_counter "
                "(forward only, by trigger)")
    return done
