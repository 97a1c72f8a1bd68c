"""``tracker verify`` finds tampering, on both engines.

The attacker here has what the append-only triggers cannot stop: the SQLite file or the
PostgreSQL schema's owner. It drops the triggers (``append_only.drop``), switches foreign keys
off (SQLite ``PRAGMA foreign_keys=OFF``, PostgreSQL ``session_replication_role = replica``)
and edits rows with plain SQL. The hash chain must show every such edit; only a log cut back
to an earlier, still valid state needs a head saved before (``--save``, ``--head``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Connection, Table, bindparam, create_engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from tracker.db import append_only
from tracker.db.engine import make_engine
from tracker.models import ContactVersion, MessageVersion

HEX64 = re.compile(r"[0-9a-f]{64}")
CONTACT_VERSION: Table = ContactVersion.__table__  # type: ignore[assignment]
MESSAGE_VERSION: Table = MessageVersion.__table__  # type: ignore[assignment]

# Seeded log (C-000001 … C-000285, M-000001 … M-000173) plus, in this order:
SETUP = [
    ("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "x",
     "--with", "Chun", "--with", "Jon"),                                       # C-000286
    ("correct", "C-000286", "--subject", "y", "--reason", "r"),                # … version 2
    ("message", "log", "--sender", "S", "--recipient", "N",
     "--kind", "notice", "--on", "2018-12-21",
     "--subject", "z", "--contact", "C-000286"),                              # M-000174
    ("correct", "M-000174", "--subject", "z2", "--reason", "r"),               # … version 2
    ("contact", "log", "--kind", "other", "--on", "2018-12", "--subject", "w",
     "--initiated-by", "N"),                                                   # C-000287
    ("message", "log", "--sender", "N", "--recipient", "S",
     "--kind", "document", "--on", "2018-12-22",
     "--subject", "v"),                                                        # M-000175
    ("void", "M-000175", "--reason", "logged twice"),                          # … version 2
    ("correct", "C-000287", "--on", "2018-12-26", "--reason", "minutes"),     # … version 2
]
# The version the tamper matrix edits: version 2 of a corrected record, with later versions
# after it in the chain (and, for the contact, participants; for the message, a contact).
TARGET = {"contact_version": "C-000286", "message_version": "M-000174"}
RECORD = {"contact_version": ("contact", "contact_id", "C"),
          "message_version": ("message", "message_id", "M")}
# Every break verify reports says what does not match in one of these words.
WHAT = ("does not match", "changed", "broken", "supersedes", "missing", "inserted",
        "out of sequence", "no version")


# --- helpers (this module's own) ------------------------------------------------------------

@pytest.fixture
def logged_url(cli) -> str:
    for args in SETUP:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return cli.url


@contextmanager
def attacker(url: str) -> Iterator[Connection]:
    """One committed transaction as the database's owner: no triggers, no foreign keys."""
    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            append_only.drop(conn)
            yield conn
    finally:
        engine.dispose()


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def record_id(conn: Connection, record_table: str, reg_no: str) -> int:
    return conn.execute(text(f"SELECT id FROM {record_table} WHERE reg_no = :r"),
                        {"r": reg_no}).scalar_one()


def version_row(conn: Connection, table: Table, reg_no: str, version_no: int) -> Any:
    record_table, fk, _ = RECORD[table.name]
    rid = record_id(conn, record_table, reg_no)
    return conn.execute(select(table).where(table.c[fk] == rid,
                                            table.c.version_no == version_no)).mappings().one()


def candidates(conn: Connection, column: Column[Any], current: Any) -> list[Any]:
    """Different, type-valid values for ``column``, most telling first."""
    if column.name.endswith("hash"):
        return [h for h in ("f" * 64, "e" * 64) if h != current]
    if column.foreign_keys:  # another existing value of what it points at
        ref = next(iter(column.foreign_keys)).column
        found = select(ref).order_by(ref).limit(5)
        if current is not None:
            found = found.where(ref != current)
        values = list(conn.execute(found).scalars())
        return values + ([None] if column.nullable and current is not None else [])
    kind = column.type.python_type
    if kind is bool:
        return [not current]
    if kind is dt.datetime:
        return [current + dt.timedelta(days=1), current - dt.timedelta(days=1)]
    if kind is dt.date:
        return [current - dt.timedelta(days=1), current + dt.timedelta(days=1)]
    if kind is int:
        return [current + 1, current + 2]
    if kind is str:  # as long as the column holds (time_of_day holds five characters)
        length = getattr(column.type, "length", None) or 8
        return ["tampered"[:length] if current != "tampered"[:length] else "x"]
    pytest.fail(f"no tamper value for {column} of type {kind.__name__}: add one here")


