"""``tracker export`` and ``tracker import``: the whole log out, spreadsheets and exports in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

import typer

from tracker.cli.options import (
    allow_future_option,
    before_opening_option,
    clerk_option,
    resolve_clerk,
)


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    xlsx = "xlsx"


def export(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write the files into "
                             "(made if missing; files of the same names are replaced)."),
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f",
                                     help="csv (the default), jsonl or xlsx."),
    history: bool = typer.Option(False, "--history", help="Every version of every record, "
                                 "not only each record as it stands."),
) -> None:
    """Write the whole log as files: contacts, messages, participants, people, staff,
    sources, reported figures, and manifest.json (row counts, SHA-256, chain heads).

    Example: tracker export --out log-2026 --history
    """
    from tracker.cli.group import fail
    from tracker.errors import ExitCode
    from tracker.services.exchange.export import export_log

    _collect_garbage()

    if out.exists() and not out.is_dir():
        raise fail(f"--out: {out} is a file, not a directory", ExitCode.USAGE)
    with ctx.obj.database().read() as session:
        result = export_log(session, out, fmt=fmt.value, history=history)
    for name, about in result.files.items():
        typer.echo(f"{about['rows']:>9}  {out / name}", err=True)
    typer.echo(f"exported {result.rows} rows to {out}", err=True)


def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(..., metavar="FILE", help="contacts.csv, messages.csv or "
                                "staff.csv (or .xlsx, .jsonl), or a directory made by "
                                "`tracker export`."),
    rules: Path | None = typer.Option(None, "--map", metavar="RULES.toml",
                                      help="How to read someone else's spreadsheet: column "
                                      "names, date formats, spellings, defaults (see the "
                                      "README)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every line and say what "
                                 "would be added; write nothing."),
    allow_future: bool = allow_future_option(),
    before_opening: bool = before_opening_option(),
    clerk: str | None = clerk_option(),
) -> None:
    """Add the records of a file (or of an export's directory) to the log, in one
    transaction: every bad line is listed and nothing is written; records already imported
    are counted, not added again.

    Example: tracker import old-log.csv --map old-log.toml --dry-run
    """
    from tracker.cli.group import fail
    from tracker.errors import ExitCode, ImportRefused
    from tracker.services.exchange.importer import ImportOptions, import_path
    from tracker.services.exchange.rules import load_rules

    if not path.exists():
        raise fail(f"FILE: {path} does not exist", ExitCode.USAGE)
    _collect_garbage()
    options = ImportOptions(clerk=resolve_clerk(clerk), dry_run=dry_run,
                            allow_future=allow_future, before_opening=before_opening,
                            rules=load_rules(rules) if rules is not None else None)
    with _progress(path) as tick:
        options.progress = tick
        try:
            with ctx.obj.writable_database().write() as session:
                result = import_path(session, path, options)
        except ImportRefused as refused:
            from tracker.render.terminal import escape_controls

            for error in refused.errors:  # the file's text, never raw to the terminal
                typer.echo(f"Error: {escape_controls(error.describe())}", err=True)
            if refused.more:
                typer.echo(f"Error: … and more; {len(refused.errors)} are listed", err=True)
            raise fail(refused.detail, ExitCode.REJECTED) from None
    from tracker.cli.group import say

    verb = "would add" if dry_run else "added"
    for f in result.files:
        versions = f" ({f.versions} versions)" if f.versions and f.versions != f.added else ""
        say(f"{f.name}: {verb} {f.added} {f.register}{versions}; "
            f"{f.already} already in the log")
    if dry_run:
        typer.echo("dry run: nothing was written")


def _collect_garbage() -> None:
    """Turn the cyclic collector back on (``tracker.cli.main`` turns it off for a command
    that is over in a blink): an export or import of millions of rows runs long enough for
    reference cycles to pile up."""
    import gc

    gc.enable()


@contextmanager
def _progress(path: Path) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr (rows/s, time left) when it is a terminal and the file is
    long; nothing otherwise."""
    import sys

    from tracker.services.exchange.importer import lines_in

    total = lines_in(path) if sys.stderr.isatty() else 0
    if total < PROGRESS_FROM:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                  TaskProgressColumn(), TextColumn("{task.fields[rate]} rows/s"),
                  TimeRemainingColumn(), console=Console(stderr=True),
                  transient=True) as bar:
        task = bar.add_task("import", total=total, rate="…")

        def tick(done: int) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, completed=done, rate=f"{speed:,.0f}" if speed else "…")

        yield tick


PROGRESS_FROM = 5000  # lines: below this an import is over before a bar would help
