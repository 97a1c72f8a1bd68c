"""Report tables (pandas frames) as xlsx, with the same formula defusing as CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tracker.render.text import neutralise


def write_xlsx(frame: pd.DataFrame, path: Path, *, sheet: str = "report") -> None:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    safe.to_excel(path, index=False, sheet_name=sheet, engine="openpyxl")
