"""``tracker report yearly``: the ministry's table of talks, year by field."""

from __future__ import annotations

import csv
import io

from tests.helpers import log, summary_doc


def yearly(cli, *args: str) -> list[dict[str, str]]:
    result = cli("report", "yearly", "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


HEADER = ["period", "political", "military", "economic", "humanitarian", "social-cultural",
          "other", "unknown", "contacts", "initiated_s", "initiated_n", "initiated_unknown",
          "messages", "messages_s_to_n", "messages_n_to_s", "messages_unknown"]


def test_yearly_golden(cli, golden):
    golden("yearly.csv", cli("report", "yearly", "--format", "csv").stdout)


def test_the_seeded_log_is_one_year_of_unknown_fields(cli):
    result = cli("report", "yearly", "--format", "csv")
    assert result.stdout.splitlines() == [",".join(HEADER),
                                          "2018,0,0,0,0,0,0,285,285,0,0,285,173,0,0,173"]


def test_years_by_field_sum_to_the_summary(cli):
    log(cli, "contact", "log", "--kind", "other", "--on", "2019-03-01", "--subject", "Rail",
        "--field", "economic", "--initiated-by", "N")
    log(cli, "contact", "log", "--kind", "chief", "--on", "2021-06-01", "--subject", "Talks",
        "--field", "military", "--allow-future")
    log(cli, "contact", "log", "--kind", "other", "--on", "2021-06-02", "--subject", "Call",
        "--outcome", "no-answer")  # not held: not a round of contact
    log(cli, "contact", "log", "--kind", "other", "--on", "2019-11", "--until", "2020-02",
        "--subject", "Known only to a period", "--field", "humanitarian")
    log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice",
        "--on", "2019-03-02", "--subject", "Notice", "--field", "economic")
    rows = {r["period"]: r for r in yearly(cli)}
    assert list(rows) == ["2018", "2019", "2019-11-01/2020-02-29", "2020", "2021"]
    assert (rows["2019"]["economic"], rows["2019"]["contacts"], rows["2019"]["messages"]) == (
        "1", "1", "1")
    assert (rows["2019"]["initiated_n"], rows["2019"]["messages_s_to_n"]) == ("1", "1")
    assert rows["2020"] == {**dict.fromkeys(HEADER, "0"), "period": "2020"}  # no gap
    assert (rows["2021"]["military"], rows["2021"]["contacts"]) == ("1", "1")
    assert rows["2019-11-01/2020-02-29"]["humanitarian"] == "1"
    doc = summary_doc(cli)
    assert sum(int(r["contacts"]) for r in rows.values()) == doc["contacts"]["total"] == 288
    assert sum(int(r["messages"]) for r in rows.values()) == doc["messages"]["total"] == 174
    assert doc["contacts"]["not_held"]["no-answer"] == 1
    # a period selects whole intervals, as every report does
    assert [r["period"] for r in yearly(cli, "--from", "2019", "--to", "2019")] == ["2019"]
