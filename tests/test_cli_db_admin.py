"""``tracker db roles`` and backups: what an administrator of the office database runs.

Roles (PostgreSQL): the owner creates ``tracker_clerk`` and ``tracker_analyst``; a clerk's
login may run every command and still cannot rewrite the log with plain SQL; an analyst's
login reads everything and each write is refused with one line, nothing written.

Backups: ``tracker db backup`` copies a SQLite file (also while a clerk is logging) and the
copy answers exactly as the original; PostgreSQL is backed up with its own tools, with the
commands the README gives:

    pg_dump --format=custom --schema=<schema> -h 127.0.0.1 -U postgres -f dump test
    createdb -h 127.0.0.1 -U postgres <new database>
    psql -h 127.0.0.1 -U postgres <new database> -c "CREATE EXTENSION pg_trgm WITH SCHEMA public"
    pg_restore -h 127.0.0.1 -U postgres -d <new database> dump
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from tests.helpers import Cli, skip_unless_ci
from tracker.db.append_only import APPEND_ONLY_TABLES, COUNTER_TABLE, trigger_list
from tracker.db.engine import sqlite_path

HEX64 = r"[0-9a-f]{64}"
# Used on top of the seed (C-000001 … C-000285, M-000001 … M-000173), so that a copy has
# corrections, a void, a message linked to a contact, a staff leave and a kept verify result.
USE = [
    ("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "Weekly meeting",
     "--with", "Chun", "--with", "Jon"),                                        # C-000286
    ("correct", "C-000286", "--subject", "Weekly co-chiefs' meeting", "--reason", "minutes"),
    ("message", "log", "--sender", "S", "--recipient", "N",
     "--kind", "notice", "--on", "2018-12-21",
     "--subject", "Agenda", "--contact", "C-000286"),                          # M-000174
    ("void", "M-000174", "--reason", "logged twice"),
    ("staff", "add", "--side", "S", "--role", "official", "--name", "Lee Min-ho",
     "--from", "2019-01-02"),
    ("staff", "leave", "Lee Min-ho", "--on", "2019-01-10", "--reason", "reassigned"),
    ("verify",),
]
# The outputs a copy must reproduce byte for byte.
SAME_OUTPUT = [
    ("report", "summary", "--format", "json"),
    ("report", "monthly", "--format", "csv"),
    ("show", "C-000286"),
    ("history", "C-000286"),
]
REFUSED = re.compile(r"permission denied|must be owner|append-only:")


# --- helpers (this module's own) ------------------------------------------------------------

def ok(cli: Cli, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def use(cli: Cli) -> None:
    for args in USE:
        ok(cli, *args)


def heads(cli: Cli) -> dict[str, str]:
    """What ``tracker verify`` finds: each register's head (and it must find the log intact)."""
    doc = json.loads(ok(cli, "verify", "--format", "json").stdout)
    assert doc["ok"], doc
    return {r["register"]: r["head"] for r in doc["registers"]}


def outputs(cli: Cli) -> dict[tuple[str, ...], bytes]:
    return {args: ok(cli, *args).stdout.encode() for args in SAME_OUTPUT}


