"""``tracker show|history|correct|void``: one record by its registration number."""

from __future__ import annotations

import typer

from tracker.cli.options import (
    TextFormat,
    allow_future_option,
    at_option,
    before_opening_option,
    clerk_option,
    complete,
    field_option,
    format_option,
    moved_option,
    outcome_option,
    recipient_option,
    resolve_clerk,
    sender_option,
    tag_option,
    until_option,
)

REG_NO = typer.Argument(..., metavar="REG_NO", help="C-000123 (contact) or M-000123 (message).",
                        autocompletion=complete("reg_numbers"))
REASON = typer.Option(..., "--reason", "-r", help="Why: kept with the new version.")


def show(ctx: typer.Context, reg_no: str = REG_NO, fmt: TextFormat = format_option()) -> None:
    """Show one record as it stands, with participants and history.

    Example: tracker show C-000286
    """
    from tracker.render.text import render
    from tracker.services.records.read import show as show_record

    with ctx.obj.database().read() as session:
        record = show_record(session, reg_no)
    if fmt is TextFormat.json:
        typer.echo(render([], [], "json", document=record), nl=False)
        return
    history = record.pop("history")
    fields = [{"field": k, "value": v} for k, v in record.items()]
    if fmt is TextFormat.csv:
        typer.echo(render(fields, ["field", "value"], "csv"), nl=False)
        return
    typer.echo(render(fields, ["field", "value"], "table"), nl=False)
    typer.echo("\nhistory:")
    typer.echo(render(history, HISTORY_COLUMNS, "table"), nl=False)


HISTORY_COLUMNS = ["version", "recorded_at", "recorded_by", "reason", "change", "hash"]


def history(ctx: typer.Context, reg_no: str = REG_NO,
            fmt: TextFormat = format_option()) -> None:
    """Every version of a record: who recorded it, when, why, and what changed.

    Example: tracker history C-000286
    """
    from tracker.render.text import render
    from tracker.services.records.read import history as record_history

    with ctx.obj.database().read() as session:
        _, _, versions = record_history(session, reg_no)
    typer.echo(render(versions, HISTORY_COLUMNS, fmt.value), nl=False)


def correct(
    ctx: typer.Context,
    reg_no: str = REG_NO,
    reason: str = REASON,
    kind: str | None = typer.Option(None, "--kind", "-k", help="New kind.",
                                      autocompletion=complete("kinds")),
    on: str | None = typer.Option(None, "--on", help="New date (YYYY-MM-DD or YYYY-MM)."),
    until: str | None = until_option(),
    subject: str | None = typer.Option(None, "--subject", "-s", help="New subject."),
    venue: str | None = typer.Option(None, "--venue", help="New venue (contacts)."),
    with_: list[str] | None = typer.Option(None, "--with", "-w",
                                           help="Replace the participants (contacts)."),
    initiated_by: str | None = typer.Option(None, "--initiated-by",
                                            help="S, N, or '' for unknown (contacts).",
                                            autocompletion=complete("sides")),
    notes: str | None = typer.Option(None, "--note", help="New note."),
    sender: str | None = sender_option("New sending side (messages)."),
    recipient: str | None = recipient_option("New receiving side (messages)."),
    _from: str | None = moved_option("--from", "--sender"),
    _to: str | None = moved_option("--to", "--recipient"),
    contact: str | None = typer.Option(None, "--contact", help="New linked contact (messages)."),
    reply_to: str | None = typer.Option(None, "--reply-to", help="The message it answers "
                                        "(messages; '' for none)."),
    at: str | None = at_option(),
    field: str | None = field_option("New field (political … other, unknown)."),
    tag: list[str] | None = tag_option("Replace the tags (repeatable; --tag '' for none)."),
    outcome: str | None = outcome_option("New outcome (contacts): held, no-answer, refused, "
                                         "cancelled or postponed."),
    allow_future: bool = allow_future_option(),
    before_opening: bool = before_opening_option(),
    clerk: str | None = clerk_option(),
) -> None:
    """Correct a record: a new version replaces the current one, which is kept.

    Example: tracker correct C-000286 --subject "Weekly co-chiefs' meeting" --reason "typo"
    """
    from tracker.services.records.write import Changes
    from tracker.services.records.write import correct as correct_record

    changes = Changes(kind=kind, on=on, until=until, subject=subject, venue=venue, with_=with_,
                      initiated_by=initiated_by, notes=notes, sender=sender,
                      recipient=recipient, contact=contact, allow_future=allow_future,
                      before_opening=before_opening, at=at, reply_to=reply_to, field=field,
                      tags=tag, outcome=outcome)
    with ctx.obj.database().write() as session:
        number, version = correct_record(session, reg_no, changes, reason=reason,
                                         clerk=resolve_clerk(clerk))
    typer.echo(f"{number}: version {version}")


def void(ctx: typer.Context, reg_no: str = REG_NO, reason: str = REASON,
         clerk: str | None = clerk_option()) -> None:
    """Void a record: it stays in the log with its history but no longer counts.

    Example: tracker void C-000286 --reason "logged twice; see C-000287"
    """
    from tracker.services.records.write import void as void_record

    with ctx.obj.database().write() as session:
        number, version = void_record(session, reg_no, reason=reason,
                                      clerk=resolve_clerk(clerk))
    typer.echo(f"{number}: void (version {version})")


def restore(ctx: typer.Context, reg_no: str = REG_NO, reason: str = REASON,
            clerk: str | None = clerk_option()) -> None:
    """Take back a mistaken void: a new version, as the record stood, counts again.

    Example: tracker restore M-000174 --reason "voided the wrong message"
    """
    from tracker.services.records.write import restore as restore_record

    with ctx.obj.database().write() as session:
        number, version = restore_record(session, reg_no, reason=reason,
                                         clerk=resolve_clerk(clerk))
    typer.echo(f"{number}: restored (version {version})")
