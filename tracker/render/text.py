"""Rendering rows as an aligned table, CSV or JSON, without pandas (lists must start fast).

CSV is defused against formula injection as OWASP advises: a text cell that begins with
``=``, ``+``, ``-``, ``@``, tab, carriage return or line feed gets a leading apostrophe, so a
spreadsheet shows it as text instead of running it. A text cell that itself begins with an
apostrophe gets one too, so the rule can be undone without ambiguity: a cell read back that
begins with an apostrophe loses exactly that one (``restore``). Only what is written out is
escaped, never the stored data. Numbers stay numbers (a negative difference is not a
formula).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
ESCAPE = "'"
ESCAPED = (*FORMULA_TRIGGERS, ESCAPE)  # a text cell beginning with one of these is escaped


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run, or that begins with the escape itself, behind an
    apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(ESCAPED):
        return ESCAPE + value
    return value


def restore(cell: str) -> str:
    """A written cell back to the text it holds: ``neutralise`` undone."""
    return cell[1:] if cell.startswith(ESCAPE) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # participants: a list in JSON, "a; b" in a table or CSV
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def render(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str, *,
           document: Any = None) -> str:
    """``rows`` in ``fmt``: table, csv or json (``document`` replaces the JSON if given)."""
    if fmt == "json":
        payload = document if document is not None else [
            {c: row.get(c) for c in columns} for row in rows
        ]
        return json.dumps(payload, indent=2, ensure_ascii=False, default=_cell) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([neutralise(c) for c in columns])
        for row in rows:
            writer.writerow([neutralise(_cell(row.get(c)))
                             if isinstance(row.get(c), str | list)
                             else _cell(row.get(c)) for c in columns])
        return buffer.getvalue()
    if fmt == "table":
        return _table(rows, columns)
    raise ValueError(f"not a text format: {fmt}")


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """All of every cell (no terminal to fit: `show` and reports print whole values), aligned
    by display width, control characters shown as escapes."""
    from tracker.render.terminal import TableWriter

    numeric = [bool(rows) and all(isinstance(row.get(c), int | float)
                                  and not isinstance(row.get(c), bool) for row in rows)
               for c in columns]
    out = io.StringIO()
    TableWriter(columns, max_width=None, numeric=numeric, sample=max(1, len(rows))).write(
        ([_cell(row.get(c)) for c in columns] for row in rows), out)
    return out.getvalue()
