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
