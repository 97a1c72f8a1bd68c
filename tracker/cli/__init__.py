"""The ``tracker`` command line: parsing, printing and exit codes only.

Only the standard library and typer are imported at module level; each command imports the
services it needs when it runs, so ``tracker contact log`` never loads pandas or Alembic.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from tracker.cli.state import State
from tracker.errors import ExitCode, TrackerError


class TrackerGroup(TyperGroup):
    """Turns typed errors into one ``Error: …`` line on stderr and their exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            if _wants_traceback(ctx):
                raise
            typer.echo(f"Error: {exc.message}", err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted; nothing was written.", err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if _wants_traceback(ctx) or getattr(exc, "exit_code", None) is not None:
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            typer.echo(
                f"Error: unexpected {type(exc).__name__}: {message} "
                "(nothing was written; rerun with --traceback for details)",
                err=True,
            )
            raise typer.Exit(int(ExitCode.REJECTED)) from None


def _wants_traceback(ctx: Any) -> bool:
    return isinstance(ctx.obj, State) and ctx.obj.traceback


app = typer.Typer(
    cls=TrackerGroup,
    name="tracker",
    help="The official contact log of the liaison office.\n\n"
    "Example: tracker report summary --format csv",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from tracker import __version__

        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", metavar="PATH|URL",
        help="SQLite file or any SQLAlchemy URL. Default: $TRACKER_DATABASE_URL, else a file "
        "in your user data directory.",
    ),
    traceback: bool = typer.Option(False, "--traceback", help="Show the full error traceback."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """The official contact log of the liaison office."""
    ctx.obj = State(db_option=db, traceback=traceback)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    from tracker.cli import (
        contact_cmd,
        db_cmd,
        demo_cmd,
        message_cmd,
        record_cmd,
        report_cmd,
        seed_cmd,
        staff_cmd,
    )

    app.add_typer(contact_cmd.app, name="contact")
    app.add_typer(message_cmd.app, name="message")
    app.add_typer(staff_cmd.app, name="staff")
    for command in (record_cmd.show, record_cmd.history, record_cmd.correct, record_cmd.void):
        app.command()(command)
    app.add_typer(report_cmd.app, name="report")
    app.add_typer(db_cmd.app, name="db")
    app.command("seed")(seed_cmd.seed)
    app.command("demo")(demo_cmd.demo)


_register()


def main() -> None:
    app()
