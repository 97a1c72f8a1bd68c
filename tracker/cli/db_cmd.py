"""``tracker db``: create and migrate the database."""

from __future__ import annotations

import typer

from tracker.cli.group import sub_app

app = sub_app("Create and migrate the database.")


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Create the schema or migrate it to this version of tracker.

    Example: tracker --db postgresql+psycopg://clerk@host/office db upgrade
    """
    from tracker.db.engine import safe_url
    from tracker.db.migrate import upgrade as run_upgrade
    from tracker.db.schema import SCHEMA_REVISION

    url = ctx.obj.url()
    run_upgrade(url)
    typer.echo(f"{safe_url(url)}: schema at revision {SCHEMA_REVISION}")


@app.command()
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the one this tracker needs.

    Example: tracker db current
    """
    from tracker.db.schema import SCHEMA_REVISION, Access, schema_revision

    revision = schema_revision(ctx.obj.database(Access.ANY)) or "none"
    typer.echo(f"database: {revision}; tracker needs: {SCHEMA_REVISION}")
