"""``tracker contact``: log and list rounds of contact."""

from __future__ import annotations

import typer

from tracker.cli.group import sub_app
from tracker.cli.options import (
    ListSort,
    TextFormat,
    allow_future_option,
    at_option,
    before_opening_option,
    clerk_option,
    complete,
    edit_option,
    field_option,
    format_option,
    list_filters,
    note_option,
    on_option,
    outcome_option,
    print_records,
    resolve_clerk,
    tag_option,
    until_option,
)

app = sub_app("Rounds of contact: meetings and other consultations.")
F = list_filters("contact_kinds")


@app.command("log")
def log_(
    ctx: typer.Context,
    kind: str | None = typer.Option(None, "--kind", "-k", autocompletion=complete("contact_kinds"),
                                      help="gov-meeting, working-talks, "
                                    "chief-meeting or other (a unique prefix will do). "
                                    "Asked for at a terminal if left out."),
    on: str | None = on_option(required=False),
    until: str | None = until_option(),
    subject: str | None = typer.Option(None, "--subject", "-s", help="What it was about."),
    venue: str | None = typer.Option(None, "--venue", help="Where it took place."),
    with_: list[str] | None = typer.Option(None, "--with", "-w", help="A participant: name, "
                                           "part of a name, or #ID. Repeatable.",
                                           autocompletion=complete("people")),
    initiated_by: str | None = typer.Option(None, "--initiated-by", help="S or N.",
                                            autocompletion=complete("sides")),
    at: str | None = at_option(),
    field: str | None = field_option(),
    tag: list[str] | None = tag_option(),
    outcome: str | None = outcome_option(),
    note: str | None = note_option(),
    edit: bool = edit_option(),
    allow_future: bool = allow_future_option(),
    before_opening: bool = before_opening_option(),
    again: bool = typer.Option(False, "--again", help="Log it although it looks like a "
                               "contact already logged (same days, kind, subject or people)."),
    clerk: str | None = clerk_option(),
) -> None:
    """Log a new round of contact and print its registration number.

    Left out at a terminal, the kind, date, subject and participants are asked for.

    Example: tracker contact log --kind chief-meeting --on 2018-12-21 --subject "Weekly
    co-chiefs' meeting" --with "Chun Hae-sung" --with "Jon Jong-su"
    """
    from tracker.cli.entry import ask, ask_list, choices_of, note_text
    from tracker.services.records.write import log_contact

    kind = ask(kind, "--kind",
               lambda: f"Kind ({', '.join(choices_of(ctx, 'contact_kind'))})")
    on = ask(on, "--on", "Date", default="today")
    subject = ask(subject, "--subject", "Subject")
    with_ = ask_list(with_, "With (names, comma-separated; empty for none)")
    notes = note_text(note, edit)
    with ctx.obj.writable_database().write() as session:
        reg_no = log_contact(session, kind=kind, on=on, until=until, subject=subject,
                             venue=venue, with_=with_, initiated_by=initiated_by, notes=notes,
                             allow_future=allow_future, before_opening=before_opening,
                             again=again, at=at, field=field, tags=tag, outcome=outcome,
                             clerk=resolve_clerk(clerk))
    typer.echo(reg_no)


@app.command("list")
def list_(
    ctx: typer.Context,
    month: str | None = F["month"],
    start: str | None = F["start"],
    end: str | None = F["end"],
    overlapping: bool = F["overlapping"],
    kind: str | None = F["kind"],
    side: str | None = F["side"],
    grep: str | None = F["grep"],
    person: str | None = typer.Option(None, "--person", help="Only contacts with this person.",
                                      autocompletion=complete("people")),
    include_void: bool = F["include_void"],
    sort: ListSort = F["sort"],
    reverse: bool = F["reverse"],
    limit: int | None = F["limit"],
    no_pager: bool = F["no_pager"],
    fmt: TextFormat = format_option(),
) -> None:
    """List contacts (current versions), filtered.

    Example: tracker contact list --month 2018-12 --kind chief --format csv
    """
    print_records(ctx, "C", fmt, month=month, start=start, end=end, overlapping=overlapping,
                  kind=kind, side=side, grep=grep, person=person, include_void=include_void,
                  sort=sort, reverse=reverse, limit=limit, no_pager=no_pager)
