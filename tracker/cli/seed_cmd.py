"""``tracker seed``: load the sourced seed data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from tracker.services.seed import SeedResult


def seed(ctx: typer.Context) -> None:
    """Load the seed: sides, office, sources, reported figures, staff and reported totals.

    One transaction; running it again adds nothing and says so.

    Example: tracker seed
    """
    from tracker.services.seed import load_seed

    with ctx.obj.writable_database().write() as session:
        result = load_seed(session)
    typer.echo(describe(result))


def describe(result: SeedResult) -> str:
    if result.total == 0:
        return "seed: nothing to add; the seed is already loaded"
    parts = ", ".join(f"{what} {n}" for what, n in result.added.items() if n)
    return f"seed: added {parts}"
