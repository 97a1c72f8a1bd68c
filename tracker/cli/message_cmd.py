"""``tracker message``: log and list messages and documents exchanged."""

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
    moved_option,
    note_option,
    on_option,
    print_records,
    recipient_option,
    resolve_clerk,
    sender_option,
    tag_option,
    until_option,
)

app = sub_app("Messages and documents exchanged between the sides.")
F = list_filters("message_kinds")


@app.command("log")
def log_(
    ctx: typer.Context,
    sender: str | None = sender_option(),
    recipient: str | None = recipient_option(),
    _from: str | None = moved_option("--from", "--sender"),
    _to: str | None = moved_option("--to", "--recipient"),
    kind: str | None = typer.Option(None, "--kind", "-k", help="message, notice or document.",
                                      autocompletion=complete("message_kinds")),
    on: str | None = on_option(required=False),
    until: str | None = until_option(),
    subject: str | None = typer.Option(None, "--subject", "-s", help="What it was about."),
    contact: str | None = typer.Option(None, "--contact", help="The contact it belongs to, "
                                       "e.g. C-000286.", autocompletion=complete("contacts")),
    reply_to: str | None = typer.Option(None, "--reply-to", metavar="M-…",
                                        help="The message this one answers.",
                                        autocompletion=complete("messages")),
    at: str | None = at_option(),
    field: str | None = field_option(),
    tag: list[str] | None = tag_option(),
    note: str | None = note_option(),
    edit: bool = edit_option(),
    allow_future: bool = allow_future_option(),
    before_opening: bool = before_opening_option(),
    clerk: str | None = clerk_option(),
) -> None:
    """Log a message or document and print its registration number.

    Left out at a terminal, the sides, kind, date and subject are asked for.

    Example: tracker message log --sender S --recipient N --kind notice --on today
    --subject "Agenda for Friday" --contact C-000286
    """
    from tracker.cli.entry import ask, choices_of, note_text
    from tracker.services.records.write import log_message

    sender = ask(sender, "--sender", "Sending side (S or N)")
    recipient = ask(recipient, "--recipient", "Receiving side (S or N)")
    kind = ask(kind, "--kind",
               lambda: f"Kind ({', '.join(choices_of(ctx, 'message_kind'))})")
    on = ask(on, "--on", "Date", default="today")
    subject = ask(subject, "--subject", "Subject")
    notes = note_text(note, edit)
    with ctx.obj.writable_database().write() as session:
        reg_no = log_message(session, sender=sender, recipient=recipient, kind=kind, on=on,
                             until=until, subject=subject, contact=contact, notes=notes,
                             allow_future=allow_future, before_opening=before_opening,
                             at=at, reply_to=reply_to, field=field, tags=tag,
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
    contact: str | None = typer.Option(None, "--contact", metavar="C-…",
                                       help="Only messages of this contact."),
    person: str | None = typer.Option(None, "--person",
                                      help="Only messages of contacts this person took part in."),
    include_void: bool = F["include_void"],
    sort: ListSort = F["sort"],
    reverse: bool = F["reverse"],
    limit: int | None = F["limit"],
    no_pager: bool = F["no_pager"],
    fmt: TextFormat = format_option(),
) -> None:
    """List messages and documents (current versions), filtered.

    Example: tracker message list --side N --from 2018-12 --format json
    """
    print_records(ctx, "M", fmt, month=month, start=start, end=end, overlapping=overlapping,
                  kind=kind, side=side, grep=grep, contact=contact, person=person,
                  include_void=include_void, sort=sort, reverse=reverse, limit=limit,
                  no_pager=no_pager)
