"""The command line as a whole: help, start-up imports, demo."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tests.conftest import Cli
from tracker.cli import full_app

app = full_app()


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path


def all_commands():
    import typer.main

    return list(_commands(typer.main.get_command(app)))


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout, path


def test_importing_the_cli_loads_no_heavy_modules():
    code = ("import sys, tracker.cli; "
            "print(sorted(m for m in ('pandas', 'sqlalchemy', 'alembic', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_demo_twice_gives_the_same_report(empty_url, tmp_path):
    cli = Cli(empty_url)
    out = tmp_path / "monthly.csv"
    first = cli("demo", "--out", str(out))
    assert first.exit_code == 0, first.stderr
    csv_first = out.read_text()
    second = cli("demo", "--out", str(out))
    assert second.exit_code == 0, second.stderr
    assert "already loaded" in second.stdout
    summary = lambda text: text[text.index("section "):]  # noqa: E731
    assert summary(first.stdout) == summary(second.stdout)
    assert out.read_text() == csv_first
    assert str(out.resolve()) in second.stdout
    assert "285" in summary(first.stdout)


def test_unknown_command_is_usage_error():
    result = CliRunner().invoke(app, ["frobnicate"])
    assert result.exit_code == 2


def test_contact_log_loads_no_pandas_alembic_or_report_code(seeded_url):
    code = (
        "import os, sys\n"
        "os._exit = sys.exit  # main() leaves with os._exit; let this script look around first\n"
        f"sys.argv = ['tracker', '--db', {seeded_url!r}, 'contact', 'log', '--kind', 'other',"
        " '--on', '2018-12-21', '--subject', 'import check']\n"
        "from tracker.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = ('pandas', 'alembic', 'matplotlib', 'openpyxl',"
        " 'tracker.services.reports.summary')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "C-000286\n"
    assert out.stderr.strip() == "[]"


def test_shell_completion_completes_commands_and_options():
    import os

    def complete(words: str, cword: int) -> list[str]:
        env = {**os.environ, "_TRACKER_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(cword)}
        out = subprocess.run([sys.executable, "-m", "tracker"], env=env, capture_output=True,
                             text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    assert complete("tracker con", 1) == ["contact"]
    assert complete("tracker contact log --ki", 3) == ["--kind"]
    assert "reconcile" in complete("tracker re", 1)
