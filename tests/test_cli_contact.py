"""The clerk's workflow end to end: log, list, show, correct, void, history, staff."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import create_engine, text

from tests.helpers import pinned_clock
from tests.test_reports import assert_monthly_sums_to_summary, summary_doc


def _scalar(url: str, sql: str):
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar()
    engine.dispose()
    return value


def test_log_contact_prints_the_next_number_and_stores_it(cli):
    result = cli("contact", "log", "--kind", "chief", "--on", "2018-12-21",
                 "--subject", "Weekly co-chiefs' meeting", "--venue", "Kaesong",
                 "--with", "Chun Hae-sung", "--with", "Jon", "--initiated-by", "s",
                 "--note", "first after the report", "--clerk", "kim")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "C-000286\n"
    shown = json.loads(cli("show", "c-286", "--format", "json").stdout)
    assert shown["kind"] == "chief-meeting"
    assert shown["date"] == "2018-12-21"
    assert shown["with"] == "Chun Hae-sung; Jon Jong-su"
    assert shown["initiated_by"] == "S"
    assert shown["recorded_by"] == "kim"
    assert shown["provenance"] == "logged"
    assert shown["versions"] == 1
    assert shown["history"][0]["change"] == "created"


def test_clerk_comes_from_environment_when_not_given(cli):
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", "x",
                 env={"TRACKER_CLERK": "park"})
    assert result.exit_code == 0, result.stderr
    assert _scalar(cli.url, "SELECT recorded_by FROM contact_version ORDER BY id DESC "
                   "LIMIT 1") == "park"


def test_period_and_month_dates_are_stored_as_intervals(cli):
    assert cli("contact", "log", "--kind", "other", "--on", "2018-11",
               "--subject", "known to the month").exit_code == 0
    assert cli("contact", "log", "--kind", "other", "--on", "2018-11-05", "--until",
               "2018-12-02", "--subject", "known to a period").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(
        cli("contact", "list", "--from", "2018-11-01", "--format", "csv").stdout)))
    dates = {r["subject"]: r["date"] for r in rows}
    assert dates["known to the month"] == "2018-11-01/2018-11-30"
    assert dates["known to a period"] == "2018-11-05/2018-12-02"


def test_message_log_links_a_contact(cli):
    assert cli("contact", "log", "--kind", "other", "--on", "2018-12-21",
               "--subject", "consultation").stdout == "C-000286\n"
    result = cli("message", "log", "--from", "S", "--to", "north", "--kind", "notice",
                 "--on", "2018-12-21", "--subject", "Agenda", "--contact", "C-000286")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "M-000174\n"
    rows = list(csv.DictReader(io.StringIO(
        cli("message", "list", "--side", "N", "--month", "2018-12", "--format", "csv").stdout)))
    assert [(r["reg_no"], r["from"], r["to"], r["contact"]) for r in rows] == [
        ("M-000174", "S", "N", "C-000286")]


def test_correct_keeps_the_old_version_and_reports_count_the_new_one(cli):
    before = summary_doc(cli)["contacts"]["by_kind"]
    result = cli("correct", "C-000100", "--kind", "working-talks", "--subject",
                 "identified later", "--reason", "minutes received", "--clerk", "lee")
    assert result.exit_code == 0, result.stderr
    after = summary_doc(cli)["contacts"]["by_kind"]
    assert after["other"] == before["other"] - 1
    assert after["working-talks"] == before["working-talks"] + 1
    assert sum(after.values()) == 285
    history = json.loads(cli("history", "C-000100", "--format", "json").stdout)
    assert [h["version"] for h in history] == [1, 2]
    assert history[1]["recorded_by"] == "lee"
    assert history[1]["reason"] == "minutes received"
    assert "kind_code: other -> working-talks" in history[1]["change"]
    assert _scalar(cli.url, "SELECT count(*) FROM contact_version v JOIN contact c "
                   "ON c.id = v.contact_id WHERE c.reg_no = 'C-000100'") == 2
    assert_monthly_sums_to_summary(cli)


def test_void_removes_from_reports_and_lists_but_keeps_history(cli):
    result = cli("void", "C-000001", "--reason", "double-counted")
    assert result.exit_code == 0, result.stderr
    doc = summary_doc(cli)
    assert doc["contacts"]["by_kind"]["gov-meeting"] == 4
    assert doc["contacts"]["total"] == 284
    listed = cli("contact", "list", "--kind", "gov", "--format", "csv").stdout
    assert "C-000001" not in listed
    with_void = cli("contact", "list", "--kind", "gov", "--include-void", "--format", "csv")
    assert "C-000001" in with_void.stdout and ",void," in with_void.stdout
    history = json.loads(cli("history", "C-000001", "--format", "json").stdout)
    assert [h["change"] for h in history] == ["created", "void"]
    assert_monthly_sums_to_summary(cli)


def test_corrections_and_voids_are_appended_never_updated(cli):
    cli("correct", "C-000002", "--subject", "s", "--reason", "r")
    cli("void", "C-000002", "--reason", "r")
    cli("correct", "C-000003", "--on", "2018-10-02", "--reason", "date found")
    rows = _scalar(cli.url, "SELECT count(*) FROM contact_version")
    assert rows == 285 + 3
    chain_ok = _scalar(cli.url, "SELECT count(*) FROM contact_version v JOIN contact_version p "
                       "ON p.id = (SELECT max(id) FROM contact_version WHERE id < v.id) "
                       "WHERE v.prev_hash <> p.hash")
    assert chain_ok == 0


def test_list_filters_by_person_and_kind(cli):
    cli("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "a",
        "--with", "Kim Chang-soo")
    cli("contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject", "b",
        "--with", "Jon Jong-su")
    rows = list(csv.DictReader(io.StringIO(
        cli("contact", "list", "--person", "Kim", "--format", "csv").stdout)))
    assert [r["subject"] for r in rows] == ["a"]
    rows = json.loads(cli("contact", "list", "--month", "2018-12", "--kind", "other",
                          "--format", "json").stdout)
    assert [r["subject"] for r in rows if r["date"] == "2018-12-22"] == ["b"]


def test_staff_add_list_leave_keeps_history(cli):
    added = cli("staff", "add", "--side", "S", "--role", "official", "--name", "Lee Min-ho",
                "--from", "2018-12-03")
    assert added.exit_code == 0, added.stderr
    assert added.stdout.startswith("#")
    left = cli("staff", "leave", "Lee Min", "--on", "2019-01-10", "--reason", "reassigned")
    assert left.exit_code == 0, left.stderr
    in_service = cli("staff", "list", "--side", "S", "--format", "csv").stdout
    assert "Lee Min-ho" not in in_service
    everyone = list(csv.DictReader(io.StringIO(
        cli("staff", "list", "--all", "--format", "csv").stdout)))
    lee = [r for r in everyone if r["name"] == "Lee Min-ho"]
    assert lee and lee[0]["service_to"] == "2019-01-10" and lee[0]["status"] == "left"
    again = cli("staff", "leave", "Lee Min", "--on", "2019-01-11")
    assert again.exit_code == 1 and "already left" in again.stderr


def test_overlong_clerk_is_refused_naming_the_field_on_both_engines(cli):
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", "x",
                 "--clerk", "k" * 150)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --clerk: is 150 characters")
    assert _scalar(cli.url, "SELECT count(*) FROM contact") == 285
    assert cli("contact", "log", "--kind", "other", "--on", "2018-12-21",
               "--subject", "x").stdout == "C-000286\n"


def test_the_current_month_ends_today_not_in_the_future(cli):
    with pinned_clock("2019-01-15T10:00:00"):
        result = cli("contact", "log", "--kind", "other", "--on", "2019-01", "--subject", "m")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("show", "C-000286", "--format", "json").stdout)
    assert shown["date"] == "2019-01-01/2019-01-15"
