"""Report tables (pandas frames) as text: rows of plain values through ``render.text``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tracker.render.text import render


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows with plain Python values (numpy ints and bools would not print or dump cleanly)."""
    return [
        {str(c): _plain(v) for c, v in row.items()} for row in frame.to_dict(orient="records")
    ]


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def render_text(frame: pd.DataFrame, fmt: str, *, document: Any = None) -> str:
    return render(frame_rows(frame), [str(c) for c in frame.columns], fmt, document=document)
