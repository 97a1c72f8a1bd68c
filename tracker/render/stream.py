"""Writing rows as they come: a list of a million rows starts printing at once and never
holds more than a page of them.

- table: for people; sized from the first rows, fitted to the terminal, control characters
  shown as escapes (``render.terminal``).
- csv: one row per line, formula-like text neutralised (``render.text.neutralise``), lists
  (participants, tags) as JSON arrays in their cell, so a name holding ``;`` stays one name.
- json: one array of objects, written object by object; lists stay lists.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, TextIO

from tracker.render.text import _cell, neutralise


def write_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str,
               out: TextIO, *, max_width: int | None = None,
               shrinkable: Collection[str] = (), numeric: Collection[str] = (),
               optional: Sequence[str] = ()) -> int:
    """Write ``rows`` (only ``columns`` of each) in ``fmt``; returns how many. In a table,
    ``shrinkable`` columns may be cut to fit ``max_width``, ``optional`` ones left out (in
    that order) if it still does not; ``numeric`` ones align right."""
    if fmt == "json":
        return _json(rows, columns, out)
    if fmt == "csv":
        return _csv(rows, columns, out)
    if fmt == "table":
        from tracker.render.terminal import TableWriter

        writer = TableWriter(columns, max_width=max_width,
                             shrinkable=[c for c in columns if c in shrinkable],
                             optional=[c for c in optional if c in columns],
                             numeric=[c in numeric for c in columns])
        return writer.write(([_cell(row.get(c)) for c in columns] for row in rows), out)
    raise ValueError(f"not a text format: {fmt}")


def _csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(c) for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
        count += 1
    return count


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return neutralise(value)
    return _cell(value)


def _json(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> int:
    """The same text ``json.dumps(list, indent=2)`` would give, written one object at a time.

    Built by hand from compact dumps of each value: ``json.dumps`` with ``indent`` makes a
    few closures that refer to each other on every call, and the CLI runs with the cycle
    collector off (``tracker.cli.main``), so a million rows kept 2.6 GB of them alive.
    """
    keys = [_dump(c) + ": " for c in columns]
    count = 0
    for row in rows:
        fields = ",\n".join(f"    {key}{_value(row.get(c))}"
                            for key, c in zip(keys, columns, strict=True))
        out.write(("[\n" if count == 0 else ",\n") + "  {\n" + fields + "\n  }")
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_cell)


def _value(value: Any) -> str:
    """A value as it sits in an object at depth 2 of ``json.dumps(…, indent=2)``."""
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(f"      {_dump(v)}" for v in value) + "\n    ]"
    return _dump(value)
