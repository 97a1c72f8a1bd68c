"""Report tables (pandas frames) as xlsx, with the same formula defusing as CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tracker.render.text import neutralise


def write_xlsx(frame: pd.DataFrame, path: Path, *, sheet: str = "report",
               properties: dict[str, str] | None = None) -> None:
    """``frame`` as one sheet; ``properties`` become custom document properties."""
    from openpyxl.packaging.custom import StringProperty

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet)
        for name, value in (properties or {}).items():
            writer.book.custom_doc_props.append(StringProperty(name=name, value=value))
