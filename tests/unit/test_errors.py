"""Errors describe themselves with the field spelled by the front end (the CLI's options)."""

from __future__ import annotations

import datetime as dt

import pytest
import typer.main

import tracker.cli
from tracker.cli.group import field_namer
from tracker.errors import (
    AmbiguousChoice,
    BadDate,
    ConflictingOptions,
    DateInFuture,
    EndBeforeStart,
    ExitCode,
    NoDatabase,
    PeriodEndBeforeStart,
    RecordNotFound,
    SchemaError,
    TrackerError,
    UnknownChoice,
    UsageError,
    option_name,
)

DAY = dt.date(2019, 1, 16)
TODAY = dt.date(2019, 1, 15)


@pytest.fixture(scope="module")
def commands():
    root = typer.main.get_command(tracker.cli.full_app())

    def command(*path: str):
        found = root
        for name in path:
            found = found.commands[name]
        return found

    return command


def test_date_in_future_names_the_field_and_its_override():
    error = DateInFuture(DAY, TODAY, field="until", override="allow_future")
    assert error.describe() == ("--until: 2019-01-16 is in the future (today is 2019-01-15); "
                                "pass --allow-future to log a planned date")
    assert str(error) == error.describe() == error.message
    assert error.field == "until" and error.exit_code == ExitCode.REJECTED == 1


def test_date_in_future_without_an_override_offers_none():
    assert DateInFuture(DAY, TODAY, field="on").describe() == "--on: 2019-01-16 is in the future"


def test_describe_spells_every_field_with_the_namer_it_is_given():
    upper = str.upper
    assert DateInFuture(DAY, TODAY, field="until", override="allow_future").describe(upper) == (
        "UNTIL: 2019-01-16 is in the future (today is 2019-01-15); pass ALLOW_FUTURE to log a "
        "planned date")
    assert EndBeforeStart(dt.date(2018, 12, 1), dt.date(2018, 12, 9), field="until",
                          start_field="on").describe() == "--until: 2018-12-01 is before --on " \
                                                          "2018-12-09"
    assert ConflictingOptions("month", ["from", "to"]).describe() == (
        "--month: give either --month or --from/--to, not both")
    assert ConflictingOptions("month", ["from", "to"]).describe(upper) == (
        "MONTH: give either MONTH or FROM/TO, not both")


def test_an_error_about_a_record_is_prefixed_by_what_it_is_about():
    assert TrackerError("is void", about="C-000020").describe() == "C-000020: is void"
    assert TrackerError("no field, no subject").describe() == "no field, no subject"
    assert RecordNotFound("no contact C-999999").describe() == "no contact C-999999"


def test_choices_are_listed_in_the_message():
    error = UnknownChoice("letter", ["message", "notice"], field="kind")
    assert error.describe() == "--kind: 'letter' is not known; choose one of: message, notice"
    assert error.choices == ("message", "notice") and error.exit_code == ExitCode.USAGE
    assert AmbiguousChoice("no", ["notice", "note"], field="kind").describe() == (
        "--kind: 'no' is ambiguous; choose one of: notice, note")


@pytest.mark.parametrize(("error", "code"), [
    (BadDate("x", field="on"), 2),
    (UsageError("x"), 2),
    (PeriodEndBeforeStart(TODAY, DAY, field="to", start_field="from"), 2),
    (EndBeforeStart(TODAY, DAY, field="until", start_field="on"), 1),
    (RecordNotFound("x"), 1),
    (SchemaError("x"), 3),
    (NoDatabase("x"), 3),
])
def test_exit_codes_follow_the_condition(error, code):
    assert int(error.exit_code) == code


def test_option_name():
    assert option_name("initiated_by") == "--initiated-by"
    assert option_name("on") == "--on"


def test_field_namer_spells_fields_as_the_failing_command_does(commands):
    assert field_namer(commands("contact", "log"))("with") == "--with"
    assert field_namer(commands("staff", "leave"))("who") == "STAFF"
    assert field_namer(commands("message", "log"))("from") == "--from"
    assert field_namer(commands("message", "log"))("to") == "--to"
    assert field_namer(commands("contact", "log"))("initiated_by") == "--initiated-by"
    assert field_namer(commands("correct"))("reg_no") == "REG_NO"


def test_field_namer_falls_back_to_the_option_spelling(commands):
    assert field_namer(commands("contact", "log"))("clerk_name") == "--clerk-name"
    assert field_namer(None)("as_of") == "--as-of"


def test_a_typed_error_read_through_the_command_names_its_argument(commands):
    error = DateInFuture(DAY, TODAY, field="on")
    assert error.describe(field_namer(commands("staff", "leave"))) == (
        "--on: 2019-01-16 is in the future")
    assert TrackerError("matches nobody", field="who").describe(
        field_namer(commands("staff", "leave"))) == "STAFF: matches nobody"
