"""``tracker report``: summary and monthly reports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tracker.cli.group import sub_app
from tracker.cli.options import complete
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
FORMAT_HELP = ("table, csv, json or xlsx (default table); with --out, the suffix decides "
               "(.txt, .csv, .json, .xlsx) and --format must agree.")


def report_format_option() -> Format | None:
    result: Format | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP)
    return result


def out_option() -> Path | None:
    result: Path | None = typer.Option(None, "--out", "-o", help="Write to FILE, not stdout.")
    return result


def from_option() -> str | None:
    result: str | None = typer.Option(None, "--from", help=FROM_HELP)
    return result


def to_option() -> str | None:
    result: str | None = typer.Option(None, "--to", help=TO_HELP)
    return result


def as_of_option() -> str | None:
    result: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP)
    return result


BY_HELP = ("Split by field, side, initiator, tag or outcome (repeat for two): one row per "
           "group; the groups sum to the plain report.")


def by_option() -> list[str] | None:
    result: list[str] | None = typer.Option(None, "--by", help=BY_HELP,
                                            autocompletion=complete("dimensions"))
    return result


def query_of(ctx: typer.Context, report: Report) -> list[tuple[str, str]]:
    """What a spreadsheet's ``query`` sheet says: the command, every option given, when it
    was made, and the chain heads the report was made from."""
    from tracker.clock import utcnow

    items = [("command", ctx.command_path)]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if param.name in ("fmt", "out") or value is None or value is False or value in ([], ()):
            continue
        flag = next((o for o in getattr(param, "opts", []) if o.startswith("--")), param.name)
        shown = "; ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        items.append((str(flag).lstrip("-"), shown))  # "from", not "--from": no formula
    items.append(("made at", f"{utcnow():%Y-%m-%d %H:%M:%S} UTC"))
    if report.log is not None:
        items += [(f"chain head {code}", head) for code, head in report.log.heads.items()]
    return items


def publish(report: Report, fmt: Format | None, out: Path | None,
            ctx: typer.Context | None = None) -> None:
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
        query = query_of(ctx, report) if ctx is not None else []
        atomic_write(out, lambda p: write_xlsx(report.frame, p, properties=properties,
                                               query=query))
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
    fmt: Format | None = report_format_option(),
    out: Path | None = out_option(),
    start: str | None = from_option(),
    end: str | None = to_option(),
    as_of: str | None = as_of_option(),
    by: list[str] | None = by_option(),
) -> None:
    """Held contacts by kind and initiator, contacts not held, messages by direction, staff.

    Example: tracker report summary --from 2018-10 --to 2018-12 --format json
    """
    from tracker.services.reports.summary import summary_report

    with ctx.obj.database().read() as session:
        report = summary_report(session, start=start, end=end, as_of=as_of, by=by)
    publish(report, fmt, out, ctx)


@app.command()
def yearly(
    ctx: typer.Context,
    fmt: Format | None = report_format_option(),
    out: Path | None = out_option(),
    start: str | None = from_option(),
    end: str | None = to_option(),
    as_of: str | None = as_of_option(),
) -> None:
    """The ministry's table: held contacts per year and field, and messages per year.

    Example: tracker report yearly --format csv --out yearly.csv
    """
    from tracker.services.reports.yearly import yearly_report

    with ctx.obj.database().read() as session:
        report = yearly_report(session, start=start, end=end, as_of=as_of)
    publish(report, fmt, out, ctx)


@app.command()
def replies(
    ctx: typer.Context,
    fmt: Format | None = report_format_option(),
    out: Path | None = out_option(),
    start: str | None = typer.Option(None, "--from", help="First day of replies to include."),
    end: str | None = typer.Option(None, "--to", help="Last day of replies to include."),
    as_of: str | None = as_of_option(),
    overdue: int | None = typer.Option(None, "--overdue", metavar="DAYS",
                                       help="Instead: the messages no reply answers after "
                                       "DAYS days."),
) -> None:
    """Replies per direction and field: count, median and 90th percentile of days to answer.

    Example: tracker report replies --format csv; tracker report replies --overdue 3
    """
    from tracker.services.reports.replies import replies_report

    with ctx.obj.database().read() as session:
        report = replies_report(session, start=start, end=end, as_of=as_of, overdue=overdue)
    publish(report, fmt, out, ctx)


@app.command()
def events(
    ctx: typer.Context,
    out: Path | None = typer.Option(None, "--out", "-o",
                                    help="Write to FILE.jsonl, not stdout."),
) -> None:
    """Held contacts as event data: one JSON line per contact (date, source and target
    actor, event type, field, registration number, source).

    Example: tracker report events --out events.jsonl
    """
    import json

    from tracker.cli.output import suffix_format
    from tracker.services.reports.events import events as held_events

    if out is not None:
        suffix_format(out, {".jsonl": "jsonl"})
    with ctx.obj.database().read() as session:
        lines = (json.dumps(event, ensure_ascii=False) + "\n" for event in held_events(session))
        if out is None:
            for line in lines:
                typer.echo(line, nl=False)
            return

        def write(path: Path) -> None:
            with path.open("w", encoding="utf-8") as fh:
                fh.writelines(lines)

        atomic_write(out, write)
    typer.echo(f"wrote {out}", err=True)


@app.command()
def monthly(
    ctx: typer.Context,
    out: Path | None = out_option(),
    fmt: Format | None = report_format_option(),
    start: str | None = from_option(),
    end: str | None = to_option(),
    as_of: str | None = as_of_option(),
    spread: Spread = typer.Option(
        Spread.separate, "--spread",
        help="separate: a record dated only to a multi-month period gets a row of its own; "
        "apportion: spread over its months by days, in rows marked estimated.",
    ),
    by: list[str] | None = by_option(),
) -> None:
    """One row per calendar month: contacts per kind, meetings, contacts, messages.

    Example: tracker report monthly --out monthly.csv --from 2018-09 --to 2018-12
    """
    from tracker.services.reports.monthly import monthly_report

    with ctx.obj.database().read() as session:
        report = monthly_report(session, start=start, end=end, as_of=as_of,
                                spread=spread.value, by=by)
    publish(report, fmt, out, ctx)


@app.command()
def chart(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="The image to write: .png, .svg or .pdf."),
    start: str | None = from_option(),
    end: str | None = to_option(),
    as_of: str | None = as_of_option(),
    spread: Spread = typer.Option(Spread.separate, "--spread",
                                  help="separate or apportion, as for `report monthly`."),
    width: int = typer.Option(1200, "--width", help="Width in pixels."),
    height: int = typer.Option(700, "--height", help="Height in pixels."),
    by: str | None = typer.Option(None, "--by", help="Stack by field, side, initiator, tag "
                                  "or outcome instead of kind.",
                                  autocompletion=complete("dimensions")),
) -> None:
    """Contacts per month stacked by kind, as PNG, SVG or PDF; period-only records hatched.

    Example: tracker report chart --out contacts.png --spread apportion
    """
    from tracker.cli.output import CHART_SUFFIXES, suffix_format
    from tracker.render.chart import draw_monthly_chart
    from tracker.services.reports.counting import contact_kinds
    from tracker.services.reports.monthly import monthly_report

    image_format = suffix_format(out, CHART_SUFFIXES)  # refused before any work is done

    with ctx.obj.database().read() as session:
        report = monthly_report(session, start=start, end=end, as_of=as_of,
                                spread=spread.value, by=[by] if by else None)
        kinds = contact_kinds(session)
    for note in report.notes:
        typer.echo(f"Note: {note}", err=True)
    say_log_state(report.log)
    group = by.strip().lower() if by else None
    atomic_write(out, lambda p: draw_monthly_chart(report.frame, kinds, p, width_px=width,
                                                   height_px=height,
                                                   image_format=image_format,
                                                   group_column=group))
    typer.echo(f"wrote {out}", err=True)
