"""``tracker report``: summary and monthly reports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tracker.cli.group import sub_app
from tracker.cli.output import Format, atomic_write, choose_format, emit_text

if TYPE_CHECKING:
    from tracker.services.records.verify import LogState
    from tracker.services.reports.report import Report

app = sub_app("Reports for analysts.")


class Spread(StrEnum):
    separate = "separate"
    apportion = "apportion"


FROM_HELP = "First month (YYYY-MM) or day (YYYY-MM-DD) of event dates to include."
TO_HELP = "Last month (YYYY-MM) or day (YYYY-MM-DD) of event dates to include."
AS_OF_HELP = "The log as recorded by the end of this day (UTC): later records are left out."
FORMAT_HELP = "table, csv, json or xlsx; default from the --out suffix, else table."


def publish(report: Report, fmt: Format | None, out: Path | None) -> None:
    from tracker.render.frames import render_text
    from tracker.render.xlsx import write_xlsx

    chosen = choose_format(fmt, out)
    for note in report.notes:
        typer.echo(f"Note: {note}", err=True)
    say_log_state(report.log)
    document = report.document
    if isinstance(document, dict) and report.log is not None:
        document = {**document, "log": report.log.document()}
    if chosen is Format.xlsx:
        assert out is not None
        properties = report.log.properties() if report.log is not None else {}
        atomic_write(out, lambda p: write_xlsx(report.frame, p, properties=properties))
    else:
        emit_text(render_text(report.frame, chosen.value, document=document), out)
    if out is not None:
        typer.echo(f"wrote {out}", err=True)


def say_log_state(log: LogState | None) -> None:
    """The chain heads on stderr (and a warning if the last verify found a break)."""
    if log is None:
        return
    typer.echo("Log heads: " + " ".join(f"{code}:{head}" for code, head in log.heads.items()),
               err=True)
    for broken in log.broken:
        typer.echo(f"Warning: the log's hash chain is broken at {broken}; see the README, "
                   "'When verify finds a break'", err=True)


@app.command()
def summary(
    ctx: typer.Context,
    fmt: Format | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to FILE, not stdout."),
    start: str | None = typer.Option(None, "--from", help=FROM_HELP),
    end: str | None = typer.Option(None, "--to", help=TO_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
) -> None:
    """Contacts by kind with the meetings subtotal, messages, and staff per side.

    Example: tracker report summary --from 2018-10 --to 2018-12 --format json
    """
    from tracker.services.reports.summary import summary_report

    with ctx.obj.database().read() as session:
        report = summary_report(session, start=start, end=end, as_of=as_of)
    publish(report, fmt, out)


@app.command()
def monthly(
    ctx: typer.Context,
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to FILE, not stdout."),
    fmt: Format | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    start: str | None = typer.Option(None, "--from", help=FROM_HELP),
    end: str | None = typer.Option(None, "--to", help=TO_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    spread: Spread = typer.Option(
        Spread.separate, "--spread",
        help="separate: a record dated only to a multi-month period gets a row of its own; "
        "apportion: spread over its months by days, in rows marked estimated.",
    ),
) -> None:
    """One row per calendar month: contacts per kind, meetings, contacts, messages.

    Example: tracker report monthly --out monthly.csv --from 2018-09 --to 2018-12
    """
    from tracker.services.reports.monthly import monthly_report

    with ctx.obj.database().read() as session:
        report = monthly_report(session, start=start, end=end, as_of=as_of,
                                spread=spread.value)
    publish(report, fmt, out)


@app.command()
def chart(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="The PNG file to write."),
    start: str | None = typer.Option(None, "--from", help=FROM_HELP),
    end: str | None = typer.Option(None, "--to", help=TO_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    spread: Spread = typer.Option(Spread.separate, "--spread",
                                  help="separate or apportion, as for `report monthly`."),
    width: int = typer.Option(1200, "--width", help="Width in pixels."),
    height: int = typer.Option(700, "--height", help="Height in pixels."),
) -> None:
    """Contacts per month stacked by kind, as a PNG; period-only records drawn hatched.

    Example: tracker report chart --out contacts.png --spread apportion
    """
    from tracker.render.chart import draw_monthly_chart
    from tracker.services.reports.counting import contact_kinds
    from tracker.services.reports.monthly import monthly_report

    with ctx.obj.database().read() as session:
        report = monthly_report(session, start=start, end=end, as_of=as_of,
                                spread=spread.value)
        kinds = contact_kinds(session)
    for note in report.notes:
        typer.echo(f"Note: {note}", err=True)
    say_log_state(report.log)
    atomic_write(out, lambda p: draw_monthly_chart(report.frame, kinds, p, width_px=width,
                                                   height_px=height))
    typer.echo(f"wrote {out}", err=True)
