"""``tracker report replies``: how fast the other side answers, and what is still waiting."""

from __future__ import annotations

import csv
import io

import pytest

from tests.helpers import log, pinned_clock

NOW = "2018-12-30T12:00"


def table(cli, *args: str) -> list[dict[str, str]]:
    with pinned_clock(NOW):
        result = cli("report", "replies", *args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def message(cli, sender: str, recipient: str, on: str, subject: str, *extra: str) -> str:
    return log(cli, "message", "log", "--sender", sender, "--recipient", recipient, "--kind",
               "notice", "--on", on, "--subject", subject, *extra, now=NOW)


@pytest.fixture
def exchanged(cli):
    """Three notices of the South; the North answers two, one of them twice over a day."""
    message(cli, "S", "N", "2018-12-20", "Agenda", "--at", "09:00", "--field", "political")
    message(cli, "N", "S", "2018-12-21", "Agreed", "--at", "15:00", "--reply-to", "M-000174")
    message(cli, "S", "N", "2018-12-22", "Rail survey", "--field", "economic")
    message(cli, "N", "S", "2018-12-25", "Survey dates", "--reply-to", "M-000176")
    message(cli, "S", "N", "2018-12-26", "Forestry")  # M-000178: never answered
    message(cli, "S", "N", "2018-12-29", "Tomorrow")  # M-000179: only one day old
    message(cli, "N", "S", "2018-12-27", "Late note", "--reply-to", "M-000176")
    return cli


def test_response_times_per_direction_and_field(exchanged):
    rows = table(exchanged)
    assert [(r["direction"], r["field"], r["replies"], r["median_days"], r["p90_days"],
             r["untimed"]) for r in rows] == [
        ("N->S", "economic", "2", "4.0", "4.8", "0"),  # 3 and 5 days
        ("N->S", "political", "1", "1.25", "1.25", "0"),  # 09:00 to 15:00 the next day
        ("(all)", "(all)", "3", "3.0", "4.6", "0")]


def test_a_void_reply_does_not_count_and_a_period_reply_is_untimed(exchanged):
    log(exchanged, "void", "M-000177", "--reason", "logged by mistake", now=NOW)
    message(exchanged, "N", "S", "2018-12", "Some day in December", "--reply-to", "M-000178")
    rows = {(r["direction"], r["field"]): r for r in table(exchanged)}
    assert rows[("N->S", "economic")]["replies"] == "1"
    assert rows[("N->S", "unknown")]["untimed"] == "1"
    assert rows[("N->S", "unknown")]["median_days"] == ""  # never invented
    assert rows[("(all)", "(all)")]["replies"] == "3"


def test_overdue_lists_what_no_reply_answers(exchanged):
    rows = table(exchanged, "--overdue", "3")
    assert [(r["reg_no"], r["direction"], r["days_waiting"]) for r in rows] == [
        ("M-000178", "S->N", "4")]
    assert [r["reg_no"] for r in table(exchanged, "--overdue", "1")] == ["M-000178", "M-000179"]
    with pinned_clock(NOW):
        result = exchanged("report", "replies", "--overdue", "3")
    assert "173 unanswered messages are dated only to a period" in result.stderr
    assert table(exchanged, "--overdue", "3", "--as-of", "2018-12-25") == []  # not yet logged


def test_the_seeded_log_has_no_replies(cli):
    assert table(cli) == [{"direction": "(all)", "field": "(all)", "replies": "0",
                           "median_days": "", "p90_days": "", "untimed": "0"}]
    result = cli("report", "replies", "--overdue", "-1")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --overdue: must be 0")


def test_as_of_counts_a_reply_once_with_what_its_message_said_then(cli):
    message(cli, "S", "N", "2018-12-20", "Agenda", "--field", "political")
    message(cli, "N", "S", "2018-12-21", "Agreed", "--reply-to", "M-000174")
    log(cli, "correct", "M-000174", "--field", "economic", "--reason", "minutes",
        now="2019-01-05T10:00")
    then = {(r["direction"], r["field"]): r["replies"]
            for r in table(cli, "--as-of", "2019-01-01")}
    assert then == {("N->S", "political"): "1", ("(all)", "(all)"): "1"}
    now = {(r["direction"], r["field"]): r["replies"] for r in table(cli)}
    assert now == {("N->S", "economic"): "1", ("(all)", "(all)"): "1"}
