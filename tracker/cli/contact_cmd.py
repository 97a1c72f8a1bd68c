"""``tracker contact``: log and list rounds of contact."""

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

app = sub_app("Rounds of contact: meetings and other consultations.")
F = list_filters()


@app.command("log")
def log_(
    ctx: typer.Context,
    kind: str = typer.Option(..., "--kind", "-k", help="gov-meeting, working-talks, "
                             "chief-meeting or other (a unique prefix will do)."),
    on: str = on_option(),
    until: str | None = until_option(),
    subject: str = typer.Option(..., "--subject", "-s", help="What it was about."),
    venue: str | None = typer.Option(None, "--venue", help="Where it took place."),
    with_: list[str] | None = typer.Option(None, "--with", "-w", help="A participant: name, "
                                           "part of a name, or #ID. Repeatable."),
    initiated_by: str | None = typer.Option(None, "--initiated-by", help="S or N."),
    note: str | None = typer.Option(None, "--note", help="Free-text note."),
    allow_future: bool = allow_future_option(),
    clerk: str | None = clerk_option(),
) -> None:
    """Log a new round of contact and print its registration number.

    Example: tracker contact log --kind chief-meeting --on 2018-12-21 --subject "Weekly
    co-chiefs' meeting" --with "Chun Hae-sung" --with "Jon Jong-su"
    """
    from tracker.services.records.write import log_contact

    with ctx.obj.writable_database().write() as session:
        reg_no = log_contact(session, kind=kind, on=on, until=until, subject=subject,
                             venue=venue, with_=with_, initiated_by=initiated_by, notes=note,
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
    person: str | None = typer.Option(None, "--person", help="Only contacts with this person."),
    include_void: bool = F["include_void"],
    fmt: TextFormat = format_option(),
) -> None:
    """List contacts (current versions), filtered.

    Example: tracker contact list --month 2018-12 --kind chief --format csv
    """
    print_records(ctx, "C", fmt, month=month, start=start, end=end, kind=kind, side=side,
                  person=person, include_void=include_void)
