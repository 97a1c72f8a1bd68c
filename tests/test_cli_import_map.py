"""Someone else's spreadsheet, read through ``--map RULES.toml``: the README's sample, run as
written, and what a rules file may not do."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import rows_of

README = Path(__file__).parent.parent / "README.md"


def readme_sample(name: str) -> str:
    """The code block after ``<!-- sample: NAME -->`` in the README."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- sample: {re.escape(name)} -->\n```\w*\n(.*?)```", text, re.S)
    assert found, f"README has no sample {name}"
    return found.group(1)


def readme_output(command: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"\$ {re.escape(command)}\n(.*?)```", text, re.S)
    assert found, f"README does not show {command}"
    return found.group(1).splitlines()


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "old-log.csv"
    rules = tmp_path / "old-log.toml"
    data.write_text(readme_sample("old-log.csv"), encoding="utf-8")
    rules.write_text(readme_sample("old-log.toml"), encoding="utf-8")
    return data, rules


def test_the_readme_sample_imports_as_the_readme_says(cli, sample):
    data, rules = sample
    result = cli("import", str(data), "--map", str(rules))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == readme_output(
        "tracker import old-log.csv --map old-log.toml")
    listed = rows_of(cli("contact", "list", "--format", "csv", "--from", "2018-10",
                         "--to", "2018-10"))
    assert [(r["reg_no"], r["date_from"], r["kind"], r["subject"], r["initiated_by"],
             r["notes"]) for r in listed] == [
        ("C-000286", "2018-10-05", "working-talks", "산림협력 분과회담 준비", "S", ""),
        ("C-000287", "2018-10-12", "chief-meeting", "주간 소장회의", "", "정례"),
        ("C-000288", "2018-10-12", "chief-meeting", "주간 소장회의", "", "정례 (오후 2차)"),
    ]
    assert {r["with"] for r in listed} == {'["Chun Hae-sung", "Jon Jong-su"]'}
    shown = json.loads(cli("show", "C-000287", "--format", "json").stdout)
    assert (shown["provenance"], shown["field"], shown["outcome"]) == (
        "imported", "unknown", "held")


def test_the_same_spreadsheet_again_adds_nothing(cli, sample):
    data, rules = sample
    assert cli("import", str(data), "--map", str(rules)).exit_code == 0
    again = cli("import", str(data), "--map", str(rules))
    assert again.exit_code == 0, again.stderr
    assert again.stdout == "old-log.csv: added 0 contacts; 3 already in the log\n"


def test_without_the_rules_the_spreadsheet_is_refused_at_its_header(cli, sample):
    data, _ = sample
    result = cli("import", str(data))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "line 1" in result.stderr and "';'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_column_of_theirs_neither_mapped_nor_ignored_is_an_error(cli, sample, tmp_path):
    data, rules = sample
    rules.write_text(readme_sample("old-log.toml").replace('ignore = ["번호"]', ""),
                     encoding="utf-8")
    result = cli("import", str(data), "--map", str(rules))
    assert result.exit_code == 1
    assert "line 1: column '번호' is not one of the contacts columns" in result.stderr


def test_a_line_in_their_date_format_that_is_not_a_date_names_line_and_column(cli, sample):
    data, rules = sample
    text = readme_sample("old-log.csv").replace("2018.10.12;소장회의;주간 소장회의;Chun H.S., "
                                                "Jon Jong-su;;정례\n", "2018.13.40;소장회의;x;;;\n")
    data.write_text(text, encoding="utf-8")
    result = cli("import", str(data), "--map", str(rules))
    assert result.exit_code == 1
    assert "old-log.csv line 3, column date_from: " in result.stderr
    assert "nothing was imported" in result.stderr
    assert rows_of(cli("contact", "list", "--format", "csv", "--from", "2018-10",
                       "--to", "2018-10")) == []


@pytest.mark.parametrize(("rules", "message"), [
    ('register = "meetings"', "register must be one of contacts, messages, staff"),
    ('[columns]\n"Datum" = "day"', "names 'day', which is not one of our columns"),
    ('delimiter = ";;"', "delimiter must be one character"),
    ('colour = "red"', "unknown setting 'colour'"),
    ("this is not toml", "is not TOML"),
])
def test_rules_that_cannot_be_right_are_refused_before_anything_is_read(
        cli, sample, rules, message):
    data, path = sample
    path.write_text(rules, encoding="utf-8")
    result = cli("import", str(data), "--map", str(path))
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert result.stderr.startswith("Error: --map: ")
