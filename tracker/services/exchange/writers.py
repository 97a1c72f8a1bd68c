"""Writing one export file as rows arrive: CSV, JSON lines or xlsx.

CSV and xlsx cells that hold text are escaped by ``render.text.neutralise`` (reversible: see
``render.text.restore``); a list is a JSON array, which begins with ``[`` and needs none.
JSON lines carry typed values and need no escaping.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from tracker.render.text import ESCAPE, ESCAPED, neutralise

# Columns an xlsx file stores as dates (the others stay text, exactly as written).
DAY_COLUMNS = frozenset({"date_from", "date_to", "published_on", "as_of", "service_from",
                         "service_to"})


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return neutralise(value)
    return value


class Writer(Protocol):
    suffix: str

    def write(self, path: Path, name: str, columns: Sequence[str],
              rows: Iterable[tuple[Any, ...]]) -> int: ...


class CsvWriter:
    suffix = "csv"

    def write(self, path: Path, name: str, columns: Sequence[str],
              rows: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        escaped, escape, dumps = ESCAPED, ESCAPE, json.JSONEncoder(ensure_ascii=False).encode
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(columns)
            for row in rows:
                # csv_cell, inline: a call per cell costs as much as the rest of the row
                out.writerow([
                    (escape + v if v.startswith(escaped) else v) if v.__class__ is str
                    else "" if v is None else dumps(v) if v.__class__ is list else v
                    for v in row])
                count += 1
        return count


class JsonLinesWriter:
    suffix = "jsonl"

    def write(self, path: Path, name: str, columns: Sequence[str],
              rows: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for row in rows:
                fh.write(dumps(dict(zip(columns, row, strict=True))))
                fh.write("\n")
                count += 1
        return count


class XlsxWriter:
    """One sheet named after the file, bold frozen header; streamed (openpyxl write-only)."""

    suffix = "xlsx"

    def write(self, path: Path, name: str, columns: Sequence[str],
              rows: Iterable[tuple[Any, ...]]) -> int:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        book = Workbook(write_only=True)
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        days = [c in DAY_COLUMNS for c in columns]
        count = 0
        for row in rows:
            sheet.append([dt.date.fromisoformat(v) if day and v else csv_cell(v) if v is not None
                          else None for v, day in zip(row, days, strict=True)])
            count += 1
        book.save(path)
        return count


WRITERS: dict[str, Writer] = {"csv": CsvWriter(), "jsonl": JsonLinesWriter(),
                              "xlsx": XlsxWriter()}
