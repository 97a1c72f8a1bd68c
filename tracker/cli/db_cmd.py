"""``tracker db``: create and migrate the database."""

from __future__ import annotations

import typer

app = typer.Typer(help="Create and migrate the database.", no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Create the schema or migrate it to this version of tracker.

    Example: tracker --db postgresql+psycopg://clerk@host/office db upgrade
    """
    from tracker.db import safe_url
    from tracker.migrate import upgrade as run_upgrade
    from tracker.schema_version import SCHEMA_REVISION

    url = ctx.obj.url()
    run_upgrade(url)
    typer.echo(f"{safe_url(url)}: schema at revision {SCHEMA_REVISION}")


@app.command()
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the one this tracker needs.

    Example: tracker db current
    """
    from tracker.schema_version import SCHEMA_REVISION

    db = ctx.obj.database(check_schema=False)
    revision = db.schema_revision() or "none"
    typer.echo(f"database: {revision}; tracker needs: {SCHEMA_REVISION}")
