"""Printing a stream of rows: through ``$PAGER`` at a terminal, straight out on a pipe.

As ``git log`` does: at a terminal the output goes to the pager (``$TRACKER_PAGER``, else
``$PAGER``, else ``less`` with ``LESS=FRX``, which quits at once when the text fits the
screen); ``--no-pager``, an empty pager or ``cat`` prints directly; a pipe or a file never
gets a pager. The table is fitted to the terminal's width either way.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TextIO, cast


def print_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str, *,
               page: bool = True, shrinkable: Collection[str] = (),
               numeric: Collection[str] = (), optional: Sequence[str] = ()) -> None:
    """Write ``rows`` to stdout (or the pager) as they come."""
    from tracker.render.stream import write_rows
    from tracker.render.terminal import terminal_width

    # only a terminal is fitted: a table piped or saved keeps every character
    width = terminal_width(sys.stdout) if fmt == "table" and _is_terminal(sys.stdout) else None
    try:
        with _output(page) as out:
            write_rows(rows, columns, fmt, out, max_width=width, shrinkable=shrinkable,
                       numeric=numeric, optional=optional)
            out.flush()
    finally:
        # A reader that went away (`| head`) ends the stream here, while its database
        # connection is still open, so its cursor closes cleanly.
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _pager_command() -> str | None:
    """The pager to run through the shell, as git does (so ``PAGER='less -S'`` or a pipe
    works), or None for none: not wanted (empty, ``cat``) or its program not installed."""
    configured = os.environ.get("TRACKER_PAGER", os.environ.get("PAGER", "less")).strip()
    try:
        words = shlex.split(configured)
    except ValueError:  # unbalanced quotes: not a command we can run
        return None
    if not words or words == ["cat"] or shutil.which(words[0]) is None:
        return None
    return configured


@contextmanager
def _output(page: bool) -> Iterator[TextIO]:
    command = _pager_command() if page and _is_terminal(sys.stdout) else None
    if command is None:
        yield sys.stdout
        return
    env = {"LESS": "FRX", "LV": "-c", **os.environ}
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env, text=True,
                             encoding="utf-8")
    assert pager.stdin is not None
    try:
        yield cast(TextIO, pager.stdin)
    except BrokenPipeError:  # the reader quit the pager early: nothing more to show
        pass
    finally:
        with suppress(BrokenPipeError):
            pager.stdin.close()
        _wait(pager)


def _wait(pager: subprocess.Popen[str]) -> None:
    while True:
        try:
            pager.wait()
            return
        except KeyboardInterrupt:  # ^C belongs to the pager (less uses it), as in git
            continue


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
