"""Upgrading a used database from every earlier revision to head loses nothing.

The data is a real log made by tracker at revision 0003 (``tests/fixtures/used_log_0003``:
the seed, then a clerk's day: contacts with participants, among them an unnamed post, a
message linked to a contact, corrections, a void, a staff post added and left, a second
"Chun Hae-sung" added as staff and named in a contact, a reported figure, a verify run).
It is loaded, as it was, into a database built at each earlier revision (tables that
revision lacks are left out), then ``tracker db upgrade`` runs. Afterwards every row is
still there, the hash chains are the same and still verify, the append-only triggers are all
in place, and the people made from staff posts are the ones expected. Keep this for every
future migration; when a revision changes what a clerk can log, add a fixture made by the
tracker of that revision.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import Date, DateTime, MetaData, create_engine, inspect, text, update

from tests.helpers import Cli
from tracker.db import append_only, search_index
from tracker.db.migrate import head_revision, upgrade

# the chain, oldest first; the last is head
REVISIONS = ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010"]
FIXTURE = Path(__file__).parent / "fixtures" / "used_log_0003.json.gz"
FIXTURE_REVISION = "0003"
MADE_BY_MIGRATION = {"contact_kind", "message_kind"}  # rows the first revision inserts


def test_the_revision_list_is_the_whole_chain():
    assert REVISIONS[-1] == head_revision()


def load_used_log(url: str) -> None:
    """Insert the fixture's rows into the tables this revision has, as an old tracker did."""
    data = json.loads(gzip.decompress(FIXTURE.read_bytes()))["tables"]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            meta = MetaData()
            meta.reflect(conn)
            for table in meta.sorted_tables:  # parents before children
                name = table.name
                if name not in data or name in MADE_BY_MIGRATION:
                    continue
                content = data[name]
                rows = [_typed(table, dict(zip(content["columns"], row, strict=True)))
                        for row in content["rows"]]
                if name == "register_counter":  # the counter only moves forward
                    for row in rows:
                        conn.execute(update(table).where(table.c.register == row["register"])
                                     .values(last_no=row["last_no"]))
                    continue
                conn.execute(table.insert(), rows)
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequences on
                for name in data:
                    if name in meta.tables and "id" in meta.tables[name].c:
                        conn.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"coalesce(max(id), 0) + 1, false) FROM {name}"))
    finally:
        engine.dispose()


def _typed(table, row: dict) -> dict:
    for column in table.c:
        value = row.get(column.name)
        if value is None:
            continue
        if isinstance(column.type, DateTime):
            row[column.name] = dt.datetime.fromisoformat(value)
        elif isinstance(column.type, Date):
            row[column.name] = dt.date.fromisoformat(value)
    return row


def snapshot(url: str) -> dict:
    """Row counts of every table, the chains (id, prev_hash, hash) and the counters."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sorted(t for t in inspect(conn).get_table_names() if t != "alembic_version")
            return {
                "counts": {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                           for t in tables},
                "chains": {t: conn.execute(text(
                    f"SELECT id, prev_hash, hash FROM {t} ORDER BY id")).all()
                    for t in ("contact_version", "message_version")},
                "counters": conn.execute(text(
                    "SELECT register, last_no FROM register_counter ORDER BY register")).all(),
            }
    finally:
        engine.dispose()


def triggers(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return append_only.trigger_list(conn)
    finally:
        engine.dispose()


def search_triggers(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return search_index.triggers(conn)
    finally:
        engine.dispose()


def expected_triggers(engine_name: str, url: str | None = None) -> list[tuple[str, str]]:
    """Every protected table's triggers (of those the database at ``url`` has, if given)."""
    extra = "truncate" if engine_name == "postgresql" else "replace"
    tables = {*append_only.APPEND_ONLY_TABLES, append_only.COUNTER_TABLE}
    if url is not None:
        engine = create_engine(url)
        with engine.connect() as conn:
            tables &= set(inspect(conn).get_table_names())
        engine.dispose()
    return sorted((f"ao_{t}_{op}", t) for t in tables for op in ("update", "delete", extra))


# What 0004 makes of the fixture's staff: a person per named post (Chun Hae-sung twice,
# as the old tracker let a clerk add him twice) and per unnamed post that took part.
PEOPLE_FROM_POSTS = 6