def url_string(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def schema_of(url: str) -> str:
    """The scratch schema a ``…?options=-csearch_path=<schema>`` URL points at."""
    options = make_url(url).query["options"]
    assert isinstance(options, str)
    return options.split("=", 1)[1]


def as_user(url: str, user: str) -> str:
    return url_string(make_url(url).set(username=user))


def admin_url(url: str) -> str:
    """The same server and database without the scratch search_path."""
    return url_string(make_url(url).difference_update_query(["options"]))


def execute(url: str, *statements: str, autocommit: bool = False) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT") if autocommit \
        else create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def refusal(url: str, statement: str) -> str:
    """The first line of the error with which the database refuses ``statement``."""
    engine = create_engine(url)
    try:
        with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
    return str(caught.value.orig).strip().splitlines()[0]


def snapshot(url: str) -> dict[str, Any]:
    """Row counts of every log table and the registration counters."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counts: dict[str, Any] = {
                table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in (*APPEND_ONLY_TABLES, COUNTER_TABLE)}
            counts["counters"] = sorted(tuple(r) for r in conn.execute(
                text(f"SELECT register, last_no FROM {COUNTER_TABLE}")))
            return counts
    finally:
        engine.dispose()


def triggers(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return trigger_list(conn)
    finally:
        engine.dispose()


def pg_tool_args(url: str) -> list[str]:
    """``-h HOST [-p PORT] -U USER`` of a PostgreSQL URL, as the client tools take them."""
    parsed = make_url(url)
    args = ["-h", parsed.host or "127.0.0.1"]
    if parsed.port and parsed.port != 5432:
        args += ["-p", str(parsed.port)]
    return [*args, "-U", parsed.username or "postgres"]


def run_tool(argv: list[str]) -> None:
    if shutil.which(argv[0]) is None:
        skip_unless_ci(f"{argv[0]} is not on PATH")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (argv, done.stdout, done.stderr)


# --- roles (PostgreSQL) ---------------------------------------------------------------------

@dataclass
class Office:
    owner: Cli
    clerk: Cli
    analyst: Cli
    clerk_user: str
    analyst_user: str


@pytest.fixture
def office(scratch_pg_schema: str) -> Iterator[Office]:
    """A migrated, seeded scratch schema with the roles granted and one login in each."""
    owner = Cli(scratch_pg_schema)
    ok(owner, "db", "upgrade")
    ok(owner, "seed")
    ok(owner, "db", "roles")
    suffix = uuid.uuid4().hex[:8]
    clerk_user, analyst_user = f"t_clerk_{suffix}", f"t_analyst_{suffix}"
    admin = admin_url(scratch_pg_schema)
    execute(admin, f"CREATE USER {clerk_user} IN ROLE tracker_clerk",
            f"CREATE USER {analyst_user} IN ROLE tracker_analyst")
    try:
        yield Office(owner, Cli(as_user(scratch_pg_schema, clerk_user)),
                     Cli(as_user(scratch_pg_schema, analyst_user)), clerk_user, analyst_user)
    finally:  # logins are cluster-wide: never leave one behind
        execute(admin, f"DROP USER IF EXISTS {clerk_user}",
                f"DROP USER IF EXISTS {analyst_user}", autocommit=True)


def test_db_roles_says_what_it_did_and_can_run_again(scratch_pg_schema):
    owner = Cli(scratch_pg_schema)
    ok(owner, "db", "upgrade")
    ok(owner, "seed")
    schema = schema_of(scratch_pg_schema)
    first = ok(owner, "db", "roles").stdout.splitlines()
    for role in ("tracker_clerk", "tracker_analyst"):
        assert (f"created role {role}" in first) != (f"role {role} exists" in first), first
    assert any(line.startswith("granted tracker_analyst") and schema in line for line in first)
    assert any(line.startswith("granted tracker_clerk") for line in first)

    second = ok(owner, "db", "roles").stdout.splitlines()
    assert "role tracker_clerk exists" in second
    assert "role tracker_analyst exists" in second
    assert not any(line.startswith("created") for line in second), second
    assert second[2:] == first[2:]  # the grants are stated the same way


def test_clerk_runs_every_command(office):
    clerk = office.clerk
    assert ok(clerk, "contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject",
              "Weekly meeting", "--with", "Chun", "--tag", "weekly").stdout == "C-000286\n"
    assert ok(clerk, "message", "log", "--sender", "S", "--recipient", "N",
              "--kind", "notice", "--on",
              "2018-12-21", "--subject", "Agenda", "--contact", "C-000286",
              "--tag", "agenda").stdout == "M-000174\n"
    assert ok(clerk, "correct", "C-000286", "--subject", "Weekly co-chiefs' meeting",
              "--reason", "minutes").stdout == "C-000286: version 2\n"
    assert ok(clerk, "void", "M-000174", "--reason", "logged twice").stdout \
        == "M-000174: void (version 2)\n"
    assert ok(clerk, "staff", "add", "--side", "S", "--role", "official", "--name", "Lee Min-ho",
              "--from", "2019-01-02").stdout == "#51\n"
    assert "service ended" in ok(clerk, "staff", "leave", "Lee Min-ho", "--on", "2019-01-10",
                                 "--reason", "reassigned").stdout
    ok(clerk, "figure", "add", "--metric", "contacts.total", "--value", "286", "--as-of",
       "2018-12-31", "--source", "office minutes")
    ok(clerk, "routine", "add", "morning call", "--kind", "other", "--every", "day",
       "--from", "2018-12-21", "--source", "reuters-2018-09-13")
    ok(clerk, "report", "yearly")
    ok(clerk, "report", "replies")
    summary = json.loads(ok(clerk, "report", "summary", "--format", "json").stdout)
    assert summary["contacts"]["total"] == 286 and summary["messages"]["total"] == 173
    ok(clerk, "report", "summary")
    ok(clerk, "report", "monthly")
    ok(clerk, "reconcile")
    verified = ok(clerk, "verify")
    assert "not kept" not in verified.stderr  # a clerk's verify result is kept in the log
    ok(clerk, "verify")
    assert heads(office.owner) == heads(clerk)


@pytest.mark.parametrize("statement", [
    "UPDATE contact_version SET subject = 'tampered' "
    "WHERE id = (SELECT min(id) FROM contact_version)",
    "DELETE FROM contact_version WHERE id = (SELECT max(id) FROM contact_version)",
    "TRUNCATE contact_version CASCADE",
    "DROP TRIGGER ao_contact_version_update ON contact_version",
])
def test_clerk_cannot_rewrite_the_log_with_sql(office, statement):
    before, triggers_before = snapshot(office.owner.url), triggers(office.owner.url)
    rows = "SELECT id, subject, hash FROM contact_version ORDER BY id"
    engine = create_engine(office.owner.url)
    with engine.connect() as conn:
        versions = [tuple(r) for r in conn.execute(text(rows))]
    engine.dispose()

    message = refusal(office.clerk.url, statement)
    assert REFUSED.search(message), message

    assert snapshot(office.owner.url) == before
    assert triggers(office.owner.url) == triggers_before
    assert ("ao_contact_version_update", "contact_version") in triggers_before
    engine = create_engine(office.owner.url)
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(text(rows))] == versions
    engine.dispose()
    ok(office.clerk, "verify")


def test_analyst_reads_everything(office, tmp_path):
    use(office.owner)  # something of every kind to read
    analyst = office.analyst
    before = snapshot(office.owner.url)
    ok(analyst, "report", "summary")
    assert ok(analyst, "report", "monthly", "--format", "csv").stdout.startswith(
        "period,gov-meeting,working-talks,chief-meeting,other,meetings,contacts,initiated_s,"
        "initiated_n,initiated_unknown,not_held,messages,messages_s_to_n,messages_n_to_s,"
        "messages_unknown,estimated\n")
    ok(analyst, "report", "yearly")
    ok(analyst, "report", "replies", "--overdue", "3")
    ok(analyst, "report", "summary", "--by", "tag", "--by", "outcome")
    ok(analyst, "routine", "list")
    assert analyst("check", "--to", "2018-12-20").exit_code == 0
    xlsx = tmp_path / "x.xlsx"
    ok(analyst, "report", "summary", "--out", str(xlsx))
    assert xlsx.stat().st_size > 0
    reconciled = analyst("reconcile")
    assert reconciled.exit_code in (0, 1), reconciled.stderr
    assert "may not write" not in reconciled.stderr
    assert "permission" not in reconciled.stderr.lower()
    assert "C-000286" in ok(analyst, "contact", "list", "--month", "2018-12").stdout
    assert "C-000001" in ok(analyst, "show", "C-000001").stdout
    ok(analyst, "history", "C-000001")
    verified = ok(analyst, "verify")
    assert "Note: the result is not kept" in verified.stderr
    assert f"({office.analyst_user})" in verified.stderr
    analyst_heads = heads(analyst)
    assert snapshot(office.owner.url) == before  # not even the verify result was written
    assert analyst_heads == heads(office.owner)


ANALYST_WRITES = [
    ("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "x",
     "--with", "Chun"),
    ("correct", "C-000001", "--subject", "changed", "--reason", "r"),
    ("void", "C-000001", "--reason", "r"),
    ("figure", "add", "--metric", "contacts.total", "--value", "300", "--as-of", "2018-12-31",
     "--source", "office minutes"),
    ("staff", "add", "--side", "S", "--role", "official", "--name", "Kim Ji-won",
     "--from", "2018-12-03"),
]


@pytest.mark.parametrize("args", ANALYST_WRITES, ids=lambda a: " ".join(a[:2]))
def test_analyst_may_not_write(office, args):
    before = snapshot(office.owner.url)
    result = office.analyst(*args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.splitlines() == [
        f"Error: this database role may not write ({office.analyst_user})"]
    assert result.stdout == ""
    assert snapshot(office.owner.url) == before


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_db_roles_on_sqlite_is_a_usage_error(cli):
    result = cli("db", "roles")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "roles are a PostgreSQL feature" in lines[0]


# --- backups: SQLite ------------------------------------------------------------------------

def backup_line(result: Any, target: Path) -> dict[str, str]:
    """The heads a ``tracker db backup`` line reports (and check the size it gives)."""
    line = result.stdout.strip()
    found = re.fullmatch(rf"backup (.+): (\d+) bytes; verified C \d+ versions head ({HEX64}), "
                         rf"M \d+ versions head ({HEX64})", line)
    assert found, line
    assert Path(found[1]) == target.absolute()
    assert int(found[2]) == target.stat().st_size
    return {"C": found[3], "M": found[4]}


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_sqlite_backup_is_a_private_verified_copy_that_answers_the_same(cli, tmp_path):
    use(cli)
    source_heads = heads(cli)
    target = tmp_path / "backups" / "tracker-2018-12-21.sqlite"
    target.parent.mkdir()
    result = ok(cli, "db", "backup", str(target))
    assert backup_line(result, target) == source_heads
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # nothing else

    copy = Cli(str(target))
    assert outputs(copy) == outputs(cli)
    assert heads(copy) == source_heads


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_sqlite_backup_while_a_clerk_is_logging(cli, tmp_path):
    source = sqlite_path(cli.url)
    assert source is not None
    script = (
        "import subprocess, sys\n"
        "for i in range(20):\n"
        "    subprocess.run([sys.executable, '-m', 'tracker', '--db', sys.argv[1], 'contact',\n"
        "                    'log', '--kind', 'other', '--on', '2018-12-21', '--subject',\n"
        "                    f'consultation {i}'], check=True, stdout=subprocess.DEVNULL)\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script, str(source)],
                              stderr=subprocess.PIPE, text=True, env=dict(os.environ))

    def contacts(path: Path) -> int:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM contact").fetchone()[0]
        finally:
            conn.close()

    copies: list[tuple[Path, bool]] = []
    try:
        deadline = time.monotonic() + 120
        while contacts(source) == 285 and writer.poll() is None:
            if time.monotonic() > deadline:  # a guard against hanging, not a speed check
                pytest.fail("the writer never logged a contact")
            time.sleep(0.05)
        while writer.poll() is None and len(copies) < 50:
            if time.monotonic() > deadline:
                pytest.fail("the writer did not finish")
            target = tmp_path / f"copy-{len(copies)}.sqlite"
            result = cli("db", "backup", str(target))
            assert result.exit_code == 0, result.stderr
            copies.append((target, writer.poll() is None))
        _, errors = writer.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == 0, errors
    assert any(during for _, during in copies), "no backup was made while the clerk logged"
    assert contacts(source) == 305
    for target, _ in copies:
        assert 285 < contacts(target) <= 305
        result = Cli(str(target))("verify")
        assert result.exit_code == 0, (target, result.stdout, result.stderr)
    heads(cli)


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_sqlite_backup_onto_the_database_itself_is_refused(cli, tmp_path):
    use(cli)
    source = sqlite_path(cli.url)
    assert source is not None
    before_heads, before_outputs = heads(cli), outputs(cli)
    link = tmp_path / "link.sqlite"
    link.symlink_to(source)
    (tmp_path / "sub").mkdir()
    for target in (source, link, tmp_path / "sub" / ".." / source.name):
        result = cli("db", "backup", str(target))
        assert result.exit_code == 1, (target, result.stdout, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and "overwrite the database itself" in lines[0], lines
    assert not list(source.parent.glob("*.partial"))
    assert outputs(cli) == before_outputs
    assert heads(cli) == before_heads


@pytest.mark.parametrize("engine_name", ["postgresql"])
def test_db_backup_on_postgresql_points_at_pg_dump(cli, tmp_path):
    target = tmp_path / "copy.sqlite"
    result = cli("db", "backup", str(target))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "pg_dump" in lines[0], lines
    assert not target.exists()


# --- backups: PostgreSQL, with pg_dump and pg_restore ---------------------------------------

@pytest.fixture
def restore_db(scratch_pg_schema: str) -> Iterator[str]:
    """The name of a database that does not exist yet; dropped afterwards."""
    name = f"tracker_restore_{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        execute(admin_url(scratch_pg_schema), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                autocommit=True)


@pytest.mark.parametrize("engine_name", ["postgresql"])
def test_pg_dump_and_pg_restore_give_the_same_log(cli, restore_db, tmp_path):
    use(cli)
    ok(cli, "db", "roles")  # the grants travel with the dump too
    schema, source = schema_of(cli.url), make_url(cli.url)
    dump = tmp_path / "dump"
    conn_args = pg_tool_args(cli.url)
    # The commands the README gives, with this test's schema and database names.
    run_tool(["pg_dump", "--format=custom", f"--schema={schema}", *conn_args, "-f", str(dump),
              str(source.database)])
    run_tool(["createdb", *conn_args, restore_db])
    run_tool(["psql", *conn_args, restore_db, "-c",
              "CREATE EXTENSION pg_trgm WITH SCHEMA public"])
    run_tool(["pg_restore", *conn_args, "-d", restore_db, str(dump)])

    restored = Cli(url_string(source.set(database=restore_db)))  # same search_path
    assert outputs(restored) == outputs(cli)
    assert heads(restored) == heads(cli)
    assert triggers(restored.url) == triggers(cli.url)
    message = refusal(restored.url, "UPDATE contact_version SET subject = 'tampered' "
                                    "WHERE id = (SELECT min(id) FROM contact_version)")
    assert "append-only:" in message, message
    assert snapshot(restored.url) == snapshot(cli.url)
