"""Analyst's reports: periods, as-of, apportioned estimates, reconcile, formats, chart."""

from __future__ import annotations

import csv
import io
import json
import struct

import openpyxl
import pytest

from tests.helpers import pinned_clock
from tests.test_reports import assert_monthly_sums_to_summary, summary_doc


def rows_of(result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def log(cli, *args: str, now: str | None = None):
    if now is None:
        result = cli(*args)
    else:
        with pinned_clock(now):
            result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


# ---- periods ----

def test_period_leaves_out_straddling_records_and_says_so(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-10-05", "--subject", "in Q4")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-09-20", "--until", "2018-10-10",
        "--subject", "straddles the start of Q4")
    result = cli("report", "summary", "--from", "2018-10", "--to", "2018-12", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["contacts"]["by_kind"] == {"gov-meeting": 0, "working-talks": 0,
                                          "chief-meeting": 1, "other": 0}
    assert doc["left_out_straddling"] == {"contacts": 286, "messages": 173}
    assert "left out 286 contacts and 173 messages" in result.stderr
    assert_monthly_sums_to_summary(cli, "--from", "2018-10", "--to", "2018-12")


def test_day_bounds_select_whole_intervals_only(cli):
    doc = summary_doc(cli, "--from", "2018-09-14", "--to", "2018-12-20")
    assert doc["contacts"]["total"] == 285 and doc["messages"]["total"] == 173
    assert doc["left_out_straddling"] == {"contacts": 0, "messages": 0}


# ---- as-of (record time) ----

def test_as_of_shows_the_log_as_recorded_then(cli):
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", "a",
        now="2027-01-10T09:00:00")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22", "--subject", "b",
        now="2027-01-10T09:05:00")
    log(cli, "correct", "C-000286", "--kind", "chief", "--reason", "was a chiefs' meeting",
        now="2027-01-20T09:00:00")
    log(cli, "void", "C-000287", "--reason", "never happened", now="2027-01-25T09:00:00")

    def kinds(day: str) -> dict[str, int]:
        return summary_doc(cli, "--as-of", day)["contacts"]["by_kind"]

    assert kinds("2027-01-09") == {"gov-meeting": 5, "working-talks": 5, "chief-meeting": 36,
                                   "other": 239}
    assert kinds("2027-01-10")["other"] == 241  # both logged that day, not yet corrected
    assert kinds("2027-01-20") == {"gov-meeting": 5, "working-talks": 5, "chief-meeting": 37,
                                   "other": 240}  # correction applied, void not yet
    assert kinds("2027-01-25")["other"] == 239  # void applied
    assert summary_doc(cli, "--as-of", "2027-01-20")["as_of"] == "2027-01-20"
    assert kinds("2027-01-25") == summary_doc(cli)["contacts"]["by_kind"]
    for day in ("2027-01-10", "2027-01-20", "2027-01-25"):
        assert_monthly_sums_to_summary(cli, "--as-of", day)


def test_as_of_before_anything_was_recorded_is_empty(cli):
    doc = summary_doc(cli, "--as-of", "2018-12-20")
    assert doc["contacts"]["total"] == 0 and doc["messages"]["total"] == 0


def test_a_clock_that_steps_back_never_makes_a_count_negative(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-12-21", "--subject", "x",
        now="2027-01-08T09:00:00")
    log(cli, "correct", "C-000286", "--kind", "other", "--reason", "r",
        now="2027-01-07T09:00:00")  # another clerk's clock, a day behind
    history = json.loads(cli("history", "C-000286", "--format", "json").stdout)
    assert history[1]["recorded_at"] >= history[0]["recorded_at"]
    for day in ("2027-01-07", "2027-01-08"):
        rows = rows_of(cli("report", "monthly", "--as-of", day, "--format", "csv"))
        assert all(int(v) >= 0 for r in rows for k, v in r.items()
                   if k not in ("period", "estimated"))
        assert_monthly_sums_to_summary(cli, "--as-of", day)


def test_posts_with_unknown_start_are_not_counted_before_they_were_reported(cli):
    doc = summary_doc(cli, "--to", "2018-09-13")
    assert doc["staff"] == {"S": 0, "N": 0}
    assert doc["staff_start_unknown"] == {"S": 29, "N": 19}
    assert summary_doc(cli)["staff"] == {"S": 30, "N": 20}


# ---- apportioned estimates ----

