"""``tracker message log`` and ``tracker message list``."""

from __future__ import annotations

import csv
import io


def test_message_log_links_a_contact(cli):
    assert cli("contact", "log", "--kind", "other", "--on", "2018-12-21",
               "--subject", "consultation").stdout == "C-000286\n"
    result = cli("message", "log", "--sender", "S", "--recipient", "north", "--kind", "notice",
                 "--on", "2018-12-21", "--subject", "Agenda", "--contact", "C-000286")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "M-000174\n"
    rows = list(csv.DictReader(io.StringIO(
        cli("message", "list", "--side", "N", "--month", "2018-12", "--format", "csv").stdout)))
    assert [(r["reg_no"], r["sender"], r["recipient"], r["contact"]) for r in rows] == [
        ("M-000174", "S", "N", "C-000286")]


def test_from_and_to_are_dates_in_every_command(cli):
    """``--from``/``--to`` mean a date everywhere; the old side spelling points at the new one."""
    for args in (("message", "log", "--from", "S", "--recipient", "N", "--kind", "notice",
                  "--on", "2018-12-21", "--subject", "Agenda"),
                 ("correct", "M-000100", "--to", "N", "--reason", "typo")):
        result = cli(*args)
        assert result.exit_code == 2, args
        old = "--from" if "--from" in args else "--to"
        new = "--sender" if old == "--from" else "--recipient"
        assert result.stderr.startswith(f"Error: {old}: ")
        assert new in result.stderr and len(result.stderr.splitlines()) == 1
    assert cli("message", "list", "--format", "csv").stdout.count("\n") == 174  # nothing logged
    result = cli("message", "list", "--from", "S")
    assert result.exit_code == 2 and "'S' is not a date" in result.stderr
    result = cli("message", "list", "--from", "2018-12", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.startswith("reg_no,date_from,date_to,time_of_day,kind,field,sender,"
                                    "recipient")
