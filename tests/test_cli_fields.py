"""What a record is about and what became of it: ``--field``, ``--tag`` and ``--outcome`` on
``contact log``, ``message log`` and ``correct``, shown by ``show``/``list``/``history`` and
covered by the hash chain."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import log


def shown(cli, reg_no: str) -> dict:
    result = cli("show", reg_no, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def one_error(result, code: int, start: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(start), result.stderr


def execute(url: str, sql: str, **params) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    engine.dispose()


def test_a_contact_carries_field_tags_and_outcome(cli):
    assert log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject",
               "Railway survey", "--field", "eco", "--tag", "Railway", "--tag",
               " forestry   survey ", "--tag", "railway") == "C-000286"
    record = shown(cli, "C-000286")
    assert (record["field"], record["tags"], record["outcome"]) == (
        "economic", ["forestry survey", "railway"], "held")
    assert log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-24", "--at", "09:00",
               "--subject", "Morning call", "--outcome", "no") == "C-000287"
    assert (shown(cli, "C-000287")["outcome"], shown(cli, "C-000287")["field"]) == (
        "no-answer", "unknown")
    rows = list(csv.DictReader(io.StringIO(
        log(cli, "contact", "list", "--from", "2018-12-22", "--format", "csv"))))
    assert [(r["reg_no"], r["outcome"], r["field"], r["tags"]) for r in rows
            if r["reg_no"] > "C-000285"] == [
        ("C-000286", "held", "economic", '["forestry survey", "railway"]'),
        ("C-000287", "no-answer", "unknown", "[]")]


def test_a_message_carries_field_and_tags_but_no_outcome(cli):
    assert log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice",
               "--on", "2018-12-21", "--subject", "Agenda", "--field", "humanitarian",
               "--tag", "reunions") == "M-000174"
    record = shown(cli, "M-000174")
    assert (record["field"], record["tags"]) == ("humanitarian", ["reunions"])
    assert "outcome" not in record
    one_error(cli("message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice",
                  "--on", "2018-12-21", "--subject", "x", "--outcome", "held"), 2,
              "Error: No such option: --outcome")
    one_error(cli("correct", "M-000174", "--outcome", "held", "--reason", "r"), 2,
              "Error: --outcome: does not apply to a message")


def test_seeded_records_say_unknown_never_a_guess(cli):
    for register in ("contact", "message"):
        rows = json.loads(log(cli, register, "list", "--format", "json"))
        assert {r["field"] for r in rows} == {"unknown"}
        assert {tuple(r["tags"]) for r in rows} == {()}
    assert {r["outcome"] for r in json.loads(log(cli, "contact", "list", "--format", "json"))
            } == {"held"}


def test_corrections_change_field_tags_and_outcome_with_history(cli):
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject", "Call",
        "--tag", "railway", "--outcome", "postponed")
    assert log(cli, "correct", "C-000286", "--field", "political", "--tag", "rail",
               "--tag", "roads", "--outcome", "held", "--reason", "minutes") == \
        "C-000286: version 2"
    record = shown(cli, "C-000286")
    assert (record["field"], record["tags"], record["outcome"]) == (
        "political", ["rail", "roads"], "held")
    one_error(cli("correct", "C-000286", "--tag", "roads", "--tag", "RAIL", "--reason", "r"), 1,
              "Error: C-000286: the correction changes nothing")
    assert log(cli, "correct", "C-000286", "--tag", "", "--reason", "no tags after all") == \
        "C-000286: version 3"
    assert shown(cli, "C-000286")["tags"] == []
    changes = [v["change"] for v in shown(cli, "C-000286")["history"]]
    assert changes[1] == ("field_code: unknown -> political; outcome_code: postponed -> held; "
                          "tags: railway -> rail; roads")
    assert changes[2] == "tags: rail; roads -> (none)"
    # a void and its restore keep what the record says
    log(cli, "correct", "C-000286", "--tag", "kept", "--reason", "r")
    log(cli, "void", "C-000286", "--reason", "mistake")
    log(cli, "restore", "C-000286", "--reason", "not a mistake")
    assert (shown(cli, "C-000286")["tags"], shown(cli, "C-000286")["field"]) == (
        ["kept"], "political")
    verified = cli("verify")
    assert verified.exit_code == 0, verified.stdout + verified.stderr


@pytest.mark.parametrize(("args", "code", "start"), [
    (("--field", "sports"), 2, "Error: --field: 'sports' is not known"),
    (("--field", "",), 2, "Error: --field:"),
    (("--outcome", "maybe"), 2, "Error: --outcome: 'maybe' is not known"),
    (("--outcome", "c"), 2, "Error: --outcome:"),  # cancelled? c… is unique: see below
    (("--tag", "a\x01b"), 2, "Error: --tag: contains a control character"),
    (("--tag", "two\nlines"), 2, "Error: --tag: a tag is one line"),
    (("--tag", "x" * 61), 1, "Error: --tag: is 61 characters"),
    (("--tag", "\u00df" * 60), 1, "Error: --tag: is 120 characters"),  # "ß" folds to "ss"
    (("--tag", "  "), 2, "Error: --tag: must not be empty"),
])
def test_bad_fields_tags_and_outcomes_are_refused(cli, args, code, start):
    if args == ("--outcome", "c"):  # the only outcome starting with c: accepted
        assert log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22",
                   "--subject", "Call", *args) == "C-000286"
        assert shown(cli, "C-000286")["outcome"] == "cancelled"
        return
    one_error(cli("contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject",
                  "Call", *args), code, start)
    assert "C-000286" not in cli("contact", "list", "--from", "2018-12-22").stdout


def test_a_tag_slipped_into_the_database_breaks_the_chain(cli, seeded_url):
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject", "Call",
        "--tag", "railway")
    assert cli("verify").exit_code == 0
    # inserting is what the append-only triggers allow: the hash is what catches it
    execute(seeded_url, "INSERT INTO contact_tag (version_id, tag) SELECT max(id), 'forged' "
            "FROM contact_version")
    verified = cli("verify")
    assert verified.exit_code == 1
    assert "C-000286 version 1: content changed" in verified.stderr


def test_a_log_with_fields_is_not_downgraded_below_them(cli, seeded_url):
    from tracker.db.migrate import downgrade

    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject", "Call",
        "--tag", "railway")
    with pytest.raises(RuntimeError, match="cannot hold them"):
        downgrade(seeded_url, "0005")
    assert shown(cli, "C-000286")["tags"] == ["railway"]
    assert cli("verify").exit_code == 0


def test_an_unanswered_call_and_the_one_that_got_through_are_two_contacts(cli):
    call = ("contact", "log", "--kind", "other", "--on", "2018-12-24", "--subject",
            "Morning call")
    assert log(cli, *call, "--outcome", "no-answer") == "C-000286"
    assert log(cli, *call) == "C-000287"  # held: not taken for the same contact
    one_error(cli(*call), 1, "Error: --subject: looks like C-000287")
