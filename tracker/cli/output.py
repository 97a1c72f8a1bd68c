"""Sending report output to stdout or to a file, replacing the file only when complete."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

import typer

from tracker.errors import BadValue


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


SUFFIX_FORMATS = {".csv": Format.csv, ".json": Format.json, ".xlsx": Format.xlsx,
                  ".txt": Format.table}


def choose_format(fmt: Format | None, out: Path | None) -> Format:
    """An explicit ``--format`` wins; else the ``--out`` suffix; else a table."""
    if fmt is not None:
        chosen = fmt
    elif out is not None and out.suffix.lower() in SUFFIX_FORMATS:
        chosen = SUFFIX_FORMATS[out.suffix.lower()]
    else:
        chosen = Format.table
    if chosen is Format.xlsx and out is None:
        raise BadValue("xlsx needs --out FILE (a spreadsheet is not text)", field="format")
    return chosen


def atomic_write(path: Path, writer: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same directory, then rename over ``path``."""
    path = path.expanduser()
    if not path.parent.exists():
        raise BadValue(f"directory {path.parent} does not exist", field="out")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit_text(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
    else:
        atomic_write(out, lambda p: p.write_text(text, encoding="utf-8"))
