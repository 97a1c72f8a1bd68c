"""The database itself refuses to change the log, whoever's connection asks.

The adversary here is not tracker: it is the engine's own client library (the stdlib
``sqlite3`` module with its default settings, so no ``PRAGMA recursive_triggers``; ``psycopg``
on PostgreSQL), as a clerk with a SQL shell or a script would use it. Every statement it
tries is refused by a trigger of ``tracker/db/append_only.py`` and leaves the table as it was.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import UniqueConstraint, create_engine, make_url, text

import tracker.models  # noqa: F401  (puts every table on Base.metadata)
from tracker.db.append_only import APPEND_ONLY_TABLES, COUNTER_TABLE, trigger_list
from tracker.models.base import Base

# What an adversary writes into one row of each table: (column, SQL expression). A table
# added later without an entry here is still covered: its first key column is set to itself,
# which the UPDATE trigger must refuse just the same.
CHANGE: dict[str, tuple[str, str]] = {
    "side": ("name", "'tampered'"),
    "office": ("location", "'tampered'"),
    "contact_kind": ("name", "'tampered'"),
    "message_kind": ("name", "'tampered'"),
    "source": ("title", "'tampered'"),
    "reported_figure": ("value_high", "value_high + 1"),
    "staff": ("role", "'tampered'"),
    "staff_leave": ("reason", "'tampered'"),
    "contact": ("provenance", "'seeded'"),
    "contact_version": ("subject", "'tampered'"),
    "contact_participant": ("person_id", "person_id + 1"),
    "person": ("recorded_by", "'tampered'"),
    "person_version": ("name", "'tampered'"),
    "person_alias": ("alias", "'tampered'"),
    "message": ("provenance", "'seeded'"),
    "message_version": ("subject", "'tampered'"),
    COUNTER_TABLE: ("last_no", "last_no + 1"),
}

# A few records logged on top of the seed, so that every protected table has rows written
# by tracker itself (participants, tags, corrections, a message linked to a contact, a leave,
# whatever `verify` records).
SETUP = [
    ("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "x",
     "--with", "Chun", "--with", "Jon", "--tag", "railway"),
    ("correct", "C-000286", "--subject", "y", "--reason", "r"),
    ("message", "log", "--sender", "S", "--recipient", "N",
     "--kind", "notice", "--on", "2018-12-21",
     "--subject", "z", "--contact", "C-000286", "--tag", "agenda"),
    ("correct", "M-000174", "--subject", "z2", "--reason", "r"),
    ("staff", "add", "--side", "S", "--role", "official", "--name", "Lee Min-ho",
     "--from", "2018-12-03"),
    ("staff", "leave", "Lee Min-ho", "--on", "2019-01-10", "--reason", "reassigned"),
    ("person", "correct", "Ri Son-gwon", "--affiliation", "chairman, CPRK", "--reason", "r"),
    ("person", "alias", "Jon Jong-su", "전종수"),
    ("verify",),
]


# --- helpers (this module's own) ------------------------------------------------------------

def key_columns(table: str) -> list[str]:
    return [c.name for c in Base.metadata.tables[table].primary_key.columns]


def all_columns(table: str) -> list[str]:
    return [c.name for c in Base.metadata.tables[table].columns]


def first_row(table: str) -> str:
    """A WHERE condition selecting the table's first row by primary key."""
    key = ", ".join(key_columns(table))
    return f"({key}) IN (SELECT {key} FROM {table} ORDER BY {key} LIMIT 1)"


def change_of(table: str) -> tuple[str, str]:
    if table in CHANGE:
        return CHANGE[table]
    column = key_columns(table)[0]
    return column, column


def snapshot(url: str, table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table``, read through a fresh connection."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            order = ", ".join(key_columns(table))
            return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))]
    finally:
        engine.dispose()


def count(url: str, table: str, where: str = "1 = 1") -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"))
                       .scalar_one())
    finally:
        engine.dispose()


