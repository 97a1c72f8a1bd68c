"""Linked records: replies between messages, a contact's messages, a time of day, and the
participants as a list in JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest


def log(cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def doc(cli, *args: str):
    return json.loads(log(cli, *args, "--format", "json"))


@pytest.fixture
def linked(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-12-21", "--at", "9:00",
        "--subject", "weekly", "--with", "Chun", "--with", "Jon")
    log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice", "--on",
        "2018-12-21", "--subject", "agenda", "--contact", "C-000286")
    log(cli, "message", "log", "--sender", "N", "--recipient", "S", "--kind", "notice", "--on",
        "2018-12-22", "--at", "10:30", "--subject", "answer", "--reply-to", "M-000174",
        "--contact", "C-000286")
    return cli


def test_show_lists_a_contacts_messages_and_a_messages_replies(linked):
    contact = doc(linked, "show", "C-000286")
    assert contact["messages"] == ["M-000174", "M-000175"]
    assert contact["date"] == "2018-12-21 09:00"
    assert contact["with"] == ["Chun Hae-sung", "Jon Jong-su"]
    asked = doc(linked, "show", "M-000174")
    assert (asked["reply_to"], asked["replies"], asked["contact"]) == (None, ["M-000175"],
                                                                       "C-000286")
    answer = doc(linked, "show", "M-000175")
    assert (answer["reply_to"], answer["replies"], answer["date"]) == (
        "M-000174", [], "2018-12-22 10:30")
    table = log(linked, "show", "C-000286")
    assert "M-000174; M-000175" in table


def test_message_list_by_contact_and_by_person(linked):
    by_contact = doc(linked, "message", "list", "--contact", "C-000286")
    assert [r["reg_no"] for r in by_contact] == ["M-000174", "M-000175"]
    by_person = doc(linked, "message", "list", "--person", "Jon Jong-su")
    assert [r["reg_no"] for r in by_person] == ["M-000174", "M-000175"]
    assert doc(linked, "message", "list", "--person", "Kim Chang-soo") == []
    wrong = linked("message", "list", "--contact", "M-000174")
    assert wrong.exit_code == 2 and wrong.stderr.startswith("Error: --contact:")


def test_participants_are_a_list_in_json_and_a_json_array_in_csv(linked):
    rows = doc(linked, "contact", "list", "--from", "2018-12-21")
    assert rows[0]["with"] == ["Chun Hae-sung", "Jon Jong-su"]
    csv_text = log(linked, "contact", "list", "--from", "2018-12-21", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(csv_text)))
    assert json.loads(row["with"]) == ["Chun Hae-sung", "Jon Jong-su"]


@pytest.mark.parametrize("args, code, start", [
    (("--reply-to", "C-000286"), 2, "Error: --reply-to: C-000286 is a contact"),
    (("--reply-to", "M-009999"), 1, "Error: --reply-to: no message M-009999"),
    (("--at", "25:00"), 2, "Error: --at: '25:00' is not a time of day"),
    (("--at", "noon"), 2, "Error: --at:"),
])
def test_bad_links_and_times_are_refused(linked, args, code, start):
    result = linked("message", "log", "--sender", "N", "--recipient", "S",
                    "--kind", "notice", "--on",
                    "2018-12-23", "--subject", "x", *args)
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith(start) and len(result.stderr.splitlines()) == 1
    assert doc(linked, "message", "list", "--from", "2018-12-23") == []


def test_a_void_message_cannot_be_answered(linked):
    log(linked, "void", "M-000174", "--reason", "sent by mistake")
    result = linked("message", "log", "--sender", "N", "--recipient", "S",
                    "--kind", "notice", "--on",
                    "2018-12-23", "--subject", "x", "--reply-to", "M-000174")
    assert result.exit_code == 1 and "M-000174 is void" in result.stderr


def test_links_and_times_are_corrected_like_any_field(linked):
    assert log(linked, "correct", "M-000175", "--reply-to", "", "--reason", "not a reply") == \
        "M-000175: version 2"
    assert doc(linked, "show", "M-000175")["reply_to"] is None
    assert doc(linked, "show", "M-000174")["replies"] == []
    log(linked, "correct", "C-000286", "--at", "09:30", "--reason", "minutes")
    history = doc(linked, "history", "C-000286")
    assert history[1]["change"] == "time_of_day: 09:00 -> 09:30"
    selfish = linked("correct", "M-000175", "--reply-to", "M-000175", "--reason", "r")
    assert selfish.exit_code == 2 and "cannot answer itself" in selfish.stderr
    only_messages = linked("correct", "C-000286", "--reply-to", "M-000174", "--reason", "r")
    assert only_messages.exit_code == 2 and only_messages.stderr.startswith(
        "Error: --reply-to: does not apply to a contact")
    assert log(linked, "verify").count("ok") == 2
