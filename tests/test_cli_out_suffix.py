"""``--out FILE``: the suffix says what is written, and nothing else is ever written under it.

Today's refusals: `report monthly --out m.ods` wrote a plain-text table, and `report chart
--out chart.svg` wrote PNG data. Every report now writes the format its suffix names or
refuses with the list of suffixes it can write, leaving no file behind.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def folder(tmp_path):
    """An empty folder for the output (the test database lives in ``tmp_path``)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


REPORTS = [("report", "summary"), ("report", "monthly"), ("report", "yearly"), ("reconcile",)]


def refused(result, start: str, *words: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(start), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize("command", REPORTS, ids=" ".join)
@pytest.mark.parametrize("name", ["m.ods", "m.pdf", "m", "m.csv.bak"])
def test_a_suffix_a_report_cannot_write_is_refused(cli, folder, command, name):
    out = folder / name
    refused(cli(*command, "--out", str(out)), "Error: --out: cannot write",
            ".csv, .json, .txt, .xlsx")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", REPORTS, ids=" ".join)
def test_format_and_suffix_must_agree(cli, folder, command):
    out = folder / "m.json"
    refused(cli(*command, "--format", "csv", "--out", str(out)),
            "Error: --out: --format csv would write csv into a '.json' file")
    assert not out.exists()
    result = cli(*command, "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").lstrip().startswith(("{", "["))


@pytest.mark.parametrize(("name", "magic"), [
    ("c.png", b"\x89PNG\r\n\x1a\n"),
    ("c.svg", b"<?xml"),
    ("c.pdf", b"%PDF-"),
])
def test_the_chart_writes_what_its_suffix_names(cli, folder, name, magic):
    out = folder / name
    result = cli("report", "chart", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(magic)


@pytest.mark.parametrize("name", ["c.jpg", "c.ods", "c"])
def test_the_chart_refuses_other_suffixes(cli, folder, name):
    refused(cli("report", "chart", "--out", str(folder / name)), "Error: --out: cannot write",
            ".png, .svg, .pdf")
    assert list(folder.iterdir()) == []


def test_demo_writes_only_a_csv(empty_url, folder):
    from tests.helpers import Cli

    refused(Cli(empty_url)("demo", "--out", str(folder / "monthly.ods")),
            "Error: --out: cannot write '.ods' files", ".csv")
    assert list(folder.iterdir()) == []
