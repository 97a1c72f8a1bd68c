"""Report tables (pandas frames) as xlsx fit to hand on, with the same formula defusing as CSV.

The table's sheet has a bold, frozen header row with an autofilter, columns as wide as their
content (wide East Asian characters count two), ISO dates stored as dates, counts as numbers,
and estimated rows shaded and in italics. A second sheet, ``query``, says what the table is:
the command, its filters, when it was made and the log's chain heads.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from tracker.render.text import neutralise

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd"
ESTIMATED_FILL = "FFF2CC"  # light amber: an estimate, not a count
HEADER_FILL = "DDEBF7"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced view: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_value(value: Any) -> Any:
    """What a cell holds: dates as dates, numbers as numbers, text defused."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        if ISO_DAY.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return neutralise(value)
        return neutralise(value)
    if isinstance(value, list):
        return neutralise("; ".join(str(v) for v in value))
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_xlsx(frame: pd.DataFrame, path: Path, *, sheet: str = "report",
               properties: dict[str, str] | None = None,
               query: Sequence[tuple[str, str]] = ()) -> None:
    """``frame`` as a styled sheet, ``query`` as a second one; ``properties`` become custom
    document properties."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    table = book.active
    table.title = sheet
    header = [str(c) for c in frame.columns]
    table.append([neutralise(h) for h in header])
    estimated_at = header.index("estimated") if "estimated" in header else None
    widths = [display_width(h) for h in header]
    shade = PatternFill("solid", fgColor=ESTIMATED_FILL)
    for row in frame.itertuples(index=False, name=None):
        cells = [_cell_value(v) for v in row]
        table.append(cells)
        for i, value in enumerate(cells):
            widths[i] = max(widths[i], display_width(_shown(value)))
        if estimated_at is not None and cells[estimated_at]:
            for cell in table[table.max_row]:
                cell.fill = shade
                cell.font = Font(italic=True)
    for cell in table[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for column in table.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    for i, width in enumerate(widths, start=1):
        table.column_dimensions[get_column_letter(i)].width = min(width, MAX_WIDTH) + 2
    table.freeze_panes = "A2"
    table.auto_filter.ref = table.dimensions

    about = book.create_sheet("query")
    about.append(["item", "value"])
    for key, value in query:
        about.append([neutralise(key), neutralise(value)])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for letter, values in (("A", [k for k, _ in query]), ("B", [v for _, v in query])):
        about.column_dimensions[letter].width = min(
            max([5, *(display_width(v) for v in values)]), MAX_WIDTH * 2) + 2
    about.freeze_panes = "A2"

    for name, value in (properties or {}).items():
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    book.save(path)
