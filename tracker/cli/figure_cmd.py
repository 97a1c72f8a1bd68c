"""``tracker figure`` and ``tracker reconcile``: reported figures against the log."""

from __future__ import annotations

from pathlib import Path

import typer

from tracker.cli.group import sub_app
from tracker.cli.options import clerk_option, resolve_clerk
from tracker.cli.output import Format

app = sub_app("Figures published about the office, for reconciliation.")


@app.command()
def add(
    ctx: typer.Context,
    metric: str = typer.Option(..., "--metric", help="e.g. contacts.total, contacts.meetings, "
                               "contacts.chief-meeting, messages.total, staff.S"),
    value: str = typer.Option(..., "--value", help="A whole number, or a range like 15-20."),
    as_of: str = typer.Option(..., "--as-of", help="The date the figure speaks for."),
    source: str = typer.Option(..., "--source", help="A source key (see seeds/sources.csv) "
                               "or a description of a new source."),
    qualifier: str = typer.Option("exact", "--qualifier", help="exact, about or expected."),
    note: str | None = typer.Option(None, "--note", help="What exactly was reported."),
    clerk: str | None = clerk_option(),
) -> None:
    """Record a figure a source published.

    Example: tracker figure add --metric contacts.total --value 310 --as-of 2019-01-31
    --source "Unification ministry briefing, 2019-02-01"
    """
    from tracker.services.figures import add_figure

    with ctx.obj.writable_database().write() as session:
        figure = add_figure(session, metric=metric, value=value, as_of=as_of, source=source,
                            qualifier=qualifier, note=note, clerk=resolve_clerk(clerk))
        figure_id = figure.id
    typer.echo(f"figure {figure_id}")


def reconcile(
    ctx: typer.Context,
    fmt: Format | None = typer.Option(None, "--format", "-f",
                                      help="table, csv, json or xlsx."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to FILE, not stdout."),
) -> None:
    """Check every reported figure against the log; exit 1 if one disagrees.

    Each figure is compared with the current records that took place by its date. Figures
    whose sources contradict each other are shown claim by claim, never averaged.

    Example: tracker reconcile --format csv
    """
    from tracker.cli.report_cmd import publish
    from tracker.errors import FiguresDisagree
    from tracker.services.reports.reconcile import reconcile_report

    with ctx.obj.database().read() as session:
        report, disagreeing = reconcile_report(session)
    publish(report, fmt, out, ctx)
    if disagreeing:
        raise FiguresDisagree(
            f"{len(disagreeing)} reported figure(s) disagree with the log: "
            + ", ".join(disagreeing)
        )
