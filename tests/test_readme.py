"""The README's clerk's day, run command by command against a seeded database (both engines).

A line after a command that is one of ``tracker``'s prompts (``Subject: …``) is a prompt with
what the clerk typed: the step runs as at a terminal, the typed text is its input, and the
prompt and the echoed answer are part of the output it must show.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import tracker.cli.entry

README = Path(__file__).parent.parent / "README.md"


PROMPT = re.compile(r"(Kind \(.*?\)|Date \[today\]|Subject|With \(.*?\)|"
                    r"Sending side \(S or N\)|Receiving side \(S or N\)): (.*)")


def typed(expected: list[str]) -> str | None:
    """What the clerk typed at a step's prompts (None: the step asks nothing)."""
    answers = [m.group(2) for line in expected if (m := PROMPT.fullmatch(line))]
    return "".join(f"{a}\n" for a in answers) if answers else None


def walkthrough() -> list[tuple[list[str], list[str]]]:
    """(argv after `tracker`, expected output lines) for each `$ tracker …` line."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- walkthrough -->\n```console\n(.*?)```", text, re.S)
    assert block, "README has no walkthrough block"
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            argv = shlex.split(line[2:])
            assert argv[0] == "tracker"
            steps.append((argv[1:], []))
        else:
            steps[-1][1].append(line)
    return steps


def run_walkthrough(cli) -> list[tuple[list[str], list[str], str]]:
    """Run every step in order (each must succeed); (argv, expected lines, stdout) per step."""
    ran = []
    for argv, expected in walkthrough():
        answers = typed(expected)
        with pytest.MonkeyPatch.context() as mp:
            at_terminal = answers is not None
            mp.setattr(tracker.cli.entry, "stdin_is_terminal", lambda: at_terminal)  # noqa: B023
            result = cli(*argv, input=answers, env={"TRACKER_CLERK": "clerk"})
        assert result.exit_code == 0, (argv, result.stderr)
        ran.append((argv, expected, result.stdout))
    return ran


def table(text: str) -> list[dict[str, str]]:
    """The rows of an aligned table, cut at the header's column starts."""
    header, *lines = text.rstrip("\n").splitlines()
    names = header.split()
    starts = [header.index(f" {n}") + 1 if i else 0 for i, n in enumerate(names)]
    ends = [*starts[1:], None]
    return [{n: line[a:b].strip() for n, a, b in zip(names, starts, ends, strict=True)}
            for line in lines]


# Walkthrough steps whose output the README does not show: checked here instead.
HISTORY = ["history", "C-000287"]
SHOW = ["show", "C-000286"]
SHOW_REPLY = ["show", "M-000175"]


def check_history(stdout: str) -> None:
    rows = table(stdout)
    assert [r["version"] for r in rows] == ["1", "2"], stdout
    assert stdout.splitlines()[0].split() == ["version", "recorded_at", "recorded_by", "reason",
                                              "change", "hash"]
    assert (rows[0]["recorded_by"], rows[0]["reason"], rows[0]["change"]) == (
        "clerk", "", "created")
    assert (rows[1]["recorded_by"], rows[1]["reason"], rows[1]["change"]) == (
        "clerk", "date found in the minutes",
        "date_from: 2018-12-01 -> 2018-12-26; date_to: 2018-12-31 -> 2018-12-26")
    assert rows[0]["recorded_at"] <= rows[1]["recorded_at"]
    assert all(re.fullmatch(r"[0-9a-f]{12}", r["hash"]) for r in rows), stdout
    assert rows[0]["hash"] != rows[1]["hash"]


