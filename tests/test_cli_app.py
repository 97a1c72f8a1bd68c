"""The command line as a whole: help, --version, --traceback, exit codes, start-up imports,
completion and ``tracker demo``."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tests.helpers import ROOT, Cli
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


def test_version_prints_the_package_version():
    import tomllib

    import tracker

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"tracker {tracker.__version__}\n"
    assert result.stdout == "tracker 0.1.0\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert tracker.__version__ == project["version"]  # one version, wherever it is read


def test_a_typed_error_is_one_line_without_traceback(cli):
    result = cli("void", "C-999999", "--reason", "r")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no contact C-999999\n"
    assert isinstance(result.exception, SystemExit)


def test_traceback_option_lets_the_typed_error_propagate(cli):
    from tracker.errors import RecordNotFound

    result = cli("--traceback", "void", "C-999999", "--reason", "r")
    assert isinstance(result.exception, RecordNotFound), repr(result.exception)
    assert str(result.exception) == "no contact C-999999"
    assert "Error:" not in result.stderr
    assert result.exit_code == 1


def test_traceback_option_prints_the_traceback_from_the_installed_command(seeded_url):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", "--db", seeded_url, *args,
             "void", "C-999999", "--reason", "r"],
            capture_output=True, text=True, timeout=60,
        )

    plain = run()
    assert plain.returncode == 1
    assert plain.stderr == "Error: no contact C-999999\n"
    assert "Traceback" not in plain.stdout + plain.stderr
    full = run("--traceback")
    assert full.returncode == 1
    assert "Traceback" in full.stderr
    assert "RecordNotFound: no contact C-999999" in full.stderr
    assert "Error: no contact" not in full.stderr


@pytest.mark.parametrize(("args", "code"), [
    (("--help",), 0),
    (("--bogus",), 2),
    (("report", "summary", "--format", "pdf"), 2),
])
def test_exit_codes_of_usage(args, code):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, (args, result.output)
    assert "Traceback" not in result.output
    if code == 2:
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("Error: ")


def test_no_command_prints_the_help_not_an_error():
    result = CliRunner().invoke(app, [])
    assert "Usage: tracker [OPTIONS] COMMAND" in result.output
    assert "contact" in result.output and "report" in result.output
    assert "Error" not in result.output and "Traceback" not in result.output


def test_completion_offers_people_and_registration_numbers_from_the_database(seeded_url):
    import os

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_TRACKER_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1), "TRACKER_DATABASE_URL": seeded_url}
        out = subprocess.run([sys.executable, "-m", "tracker"], env=env, capture_output=True,
                             text=True)
        assert out.returncode == 0, out.stderr
        return [line for line in out.stdout.splitlines() if line]

    assert complete("tracker contact log --with Ch") == ["Cho Myoung-gyon", "Chun Hae-sung"]
    assert complete("tracker contact list --person Ri") == ["Ri Son-gwon", "Ri Son-kwon"]
    assert complete("tracker show C-00028")[:2] == ["C-000285", "C-000284"]
    assert complete("tracker history M-00017")[:1] == ["M-000173"]
    assert complete("tracker message log --reply-to C-0001") == []
    assert complete("tracker --db /nonexistent/x.sqlite show C-") == []  # no db, no noise
    # kinds of the register the command writes, sides wherever a side is asked for
    assert complete("tracker contact log --kind c") == ["chief-meeting"]
    assert complete("tracker contact list --kind w") == ["working-talks"]
    assert complete("tracker message list --kind n") == ["notice"]
    assert complete("tracker correct M-000001 --kind o") == ["other"]  # a contact kind
    assert complete("tracker correct M-000001 --kind d") == ["document"]
    for words in ("tracker message log --sender N", "tracker message log --recipient N",
                  "tracker contact log --initiated-by N", "tracker person add X --side N",
                  "tracker staff list --side N", "tracker contact list --side N"):
        assert complete(words) == ["N"], words
    assert complete("tracker --db /nonexistent/x.sqlite contact log --kind c") == []


def test_completion_reads_the_database_without_sqlalchemy(seeded_url):
    """The raw driver answers: importing SQLAlchemy alone would make completion feel slow."""
    code = (
        "import os, sys\n"
        "os._exit = sys.exit\n"
        "from tracker.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sqlalchemy', 'pandas', 'alembic') if m in sys.modules),"
        " file=sys.stderr)\n")
    words = "tracker show C-00028"
    env = {**os.environ, "_TRACKER_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": "2", "TRACKER_DATABASE_URL": seeded_url}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split()[:2] == ["C-000285", "C-000284"], out.stderr
    assert out.stderr.strip() == "[]"
