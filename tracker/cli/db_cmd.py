"""``tracker db``: create and migrate the database."""

from __future__ import annotations

from pathlib import Path

import typer

from tracker.cli.group import sub_app

app = sub_app("Create and migrate the database.")


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Create the schema or migrate it to this version of tracker.

    Example: tracker --db postgresql+psycopg://clerk@host/office db upgrade
    """
    from tracker.db.faults import safe_url
    from tracker.db.migrate import upgrade as run_upgrade
    url = ctx.obj.url()
    before, after = run_upgrade(url)
    if before == after:
        typer.echo(f"{safe_url(url)}: already at revision {after}")
    else:
        typer.echo(f"{safe_url(url)}: schema at revision {after} (was {before or 'empty'})")


@app.command()
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the one this tracker needs.

    Example: tracker db current
    """
    from tracker.db.schema import SCHEMA_REVISION, Access, schema_revision

    revision = schema_revision(ctx.obj.database(Access.ANY)) or "none"
    typer.echo(f"database: {revision}; tracker needs: {SCHEMA_REVISION}")


@app.command()
def roles(ctx: typer.Context) -> None:
    """Create the PostgreSQL roles tracker_clerk and tracker_analyst and grant them.

    Run as the owner of the tables, after `tracker db upgrade`; safe to run again. Then give
    each person a login in one of the roles, e.g. CREATE USER kim IN ROLE tracker_clerk.

    Example: tracker --db postgresql+psycopg://admin@dbhost/office db roles
    """
    from tracker.db.roles import create_roles

    db = ctx.obj.database()
    with db.write() as session:
        done = create_roles(session.connection())
    for line in done:
        typer.echo(line)


@app.command()
def backup(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="Where to write the copy."),
) -> None:
    """Copy a SQLite log while clerks may be writing, then check the copy's hash chains.

    The copy is a consistent state (SQLite's online backup API), private (0600), and
    replaces FILE only once SQLite's integrity check and `tracker verify` pass on it.
    For PostgreSQL use pg_dump (see the README).

    Example: tracker db backup /srv/backup/tracker-2018-12-20.sqlite
    """
    from tracker.services.backup import backup_sqlite

    db = ctx.obj.database()  # an existing tracker database
    done = backup_sqlite(db.url, file)
    typer.echo(f"backup {done.path}: {done.size} bytes; verified "
               + ", ".join(f"{code} {done.versions[code]} versions head {head}"
                           for code, head in done.heads.items()))
