"""Quick entry at a terminal: prompting for what is missing, notes from stdin or $EDITOR.

As `git commit` falls back to an editor, `contact log` and `message log` ask for a missing
kind, date, subject or participants when a person is at the terminal; a script (stdin not a
terminal) gets the usual one-line usage error instead, never a prompt. Prompts happen before
the write transaction opens, so no clerk's lock is held while someone types.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from tracker.cli.group import fail
from tracker.errors import BadText, ExitCode


def stdin_is_terminal() -> bool:
    """Whether a person can answer a prompt (tests set this)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def missing(flag: str) -> typer.Exit:
    """What a script gets for a missing required option: Click's own wording, one line."""
    return fail(f"Missing option '{flag}'.", int(ExitCode.USAGE))


def ask(value: str | None, flag: str, question: str | Callable[[], str], *,
        default: str | None = None) -> str:
    """``value`` if given; else, at a terminal, the answer to ``question``."""
    if value is not None:
        return value
    if not stdin_is_terminal():
        raise missing(flag)
    answer: Any = typer.prompt(question() if callable(question) else question, default=default)
    return str(answer)


def ask_list(values: list[str] | None, question: str) -> list[str] | None:
    """Repeatable values if given; else, at a terminal, a comma-separated answer."""
    if values or not stdin_is_terminal():
        return values
    answer = str(typer.prompt(question, default="", show_default=False))
    return [part.strip() for part in answer.split(",") if part.strip()] or None


def choices_of(ctx: typer.Context, table: str) -> list[str]:
    """The codes a prompt offers (read before the write transaction)."""
    from sqlalchemy import text

    with ctx.obj.writable_database().read() as session:
        return list(session.execute(text(f"SELECT code FROM {table} ORDER BY sort_order"))
                    .scalars())


def note_text(note: str | None, edit: bool) -> str | None:
    """``--note TEXT``; ``--note -`` reads standard input; ``--edit`` opens $EDITOR."""
    if note == "-":
        note = sys.stdin.read()
    if edit:
        note = _edit(note or "")
    return note


def _edit(start: str) -> str:
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix="tracker-note-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(start)
        if subprocess.call([*shlex.split(editor), str(path)]) != 0:
            raise BadText(f"the editor ({editor}) failed; nothing was logged", field="edit")
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
