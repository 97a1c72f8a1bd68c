"""``tracker search``: find records by the words in them."""

from __future__ import annotations

from enum import StrEnum

import typer

from tracker.cli.options import (
    TextFormat,
    format_option,
    limit_option,
    no_pager_option,
    reverse_option,
)


class SearchSort(StrEnum):
    rank = "rank"
    date = "date"
    reg_no = "reg_no"
    kind = "kind"


class Register(StrEnum):
    all = "all"
    contacts = "contacts"
    messages = "messages"


def search(
    ctx: typer.Context,
    text: list[str] = typer.Argument(..., metavar="TEXT…", help="Words to find (all of "
                                     "them)."),
    in_: Register = typer.Option(Register.all, "--in", help="all (the default), contacts or "
                                 "messages."),
    history: bool = typer.Option(False, "--history", help="Search every version, not only "
                                 "records as they stand (voided ones included)."),
    sort: SearchSort = typer.Option(SearchSort.rank, "--sort", help="rank (the default: "
                                    "subject holds every word first, then newest first), "
                                    "date (newest first), reg_no or kind."),
    reverse: bool = reverse_option(),
    limit: int | None = limit_option(),
    no_pager: bool = no_pager_option(),
    fmt: TextFormat = format_option(),
) -> None:
    """Find contacts and messages whose subject, venue, notes, reasons or people (any name
    or alias) hold every word of TEXT, in any case; a word may be part of a longer one.

    A word that begins with '-' goes after '--': tracker search -- -30%

    Example: tracker search "railway 개성" --limit 20
    """
    from tracker.cli.listing import print_rows
    from tracker.services.search import (
        SEARCH_COLUMNS,
        SEARCH_DATA_COLUMNS,
        SEARCH_HISTORY_COLUMNS,
    )
    from tracker.services.search import (
        search as find,
    )

    registers = {"all": ("C", "M"), "contacts": ("C",), "messages": ("M",)}[in_.value]
    columns: tuple[str, ...]
    if fmt is not TextFormat.table:
        columns = SEARCH_DATA_COLUMNS
    else:
        columns = SEARCH_HISTORY_COLUMNS if history else SEARCH_COLUMNS
    with ctx.obj.database().read() as session:
        rows = find(session, " ".join(text), registers=registers, history=history, sort=sort.value,
                    reverse=reverse, limit=limit)
        print_rows(rows, columns, fmt.value, page=not no_pager,
                   shrinkable=("subject", "found_in"), numeric=("version",))
