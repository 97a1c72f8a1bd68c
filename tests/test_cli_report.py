"""``tracker report summary|monthly|chart``: periods, as-of, estimates, formats.

Summary and monthly reports on the seeded database (golden files), the two time axes (event
date ``--from``/``--to``, record time ``--as-of``), apportioned estimates, xlsx output and
spreadsheet safety, and the chart. Every test runs on both engines.
"""

from __future__ import annotations

import csv
import io
import json
import struct

import openpyxl
import pytest

from tests.helpers import assert_monthly_sums_to_summary, log, rows_of, summary_doc

# ---- summary and monthly on the seeded database ----

def test_summary_table_shows_reported_breakdown(cli):
    result = cli("report", "summary")
    assert result.exit_code == 0, result.stderr
    lines = {tuple(line.split()[:2]): line.split()[-1] for line in result.stdout.splitlines()[1:]}
    assert lines[("contacts", "gov-meeting")] == "5"
    assert lines[("contacts", "working-talks")] == "5"
    assert lines[("contacts", "chief-meeting")] == "36"
    assert lines[("contacts", "meetings")] == "46"
    assert lines[("contacts", "other")] == "239"
    assert lines[("contacts", "total")] == "285"
    assert lines[("messages", "total")] == "173"
    assert lines[("staff", "S")] == "30"
    assert lines[("staff", "N")] == "20"


def test_summary_csv_golden(cli, golden):
    result = cli("report", "summary", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    golden("summary.csv", result.stdout)


def test_summary_json_golden(cli, golden):
    result = cli("report", "summary", "--format", "json")
    assert result.exit_code == 0, result.stderr
    golden("summary.json", result.stdout)
    doc = json.loads(result.stdout)
    assert doc["contacts"]["total"] == 285 and doc["messages"]["total"] == 173


def test_monthly_csv_golden_to_file(cli, golden, tmp_path):
    out = tmp_path / "monthly.csv"
    result = cli("report", "monthly", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert str(out) in result.stderr
    golden("monthly.csv", out.read_text(encoding="utf-8"))


def test_monthly_json_golden(cli, golden):
    result = cli("report", "monthly", "--format", "json")
    assert result.exit_code == 0, result.stderr
    golden("monthly.json", result.stdout)


def test_period_only_records_get_their_own_row(cli):
    result = cli("report", "monthly", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["period"] for r in rows] == ["2018-09-14/2018-12-20"]
    assert rows[0]["contacts"] == "285" and rows[0]["estimated"] == "false"


def test_monthly_rows_sum_to_summary(cli):
    assert_monthly_sums_to_summary(cli)


def test_bad_month_is_a_usage_error_naming_the_option(cli):
    result = cli("report", "monthly", "--from", "2018-13")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: --from: '2018-13' is not a real month"
    ]
    assert "Traceback" not in result.output


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
    mine = [dict(zip(header, r, strict=True)) for r in cells[1:] if r[2] == 170]
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
