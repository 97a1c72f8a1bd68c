"""``tracker person``: the people contacts involve, staff or not, with all their names."""

from __future__ import annotations

import typer

from tracker.cli.group import say, sub_app
from tracker.cli.options import (
    TextFormat,
    clerk_option,
    complete,
    format_option,
    resolve_clerk,
    side_option,
)

app = sub_app("People: add, find by any name, aliases, corrections, merges.")
WHO = typer.Argument(..., metavar="PERSON", help="Any of their names, or #ID.",
                     autocompletion=complete("people"))


@app.command()
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The name as the office writes it."),
    side: str | None = side_option("S or N."),
    affiliation: str | None = typer.Option(None, "--affiliation",
                                           help="Title or affiliation, e.g. 'Unification "
                                           "Minister'."),
    alias: list[str] | None = typer.Option(None, "--alias", help="Another spelling (other "
                                           "romanisation, Hangul). Repeatable."),
    new: bool = typer.Option(False, "--new", help="Add even though the name or an alias is "
                             "already someone's (a different person of the same name)."),
    clerk: str | None = clerk_option(),
) -> None:
    """Add a person (a counterpart, a delegate, a future staff member); prints their #ID.

    Example: tracker person add "Jon Jong-su" --side N --alias 전종수
    """
    from tracker.services.people import add_person

    with ctx.obj.writable_database().write() as session:
        person = add_person(session, name=name, side=side, affiliation=affiliation,
                            aliases=alias or [], new=new, clerk=resolve_clerk(clerk))
        label = person.label
    say(label)


@app.command("alias")
def alias_(
    ctx: typer.Context,
    who: str = WHO,
    alias: str = typer.Argument(..., metavar="ALIAS", help="Another name for them."),
    clerk: str | None = clerk_option(),
) -> None:
    """Add another name by which a person is found (kept; never replaces a name).

    Example: tracker person alias "Jon Jong-su" 전종수
    """
    from tracker.services.people import add_alias

    with ctx.obj.database().write() as session:
        person = add_alias(session, who, alias, clerk=resolve_clerk(clerk))
        label = person.label
    say(f"{label}: also '{alias.strip()}'")


@app.command()
def correct(
    ctx: typer.Context,
    who: str = WHO,
    reason: str = typer.Option(..., "--reason", "-r", help="Why: kept with the new version."),
    name: str | None = typer.Option(None, "--name", help="The name as it should be shown."),
    side: str | None = side_option("S, N, or '' for unknown."),
    affiliation: str | None = typer.Option(None, "--affiliation", help="New title or "
                                           "affiliation ('' for none)."),
    clerk: str | None = clerk_option(),
) -> None:
    """Correct a person: a new version replaces the current one, which is kept.

    Example: tracker person correct "Ri Son-gwon" --affiliation "chairman, CPRK" --reason
    "full title in the ministry's list"
    """
    from tracker.services.people import correct_person

    with ctx.obj.database().write() as session:
        person, version = correct_person(session, who, name=name, side=side,
                                         affiliation=affiliation, reason=reason,
                                         clerk=resolve_clerk(clerk))
        label = person.label
    say(f"{label}: version {version}")


@app.command()
def merge(
    ctx: typer.Context,
    duplicate: str = typer.Argument(..., metavar="DUPLICATE", help="The person to fold in."),
    survivor: str = typer.Argument(..., metavar="SURVIVOR", help="The person who remains."),
    reason: str = typer.Option(..., "--reason", "-r", help="Why they are one person."),
    clerk: str | None = clerk_option(),
) -> None:
    """Fold a duplicate into another person; past contacts then name the survivor.

    Example: tracker person merge "#52" "Chun Hae-sung" --reason "added twice"
    """
    from tracker.services.people import merge as merge_people

    with ctx.obj.database().write() as session:
        kept = merge_people(session, duplicate, survivor, reason=reason,
                            clerk=resolve_clerk(clerk))
        label = kept.label
    say(f"merged into {label}")


@app.command("list")
def list_(
    ctx: typer.Context,
    side: str | None = side_option("Only this side."),
    staff: bool = typer.Option(False, "--staff", help="Only people holding an office post."),
    fmt: TextFormat = format_option(),
) -> None:
    """List people with their aliases and office posts.

    Example: tracker person list --side N
    """
    from tracker.render.text import render
    from tracker.services.people import PEOPLE_COLUMNS, list_people

    with ctx.obj.database().read() as session:
        rows = list_people(session, side=side, staff_only=staff)
    typer.echo(render(rows, PEOPLE_COLUMNS, fmt.value), nl=False)


@app.command()
def show(ctx: typer.Context, who: str = WHO, fmt: TextFormat = format_option()) -> None:
    """One person: names, posts, the contacts they took part in, and their versions.

    Example: tracker person show 전종수
    """
    from tracker.render.text import render
    from tracker.services.people import show_person

    with ctx.obj.database().read() as session:
        person = show_person(session, who)
    if fmt is TextFormat.json:
        typer.echo(render([], [], "json", document=person), nl=False)
        return
    fields = [{"field": k, "value": person[k]}
              for k in ("id", "name", "side", "affiliation")]
    fields.append({"field": "aliases", "value": "; ".join(person["aliases"])})
    if person["merged"]:
        fields.append({"field": "merged", "value": ", ".join(f"#{i}" for i in person["merged"])})
    typer.echo(render(fields, ["field", "value"], fmt.value), nl=False)
    if fmt is TextFormat.table:
        for title, key, columns in (
                ("posts", "posts", ["post", "side", "role", "service_from", "service_to"]),
                ("contacts", "contacts", ["reg_no", "date", "kind", "subject"]),
                ("versions", "versions", ["version", "name", "side", "affiliation",
                                          "merged_into", "reason", "recorded_at",
                                          "recorded_by"])):
            typer.echo(f"\n{title}:")
            typer.echo(render(person[key], columns, "table"), nl=False)
