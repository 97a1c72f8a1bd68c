"""Options shared by several commands, so each means the same everywhere.

``typer.Option`` returns ``Any`` by design: the default it stands for is typed where it is used.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import typer


class TextFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def clerk_option() -> Any:
    return typer.Option(None, "--clerk", help="Who records this (default: $TRACKER_CLERK, "
                        "else your login name).")


def on_option(required: bool = True) -> Any:
    return typer.Option(... if required else None, "--on",
                        help="YYYY-MM-DD, today, yesterday, '3 days ago', a month YYYY-MM, "
                        "a quarter 2018-Q4 or a year.")


def until_option() -> Any:
    return typer.Option(None, "--until",
                        help="Last possible day, when the date is known only to a period.")


def sender_option(help: str = "Sending side: S or N.") -> Any:
    return typer.Option(None, "--sender", help=help, autocompletion=complete("sides"))


def recipient_option(help: str = "Receiving side: S or N.") -> Any:
    return typer.Option(None, "--recipient", help=help, autocompletion=complete("sides"))


def moved_option(old: str, new: str) -> Any:
    """A hidden ``old`` that points at ``new``: ``--from``/``--to`` are dates in every command."""
    def refuse(value: str | None) -> None:
        from tracker.errors import RenamedOption

        if value is not None:
            raise RenamedOption(f"is a date in every command; a message's side is {new}",
                                field=old.removeprefix("--"))

    return typer.Option(None, old, hidden=True, callback=refuse)


def field_option(help: str = "What it is about: political, military, economic, humanitarian, "
                 "social-cultural, other or unknown (the default).") -> Any:
    return typer.Option(None, "--field", help=help, autocompletion=complete("fields"))


def tag_option(help: str = "A free tag, e.g. railway. Repeatable.") -> Any:
    return typer.Option(None, "--tag", "-t", help=help)


def outcome_option(help: str = "held (the default), no-answer, refused, cancelled or "
                   "postponed; only a held contact counts as a round of contact.") -> Any:
    return typer.Option(None, "--outcome", help=help, autocompletion=complete("outcomes"))


def allow_future_option() -> Any:
    return typer.Option(False, "--allow-future", help="Accept a date after today.")


def before_opening_option() -> Any:
    return typer.Option(False, "--before-opening",
                        help="Accept a date before the office opened (2018-09-14).")


def at_option() -> Any:
    return typer.Option(None, "--at", metavar="HH:MM",
                        help="Time of day (office time), e.g. for a routine call.")


def note_option() -> Any:
    return typer.Option(None, "--note", help="Free-text note ('-' reads it from stdin).")


def edit_option() -> Any:
    return typer.Option(False, "--edit", help="Write the note in $EDITOR.")


def format_option() -> Any:
    return typer.Option(TextFormat.table, "--format", "-f", help="table, csv or json.")


def side_option(help: str, default: Any = None) -> Any:
    return typer.Option(default, "--side", help=help, autocompletion=complete("sides"))


def no_pager_option() -> Any:
    return typer.Option(False, "--no-pager", help="Print straight to the terminal, without "
                        "$PAGER.")


def limit_option() -> Any:
    return typer.Option(None, "--limit", "-n", min=1, help="At most this many rows.")


def reverse_option() -> Any:
    return typer.Option(False, "--reverse", "-r", help="Reverse the order.")


class ListSort(StrEnum):
    reg_no = "reg_no"
    date = "date"
    kind = "kind"


def list_filters(kinds: str) -> Any:
    """Options every list shares: period, kind, side, text, voids, order and paging;
    ``kinds`` names the completion of the register's kinds."""
    return dict(
        month=typer.Option(None, "--month", help="Only records inside this month (YYYY-MM)."),
        start=typer.Option(None, "--from", help="Only records from this day or month on."),
        end=typer.Option(None, "--to", help="Only records up to this day or month."),
        overlapping=typer.Option(False, "--overlapping", help="Also records that only "
                                 "overlap the period (a record dated to a quarter overlaps "
                                 "each of its months)."),
        kind=typer.Option(None, "--kind", help="Only this kind (code or unique prefix).",
                          autocompletion=complete(kinds)),
        side=side_option("Only this side (S, N or a name)."),
        grep=typer.Option(None, "--grep", "-g", metavar="TEXT", help="Only records whose "
                          "subject, venue, notes, reasons or people hold every word of TEXT."),
        include_void=typer.Option(False, "--include-void", help="Also list voided records."),
        sort=typer.Option(ListSort.reg_no, "--sort", help="reg_no (the default), date or kind."),
        reverse=reverse_option(),
        limit=limit_option(),
        no_pager=no_pager_option(),
    )


# Left out of a list's table, in this order, on a terminal too narrow for every column.
NARROW_TERMINAL_DROPS = ("recorded_by", "status", "initiated_by", "field", "outcome", "tags",
                         "venue", "contact")


def print_records(ctx: typer.Context, register_code: str, fmt: TextFormat, *,
                  sort: ListSort, reverse: bool, limit: int | None, no_pager: bool,
                  **filters: Any) -> None:
    """`contact list` / `message list`: the register's current versions, filtered, streamed."""
    from tracker.cli.listing import print_rows
    from tracker.services.records.read import Filters, Order, list_records
    from tracker.services.records.registers import REGISTERS

    register = REGISTERS[register_code]
    columns = register.columns if fmt is TextFormat.table else register.data_columns
    with ctx.obj.database().read() as session:
        rows = list_records(session, register, Filters(**filters),
                            Order(sort.value, reverse, limit))
        print_rows(rows, columns, fmt.value, page=not no_pager,
                   shrinkable=("subject", "venue", "with", "tags", "recorded_by"),
                   optional=NARROW_TERMINAL_DROPS)


def complete(kind: str) -> Any:
    """A completion callback that imports ``tracker.cli.completion`` only when called."""
    def callback(ctx: typer.Context, incomplete: str) -> list[Any]:
        from tracker.cli import completion

        result: list[Any] = getattr(completion, kind)(ctx, incomplete)
        return result

    return callback


def resolve_clerk(clerk: str | None) -> str:
    from tracker.config import resolve_clerk as resolve

    return resolve(clerk)
