"""Rendering rows as table, CSV and JSON; formula cells defused on export only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest

from tracker.render.frames import frame_rows, render_text
from tracker.render.text import FORMULA_TRIGGERS, neutralise, render, restore


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_every_formula_trigger_gets_an_apostrophe(trigger):
    assert neutralise(f"{trigger}SUM(A1)") == f"'{trigger}SUM(A1)"


def test_neutralise_leaves_everything_else_alone():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r", "\n"}
    for value in ("plain", "", " =not at the start", "C-000001", "a'b"):
        assert neutralise(value) == value
    for value in (-3, 2.5, None, True, dt.date(2018, 12, 20)):
        assert neutralise(value) is value  # numbers stay numbers


@pytest.mark.parametrize("text", ["'=already quoted", "'", "''", "'plain", "=1", "'-2"])
def test_text_that_begins_with_the_escape_is_escaped_too_so_restore_undoes_it(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


def test_csv_defuses_text_cells_and_header_but_not_numbers():
    rows = [{"=h": "=HYPERLINK(\"x\")", "n": -2, "d": dt.date(2018, 12, 20), "b": True,
             "none": None},
            {"=h": "@SUM(1)", "n": 3, "d": dt.datetime(2027, 1, 10, 9, 5), "b": False,
             "none": "-1"}]
    out = render(rows, ["=h", "n", "d", "b", "none"], "csv")
    assert out.endswith("\n") and "\r" not in out
    assert list(csv.reader(io.StringIO(out))) == [
        ["'=h", "n", "d", "b", "none"],
        ["'=HYPERLINK(\"x\")", "-2", "2018-12-20", "true", ""],
        ["'@SUM(1)", "3", "2027-01-10 09:05:00", "false", "'-1"],
    ]


def test_json_keeps_values_as_typed():
    rows = [{"subject": "=1+1", "count": 3, "day": dt.date(2018, 12, 20), "x": "dropped"}]
    doc = json.loads(render(rows, ["subject", "count", "day"], "json"))
    assert doc == [{"subject": "=1+1", "count": 3, "day": "2018-12-20"}]
    assert json.loads(render([], [], "json", document={"a": "한"})) == {"a": "한"}
    assert "한" in render([], [], "json", document={"a": "한"})  # not \\u-escaped


def test_table_aligns_text_left_and_numbers_right():
    rows = [{"name": "gov-meeting", "count": 5}, {"name": "other", "count": 239}]
    assert render(rows, ["name", "count"], "table") == (
        "name         count\n"
        "gov-meeting      5\n"
        "other          239\n")
    assert render([], ["name"], "table") == "(no rows)\n"
    assert render([{"s": "two\nlines"}], ["s"], "table") == "s\ntwo lines\n"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="not a text format: xml"):
        render([], [], "xml")


def test_frames_render_with_plain_values():
    frame = pd.DataFrame({"period": ["2018-10"], "contacts": [3], "estimated": [False],
                          "note": [None]})
    rows = frame_rows(frame)
    assert rows == [{"period": "2018-10", "contacts": 3, "estimated": False, "note": None}]
    assert type(rows[0]["contacts"]) is int and type(rows[0]["estimated"]) is bool
    assert render_text(frame, "csv") == "period,contacts,estimated,note\n2018-10,3,false,\n"
