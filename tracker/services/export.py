"""Writing report tables (pandas frames): text formats through ``tabular``, and xlsx.

xlsx cells get the same formula defusing as CSV (see ``tabular``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tracker.services.tabular import neutralise, render


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows with plain Python values (numpy ints and bools would not print or dump cleanly)."""
    return [
        {c: _plain(v) for c, v in row.items()} for row in frame.to_dict(orient="records")
    ]


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def render_text(frame: pd.DataFrame, fmt: str, *, document: Any = None) -> str:
    return render(frame_rows(frame), [str(c) for c in frame.columns], fmt, document=document)


def write_xlsx(frame: pd.DataFrame, path: Path, *, sheet: str = "report") -> None:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    safe.to_excel(path, index=False, sheet_name=sheet, engine="openpyxl")
