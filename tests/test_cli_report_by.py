"""``report summary --by`` and ``report monthly --by``: field, side, initiator, tag, outcome,
one or two of them; the groups always sum exactly to the plain report."""

from __future__ import annotations

import csv
import io
import itertools

import pytest

from tests.helpers import log, summary_doc

DIMENSIONS = ["field", "side", "initiator", "tag", "outcome"]
KINDS = ["gov-meeting", "working-talks", "chief-meeting", "other"]
COUNTED = [*KINDS, "meetings", "contacts", "not_held", "messages"]


def table(cli, *args: str) -> list[dict[str, str]]:
    result = cli(*args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture
def varied(cli):
    """A log with every dimension varied on top of the seed."""
    for args in (
        ("contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "Weekly",
         "--field", "political", "--initiated-by", "S", "--tag", "weekly"),
        ("contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject", "Rail",
         "--field", "economic", "--initiated-by", "N", "--tag", "railway", "--tag", "survey"),
        ("contact", "log", "--kind", "other", "--on", "2018-12-24", "--subject", "Call",
         "--outcome", "no-answer", "--initiated-by", "S"),
        ("contact", "log", "--kind", "gov", "--on", "2019-01", "--subject", "Talks",
         "--outcome", "postponed", "--field", "military"),
        ("message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice", "--on",
         "2018-12-21", "--subject", "Agenda", "--field", "political", "--tag", "weekly"),
        ("message", "log", "--sender", "N", "--recipient", "S", "--kind", "notice", "--on",
         "2018-12-22", "--subject", "Answer", "--tag", "railway"),
    ):
        log(cli, *args)
    return cli


def test_the_plain_summary_counts_only_held_contacts_and_splits_messages(varied):
    doc = summary_doc(varied)
    assert doc["contacts"]["total"] == 287
    assert doc["contacts"]["not_held"] == {"no-answer": 1, "refused": 0, "cancelled": 0,
                                           "postponed": 1}
    assert doc["contacts"]["by_initiator"] == {"S": 1, "N": 1, "unknown": 285}
    assert doc["messages"]["by_direction"] == {"S->N": 1, "N->S": 1, "unknown": 173}


@pytest.mark.parametrize("dims", [*([d] for d in DIMENSIONS),
                                  *(list(p) for p in itertools.combinations(DIMENSIONS, 2))],
                         ids="+".join)
def test_summary_groups_sum_to_the_plain_summary(varied, dims):
    by = [arg for d in dims for arg in ("--by", d)]
    rows = table(varied, "report", "summary", *by)
    assert list(rows[0])[:len(dims)] == dims
    labels = [tuple(r[d] for d in dims) for r in rows]
    assert len(labels) == len(set(labels)), "a group is listed twice"
    doc = summary_doc(varied)
    plain = {**doc["contacts"]["by_kind"], "meetings": doc["contacts"]["meetings"],
             "contacts": doc["contacts"]["total"],
             "not_held": sum(doc["contacts"]["not_held"].values()),
             "messages": doc["messages"]["total"]}
    assert {c: sum(int(r[c]) for r in rows) for c in COUNTED} == plain


def test_summary_by_field_and_tag_say_what_each_group_holds(varied):
    by_field = {r["field"]: r for r in table(varied, "report", "summary", "--by", "field")}
    assert list(by_field) == ["economic", "military", "political", "unknown"]
    assert (by_field["political"]["chief-meeting"], by_field["political"]["messages"]) == (
        "1", "1")
    assert (by_field["military"]["contacts"], by_field["military"]["not_held"]) == ("0", "1")
    by_tag = {r["tag"]: r for r in table(varied, "report", "summary", "--by", "tag")}
    # a record with two tags is one record: counted once, in the group of its tag set
    assert by_tag["railway; survey"]["other"] == "1"
    assert by_tag["railway"]["messages"] == "1"
    assert by_tag["(no tags)"]["messages"] == "173"
    by_side = {r["side"]: r for r in table(varied, "report", "summary", "--by", "side")}
    assert (by_side["S->N"]["messages"], by_side["N->S"]["messages"]) == ("1", "1")
    assert (by_side["S"]["contacts"], by_side["N"]["contacts"]) == ("1", "1")
    by_outcome = {r["outcome"]: r for r in table(varied, "report", "summary", "--by",
                                                 "outcome")}
    assert by_outcome["n/a"]["messages"] == "175"  # messages have no outcome
    assert (by_outcome["no-answer"]["not_held"], by_outcome["held"]["contacts"]) == (
        "1", "287")


@pytest.mark.parametrize("spread", ["separate", "apportion"])
@pytest.mark.parametrize("dims", [["field"], ["tag", "outcome"]], ids="+".join)
def test_monthly_groups_sum_to_the_plain_months(varied, dims, spread):
    by = [arg for d in dims for arg in ("--by", d)]
    plain = table(varied, "report", "monthly", "--spread", spread)
    split = table(varied, "report", "monthly", "--spread", spread, *by)
    assert list(split[0])[:1 + len(dims)] == ["period", *dims]

    def per_period(rows):
        totals: dict[tuple[str, str], dict[str, int]] = {}
        for r in rows:
            key = (r["period"], r["estimated"])
            for c in [*COUNTED, "messages_s_to_n", "messages_n_to_s", "messages_unknown"]:
                totals.setdefault(key, {}).setdefault(c, 0)
                totals[key][c] += int(r[c])
        return {k: v for k, v in totals.items() if any(v.values())}

    assert per_period(split) == per_period(plain)


@pytest.mark.parametrize(("args", "start"), [
    (("--by", "weather"), "Error: --by: 'weather' is not known"),
    (("--by", "tag", "--by", "tag"), "Error: --by: 'tag' is given twice"),
    (("--by", "tag", "--by", "field", "--by", "side"), "Error: --by: at most two"),
])
@pytest.mark.parametrize("report", ["summary", "monthly"])
def test_bad_dimensions_are_refused(cli, report, args, start):
    result = cli("report", report, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(start) and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("report", "dims"), [
    *((report, [d]) for report in ("summary", "monthly") for d in DIMENSIONS),
    ("summary", ["side", "outcome"]), ("monthly", ["field", "tag"])], ids=str)
def test_by_golden(varied, golden, report, dims):
    """On the varied log, so that each golden file shows more than one group."""
    cli = varied
    by = [arg for d in dims for arg in ("--by", d)]
    result = cli("report", report, *by, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    golden(f"{report}_by_{'_'.join(dims)}.csv", result.stdout)


def test_a_contact_that_was_not_held_and_crosses_the_edge_is_left_out_and_said(cli):
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-28", "--until", "2019-01-03",
        "--subject", "Talks", "--outcome", "cancelled")
    doc = summary_doc(cli, "--from", "2019-01")
    assert doc["contacts"]["not_held"]["cancelled"] == 0
    assert doc["left_out_straddling"]["contacts"] == 1


def test_apportioning_does_not_depend_on_how_records_split(cli):
    """Two contacts over January and February 2019 are one each month (31 and 28 days),
    whoever initiated them: each count is spread once, not per initiator."""
    for side in ("S", "N"):
        log(cli, "contact", "log", "--kind", "other", "--on", "2019-01-01", "--until",
            "2019-02-28", "--subject", f"Talks {side}", "--initiated-by", side, "--again")
    rows = {r["period"]: r for r in table(cli, "report", "monthly", "--spread", "apportion",
                                          "--from", "2019-01", "--to", "2019-02")}
    assert (rows["2019-01"]["other"], rows["2019-02"]["other"]) == ("1", "1")
    # each estimated row adds up, and each split column sums to what was logged
    for row in rows.values():
        assert int(row["initiated_s"]) + int(row["initiated_n"]) == int(row["contacts"])
    assert sum(int(r["initiated_s"]) for r in rows.values()) == 1
    assert sum(int(r["initiated_n"]) for r in rows.values()) == 1
