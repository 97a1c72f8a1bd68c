"""``tracker staff``: posts and the people on them."""

from __future__ import annotations

import typer

from tracker.cli.group import say, sub_app
from tracker.cli.options import (
    TextFormat,
    clerk_option,
    format_option,
    limit_option,
    no_pager_option,
    resolve_clerk,
    side_option,
)

app = sub_app("Staff of each side: add, list, leave.")


@app.command()
def add(
    ctx: typer.Context,
    side: str = side_option("S or N.", ...),
    role: str = typer.Option(..., "--role", help="co-chief, deputy-chief, official …"),
    name: str | None = typer.Option(None, "--name", help="Leave out for an unnamed post."),
    service_from: str | None = typer.Option(None, "--from", help="First day of service."),
    clerk: str | None = clerk_option(),
) -> None:
    """Add a staff post (with its holder's name when known); prints its #ID.

    Example: tracker staff add --side S --role official --name "Lee Min-ho" --from 2018-12-03
    """
    from tracker.services.staff import add_staff

    with ctx.obj.writable_database().write() as session:
        staff = add_staff(session, side=side, role=role, name=name, service_from=service_from,
                          clerk=resolve_clerk(clerk))
        staff_id = staff.id
    typer.echo(f"#{staff_id}")


@app.command("list")
def list_(
    ctx: typer.Context,
    side: str | None = side_option("Only this side."),
    all_: bool = typer.Option(False, "--all", help="Include staff who have left."),
    limit: int | None = limit_option(),
    no_pager: bool = no_pager_option(),
    fmt: TextFormat = format_option(),
) -> None:
    """List staff in service (with --all, also those who left).

    Example: tracker staff list --side N
    """
    from tracker.cli.listing import print_rows
    from tracker.services.staff import STAFF_COLUMNS, list_staff

    with ctx.obj.database().read() as session:
        rows = list_staff(session, side=side, include_left=all_, limit=limit)
        print_rows(rows, STAFF_COLUMNS, fmt.value, page=not no_pager,
                   shrinkable=("name", "role"), numeric=("id",))


@app.command()
def leave(
    ctx: typer.Context,
    who: str = typer.Argument(..., metavar="STAFF", help="Name, part of a name, or #ID."),
    on: str = typer.Option(..., "--on", help="Last day of service."),
    reason: str | None = typer.Option(None, "--reason", help="Why the service ended."),
    clerk: str | None = clerk_option(),
) -> None:
    """End a staff member's service; the record and its history stay.

    Example: tracker staff leave "Kim Chang-soo" --on 2019-03-01 --reason "reassigned"
    """
    from tracker.services.records.resolve import staff_label
    from tracker.services.staff import leave as end_service

    with ctx.obj.database().write() as session:
        staff = end_service(session, who, on=on, reason=reason, clerk=resolve_clerk(clerk))
        label = staff_label(session, staff)
    say(f"{label}: service ended")
