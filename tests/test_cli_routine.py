"""``tracker routine`` and ``tracker check``: the weeks without a co-heads' meeting."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers import log, pinned_clock

ROUTINE = "co-heads' weekly meeting"


def check(cli, *args: str):
    result = cli("check", "--format", "csv", *args)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    return result, [(r["from"], r["to"], r["status"]) for r in rows]


def meeting(cli, on: str, *extra: str) -> str:
    return log(cli, "contact", "log", "--kind", "chief", "--on", on, "--subject", "Weekly",
               "--again", *extra)


def test_the_seed_states_the_weekly_meeting_with_its_sources(cli):
    (routine,) = json.loads(log(cli, "routine", "list", "--format", "json"))
    assert (routine["name"], routine["kind"], routine["every"], routine["from"]) == (
        ROUTINE, "chief-meeting", "week", "2018-09-14")
    assert routine["sources"] == ["koreaherald-2018-09-14", "koreapost-2018-09-12",
                                  "reuters-2018-09-13"]


def test_the_seeded_weeks_cannot_be_told_never_missing(cli):
    result, periods = check(cli, "--from", "2018-09-14", "--to", "2018-12-20")
    assert result.exit_code == 0, result.stderr
    assert len(periods) == 14
    assert periods[0] == ("2018-09-14", "2018-09-20", "cannot tell")
    assert periods[-1] == ("2018-12-14", "2018-12-20", "cannot tell")
    assert {status for *_, status in periods} == {"cannot tell"}
    assert f"{ROUTINE}: 14 weeks checked: 0 held, 14 cannot tell, 0 missing" in result.stderr


def test_a_week_without_a_held_meeting_is_missing(cli):
    meeting(cli, "2018-12-21")  # week 12-21 … 12-27: held
    meeting(cli, "2018-12-28", "--outcome", "cancelled")  # not held: does not count
    void = meeting(cli, "2019-01-04")
    log(cli, "void", void, "--reason", "logged in error")  # a void one does not count either
    meeting(cli, "2019-01-12")
    result, periods = check(cli, "--from", "2018-12-21", "--to", "2019-01-17")
    assert result.exit_code == 1
    assert periods == [("2018-12-28", "2019-01-03", "missing"),
                       ("2019-01-04", "2019-01-10", "missing")]
    result, periods = check(cli, "--from", "2018-12-21", "--to", "2019-01-17", "--all")
    assert [status for *_, status in periods] == ["held", "missing", "missing", "held"]
    assert "4 weeks checked: 2 held, 0 cannot tell, 2 missing" in result.stderr


def test_a_contact_known_only_to_a_month_makes_its_weeks_uncertain(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2019-02", "--subject", "Some week")
    result, periods = check(cli, "--from", "2019-02-01", "--to", "2019-02-28")
    assert result.exit_code == 0, result.stderr
    # weeks from Friday: 02-01 … 02-07, …, 02-22 … 02-28, all within February
    assert periods == [(s, e, "cannot tell") for s, e in (
        ("2019-02-01", "2019-02-07"), ("2019-02-08", "2019-02-14"),
        ("2019-02-15", "2019-02-21"), ("2019-02-22", "2019-02-28"))]


def test_a_daily_routine_and_a_period_not_yet_over(cli):
    assert log(cli, "routine", "add", "morning call", "--kind", "other", "--every", "day",
               "--at", "9:00", "--from", "2018-12-21", "--source", "reuters-2018-09-13") == \
        "routine #2: morning call (other, every day from 2018-12-21)"
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-21", "--at", "09:00",
        "--subject", "Morning call")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22", "--at", "09:00",
        "--subject", "Morning call", "--outcome", "no-answer")
    with pinned_clock("2018-12-23T08:00"):  # the 23rd is not over: not judged yet
        result = cli("check", "--format", "json", "--from", "2018-12-21")
    assert result.exit_code == 1
    days = [(r["routine"], r["from"], r["status"]) for r in json.loads(result.stdout)]
    assert ("morning call", "2018-12-22", "missing") in days
    assert not any(r == "morning call" and d in ("2018-12-21", "2018-12-23")
                   for r, d, _ in days)
    listed = {r["name"]: r for r in json.loads(log(cli, "routine", "list", "--format",
                                                   "json"))}
    assert listed["morning call"]["at"] == "09:00"


@pytest.mark.parametrize(("args", "code", "start"), [
    (("x", "--kind", "chief", "--every", "fortnight", "--from", "2018-09-14"), 2,
     "Error: --every: 'fortnight' is not known"),
    ((ROUTINE, "--kind", "chief", "--every", "week", "--from", "2018-09-14"), 1,
     "Error: NAME: a routine named"),
    (("x", "--kind", "chief", "--every", "week", "--from", "2018-09-14", "--source", "nope"),
     2, "Error: --source: 'nope' is not a source"),
    (("x", "--kind", "lunch", "--every", "week", "--from", "2018-09-14"), 2, "Error: --kind:"),
    (("x", "--kind", "chief", "--every", "week", "--from", "2018-09"), 1, "Error: --from:"),
    (("", "--kind", "chief", "--every", "week", "--from", "2018-09-14"), 2, "Error: NAME:"),
])
def test_bad_routines_are_refused(cli, args, code, start):
    result = cli("routine", "add", *args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith(start) and len(result.stderr.splitlines()) == 1
    assert len(json.loads(log(cli, "routine", "list", "--format", "json"))) == 1
