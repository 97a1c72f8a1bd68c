"""``tracker reconcile`` and ``tracker figure add``: reported figures against the log."""

from __future__ import annotations

import csv
import io

from tests.helpers import log, rows_of


def test_reconcile_agrees_on_the_seeded_database(cli):
    result = cli("reconcile", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    checked = {r["metric"]: (r["reported"], r["logged"], r["status"]) for r in rows
               if r["metric"].startswith(("contacts.", "messages."))}
    assert checked == {
        "contacts.total": ("285", "285", "agrees"),
        "contacts.meetings": ("46", "46", "agrees"),
        "contacts.gov-meeting": ("5", "5", "agrees"),
        "contacts.working-talks": ("5", "5", "agrees"),
        "contacts.chief-meeting": ("36", "36", "agrees"),
        "messages.total": ("173", "173", "agrees"),
    }
    staff = {(r["metric"], r["as_of"], r["reported"]): (r["logged"], r["status"])
             for r in rows if r["metric"].startswith("staff.")}
    assert staff == {
        # two sources, same day, different counts: both shown, neither averaged nor failed
        ("staff.S", "2018-09-14", "30"): ("1-30", "sources disagree"),
        ("staff.S", "2018-09-14", "15-20"): ("1-30", "sources disagree"),
        # plans announced before the opening are not facts to check
        ("staff.S", "2018-09-12", "20"): ("0-29", "expectation"),
        ("staff.N", "2018-09-12", "15-20"): ("0-19", "expectation"),
        # 19 North posts have no known start: on the opening day the log can only bound it
        ("staff.N", "2018-09-14", "20"): ("1-20", "log cannot tell"),
        ("staff.S", "2018-12-20", "30"): ("30", "agrees"),
        ("staff.N", "2018-12-20", "20"): ("20", "agrees"),
    }
    assert all(r["source"] for r in rows)


def test_reconcile_fails_naming_the_figures_one_more_meeting_breaks(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-12-19",
        "--subject", "a chiefs' meeting the ministry did not count")
    result = cli("reconcile", "--format", "csv")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("Log heads: C:")  # every report names the heads it was made from
    assert lines[1:] == [
        "Error: 3 reported figure(s) disagree with the log: contacts.chief-meeting, "
        "contacts.meetings, contacts.total"
    ]
    rows = {r["metric"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["contacts.total"]["logged"], rows["contacts.total"]["difference"]) == ("286", "1")
    assert rows["messages.total"]["status"] == "agrees"


def test_records_after_the_figure_date_do_not_count_against_it(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "later")
    assert cli("reconcile").exit_code == 0


def test_figure_add_is_checked_by_reconcile(cli):
    added = cli("figure", "add", "--metric", "contacts.total", "--value", "280-290",
                "--as-of", "2018-12-31", "--source", "a briefing", "--qualifier", "about")
    assert added.exit_code == 0, added.stderr
    rows = rows_of(cli("reconcile", "--format", "csv"))
    mine = [r for r in rows if r["as_of"] == "2018-12-31"]
    assert [(r["reported"], r["logged"], r["status"], r["source"]) for r in mine] == [
        ("280-290", "285", "agrees", "a briefing")]
    # a later cumulative figure is checked on its own day, not taken as a rival claim
    cli("figure", "add", "--metric", "contacts.total", "--value", "310", "--as-of",
        "2019-01-31", "--source", "a later briefing")
    later = cli("reconcile", "--format", "csv")
    assert later.exit_code == 1
    assert "contacts.total" in later.stderr
    statuses = {(r["as_of"], r["status"]) for r in csv.DictReader(io.StringIO(later.stdout))
                if r["metric"] == "contacts.total"}
    assert statuses == {("2018-12-20", "agrees"), ("2018-12-31", "agrees"),
                        ("2019-01-31", "disagrees")}
    bad = cli("figure", "add", "--metric", "contacts.bogus", "--value", "1", "--as-of",
              "2018-12-31", "--source", "x")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: --metric:")
