"""``tracker contact log`` and ``tracker contact list``: logging a contact, listing contacts."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers import pinned_clock, scalar


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
    assert shown["with"] == ["Chun Hae-sung", "Jon Jong-su"]  # a list in JSON
    assert shown["initiated_by"] == "S"
    assert shown["recorded_by"] == "kim"
    assert shown["provenance"] == "logged"
    assert shown["versions"] == 1
    assert shown["history"][0]["change"] == "created"


def test_clerk_comes_from_environment_when_not_given(cli):
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", "x",
                 env={"TRACKER_CLERK": "park"})
    assert result.exit_code == 0, result.stderr
    assert scalar(cli.url, "SELECT recorded_by FROM contact_version ORDER BY id DESC "
                  "LIMIT 1") == "park"


def test_period_and_month_dates_are_stored_as_intervals(cli):
    assert cli("contact", "log", "--kind", "other", "--on", "2018-11",
               "--subject", "known to the month").exit_code == 0
    assert cli("contact", "log", "--kind", "other", "--on", "2018-11-05", "--until",
               "2018-12-02", "--subject", "known to a period").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(
        cli("contact", "list", "--from", "2018-11-01", "--format", "csv").stdout)))
    dates = {r["subject"]: (r["date_from"], r["date_to"]) for r in rows}
    assert dates["known to the month"] == ("2018-11-01", "2018-11-30")
    assert dates["known to a period"] == ("2018-11-05", "2018-12-02")
    table = cli("contact", "list", "--from", "2018-11-01").stdout
    assert "2018-11-01/2018-11-30" in table and "2018-11-05/2018-12-02" in table


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
    assert [r["subject"] for r in rows if r["date_from"] == "2018-12-22"] == ["b"]


def test_overlong_clerk_is_refused_naming_the_field_on_both_engines(cli):
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", "x",
                 "--clerk", "k" * 150)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --clerk: is 150 characters")
    assert scalar(cli.url, "SELECT count(*) FROM contact") == 285
    assert cli("contact", "log", "--kind", "other", "--on", "2018-12-21",
               "--subject", "x").stdout == "C-000286\n"


def test_the_current_month_ends_today_not_in_the_future(cli):
    with pinned_clock("2019-01-15T10:00:00"):
        result = cli("contact", "log", "--kind", "other", "--on", "2019-01", "--subject", "m")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("show", "C-000286", "--format", "json").stdout)
    assert shown["date"] == "2019-01-01/2019-01-15"


def test_ctrl_c_during_a_log_exits_130_and_writes_nothing(cli, monkeypatch):
    """The service has already added the contact when the clerk presses Ctrl-C: rolled back."""
    import tracker.services.records.write as write

    real = write.log_contact
    calls = []

    def interrupted(session, **kwargs):
        calls.append(real(session, **kwargs))  # the rows are in the session, not committed
        session.flush()
        raise KeyboardInterrupt

    monkeypatch.setattr(write, "log_contact", interrupted)
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21",
                 "--subject", "interrupted")
    assert calls == ["C-000286"]  # the patched service really ran and took a number
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["Interrupted; an uncommitted change was rolled back."]
    assert scalar(cli.url, "SELECT count(*) FROM contact") == 285
    assert scalar(cli.url, "SELECT count(*) FROM contact_version") == 285
    assert scalar(cli.url, "SELECT count(*) FROM contact_version "
                  "WHERE subject = 'interrupted'") == 0
    assert scalar(cli.url, "SELECT last_no FROM register_counter WHERE register = 'C'") == 285
    monkeypatch.setattr(write, "log_contact", real)
    assert cli("contact", "log", "--kind", "other", "--on", "2018-12-21",
               "--subject", "after").stdout == "C-000286\n"


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\x9b", "\x1b"])
def test_text_that_could_reorder_or_drive_a_terminal_is_refused(cli, char):
    before = cli("contact", "list", "--format", "csv").stdout
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21",
                 "--subject", f"a{char}b")
    assert result.exit_code == 2
    assert result.stderr == ("Error: --subject: contains a control character "
                             f"(U+{ord(char):04X})\n")
    assert cli("contact", "list", "--format", "csv").stdout == before