def tamper(conn: Connection, table: Table, column: Column[Any], row: Any) -> Any:
    """Set ``column`` of ``row`` to the first candidate the table's constraints accept."""
    statement = text(f"UPDATE {table.name} SET {column.name} = :value WHERE id = :id"
                     ).bindparams(bindparam("value", type_=column.type))
    for value in candidates(conn, column, row[column.name]):
        try:
            with conn.begin_nested():
                conn.execute(statement, {"value": value, "id": row["id"]})
        except IntegrityError:  # a CHECK (from_side <> to_side) or unique key: the next one
            continue
        return value
    pytest.fail(f"no value for {table.name}.{column.name} passes the table's constraints")


def verify_rows(stdout: str) -> dict[str, dict[str, str]]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    header = lines[0].split()
    rows = [dict(zip(header, line.split(), strict=True)) for line in lines[1:]]
    return {row["register"]: row for row in rows}


def broken(cli, *args: str, register: str | None = None) -> str:
    """Run ``verify`` (with ``args``), which must find a break; the one error line."""
    result = cli("verify", *args)
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    if register is not None:
        status = {code: row["status"] for code, row in verify_rows(result.stdout).items()}
        assert status == {code: "broken" if code == register else "ok" for code in status}
    return lines[0]


def newest_hash(url: str, table: str) -> str:
    return query(url, f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")[0][0]


# --- the untouched log ----------------------------------------------------------------------

def test_untouched_log_verifies(logged_url: str, cli) -> None:
    result = cli("verify")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = verify_rows(result.stdout)
    assert list(rows) == ["C", "M"]
    for code, table, record in (("C", "contact_version", "contact"),
                                ("M", "message_version", "message")):
        row = rows[code]
        assert row["status"] == "ok"
        assert HEX64.fullmatch(row["head"]), row
        assert row["head"] == newest_hash(logged_url, table)
        assert int(row["versions"]) == query(logged_url, f"SELECT count(*) FROM {table}")[0][0]
        assert int(row["records"]) == query(logged_url, f"SELECT count(*) FROM {record}")[0][0]
    # A head may be typed in capitals and with a lower-case register.
    assert cli("verify", "--head", f"c:{rows['C']['head'].upper()}").exit_code == 0


# --- the tamper matrix: every column of a version row ---------------------------------------

VERSION_COLUMNS = [
    pytest.param(table, column.name, id=f"{table.name}.{column.name}")
    for table in (CONTACT_VERSION, MESSAGE_VERSION)
    for column in table.columns
    if column.name != "id"
]


@pytest.mark.parametrize(("table", "column"), VERSION_COLUMNS)
def test_a_tampered_version_column_is_found(logged_url: str, cli, table: Table,
                                            column: str) -> None:
    reg_no = TARGET[table.name]
    record_table, record_fk, register = RECORD[table.name]
    with attacker(logged_url) as conn:
        row = version_row(conn, table, reg_no, 2)
        value = tamper(conn, table, table.c[column], row)
        names = {reg_no}
        if column == record_fk:  # the row now belongs to another record: either may be named
            names.add(conn.execute(text(f"SELECT reg_no FROM {record_table} WHERE id = :i"),
                                   {"i": value}).scalar_one())

    line = broken(cli, register=register)

    assert any(name in line for name in names), (names, line)
    assert any(word in line for word in WHAT), line


# --- other edits ----------------------------------------------------------------------------

def test_a_removed_participant_is_found(logged_url: str, cli) -> None:
    with attacker(logged_url) as conn:
        version = version_row(conn, CONTACT_VERSION, "C-000286", 2)["id"]
        removed = conn.execute(text(
            "DELETE FROM contact_participant WHERE version_id = :v AND person_id = "
            "(SELECT min(person_id) FROM contact_participant WHERE version_id = :v)"),
            {"v": version})
        assert removed.rowcount == 1

    line = broken(cli, register="C")

    assert "C-000286" in line
    assert any(word in line for word in WHAT), line


@pytest.mark.parametrize("edit", ["renamed", "swapped"])
def test_a_changed_registration_number_is_found(logged_url: str, cli, edit: str) -> None:
    with attacker(logged_url) as conn:
        if edit == "renamed":
            conn.execute(text("UPDATE contact SET reg_no = 'C-999999' WHERE reg_no = 'C-000287'"))
            names = ("C-999999", "C-000287")
        else:
            for old, new in (("C-000001", "C-TEMP"), ("C-000002", "C-000001"),
                             ("C-TEMP", "C-000002")):
                conn.execute(text("UPDATE contact SET reg_no = :new WHERE reg_no = :old"),
                             {"old": old, "new": new})
            names = ("C-000001", "C-000002")

    line = broken(cli, register="C")

    assert any(name in line for name in names), line


@pytest.mark.parametrize(("reg_no", "version_no"), [
    pytest.param("C-000286", 1, id="superseded-version"),
    pytest.param("C-000100", 1, id="seeded-only-version"),
])
def test_a_deleted_middle_version_is_found(logged_url: str, cli, reg_no: str,
                                           version_no: int) -> None:
    with attacker(logged_url) as conn:
        version = version_row(conn, CONTACT_VERSION, reg_no, version_no)["id"]
        conn.execute(text("DELETE FROM contact_version WHERE id = :v"), {"v": version})

    line = broken(cli, register="C")

    assert "missing" in line or "chain order broken" in line, line


def test_a_forged_version_is_found(logged_url: str, cli) -> None:
    """A version appended by hand, its hash made up: the attacker cannot compute ours."""
    with attacker(logged_url) as conn:
        current = version_row(conn, CONTACT_VERSION, "C-000287", 2)
        forged = {k: v for k, v in current.items() if k != "id"}
        forged.update(version_no=3, supersedes_id=current["id"], subject="forged",
                      reason="forged", recorded_at=current["recorded_at"] + dt.timedelta(hours=1),
                      prev_hash=newest_hash_in(conn, CONTACT_VERSION), hash="a" * 64)
        conn.execute(insert(CONTACT_VERSION).values(forged))

    line = broken(cli, register="C")

    assert "C-000287 version 3" in line, line
    assert "does not match" in line, line


def newest_hash_in(conn: Connection, table: Table) -> str:
    return conn.execute(select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar_one()


@pytest.mark.parametrize(("delta", "word"), [(1, "ahead of"), (-1, "behind")])
def test_a_moved_counter_is_found(logged_url: str, cli, delta: int, word: str) -> None:
    with attacker(logged_url) as conn:
        conn.execute(text("UPDATE register_counter SET last_no = last_no + :d "
                          "WHERE register = 'C'"), {"d": delta})

    line = broken(cli, register="C")

    assert "register C" in line and "counter" in line and word in line, line


def test_a_record_whose_only_version_is_deleted_is_found(logged_url: str, cli) -> None:
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-27", "--subject", "u",
                 "--with", "Chun")
    assert result.exit_code == 0 and result.stdout.strip() == "C-000288", result.stderr
    with attacker(logged_url) as conn:
        version = version_row(conn, CONTACT_VERSION, "C-000288", 1)["id"]
        conn.execute(text("DELETE FROM contact_participant WHERE version_id = :v"),
                     {"v": version})
        conn.execute(text("DELETE FROM contact_version WHERE id = :v"), {"v": version})

    line = broken(cli, register="C")

    assert "C-000288" in line and "no version" in line, line


# --- saved heads: the one way to see a log cut back -----------------------------------------

def test_saved_heads_show_a_log_cut_back(logged_url: str, cli, tmp_path: Path) -> None:
    heads = tmp_path / "heads.json"
    saved = cli("verify", "--save", str(heads))
    assert saved.exit_code == 0, saved.stderr
    printed = {code: row["head"] for code, row in verify_rows(saved.stdout).items()}
    assert json.loads(heads.read_text())["heads"] == printed

    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-27", "--subject", "u",
                 "--with", "Chun")
    assert result.exit_code == 0 and result.stdout.strip() == "C-000288", result.stderr
    later = cli("verify", "--heads", str(heads))
    assert later.exit_code == 0, later.stderr
    assert verify_rows(later.stdout)["C"]["head"] != printed["C"]

    # Cut the contact register back past the saved head, consistently: the newest versions
    # and their records go, the counter follows, the triggers are put back.
    with attacker(logged_url) as conn:
        ids = [record_id(conn, "contact", n) for n in ("C-000287", "C-000288")]
        versions = f"SELECT id FROM contact_version WHERE contact_id IN ({ids[0]}, {ids[1]})"
        conn.execute(text(f"DELETE FROM contact_participant WHERE version_id IN ({versions})"))
        conn.execute(text(f"DELETE FROM contact_version WHERE contact_id IN ({ids[0]}, {ids[1]})"))
        conn.execute(text(f"DELETE FROM contact WHERE id IN ({ids[0]}, {ids[1]})"))
        conn.execute(text("UPDATE register_counter SET last_no = 286 WHERE register = 'C'"))
        append_only.create(conn)

    # From inside, the shorter log is a valid chain: this is the limit of a hash chain.
    plain = cli("verify")
    assert plain.exit_code == 0, plain.stderr
    assert verify_rows(plain.stdout)["C"]["head"] == newest_hash(logged_url, "contact_version")

    for args in (("--heads", str(heads)), ("--head", f"C:{printed['C']}")):
        line = broken(cli, *args, register="C")
        assert "register C" in line and "saved head" in line and "not in the log" in line, line
        assert printed["C"][:12] in line, line
    assert cli("verify", "--head", f"M:{printed['M']}").exit_code == 0


@pytest.mark.parametrize("value", [
    pytest.param("C:abc", id="too-short"),
    pytest.param("X:" + "0" * 64, id="unknown-register"),
    pytest.param("C" + "0" * 64, id="no-colon"),
    pytest.param("C:" + "0" * 65, id="too-long"),
    pytest.param("C:" + "g" * 64, id="not-hex"),
])
def test_a_malformed_head_is_a_usage_error(logged_url: str, cli, value: str) -> None:
    result = cli("verify", "--head", value)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "--head" in lines[0], lines[0]
