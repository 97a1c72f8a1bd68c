"""Sending report output to stdout or to a file, replacing the file only when complete."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from tracker.errors import BadValue, OutputNotWritten


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


SUFFIX_FORMATS = {".csv": Format.csv, ".json": Format.json, ".txt": Format.table,
                  ".xlsx": Format.xlsx}
CHART_SUFFIXES = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def suffix_format(out: Path, formats: dict[str, Any]) -> Any:
    """What ``out``'s suffix says to write; any other suffix is refused, so that no file's
    contents ever differ from what its name promises (``m.ods`` holding a text table)."""
    if out.expanduser().is_dir():
        raise BadValue(f"{out} is a directory; give a file name", field="out")
    suffix = out.suffix.lower()
    if suffix not in formats:
        named = f"'{suffix}' files" if suffix else "a file without a suffix"
        raise BadValue(f"cannot write {named}; give a name ending in "
                       f"{', '.join(formats)}", field="out")
    return formats[suffix]


def choose_format(fmt: Format | None, out: Path | None) -> Format:
    """The ``--out`` suffix decides (``--format``, if also given, must agree); without
    ``--out``, ``--format`` or else a table."""
    if out is not None:
        chosen: Format = suffix_format(out, SUFFIX_FORMATS)
        if fmt is not None and fmt is not chosen:
            raise BadValue(f"--format {fmt.value} would write {fmt.value} into a "
                           f"'{out.suffix}' file; give the matching suffix", field="out")
    elif fmt is not None:
        chosen = fmt
    else:
        chosen = Format.table
    if chosen is Format.xlsx and out is None:
        raise BadValue("xlsx needs --out FILE (a spreadsheet is not text)", field="format")
    return chosen


def atomic_write(path: Path, writer: Callable[[Path], object], *, field: str = "out") -> None:
    """Write through a temporary file in the same directory, then rename over ``path``.

    The old file stays intact until the new one is complete (a full disk leaves it as it
    was). The new file gets the old one's mode, or the user's umask for a new file: the
    temporary file's private 0600 must not make a shared report private.
    """
    path = path.expanduser()
    if path.is_dir():
        raise BadValue(f"{path} is a directory; give a file name", field=field)
    if not path.parent.is_dir():
        raise BadValue(f"directory {path.parent} does not exist", field=field)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OutputNotWritten(f"cannot write in {path.parent}: {exc.strerror}",
                               field=field) from None
    os.close(fd)
    try:
        writer(Path(tmp))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputNotWritten(f"cannot write {path}: {exc.strerror or exc}; the old file, if "
                               "any, is unchanged", field=field) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def emit_text(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
    else:
        atomic_write(out, lambda p: p.write_text(text, encoding="utf-8"))