def test_apportion_spreads_the_seeded_totals_by_days_as_whole_numbers(cli, golden):
    result = cli("report", "monthly", "--spread", "apportion", "--format", "csv")
    golden("monthly_apportion.csv", result.stdout)
    rows = rows_of(result)
    assert [r["period"] for r in rows] == ["2018-09", "2018-10", "2018-11", "2018-12"]
    assert all(r["estimated"] == "true" for r in rows)
    for column, total in [("gov-meeting", 5), ("working-talks", 5), ("chief-meeting", 36),
                          ("other", 239), ("meetings", 46), ("contacts", 285),
                          ("messages", 173)]:
        assert sum(int(r[column]) for r in rows) == total, column
    # 17 + 31 + 30 + 20 = 98 days: 285 * 17 / 98 = 49.4 -> 49, and so on
    assert [int(r["contacts"]) for r in rows] == [49, 92, 86, 58]
    assert [int(r["messages"]) for r in rows] == [30, 55, 53, 35]


def test_apportion_keeps_exact_months_apart_from_estimates(cli):
    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-10-05", "--subject", "exact")
    rows = rows_of(cli("report", "monthly", "--spread", "apportion", "--format", "csv"))
    october = [r for r in rows if r["period"] == "2018-10"]
    assert [(r["estimated"], r["chief-meeting"]) for r in october] == [
        ("false", "1"), ("true", "12")]
    assert sum(int(r["contacts"]) for r in rows) == 286


# ---- reconcile ----

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
    assert result.stderr.strip().splitlines() == [
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


# ---- formats and spreadsheet safety ----

@pytest.mark.parametrize("report", ["summary", "monthly"])
def test_xlsx_is_a_real_spreadsheet(cli, tmp_path, report):
    out = tmp_path / f"{report}.xlsx"
    result = cli("report", report, "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    csv_rows = list(csv.reader(io.StringIO(cli("report", report, "--format", "csv").stdout)))
    assert [list(map(str, v)) for v in values[1:]] == [
        [c if c not in ("true", "false") else c.capitalize() for c in r] for r in csv_rows[1:]]
    assert list(values[0]) == csv_rows[0]


def test_formula_cells_are_neutralised_in_csv_and_xlsx(cli, tmp_path):
    subject = '=HYPERLINK("http://x","y")'
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject", subject,
        "--venue", "@SUM(1)")
    rows = rows_of(cli("contact", "list", "--month", "2018-12", "--format", "csv"))
    assert rows[-1]["subject"] == "'" + subject
    assert rows[-1]["venue"] == "'@SUM(1)"
    shown = json.loads(cli("show", "C-000286", "--format", "json").stdout)
    assert shown["subject"] == subject  # stored and shown as typed; escaped only on export
    added = cli("figure", "add", "--metric", "messages.total", "--value", "170", "--as-of",
                "2018-12-20", "--source", "-2+3+cmd|' /C calc'!A0")
    assert added.exit_code == 0, added.stderr
    out = tmp_path / "reconcile.xlsx"
    result = cli("reconcile", "--format", "xlsx", "--out", str(out))
    cells = [row for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    header = list(cells[0])
    mine = [dict(zip(header, r, strict=True)) for r in cells[1:] if r[2] == "170"]
    assert mine[0]["source"] == "'-2+3+cmd|' /C calc'!A0"
    assert mine[0]["difference"] == 3  # a number stays a number
    assert result.exit_code == 0  # two differing claims for messages.total: contested


def test_xlsx_needs_an_out_file(cli):
    result = cli("report", "summary", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--out" in result.stderr


# ---- chart ----

def test_chart_plots_exactly_the_monthly_report(cli, tmp_path, monkeypatch):
    import tracker.render.chart as chart

    log(cli, "contact", "log", "--kind", "chief", "--on", "2018-10-05", "--subject", "x")
    seen = {}
    real = chart.draw_monthly_chart

    def spy(frame, kinds, path, **kw):
        seen["frame"] = frame.copy()
        real(frame, kinds, path, **kw)

    monkeypatch.setattr(chart, "draw_monthly_chart", spy)
    out = tmp_path / "chart.png"
    result = cli("report", "chart", "--out", str(out), "--spread", "apportion",
                 "--width", "800", "--height", "500")
    assert result.exit_code == 0, result.stderr
    monthly = cli("report", "monthly", "--spread", "apportion", "--format", "csv").stdout
    buffer = io.StringIO()
    seen["frame"].to_csv(buffer, index=False, lineterminator="\n")
    assert buffer.getvalue().replace("True", "true").replace("False", "false") == monthly
    header = out.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (800, 500)