class Adversary:
    """The engine's own client library on the tracker database, defaults untouched."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.engine = parsed.get_backend_name()
        self.conn: Any
        if self.engine == "sqlite":
            self.conn = sqlite3.connect(parsed.database)
            self.error: type[Exception] = sqlite3.DatabaseError
        else:
            self.conn = psycopg.connect(
                host=parsed.host, port=parsed.port, dbname=parsed.database,
                user=parsed.username, password=parsed.password,
                options=parsed.query.get("options"),
            )
            self.error = psycopg.Error

    def run(self, sql: str) -> None:
        self.conn.execute(sql)
        self.conn.commit()

    def refused(self, sql: str) -> str:
        """Run ``sql``, which must fail; the error text (the transaction is rolled back)."""
        try:
            with pytest.raises(self.error) as info:
                self.run(sql)
        finally:
            self.conn.rollback()
        return str(info.value)

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def logged_url(cli, tmp_path) -> str:
    for args in SETUP:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    # an import: import_file gets its row; records, a person and a post their source keys
    imported = tmp_path / "imported"
    imported.mkdir()
    for name, rows in (("contacts", "date_from,kind,subject\n2018-12-22,other,imported\n"),
                       ("messages", "date_from,kind,subject,sender,recipient\n"
                                    "2018-12-22,notice,imported,S,N\n"),
                       ("people", "person,name,side\n#1,Pak Chol,N\n"),
                       ("staff", "side,role,person\nN,official,#1\n")):
        (imported / f"{name}.csv").write_text(rows, encoding="utf-8")
    result = cli("import", str(imported))
    assert result.exit_code == 0, result.stderr
    return cli.url


@pytest.fixture
def adversary(logged_url: str) -> Iterator[Adversary]:
    attacker = Adversary(logged_url)
    yield attacker
    attacker.close()


def assert_refused(adversary: Adversary, url: str, table: str, sql: str, *words: str) -> None:
    before = snapshot(url, table)
    assert before, f"{table} has no rows to attack"
    if sql.startswith(("INSERT", "REPLACE")):  # an INSERT … SELECT copying nothing proves nothing
        where = sql.split(f" FROM {table} WHERE ", 1)[1].split(" ON CONFLICT ", 1)[0]
        assert count(url, table, where) == 1, f"no row to copy: {sql}"
    message = adversary.refused(sql)
    assert f"append-only: {table}" in message, message
    for word in words:
        assert word in message, message
    assert snapshot(url, table) == before


only_sqlite = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
only_postgresql = pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)


# --- UPDATE and DELETE, both engines --------------------------------------------------------

@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_update_is_refused(adversary: Adversary, logged_url: str, table: str) -> None:
    column, value = change_of(table)
    assert_refused(adversary, logged_url, table,
                   f"UPDATE {table} SET {column} = {value} WHERE {first_row(table)}", "UPDATE")


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_delete_is_refused(adversary: Adversary, logged_url: str, table: str) -> None:
    assert_refused(adversary, logged_url, table,
                   f"DELETE FROM {table} WHERE {first_row(table)}", "DELETE")


def test_the_newest_version_cannot_be_deleted_either(adversary: Adversary,
                                                     logged_url: str) -> None:
    for table in ("contact_version", "message_version"):
        assert_refused(adversary, logged_url, table,
                       f"DELETE FROM {table} WHERE id = (SELECT max(id) FROM {table})")


# --- upsert: ON CONFLICT DO UPDATE, both engines --------------------------------------------

@pytest.mark.parametrize("table", [*APPEND_ONLY_TABLES, COUNTER_TABLE])
def test_insert_on_conflict_do_update_is_refused(adversary: Adversary, logged_url: str,
                                                 table: str) -> None:
    columns = ", ".join(all_columns(table))
    key = ", ".join(key_columns(table))
    column, value = change_of(table)
    if table == COUNTER_TABLE:
        column, value = "last_no", "1"  # backwards: the one change the counter refuses
    # In DO UPDATE a bare column name could be the existing row or EXCLUDED: qualify it.
    for name in all_columns(table):
        value = re.sub(rf"(?<![.\w']){name}\b", f"{table}.{name}", value)
    assert_refused(adversary, logged_url, table,
                   f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} "
                   f"WHERE {first_row(table)} ON CONFLICT ({key}) DO UPDATE SET "
                   f"{column} = {value}")


# --- SQLite: INSERT OR REPLACE deletes without a DELETE trigger on a default connection -----

def _copy_row(table: str, where: str, overrides: dict[str, str], verb: str) -> str:
    """``verb INTO table … SELECT`` the row ``where`` selects, some columns overridden."""
    columns = all_columns(table)
    values = ", ".join(overrides.get(c, c) for c in columns)
    return (f"{verb} INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} "
            f"WHERE {where}")


@only_sqlite
@pytest.mark.parametrize("table", [*APPEND_ONLY_TABLES, COUNTER_TABLE])
def test_sqlite_replace_of_an_existing_key_is_refused(adversary: Adversary, logged_url: str,
                                                      table: str) -> None:
    column, value = change_of(table)
    overrides = {} if column in key_columns(table) else {column: value}
    assert_refused(adversary, logged_url, table,
                   _copy_row(table, first_row(table), overrides, "INSERT OR REPLACE"))
    assert_refused(adversary, logged_url, table,
                   _copy_row(table, first_row(table), overrides, "REPLACE"))


def _unique_key_cases() -> list[Any]:
    """(table, unique key) for every table with a surrogate id and a unique key besides it."""
    cases = []
    for table in APPEND_ONLY_TABLES:
        t = Base.metadata.tables[table]
        if key_columns(table) != ["id"]:
            continue
        for constraint in t.constraints:
            if isinstance(constraint, UniqueConstraint):
                key = tuple(c.name for c in constraint.columns)
                cases.append(pytest.param(table, key, id=f"{table}({','.join(key)})"))
    return cases


@only_sqlite
@pytest.mark.parametrize(("table", "key"), _unique_key_cases())
def test_sqlite_replace_with_a_new_id_but_an_existing_unique_key_is_refused(
        adversary: Adversary, logged_url: str, table: str, key: tuple[str, ...]) -> None:
    """A new primary key, only ``key`` taken: REPLACE would silently delete the old row."""
    t = Base.metadata.tables[table]
    overrides = {"id": f"(SELECT max(id) + 1 FROM {table})"}
    for other in t.constraints:
        if not isinstance(other, UniqueConstraint):
            continue
        for column in other.columns:
            if column.name in key:
                continue
            if column.nullable:
                overrides[column.name] = "NULL"
            elif column.type.python_type is str:
                overrides[column.name] = f"'tampered-{column.name}'"
            else:
                overrides[column.name] = f"{column.name} + 100000"
    newest = (f"id = (SELECT max(id) FROM {table} WHERE "
              + " AND ".join(f"{c} IS NOT NULL" for c in key) + ")")
    assert_refused(adversary, logged_url, table,
                   _copy_row(table, newest, overrides, "INSERT OR REPLACE"))


@only_sqlite
def test_sqlite_replace_attack_would_succeed_without_the_triggers(logged_url: str) -> None:
    """The REPLACE statements above are real attacks: with the triggers gone they pass."""
    attacker = Adversary(logged_url)
    try:
        for name, _table in trigger_list_of(logged_url):
            attacker.run(f'DROP TRIGGER "{name}"')
        before = snapshot(logged_url, "contact")
        attacker.run(_copy_row("contact", "reg_no = 'C-000286'",
                               {"id": "(SELECT max(id) + 1 FROM contact)"},
                               "INSERT OR REPLACE"))
    finally:
        attacker.close()
    after = snapshot(logged_url, "contact")
    assert len(after) == len(before) and after != before


def trigger_list_of(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return trigger_list(conn)
    finally:
        engine.dispose()


# --- PostgreSQL: TRUNCATE fires no row trigger ----------------------------------------------

@only_postgresql
@pytest.mark.parametrize("table", [*APPEND_ONLY_TABLES, COUNTER_TABLE])
def test_postgresql_truncate_is_refused(adversary: Adversary, logged_url: str,
                                        table: str) -> None:
    assert_refused(adversary, logged_url, table, f"TRUNCATE {table} CASCADE", "TRUNCATE")


@only_postgresql
def test_postgresql_truncate_without_cascade_is_refused_by_the_trigger(
        adversary: Adversary, logged_url: str) -> None:
    """A table no foreign key points at: nothing but the trigger stands in the way."""
    for table in ("contact_participant", "staff_leave", "reported_figure"):
        assert_refused(adversary, logged_url, table, f"TRUNCATE {table}", "TRUNCATE")


# --- the counter may only count forward -----------------------------------------------------

COUNTER_REFUSALS = {
    "decrease": "UPDATE register_counter SET last_no = last_no - 1 WHERE register = 'C'",
    "unchanged": "UPDATE register_counter SET last_no = last_no WHERE register = 'C'",
    "rename": "UPDATE register_counter SET register = 'X', last_no = last_no + 1 "
              "WHERE register = 'C'",
    "delete": "DELETE FROM register_counter WHERE register = 'C'",
}


@pytest.mark.parametrize("attack", list(COUNTER_REFUSALS))
def test_counter_refuses(adversary: Adversary, logged_url: str, attack: str) -> None:
    assert_refused(adversary, logged_url, COUNTER_TABLE, COUNTER_REFUSALS[attack])


def test_counter_may_count_forward_by_one(adversary: Adversary, logged_url: str) -> None:
    before = dict(snapshot(logged_url, COUNTER_TABLE))
    adversary.run("UPDATE register_counter SET last_no = last_no + 1 WHERE register = 'C'")
    after = dict(snapshot(logged_url, COUNTER_TABLE))
    assert after == {**before, "C": before["C"] + 1}


def test_counter_moved_back_by_hand_stops_the_next_log(adversary: Adversary, logged_url: str,
                                                       cli) -> None:
    """Whoever drops the trigger and moves the counter back gets no reused number."""
    drop = "DROP TRIGGER ao_register_counter_update"
    adversary.run(drop if adversary.engine == "sqlite" else f"{drop} ON register_counter")
    adversary.run("UPDATE register_counter SET last_no = 280 WHERE register = 'C'")
    tables = ("contact", "contact_version", "contact_participant", COUNTER_TABLE)
    before = {t: snapshot(logged_url, t) for t in tables}

    result = cli("contact", "log", "--kind", "chief", "--on", "2018-12-22", "--subject",
                 "after the counter moved", "--with", "Chun")

    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    assert "registration number C-000281 is already taken" in lines[0]
    assert {t: snapshot(logged_url, t) for t in tables} == before


# --- the trigger list and tracker's own translation -----------------------------------------

def test_trigger_list_after_migration(migrated_url: str, engine_name: str) -> None:
    extra = "replace" if engine_name == "sqlite" else "truncate"
    expected = sorted((f"ao_{table}_{op}", table)
                      for table in (*APPEND_ONLY_TABLES, COUNTER_TABLE)
                      for op in ("update", "delete", extra))
    assert trigger_list_of(migrated_url) == expected


def test_tracker_reports_a_refusal_as_one_line(logged_url: str) -> None:
    from tracker.db.session import Database
    from tracker.errors import AppendOnlyViolation

    before = snapshot(logged_url, "contact_version")
    db = Database(logged_url)
    try:
        with pytest.raises(AppendOnlyViolation) as info, db.write() as session:
            session.execute(text("UPDATE contact_version SET subject = 'x'"))
    finally:
        db.dispose()
    description = info.value.describe()
    assert description == "the log is append-only: contact_version refuses UPDATE"
    assert "\n" not in description
    assert snapshot(logged_url, "contact_version") == before
