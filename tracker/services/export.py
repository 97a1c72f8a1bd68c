"""Writing report tables: text, CSV, JSON and xlsx, with spreadsheet formula injection defused.

OWASP's advice for CSV injection: a cell that begins with ``=``, ``+``, ``-``, ``@``, tab,
carriage return or line feed may be run as a formula by a spreadsheet, so such a text cell is
written with a leading apostrophe. This happens only on export; stored data is untouched.
Numbers are written as numbers (a negative difference stays a number).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

FORMATS = ("table", "csv", "json", "xlsx")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def render_text(frame: pd.DataFrame, fmt: str, *, document: Any = None) -> str:
    """The table as text in ``fmt`` (table, csv or json). ``document`` overrides the JSON."""
    if fmt == "table":
        if frame.empty:
            return "(no rows)\n"
        return frame.to_string(index=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        safe = neutralised(frame)
        for column in safe.columns:
            if pd.api.types.is_bool_dtype(safe[column]):
                safe[column] = safe[column].map({True: "true", False: "false"})
        safe.to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    if fmt == "json":
        payload = document if document is not None else frame.to_dict(orient="records")
        return json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
    raise ValueError(f"not a text format: {fmt}")


def write_xlsx(frame: pd.DataFrame, path: Path, *, sheet: str = "report") -> None:
    neutralised(frame).to_excel(path, index=False, sheet_name=sheet, engine="openpyxl")
