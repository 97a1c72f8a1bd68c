"""``tracker routine`` (what the office's rules say happens regularly) and ``tracker check``
(the periods where a routine is missing)."""

from __future__ import annotations

import typer

from tracker.cli.group import say, sub_app
from tracker.cli.options import (
    TextFormat,
    at_option,
    clerk_option,
    complete,
    format_option,
    resolve_clerk,
)

app = sub_app("Routines: contacts the office's rules say happen every day, week or month.")


@app.command()
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="e.g. \"co-heads' weekly meeting\"."),
    kind: str = typer.Option(..., "--kind", "-k", help="The contact kind it is logged as.",
                             autocompletion=complete("contact_kinds")),
    every: str = typer.Option(..., "--every", help="day, week or month."),
    start: str = typer.Option(..., "--from", help="The first day it applies (weeks are "
                              "counted from this day)."),
    at: str | None = at_option(),
    source: list[str] | None = typer.Option(None, "--source", help="The key of a source that "
                                            "states it (see `tracker figure list`). "
                                            "Repeatable."),
    basis: str | None = typer.Option(None, "--basis", help="What the sources say, briefly."),
    clerk: str | None = clerk_option(),
) -> None:
    """Add a routine; `tracker check` then lists the periods where it is missing.

    Example: tracker routine add "morning call" --kind other --every day --at 09:00
    --from 2018-09-17
    """
    from tracker.services.routines import add_routine

    with ctx.obj.writable_database().write() as session:
        routine = add_routine(session, name=name, kind=kind, every=every, starts_on=start,
                              at=at, sources=source, basis=basis, clerk=resolve_clerk(clerk))
        say(f"routine #{routine.id}: {routine.name} ({routine.kind_code}, every "
            f"{routine.every} from {routine.starts_on})")


@app.command("list")
def list_(ctx: typer.Context, fmt: TextFormat = format_option()) -> None:
    """List the routines with their sources.

    Example: tracker routine list --format json
    """
    from tracker.render.text import render
    from tracker.services.routines import list_routines

    with ctx.obj.database().read() as session:
        rows = list_routines(session)
    typer.echo(render(rows, ["name", "kind", "every", "at", "from", "sources", "basis"],
                      fmt.value), nl=False)


def check(
    ctx: typer.Context,
    start: str | None = typer.Option(None, "--from", help="First day to check (default: "
                                     "each routine's first day)."),
    end: str | None = typer.Option(None, "--to", help="Last day to check (default: today)."),
    all_: bool = typer.Option(False, "--all", help="Also list the periods where it was held."),
    fmt: TextFormat = format_option(),
) -> None:
    """List the periods where a routine is missing or cannot be told; exit 1 if one is missing.

    Example: tracker check --from 2018-09-14 --to 2018-12-20
    """
    from tracker.cli.group import fail
    from tracker.errors import ExitCode
    from tracker.render.text import render
    from tracker.services.routines import HELD, MISSING
    from tracker.services.routines import check as check_routines

    with ctx.obj.database().read() as session:
        results = check_routines(session, start=start, end=end)
    if not results:
        raise fail("no routine is defined; add one with `tracker routine add`",
                   int(ExitCode.REJECTED))
    rows = [{"routine": r.routine, "every": r.every, "from": s.isoformat(),
             "to": e.isoformat(), "status": status}
            for r in results for s, e, status in r.periods if all_ or status != HELD]
    typer.echo(render(rows, ["routine", "every", "from", "to", "status"], fmt.value), nl=False)
    for r in results:
        typer.echo(f"{r.routine}: {len(r.periods)} {r.every}s checked: "
                   f"{r.count(HELD)} held, {r.count('cannot tell')} cannot tell, "
                   f"{r.count(MISSING)} missing", err=True)
    if any(r.count(MISSING) for r in results):
        raise typer.Exit(int(ExitCode.REJECTED))
