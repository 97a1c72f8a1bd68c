"""A clerk's quick entry: prompts at a terminal, notes from stdin, and the mistakes caught
before they are logged (a date before the office opened, a contact logged twice, an option
given twice, an empty clerk), and restoring a mistaken void."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

import tracker.cli.entry


def counts(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in ("contact", "contact_version", "message"))
    engine.dispose()
    return found  # type: ignore[return-value]


def one_error(result, code: int, start: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith(start), result.stderr


@pytest.fixture
def at_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracker.cli.entry, "stdin_is_terminal", lambda: True)


def test_a_terminal_is_asked_for_what_is_missing(cli, at_terminal):
    result = cli("contact", "log", input="chief\n2018-12-21\nWeekly meeting\nChun, Jon\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("C-000286")
    assert "Kind (gov-meeting, working-talks, chief-meeting, other)" in result.stdout
    shown = json.loads(cli("show", "C-000286", "--format", "json").stdout)
    assert (shown["kind"], shown["date"], shown["subject"], shown["with"]) == (
        "chief-meeting", "2018-12-21", "Weekly meeting", ["Chun Hae-sung", "Jon Jong-su"])


def test_the_date_prompt_defaults_to_today(cli, at_terminal):
    result = cli("contact", "log", "--kind", "other", "--subject", "s", input="\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Date [today]" in result.stdout


def test_a_script_is_never_asked(cli):
    before = counts(cli.url)
    one_error(cli("contact", "log", "--on", "2018-12-21", "--subject", "x"), 2,
              "Error: Missing option '--kind'.")
    one_error(cli("message", "log", "--sender", "S", "--kind", "notice", "--on", "2018-12-21",
                  "--subject", "x"), 2, "Error: Missing option '--recipient'.")
    assert counts(cli.url) == before


def test_a_note_is_read_from_stdin(cli):
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", "n",
                 "--note", "-", input="minutes follow\nsecond line\n")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("show", "C-000286", "--format", "json").stdout)
    assert shown["notes"] == "minutes follow\nsecond line"


def test_a_note_is_written_in_the_editor(cli, tmp_path):
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf 'typed in the editor' > \"$1\"\n")
    editor.chmod(0o755)
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", "e",
                 "--edit", env={"EDITOR": str(editor), "VISUAL": ""})
    assert result.exit_code == 0, result.stderr
    assert json.loads(cli("show", "C-000286", "--format", "json").stdout)["notes"] == \
        "typed in the editor"


def test_a_date_before_the_office_opened_needs_insisting(cli):
    before = counts(cli.url)
    for args in (("contact", "log", "--kind", "other", "--on", "0001-01-01", "--subject", "x"),
                 ("message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice", "--on",
                  "2018-09-13", "--subject", "x"),
                 ("correct", "C-000001", "--on", "2018-01-01", "--until", "2018-12-20",
                  "--reason", "r")):
        one_error(cli(*args), 1, "Error: --on: ")
        assert "before the office opened (2018-09-14); pass --before-opening" in \
            cli(*args).stderr
    assert counts(cli.url) == before
    insisted = cli("contact", "log", "--kind", "other", "--on", "2018-09-13", "--subject", "x",
                   "--before-opening")
    assert insisted.exit_code == 0, insisted.stderr


def test_a_contact_logged_twice_is_caught(cli):
    first = cli("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject",
                "Weekly meeting", "--with", "Chun", "--with", "Jon")
    assert first.stdout == "C-000286\n"
    before = counts(cli.url)
    one_error(cli("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject",
                  "weekly meeting"), 1,
              "Error: --subject: looks like C-000286 (same days, kind and subject); pass "
              "--again")
    one_error(cli("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject",
                  "other words", "--with", "Jon", "--with", "Chun"), 1,
              "Error: --subject: looks like C-000286 (same days, kind and participants)")
    assert counts(cli.url) == before
    again = cli("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject",
                "Weekly meeting", "--again")
    assert again.stdout == "C-000287\n"
    other_day = cli("contact", "log", "--kind", "chief", "--on", "2018-12-22", "--subject",
                    "Weekly meeting")
    assert other_day.exit_code == 0, other_day.stderr


@pytest.mark.parametrize("args", [
    ("contact", "log", "--kind", "chief", "--kind", "other", "--on", "2018-12-21",
     "--subject", "x"),
    ("contact", "log", "-k", "chief", "--on", "2018-12-21", "--kind=other", "--subject", "x"),
    ("report", "summary", "--from", "2018-10", "--from", "2018-11"),
    ("correct", "C-000001", "--subject", "a", "--subject", "b", "--reason", "r"),
])
def test_an_option_given_twice_is_refused(cli, args):
    before = counts(cli.url)
    flag = "--from" if "report" in args else "--subject" if "correct" in args else "--kind"
    one_error(cli(*args), 2, f"Error: {flag}: given more than once; give it once")
    assert counts(cli.url) == before


def test_a_value_that_looks_like_an_option_is_just_a_value(cli):
    result = cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject",
                 "--kind", "--note", "--kind")
    assert result.exit_code == 0, result.stderr


def test_an_empty_clerk_is_refused_not_replaced(cli):
    before = counts(cli.url)
    one_error(cli("contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", "x",
                  "--clerk", ""), 2, "Error: --clerk: must not be empty")
    assert counts(cli.url) == before


def test_restore_takes_back_a_void(cli):
    assert cli("void", "M-000010", "--reason", "wrong message").exit_code == 0
    total = lambda: json.loads(cli("report", "summary", "--format", "json").stdout)[  # noqa: E731
        "messages"]["total"]
    assert total() == 172
    restored = cli("restore", "M-000010", "--reason", "voided the wrong one")
    assert restored.stdout == "M-000010: restored (version 3)\n"
    assert total() == 173
    history = json.loads(cli("history", "M-000010", "--format", "json").stdout)
    assert [v["change"] for v in history] == ["created", "void", "restored"]
    assert history[2]["reason"] == "voided the wrong one"
    assert history[2]["recorded_at"].endswith(" UTC") and "." not in history[2]["recorded_at"]
    one_error(cli("restore", "M-000010", "--reason", "again"), 1,
              "Error: M-000010: is not void; there is nothing to restore")
    assert cli("verify").exit_code == 0
