"""``tracker message``: log and list messages and documents exchanged."""

from __future__ import annotations

import typer

from tracker.cli.group import sub_app
from tracker.cli.options import (
    TextFormat,
    allow_future_option,
    clerk_option,
    format_option,
    list_filters,
    on_option,
    print_records,
    resolve_clerk,
    until_option,
)

app = sub_app("Messages and documents exchanged between the sides.")
F = list_filters()


@app.command("log")
def log_(
    ctx: typer.Context,
    from_side: str = typer.Option(..., "--from", help="Sending side: S or N."),
    to_side: str = typer.Option(..., "--to", help="Receiving side: S or N."),
    kind: str = typer.Option(..., "--kind", "-k", help="message, notice or document."),
    on: str = on_option(),
    until: str | None = until_option(),
    subject: str = typer.Option(..., "--subject", "-s", help="What it was about."),
    contact: str | None = typer.Option(None, "--contact", help="The contact it belongs to, "
                                       "e.g. C-000286."),
    note: str | None = typer.Option(None, "--note", help="Free-text note."),
    allow_future: bool = allow_future_option(),
    clerk: str | None = clerk_option(),
) -> None:
    """Log a message or document and print its registration number.

    Example: tracker message log --from S --to N --kind notice --on today
    --subject "Agenda for Friday" --contact C-000286
    """
    from tracker.services.records.write import log_message

    with ctx.obj.writable_database().write() as session:
        reg_no = log_message(session, from_side=from_side, to_side=to_side, kind=kind, on=on,
                             until=until, subject=subject, contact=contact, notes=note,
                             allow_future=allow_future, clerk=resolve_clerk(clerk))
    typer.echo(reg_no)


@app.command("list")
def list_(
    ctx: typer.Context,
    month: str | None = F["month"],
    start: str | None = F["start"],
    end: str | None = F["end"],
    kind: str | None = F["kind"],
    side: str | None = F["side"],
    include_void: bool = F["include_void"],
    fmt: TextFormat = format_option(),
) -> None:
    """List messages and documents (current versions), filtered.

    Example: tracker message list --side N --from 2018-12 --format json
    """
    print_records(ctx, "M", fmt, month=month, start=start, end=end, kind=kind, side=side,
                  include_void=include_void)
