"""The ``tracker`` command line: parsing, printing and exit codes only.

Only the standard library and typer are imported at module level; each command imports the
services it needs when it runs, so ``tracker contact log`` never loads pandas or Alembic.
"""

from __future__ import annotations

import typer

from tracker.cli.group import TrackerGroup
from tracker.cli.state import State

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
    "person": ("person_cmd", "app", "group"),
    "search": ("search_cmd", "search", "command"),
    "export": ("exchange_cmd", "export", "command"),
    "import": ("exchange_cmd", "import_", "command"),
    "show": ("record_cmd", "show", "command"),
    "history": ("record_cmd", "history", "command"),
    "correct": ("record_cmd", "correct", "command"),
    "void": ("record_cmd", "void", "command"),
    "restore": ("record_cmd", "restore", "command"),
    "report": ("report_cmd", "app", "group"),
    "reconcile": ("figure_cmd", "reconcile", "command"),
    "figure": ("figure_cmd", "app", "group"),
    "verify": ("verify_cmd", "verify", "command"),
    "routine": ("routine_cmd", "app", "group"),
    "check": ("routine_cmd", "check", "command"),
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
