"""What every report returns: the table, its JSON shape, and what it left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tracker.services.records.verify import LogState


@dataclass
class Report:
    frame: pd.DataFrame
    document: Any = None  # JSON shape, when it is not simply the table's rows
    notes: list[str] = field(default_factory=list)  # said on stderr: what was left out
    # The chain heads the report was made from, and any break the last verify found:
    # printed with every report so that a later rewrite of the log can be shown.
    log: LogState | None = None


def left_out_note(contacts: int, messages: int) -> list[str]:
    if not contacts and not messages:
        return []
    return [
        f"left out {contacts} contacts and {messages} messages whose dates cross the period's "
        "edge (not split by guesswork; widen --from/--to to include them)"
    ]


