"""The command group every ``tracker`` group uses: typed errors become one stderr line.

A service names the field an error concerns by its domain name (``on``, ``with``,
``initiated_by``); here, and only here, it is spelled as the failing command spells it
(``--on``, ``--with``, or an argument's metavar such as ``STAFF``).
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from tracker.errors import ExitCode, TrackerError, option_name


def fail(message: str, code: int) -> typer.Exit:
    """Print one ``Error: …`` line: line breaks in quoted input shown as ``\\n``, any other
    control character (an escape sequence, a direction override) as an escape, never raw."""
    from tracker.render.terminal import escape_controls

    one_line = escape_controls(message.strip().replace("\r", "\\r").replace("\n", "\\n"))
    typer.echo(f"Error: {one_line}", err=True)
    return typer.Exit(code)


def say(message: str) -> None:
    """Print one line that holds stored text (a name, a label): control characters as
    escapes, as in tables and error messages, so stored text never drives the terminal."""
    from tracker.render.terminal import escape_controls

    typer.echo(escape_controls(message))


def _usage_message(exc: Exception) -> str | None:
    """The message of Typer's own parse errors (missing option, bad choice …), else None.

    Known by their shape, without importing Click. The "no arguments, so show help" case is
    one too, but must keep printing the help.
    """
    format_message = getattr(exc, "format_message", None)
    if (getattr(exc, "exit_code", None) == ExitCode.USAGE and callable(format_message)
            and type(exc).__name__ != "NoArgsIsHelpError"):
        return str(format_message())
    return None


def field_namer(command: Any) -> Any:
    """A function spelling a field as ``command``'s option or argument for it."""
    params = list(getattr(command, "params", None) or [])

    def name(field: str) -> str:
        flag = option_name(field)
        for param in params:
            if flag in getattr(param, "opts", ()):
                return flag
        for param in params:
            if param.name in (field, f"{field}_"):
                if getattr(param, "param_type_name", "") == "argument":
                    return str(param.metavar or param.name.upper())
                longs = [o for o in param.opts if o.startswith("--")]
                return longs[0] if longs else flag
        return flag

    return name


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for git in the same case


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test runner's buffer): nothing to do
        pass


def _repeated_option(command: Any, args: list[str]) -> str | None:
    """The first single-value option that ``args`` give twice (up to a ``--``)."""
    single: dict[str, str] = {}  # spelling -> the option's long name
    takes_value: set[str] = set()
    for param in getattr(command, "params", []):
        if getattr(param, "param_type_name", "") != "option" or getattr(param, "is_flag", False):
            continue
        takes_value.update(param.opts)
        if not param.multiple and not param.count:
            longs = [o for o in param.opts if o.startswith("--")]
            single.update(dict.fromkeys(param.opts, longs[0] if longs else param.opts[0]))
    seen: set[str] = set()
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            break
        opt, has_value = (arg.split("=", 1)[0], True) if arg.startswith("--") and "=" in arg \
            else (arg, False)
        if opt in single:
            if single[opt] in seen:
                return single[opt]
            seen.add(single[opt])
        i += 2 if opt in takes_value and not has_value else 1  # skip the option's value
    return None


def _wants_traceback(ctx: Any) -> bool:
    return bool(getattr(ctx.obj, "traceback", False))


class TrackerGroup(TyperGroup):
    """Turns typed errors into one ``Error: …`` line on stderr and their exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except Exception as exc:  # a bad root option: same one-line treatment
            message = _usage_message(exc)
            if message is not None:
                raise fail(message, int(ExitCode.USAGE)) from None
            raise

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Refuse an option that takes one value given twice (Click keeps the last)."""
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not hasattr(command, "commands"):
            repeated = _repeated_option(command, rest)
            if repeated is not None:
                raise fail(f"{repeated}: given more than once; give it once", int(ExitCode.USAGE))
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            if _wants_traceback(ctx):
                raise
            leaf = self.get_command(ctx, ctx.invoked_subcommand or "")
            raise fail(exc.describe(field_namer(leaf)), int(exc.exit_code)) from None
        except BrokenPipeError:
            # The reader went away (`tracker show … | head -1`): stop quietly, as git does.
            _silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted; an uncommitted change was rolled back.", err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            usage = _usage_message(exc)
            if usage is not None:
                raise fail(usage, int(ExitCode.USAGE)) from None
            if _wants_traceback(ctx) or getattr(exc, "exit_code", None) is not None:
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise fail(
                f"unexpected {type(exc).__name__}: {message} "
                "(rerun with --traceback for details)",
                int(ExitCode.REJECTED),
            ) from None


def sub_app(help_text: str) -> typer.Typer:
    """A command group (``tracker contact`` …) with the same error handling as the root."""
    return typer.Typer(cls=TrackerGroup, help=help_text, no_args_is_help=True)