def shown_fields(stdout: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """`show`'s field/value lines as a dict, and its history table's rows."""
    record, _, history = stdout.partition("\nhistory:\n")
    assert history, stdout
    lines = record.splitlines()
    assert lines[0].split() == ["field", "value"]
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(" ")
        fields[name] = value.strip()
    return fields, table(history)


def check_show(stdout: str) -> None:
    fields, rows = shown_fields(stdout)
    assert fields["reg_no"] == "C-000286"
    assert fields["kind"] == "chief-meeting"
    assert fields["date"] == "2018-12-21"
    assert fields["subject"] == "Weekly co-chiefs' meeting"
    assert fields["with"] == "Chun Hae-sung; Jon Jong-su"  # typed as 전종수 and "chun hae sung"
    assert fields["messages"] == "M-000174"
    assert fields["status"] == "current"
    assert fields["recorded_by"] == "clerk"
    assert fields["provenance"] == "logged"
    assert fields["versions"] == "1"
    assert re.fullmatch(r"[0-9a-f]{64}", fields["hash"]), fields["hash"]
    assert [(r["version"], r["change"]) for r in rows] == [("1", "created")]
    assert fields["hash"].startswith(rows[0]["hash"])


def check_show_reply(stdout: str) -> None:
    fields, rows = shown_fields(stdout)
    assert (fields["reg_no"], fields["sender"], fields["recipient"]) == ("M-000175", "N", "S")
    assert (fields["reply_to"], fields["status"], fields["versions"]) == (
        "M-000174", "current", "3")
    assert [(r["version"], r["reason"], r["change"]) for r in rows] == [
        ("1", "", "created"),
        ("2", "taken for a duplicate of M-000174", "void"),
        ("3", "not a duplicate: it is the North's answer", "restored")]
    assert fields["hash"].startswith(rows[2]["hash"])


CHECKED_HERE = {tuple(HISTORY): check_history, tuple(SHOW): check_show,
                tuple(SHOW_REPLY): check_show_reply}


def test_readme_walkthrough_runs_as_written(cli):
    steps = run_walkthrough(cli)
    assert len(steps) >= 8
    for argv, expected, stdout in steps:
        if expected:
            assert stdout.splitlines() == expected, argv


def test_every_walkthrough_step_has_its_output_checked(cli):
    """Where the README shows no output, the output is checked here, so no step goes unseen."""
    steps = run_walkthrough(cli)
    assert [argv for argv, _, _ in steps if argv in (HISTORY, SHOW, SHOW_REPLY)] == [
        HISTORY, SHOW, SHOW_REPLY]
    assert any(typed(expected) for _, expected, _ in steps), "the day shows no prompt"
    for argv, expected, stdout in steps:
        check = CHECKED_HERE.get(tuple(argv))
        assert expected or check, f"README shows no output for `tracker {shlex.join(argv)}`"
        if check:
            check(stdout)


def test_readme_report_samples_are_the_real_output(cli):
    text = README.read_text(encoding="utf-8")
    for argv in (["report", "summary"],
                 ["report", "monthly", "--format", "csv"],
                 ["report", "yearly", "--format", "csv"],
                 ["report", "monthly", "--spread", "apportion", "--format", "csv"]):
        result = cli(*argv)
        assert result.exit_code == 0, result.stderr
        assert result.stdout in text, argv
    first_event = cli("report", "events").stdout.splitlines()[0]
    assert f"\n{first_event}\n" in text
    check = cli("check", "--to", "2018-12-20").stdout.splitlines()
    assert "\n".join(check[:3]) in text
    reconcile = cli("reconcile", "--format", "csv").stdout.splitlines()
    real = {",".join(line.split(",")[:7]) for line in reconcile}
    sample = re.search(r"\n(metric,as_of,reported.*?)```", text, re.S).group(1)
    for line in sample.strip().splitlines():
        assert line in real, line


def test_the_getting_started_commands_put_tracker_on_the_path():
    """`make demo`'s last line and the README say how: activate the venv, then tracker."""
    import subprocess

    text = README.read_text(encoding="utf-8")
    assert ". .venv/bin/activate" in text
    makefile = (README.parent / "Makefile").read_text(encoding="utf-8")
    assert "'. $(VENV)/bin/activate'" in makefile and "tracker --help" in makefile
    venv = README.parent / ".venv" / "bin" / "activate"
    if not venv.is_file():
        pytest.skip("no .venv here: make test creates it")
    out = subprocess.run(["bash", "-c", ". .venv/bin/activate && tracker --help"],
                         cwd=README.parent, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "The official contact log of the liaison office." in out.stdout
