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


def _fail(message: str, code: int) -> typer.Exit:
    """Print one ``Error: …`` line (line breaks in quoted input shown as ``\\n``)."""
    one_line = message.strip().replace("\r", "\\r").replace("\n", "\\n")
    typer.echo(f"Error: {one_line}", err=True)
    return typer.Exit(code)


def _is_usage_error(exc: Exception) -> bool:
    """Typer's own parse errors (missing option, bad choice …), known without importing Click.

    The "no arguments, so show help" case is one too, but must keep printing the help.
    """
    return (getattr(exc, "exit_code", None) == ExitCode.USAGE
            and callable(getattr(exc, "format_message", None))
            and type(exc).__name__ != "NoArgsIsHelpError")


class TrackerGroup(TyperGroup):
    """Turns typed errors into one ``Error: …`` line on stderr and their exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except Exception as exc:  # a bad root option: same one-line treatment
            if _is_usage_error(exc):
                raise _fail(exc.format_message(), int(ExitCode.USAGE)) from None  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            if _wants_traceback(ctx):
                raise
            raise _fail(exc.message, int(exc.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted; an uncommitted change was rolled back.", err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if _is_usage_error(exc):
                raise _fail(exc.format_message(), int(ExitCode.USAGE)) from None  # type: ignore[attr-defined]
            if _wants_traceback(ctx) or getattr(exc, "exit_code", None) is not None:
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise _fail(
                f"unexpected {type(exc).__name__}: {message} "
                "(rerun with --traceback for details)",
                int(ExitCode.REJECTED),
            ) from None


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


# Top-level command name -> (module, attribute, kind). Only the module of the command being
# run is imported and built (as pip does with its command table): building every command's
# parameters on each start-up would cost a clerk's `contact log` time for nothing.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "contact": ("contact_cmd", "app", "group"),
    "message": ("message_cmd", "app", "group"),
    "staff": ("staff_cmd", "app", "group"),
    "show": ("record_cmd", "show", "command"),
    "history": ("record_cmd", "history", "command"),
    "correct": ("record_cmd", "correct", "command"),
    "void": ("record_cmd", "void", "command"),
    "report": ("report_cmd", "app", "group"),
    "reconcile": ("figure_cmd", "reconcile", "command"),
    "figure": ("figure_cmd", "app", "group"),
    "db": ("db_cmd", "app", "group"),
    "seed": ("seed_cmd", "seed", "command"),
    "demo": ("demo_cmd", "demo", "command"),
}
_registered: set[str] = set()


def register(names: list[str] | None = None) -> typer.Typer:
    """Attach the named top-level commands (all of them by default) to ``app``."""
    import importlib

    for name in names or list(COMMANDS):
        if name in _registered:
            continue
        module_name, attribute, kind = COMMANDS[name]
        target = getattr(importlib.import_module(f"tracker.cli.{module_name}"), attribute)
        if kind == "group":
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
        _registered.add(name)
    return app


def _command_named(argv: list[str]) -> str | None:
    """The top-level command in ``argv`` (skipping root options), if it is one of ours."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--db":
            i += 2
            continue
        if token.startswith("-"):
            i += 1
            continue
        return token if token in COMMANDS else None
    return None


def main() -> None:
    """Console entry point: run one command, then leave at once.

    A tracker process lives for one command, so cyclic garbage collection is switched off and
    the interpreter's teardown of the ~1,500 modules SQLAlchemy, Typer and the models load is
    skipped with ``os._exit`` after flushing the output. Measured here: the teardown alone took
    0.1 s, a third of a clerk's ``contact log``. Database connections are already closed by
    then (the command's context closes its engine), so nothing is lost.
    """
    import gc
    import os
    import sys

    gc.disable()
    completing = any(k.startswith("_TRACKER_COMPLETE") for k in os.environ)
    name = None if completing else _command_named(sys.argv[1:])
    register([name] if name else None)
    try:
        app(prog_name="tracker")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed or broken pipe: nothing more can be said
            code = code or 1
    os._exit(code if isinstance(code, int) else 0)


def full_app() -> typer.Typer:
    """The app with every command attached: for tests, docs and completion."""
    return register()
