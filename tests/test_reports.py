"""Summary and monthly reports on the seeded database, on both engines."""

from __future__ import annotations

import csv
import io
import json


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


def monthly_totals(cli, *args: str) -> dict[str, int]:
    result = cli("report", "monthly", "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    columns = [c for c in rows[0] if c not in ("period", "estimated")] if rows else []
    return {c: sum(int(r[c]) for r in rows) for c in columns}


def summary_doc(cli, *args: str) -> dict:
    result = cli("report", "summary", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def assert_monthly_sums_to_summary(cli, *args: str) -> None:
    totals = monthly_totals(cli, *args)
    doc = summary_doc(cli, *args)
    for kind, count in doc["contacts"]["by_kind"].items():
        assert totals.get(kind, 0) == count, kind
    assert totals.get("meetings", 0) == doc["contacts"]["meetings"]
    assert totals.get("contacts", 0) == doc["contacts"]["total"]
    assert totals.get("messages", 0) == doc["messages"]["total"]


def test_monthly_rows_sum_to_summary(cli):
    assert_monthly_sums_to_summary(cli)


def test_bad_month_is_a_usage_error_naming_the_option(cli):
    result = cli("report", "monthly", "--from", "2018-13")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: --from: '2018-13' is not a real month"
    ]
    assert "Traceback" not in result.output
