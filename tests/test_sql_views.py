"""The SQL views an outside tool reads: the log as it stands, without knowing about versions.

On SQLite the file is opened with ``sqlite-utils`` (as Datasette would); on PostgreSQL the
views are queried as ``psql`` would.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import log

VIEWS = {"current_contacts", "current_messages", "current_participants"}


def read_view(url: str, engine_name: str, view: str) -> list[dict]:
    if engine_name == "sqlite":
        import sqlite_utils

        db = sqlite_utils.Database(url.removeprefix("sqlite:///"))
        assert set(db.view_names()) >= VIEWS
        return list(db[view].rows)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = set(conn.execute(text(
                "SELECT table_name FROM information_schema.views "
                "WHERE table_schema = current_schema()")).scalars())
            assert names >= VIEWS
            return [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {view}"))]
    finally:
        engine.dispose()


@pytest.fixture
def used(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "Weekly",
        "--with", "Chun", "--with", "Jon", "--tag", "weekly", "--tag", "agenda",
        "--field", "political", "--initiated-by", "S")
    log(cli, "correct", "C-000286", "--subject", "Weekly co-chiefs' meeting", "--reason", "r")
    log(cli, "void", "C-000001", "--reason", "not a real contact")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-24", "--subject", "Call",
        "--outcome", "no-answer")
    log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice", "--on",
        "2018-12-21", "--subject", "Agenda", "--contact", "C-000286")
    log(cli, "message", "log", "--sender", "N", "--recipient", "S", "--kind", "notice", "--on",
        "2018-12-22", "--subject", "Agreed", "--reply-to", "M-000174")
    return cli


def test_views_show_each_current_record_once(used, seeded_url, engine_name):
    contacts = {r["reg_no"]: r for r in read_view(seeded_url, engine_name,
                                                  "current_contacts")}
    assert len(contacts) == 285 + 2 - 1  # seeded, two logged, one void
    assert "C-000001" not in contacts
    mine = contacts["C-000286"]
    assert (mine["subject"], mine["version_no"], mine["kind"], mine["kind_name"]) == (
        "Weekly co-chiefs' meeting", 2, "chief-meeting", "chief/deputy-chief meeting")
    assert (mine["field"], mine["field_name"], mine["tags"]) == (
        "political", "political", "agenda; weekly")
    assert (mine["initiated_by"], mine["initiated_by_name"]) == ("S", "South Korea")
    assert str(mine["date_from"]) == "2018-12-21"
    assert bool(mine["is_held"]) and not bool(contacts["C-000287"]["is_held"])
    assert contacts["C-000287"]["outcome"] == "no-answer"
    held = sum(1 for r in contacts.values() if r["is_held"])
    summary = used("report", "summary", "--format", "json")
    assert f'"total": {held}' in summary.stdout  # what the reports count as rounds

    messages = {r["reg_no"]: r for r in read_view(seeded_url, engine_name,
                                                  "current_messages")}
    assert len(messages) == 175
    assert (messages["M-000174"]["sender_name"], messages["M-000174"]["contact"]) == (
        "South Korea", "C-000286")
    assert (messages["M-000175"]["reply_to"], messages["M-000175"]["recipient"]) == (
        "M-000174", "S")

    people = read_view(seeded_url, engine_name, "current_participants")
    assert sorted((r["reg_no"], r["name"], r["side"]) for r in people) == [
        ("C-000286", "Chun Hae-sung", "S"), ("C-000286", "Jon Jong-su", "N")]