@pytest.mark.parametrize("start", REVISIONS[:-1])
def test_upgrade_with_data_from_an_earlier_revision_loses_nothing(empty_url, engine_name,
                                                                   start):
    if start <= FIXTURE_REVISION:
        upgrade(empty_url, start)
        load_used_log(empty_url)
    else:  # a log made at the fixture's revision, then migrated up to ``start``
        upgrade(empty_url, FIXTURE_REVISION)
        load_used_log(empty_url)
        upgrade(empty_url, start)
    before = snapshot(empty_url)
    assert before["counts"]["contact_version"] == 290

    result = Cli(empty_url)("db", "upgrade")
    assert result.exit_code == 0, result.stderr

    after = snapshot(empty_url)
    added = set(after["counts"]) - set(before["counts"])
    made = {t: after["counts"].pop(t) for t in added}
    indexed = {t: made.pop(t) for t in list(made) if t.startswith("fts_")}  # SQLite search
    if engine_name == "sqlite" and start < "0009":  # every version is indexed on the way
        assert indexed["fts_contact_version_docsize"] == 290, indexed
    people = [made.pop(t) for t in ("person", "person_version", "person_alias") if t in made]
    assert people in ([], [PEOPLE_FROM_POSTS] * 3)
    # reference tables come with their rows: the ministry's fields, the contact outcomes
    assert {t: made.pop(t) for t in ("field", "contact_outcome") if t in made} in (
        {}, {"field": 7, "contact_outcome": 5})
    assert all(n == 0 for n in made.values()), made  # any other new table starts empty
    assert after == before
    assert triggers(empty_url) == expected_triggers(engine_name)
    assert search_triggers(empty_url) == (
        ["fts_contact_version_insert", "fts_message_version_insert"]
        if engine_name == "sqlite" else [])

    cli = Cli(empty_url)
    verified = cli("verify")
    assert verified.exit_code == 0, verified.stderr
    assert [line.split()[-1] for line in verified.stdout.splitlines()[1:]] == ["ok", "ok"]
    shown = json.loads(cli("show", "C-000286", "--format", "json").stdout)
    assert shown["with"] == ["Chun Hae-sung", "Kim Chang-soo", "Jon Jong-su"]
    # what was logged before fields and outcomes existed: unknown field, held, no tags
    assert (shown["field"], shown["outcome"], shown["tags"]) == ("unknown", "held", [])
    for register in ("contact", "message"):
        listed = json.loads(cli(register, "list", "--format", "json", "--include-void").stdout)
        assert {r["field"] for r in listed} == {"unknown"}
    assert {r["outcome"] for r in json.loads(cli("contact", "list", "--format", "json").stdout)
            } == {"held"}
    assert json.loads(cli("show", "C-000287", "--format", "json").stdout)["with"] == \
        ["(unnamed official, post #10)"]
    # what was logged before the search indexes is found by them
    found = json.loads(cli("search", "Jon", "--format", "json").stdout)
    assert "C-000286" in {r["reg_no"] for r in found}
    staff = cli("staff", "list", "--format", "json")
    assert {r["name"] for r in json.loads(staff.stdout)} >= {"Chun Hae-sung", "Jon Jong-su"}
    summary = json.loads(cli("report", "summary", "--format", "json").stdout)
    assert summary["staff"] == {"S": 31, "N": 20}  # 30 seeded + Chun's second post; Lee left
    # the duplicate Chun the old tracker allowed is now ambiguous, and can be merged
    assert "several people" in cli("contact", "list", "--person", "Chun Hae-sung").stderr
    merged = cli("person", "merge", "#52", "#1", "--reason", "the same person, added twice")
    assert merged.exit_code == 0, merged.stderr
    assert cli("contact", "list", "--person", "Chun Hae-sung", "--format", "csv"
               ).stdout.count("C-0002") == 2


def test_upgrade_at_head_again_changes_nothing(engine_name, seeded_url):
    before, listed = snapshot(seeded_url), triggers(seeded_url)
    assert listed == expected_triggers(engine_name)
    upgrade(seeded_url)
    assert snapshot(seeded_url) == before
    assert triggers(seeded_url) == listed


def test_downgrade_to_0003_and_up_again_keeps_the_log(engine_name, empty_url):
    from tracker.db.migrate import downgrade

    upgrade(empty_url, "0003")
    load_used_log(empty_url)
    before = snapshot(empty_url)
    upgrade(empty_url)
    downgrade(empty_url, "0003")
    assert snapshot(empty_url) == before
    assert triggers(empty_url) == expected_triggers(engine_name, empty_url)
    assert "person" not in snapshot(empty_url)["counts"]
    upgrade(empty_url)
    assert Cli(empty_url)("verify").exit_code == 0


def test_downgrade_to_0001_removes_only_the_triggers_and_later_tables(engine_name, empty_url):
    from tracker.db.migrate import downgrade

    upgrade(empty_url, "0001")
    load_used_log(empty_url)
    before = snapshot(empty_url)
    upgrade(empty_url)
    downgrade(empty_url, "0001")
    assert triggers(empty_url) == []
    assert snapshot(empty_url) == before


def test_a_lost_search_trigger_is_made_again_by_the_next_migration(engine_name, seeded_url):
    """A batch migration of a version table drops its triggers on SQLite; the template ends
    every migration with ``search_index.ensure``, so search keeps finding new records."""
    engine = create_engine(seeded_url)
    with engine.begin() as conn:
        if engine_name == "sqlite":
            conn.execute(text("DROP TRIGGER fts_contact_version_insert"))
        search_index.ensure(conn)
    engine.dispose()
    cli = Cli(seeded_url)
    assert cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject",
               "Dirigible survey").exit_code == 0
    found = json.loads(cli("search", "dirigible", "--format", "json").stdout)
    assert [r["reg_no"] for r in found] == ["C-000286"]
