"""Upgrading a seeded, used database from every earlier revision to head loses nothing.

The database is built at the earlier revision, seeded, and used as a clerk would (log,
correct, void, a staff leave, a figure). After ``tracker db upgrade`` its row counts, its hash
chains and counters are what they were, the append-only triggers are all in place, and
``tracker verify`` passes. Keep this for every future migration: when one changes the tables
that ``use_the_log`` writes through today's services, write that revision's data with
frozen SQL instead.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.conftest import Cli
from tracker.db import append_only
from tracker.db.migrate import head_revision, upgrade
from tracker.db.session import Database

REVISIONS = ["0001", "0002", "0003"]  # the chain, oldest first; the last is head


def test_the_revision_list_is_the_whole_chain():
    assert REVISIONS[-1] == head_revision()


def use_the_log(url: str) -> None:
    """Seed and use the log through the services (schema-compatible with every revision)."""
    from tracker.services.figures import add_figure
    from tracker.services.records.write import Changes, correct, log_contact, log_message, void
    from tracker.services.seed import load_seed
    from tracker.services.staff import add_staff, leave

    db = Database(url)
    try:
        with db.write() as session:
            load_seed(session)
        with db.write() as session:
            log_contact(session, kind="chief", on="2018-12-21", subject="weekly",
                        with_=["Chun Hae-sung", "Jon"], clerk="kim")
            log_contact(session, kind="other", on="2018-12", subject="railway", clerk="kim")
            log_message(session, from_side="S", to_side="N", kind="notice", on="2018-12-21",
                        subject="agenda", contact="C-000286", clerk="kim")
        with db.write() as session:
            correct(session, "C-000287", Changes(on="2018-12-26"), reason="minutes", clerk="lee")
            void(session, "M-000001", reason="counted twice", clerk="lee")
            add_staff(session, side="S", role="official", name="Lee Min-ho",
                      service_from="2018-12-03", clerk="lee")
            leave(session, "Lee Min-ho", on="2018-12-20", reason="reassigned", clerk="lee")
            add_figure(session, metric="contacts.total", value="287", as_of="2018-12-31",
                       source="a briefing", clerk="lee")
    finally:
        db.dispose()


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


def expected_triggers(engine_name: str) -> list[tuple[str, str]]:
    extra = "truncate" if engine_name == "postgresql" else "replace"
    tables = (*append_only.APPEND_ONLY_TABLES, append_only.COUNTER_TABLE)
    return sorted((f"ao_{t}_{op}", t) for t in tables for op in ("update", "delete", extra))


@pytest.mark.parametrize("start", REVISIONS[:-1])
def test_upgrade_with_data_from_an_earlier_revision_loses_nothing(empty_url, engine_name,
                                                                   start):
    upgrade(empty_url, start)
    use_the_log(empty_url)
    before = snapshot(empty_url)
    assert before["counts"]["contact_version"] == 288  # 285 seeded, 2 logged, 1 correction

    result = Cli(empty_url)("db", "upgrade")
    assert result.exit_code == 0, result.stderr

    after = snapshot(empty_url)
    added = set(after["counts"]) - set(before["counts"])
    assert all(after["counts"].pop(table) == 0 for table in added)  # new tables start empty
    assert after == before
    assert triggers(empty_url) == expected_triggers(engine_name)
    verified = Cli(empty_url)("verify")
    assert verified.exit_code == 0, verified.stderr
    assert [line.split()[-1] for line in verified.stdout.splitlines()[1:]] == ["ok", "ok"]


def test_upgrade_at_head_again_changes_nothing(engine_name, seeded_url):
    before, listed = snapshot(seeded_url), triggers(seeded_url)
    assert listed == expected_triggers(engine_name)
    upgrade(seeded_url)
    assert snapshot(seeded_url) == before
    assert triggers(seeded_url) == listed


def test_downgrade_to_0001_removes_only_the_triggers_and_chain_check(engine_name, seeded_url):
    from tracker.db.migrate import downgrade

    before = snapshot(seeded_url)
    downgrade(seeded_url, "0001")
    assert triggers(seeded_url) == []
    del before["counts"]["chain_check"]
    assert snapshot(seeded_url) == before
    upgrade(seeded_url)
    assert triggers(seeded_url) == expected_triggers(engine_name)
