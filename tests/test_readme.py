"""The README's clerk's walkthrough, run command by command against a seeded database."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


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


def test_readme_walkthrough_runs_as_written(cli):
    steps = walkthrough()
    assert len(steps) >= 8
    for argv, expected in steps:
        result = cli(*argv, env={"TRACKER_CLERK": "clerk"})
        assert result.exit_code == 0, (argv, result.stderr)
        if expected:
            assert result.stdout.splitlines() == expected, argv


def test_readme_report_samples_are_the_real_output(cli):
    text = README.read_text(encoding="utf-8")
    for argv in (["report", "summary"],
                 ["report", "monthly", "--format", "csv"],
                 ["report", "monthly", "--spread", "apportion", "--format", "csv"]):
        result = cli(*argv)
        assert result.exit_code == 0, result.stderr
        assert result.stdout in text, argv
    reconcile = cli("reconcile", "--format", "csv").stdout.splitlines()
    real = {",".join(line.split(",")[:7]) for line in reconcile}
    sample = re.search(r"\n(metric,as_of,reported.*?)```", text, re.S).group(1)
    for line in sample.strip().splitlines():
        assert line in real, line
