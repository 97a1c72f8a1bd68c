"""Text for the terminal: controls made visible, display widths, and the streaming table."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.render import terminal
from tracker.render.terminal import (
    TableWriter,
    cell_text,
    display_width,
    escape_controls,
    pad,
    terminal_width,
    truncate,
)

HANGUL = "개성 회담"  # 4 wide syllables and a space: 9 columns in 5 characters

ESCAPED = (
    [chr(c) for c in range(0x00, 0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    + ["\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
       "\u2028", "\u2029", "\u2062", "\u206a", "\u206f", "\ufff9", "\ufffb"]
)


def table(columns: list[str], rows: list[list[str]], **options: Any) -> str:
    out = io.StringIO()
    options.setdefault("max_width", None)
    TableWriter(columns, **options).write(rows, out)
    return out.getvalue()


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # OSC: sets the window title
    ("\x1b[2J", "\\x1b[2J"),  # clears the screen
    ("\x9b2J", "\\x9b2J"),  # C1 CSI, the one-byte form of ESC [
    ("admin\u202egpj.exe", "admin\\u202egpj.exe"),  # right-to-left override
    ("a\x00b\x7fc", "a\\x00b\\x7fc"),
    ("\u2066x\u2069\u200d\ufeff", "\\u2066x\\u2069\\u200d\\ufeff"),
    ("a\nb\tc\r", "a\\x0ab\\x09c\\x0d"),
])
def test_escape_controls_makes_control_characters_visible(raw, shown):
    assert escape_controls(raw) == shown


@pytest.mark.parametrize("char", ESCAPED)
def test_every_listed_character_is_escaped_and_the_escape_is_printable_ascii(char):
    shown = escape_controls(char)
    width = 4 if ord(char) < 0x100 else 6
    assert shown == (f"\\x{ord(char):02x}" if width == 4 else f"\\u{ord(char):04x}")
    assert shown.isascii() and shown.isprintable() and len(shown) == width


def test_escape_controls_leaves_other_text_alone_and_the_same_object():
    neighbours = "\xa0\u061b\u061d\u200a\u2010\u2027\u202f\u205f\u2065\ufefe"  # unlisted
    for text in ("plain", "", HANGUL, "café e\u0301", neighbours, "C:\\x1b is typed, not ESC"):
        assert escape_controls(text) is text
    assert escape_controls("\\x1b") == escape_controls("\x1b")  # for display, not reversible


def test_tag_characters_that_can_hide_text_are_escaped():
    assert escape_controls("ok\U000e0041\U000e007f") == "ok\\U000e0041\\U000e007f"


def test_keep_lets_the_named_characters_through():
    assert escape_controls("a\nb\x1b[2J\tc", keep="\n") == "a\nb\\x1b[2J\\x09c"
    assert escape_controls("a\nb\tc", keep="\n\t") == "a\nb\tc"
    assert escape_controls("\u202e\n", keep="\u202e") == "\u202e\\x0a"


@given(st.text())
def test_nothing_listed_survives_escaping(text):
    shown = escape_controls(text)
    assert not set(shown) & set(ESCAPED)
    assert escape_controls(shown) == shown


def test_cell_text_puts_a_cell_on_one_line():
    assert cell_text("two\r\nlines\nand\ta tab") == "two lines and a tab"
    assert cell_text("a\n\nb") == "a  b"
    assert cell_text("lone\rcr \x1b[2J") == "lone\\x0dcr \\x1b[2J"
    assert cell_text("para\u2029graph") == "para\\u2029graph"


def test_display_width_counts_columns():
    assert display_width("abc") == 3
    assert display_width("") == 0
    assert display_width(HANGUL) == 9
    assert display_width("北京") == 4
    assert display_width("e\u0301") == 1  # combining acute accent takes no column
    assert display_width("\u1100\u1161") == 2  # conjoining jamo: one syllable
    assert display_width("…") == 1


def test_truncate_never_splits_a_wide_character_past_the_width():
    assert [truncate(HANGUL, w) for w in range(-1, 11)] == [
        "", "", "…", "…", "개…", "개…", "개성…", "개성 …", "개성 …", "개성 회…", HANGUL, HANGUL]
    for w in range(0, 12):
        assert display_width(truncate(HANGUL, w)) <= w


def test_truncate_ascii_and_combining_marks():
    assert truncate("abcdef", 6) == "abcdef"
    assert truncate("abcdef", 5) == "abcd…"
    assert truncate("abcdef", 1) == "…"
    assert truncate("abcdef", 0) == ""
    assert truncate("e\u0301e\u0301e\u0301", 2) == "e\u0301…"  # the accent stays with its e


@given(st.text(), st.integers(min_value=-2, max_value=30))
def test_truncate_fits_and_keeps_a_prefix(text, width):
    text = escape_controls(text)
    cut = truncate(text, width)
    assert display_width(cut) <= max(width, 0)
    if width <= 0:
        assert cut == ""
    else:
        assert cut == text or (text.startswith(cut[:-1]) and cut.endswith("…"))


def test_pad_by_display_width():
    assert pad("abc", 6) == "abc   "
    assert pad("abc", 6, right=True) == "   abc"
    assert pad(HANGUL, 11) == HANGUL + "  "
    assert pad(HANGUL, 11, right=True) == "  " + HANGUL
    assert pad(HANGUL, 5) == HANGUL  # never cut here


def test_hangul_lines_up_by_display_width():
    assert table(["subject", "n"], [[HANGUL, "3"], ["abc", "12"]], numeric=[False, True]) == (
        "subject     n\n"
        "개성 회담   3\n"
        "abc        12\n")


def test_numbers_align_right_and_text_left():
    assert table(["kind", "count"], [["gov-meeting", "5"], ["other", "239"]],
                 numeric=[False, True]) == (
        "kind         count\n"
        "gov-meeting      5\n"
        "other          239\n")


def test_cells_are_escaped_and_put_on_one_line_header_too():
    assert table(["a\x1b[2J", "b"], [["x\ny", "\x1b]0;pwned\x07"]]) == (
        "a\\x1b[2J  b\n"
        "x y       \\x1b]0;pwned\\x07\n")


ROWS = [["1", "개성 공단 재가동 협의 실무 회담", "판문점 평화의 집"], ["12", "short", "Seoul"]]
FIT = {"numeric": [True, False, False], "shrinkable": ("subject", "place")}


def test_shrinkable_columns_level_down_widest_first_to_fit():
    out = table(["id", "subject", "place"], ROWS, max_width=32, **FIT)
    # natural widths 2, 31, 16 (53 with the gaps): subject goes to 16, then both to 13
    assert out == (
        "id  subject        place\n"
        " 1  개성 공단 재…  판문점 평화…\n"
        "12  short          Seoul\n")
    assert max(display_width(line) for line in out.splitlines()) <= 32


@pytest.mark.parametrize("max_width", [80, 53, 40, 33, 25, 22])
def test_every_line_fits_when_it_can(max_width):
    out = table(["id", "subject", "place"], ROWS, max_width=max_width, **FIT)
    assert max(display_width(line) for line in out.splitlines()) <= max_width


def test_shrinking_stops_at_eight_columns_or_the_header():
    out = table(["id", "subject", "place"], ROWS, max_width=20, **FIT)
    assert out == (
        "id  subject   place\n"
        " 1  개성 공…  판문점 …\n"
        "12  short     Seoul\n")  # 22 columns: the best it can do
    long_header = table(["a_long_header", "b"], [["x" * 40, "y"]], max_width=10,
                        shrinkable=["a_long_header"])
    assert long_header == "a_long_header  b\nxxxxxxxxxxxx…  y\n"


def test_columns_not_named_shrinkable_keep_their_width():
    out = table(["subject", "place"], [["s" * 30, "p" * 30]], max_width=40,
                shrinkable=["place"])
    assert out == (
        "subject                         place\n"
        f"{'s' * 30}  ppppppp…\n")


def test_a_later_wider_cell_is_cut_only_with_max_width():
    rows = [["abc", "1"], ["abcdefgh", "123456"], ["한국어한국어", "2"]]
    fitted = table(["x", "n"], rows, max_width=80, numeric=[False, True], sample=1)
    assert fitted == (
        "x    n\n"
        "abc  1\n"
        "ab…  123456\n"  # numbers are never cut, they push the line
        "한…  2\n")
    free = table(["x", "n"], rows, max_width=None, numeric=[False, True], sample=1)
    assert free == (
        "x    n\n"
        "abc  1\n"
        "abcdefgh  123456\n"
        "한국어한국어  2\n")


def test_header_and_sample_are_written_before_the_rest_is_read():
    out = io.StringIO()
    lines_seen: list[int] = []

    def rows() -> Iterator[list[str]]:
        for i in range(8):
            lines_seen.append(out.getvalue().count("\n"))
            yield [f"row{i}"]

    writer = TableWriter(["name"], max_width=None, sample=3)
    assert writer.write(rows(), out) == 8
    # nothing before the sample is read; then header + 3 rows; then one line per row pulled
    assert lines_seen == [0, 0, 0, 4, 5, 6, 7, 8]
    assert out.getvalue() == "name\n" + "".join(f"row{i}\n" for i in range(8))


def test_header_is_out_when_row_sample_plus_one_is_yielded():
    out = io.StringIO()

    def rows() -> Iterator[list[str]]:
        for i in range(5):
            yield [str(i), "x"]
        assert out.getvalue() == "n  s\n0  x\n1  x\n2  x\n3  x\n4  x\n"
        yield ["5", "y"]

    assert TableWriter(["n", "s"], max_width=None, sample=5).write(rows(), out) == 6


def test_fewer_rows_than_the_sample_and_no_rows():
    assert table(["a"], [["1"], ["2"]], sample=200) == "a\n1\n2\n"
    out = io.StringIO()
    assert TableWriter(["a", "b"], max_width=40).write([], out) == 0
    assert out.getvalue() == "(no rows)\n"
    out = io.StringIO()
    assert TableWriter(["a"], max_width=None).write(iter(()), out) == 0
    assert out.getvalue() == "(no rows)\n"


def test_trailing_spaces_are_dropped_and_the_gap_is_kept():
    assert table(["a", "b"], [["xyz", ""], ["", "q"]], gap=" | ") == (
        "a   | b\n"
        "xyz |\n"
        "    | q\n")


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="numeric has 1 flags for 2 columns"):
        TableWriter(["a", "b"], max_width=None, numeric=[True])
    with pytest.raises(ValueError, match="shrinkable names no column: c"):
        TableWriter(["a", "b"], max_width=None, shrinkable=["c"])
    with pytest.raises(TypeError):
        TableWriter(["a", "b"], max_width=None, shrinkable="a")
    with pytest.raises(ValueError, match="sample"):
        TableWriter(["a"], max_width=None, sample=0)
    with pytest.raises(ValueError, match="row has 1 cells, the table 2 columns"):
        TableWriter(["a", "b"], max_width=None).write([["x"]], io.StringIO())


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return 99


def test_terminal_width_from_the_terminal_then_columns(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width(io.StringIO()) is None
    monkeypatch.setattr(terminal.os, "get_terminal_size",
                        lambda fd: os.terminal_size((123, 40)) if fd == 99 else None)
    assert terminal_width(FakeTty()) == 123
    monkeypatch.setenv("COLUMNS", "90")
    assert terminal_width(FakeTty()) == 123  # the terminal itself wins
    assert terminal_width(io.StringIO()) == 90
    monkeypatch.setattr(terminal.os, "get_terminal_size", lambda fd: os.terminal_size((0, 0)))
    assert terminal_width(FakeTty()) == 90  # some ptys report 0 columns


@pytest.mark.parametrize("value", ["", "0", "-5", "wide", "80.5"])
def test_terminal_width_ignores_a_useless_columns(monkeypatch, value):
    monkeypatch.setenv("COLUMNS", value)
    assert terminal_width(io.StringIO()) is None


def test_terminal_width_never_raises(monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    closed = io.StringIO()
    closed.close()
    assert terminal_width(closed) == 70

    def no_terminal(fd: int) -> os.terminal_size:
        raise OSError("not a terminal")

    monkeypatch.setattr(terminal.os, "get_terminal_size", no_terminal)
    assert terminal_width(FakeTty()) == 70


def test_importing_pulls_in_no_heavy_module():
    code = ("import sys, tracker.render.terminal as t; t.cell_text('plain'); "
            "t.display_width('ascii'); "
            "print(sorted({'wcwidth', 'rich', 'pandas'} & set(sys.modules)))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout
    assert shown == "[]\n"
