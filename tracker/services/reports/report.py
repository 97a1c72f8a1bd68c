"""What every report returns: the table, its JSON shape, and what it left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Report:
    frame: pd.DataFrame
    document: Any = None  # JSON shape, when it is not simply the table's rows
    notes: list[str] = field(default_factory=list)  # said on stderr: what was left out


def left_out_note(contacts: int, messages: int) -> list[str]:
    if not contacts and not messages:
        return []
    return [
        f"left out {contacts} contacts and {messages} messages whose dates cross the period's "
        "edge (not split by guesswork; widen --from/--to to include them)"
    ]


