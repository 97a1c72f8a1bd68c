"""Spreadsheets fit to hand on: read back with openpyxl, styles and cell types included."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from tracker.render.xlsx import ESTIMATED_FILL, display_width


def workbook(cli, tmp_path, *args: str):
    out = tmp_path / "out" / "report.xlsx"
    out.parent.mkdir(exist_ok=True)
    result = cli(*args, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return openpyxl.load_workbook(out), result


@pytest.mark.parametrize("command", [("report", "summary"), ("report", "monthly"),
                                     ("report", "yearly"), ("reconcile",)], ids=" ".join)
def test_every_table_has_a_styled_header_filter_and_fitted_widths(cli, tmp_path, command):
    book, _ = workbook(cli, tmp_path, *command)
    assert book.sheetnames == ["report", "query"]
    sheet = book["report"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" \
        f"{sheet.max_row}"
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])
    for column in sheet.iter_cols():
        letter = column[0].column_letter
        longest = max(display_width(_text(c.value)) for c in column)
        width = sheet.column_dimensions[letter].width
        assert width >= min(longest, 60), (letter, longest, width)
        assert width <= max(longest, 6) + 2 or longest > 60, (letter, longest, width)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def test_counts_are_numbers_and_dates_are_dates(cli, tmp_path):
    book, _ = workbook(cli, tmp_path, "reconcile")
    sheet = book["report"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2,
                                                                        values_only=True)]
    total = next(r for r in rows if r["metric"] == "contacts.total")
    assert total["reported"] == 285 and total["logged"] == 285 and total["difference"] == 0
    assert total["as_of"] == dt.datetime(2018, 12, 20)
    assert sheet.cell(2, header.index("as_of") + 1).number_format == "yyyy-mm-dd"
    ranged = [r["reported"] for r in rows if isinstance(r["reported"], str)]
    assert ranged and all("-" in value for value in ranged)  # a range stays text
    summary = workbook(cli, tmp_path, "report", "summary")[0]["report"]
    assert {type(v) for (v,) in summary.iter_rows(min_row=2, min_col=4, max_col=4,
                                                  values_only=True)} == {int}


def test_estimated_rows_are_marked(cli, tmp_path):
    book, _ = workbook(cli, tmp_path, "report", "monthly", "--spread", "apportion",
                       "--from", "2018-08", "--to", "2019-01")
    sheet = book["report"]
    header = [c.value for c in sheet[1]]
    at = header.index("estimated")
    marked = {row[0].value: (row[at].value, row[0].fill.fgColor.rgb, row[0].font.i)
              for row in sheet.iter_rows(min_row=2)}
    for period, (estimated, colour, italic) in marked.items():
        assert (colour.endswith(ESTIMATED_FILL), bool(italic)) == (estimated, estimated), period
    assert any(estimated for estimated, *_ in marked.values())
    assert not all(estimated for estimated, *_ in marked.values())


def test_the_query_sheet_says_what_the_table_is(cli, tmp_path):
    book, result = workbook(cli, tmp_path, "report", "monthly", "--from", "2018-09",
                            "--to", "2018-12", "--as-of", "2026-01-05", "--by", "field")
    query = dict(book["query"].iter_rows(min_row=2, values_only=True))
    assert query["command"] == "tracker report monthly"
    assert (query["from"], query["to"], query["as-of"], query["by"]) == (
        "2018-09", "2018-12", "2026-01-05", "field")
    heads = dict(part.split(":") for part in
                 result.stderr.split("Log heads: ")[1].split()[:2])
    assert (query["chain head C"], query["chain head M"]) == (heads["C"], heads["M"])
    assert query["made at"].endswith(" UTC")


def test_display_width_counts_wide_characters_twice():
    assert display_width("전종수") == 6
    assert display_width("Jon Jong-su") == 11
    assert display_width("\uff46\uff55\uff4c\uff4c") == 8  # full-width "full"
