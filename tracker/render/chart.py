"""The monthly report as a stacked bar chart (matplotlib, Agg backend, imported here only).

Exact months are solid bars stacked by contact kind. A row that is not an exact month is
drawn so it cannot be mistaken for one: a period-only row (``2018-09-14/2018-12-20``) and an
apportioned estimate are hatched, and the legend says which is which.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tracker.errors import BadValue

if TYPE_CHECKING:
    from tracker.services.reports.counting import Kind

MAX_PIXELS = 10_000


def draw_monthly_chart(frame: pd.DataFrame, kinds: list[Kind], path: Path, *,
                       width_px: int = 1200, height_px: int = 700, dpi: int = 100) -> None:
    """Write ``frame`` (the monthly report) to ``path`` as a PNG of exactly the asked size."""
    for name, value in (("width", width_px), ("height", height_px)):
        if not 100 <= value <= MAX_PIXELS:
            raise BadValue(f"{value} is outside 100…{MAX_PIXELS} pixels", field=name)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [f"{p} (est.)" if est else str(p)
              for p, est in zip(frame["period"], frame["estimated"], strict=True)]
    hatches = ["//" if est else ("xx" if "/" in str(p) else "")
               for p, est in zip(frame["period"], frame["estimated"], strict=True)]
    positions = range(len(frame))
    bottom = [0] * len(frame)
    colours = matplotlib.colormaps["tab10"]
    for i, kind in enumerate(kinds):
        heights = [int(v) for v in frame[kind.code]]
        bars = axes.bar(positions, heights, bottom=bottom, color=colours(i), label=kind.name,
                        edgecolor="black", linewidth=0.3)
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_xticks(list(positions), labels, rotation=60, ha="right", fontsize=7)
    axes.set_ylabel("contacts")
    axes.set_title("Contacts per month by kind")
    handles, _ = axes.get_legend_handles_labels()
    handles += [Patch(facecolor="white", edgecolor="black", hatch="xx",
                      label="date known only to a period (own bar)"),
                Patch(facecolor="white", edgecolor="black", hatch="//",
                      label="apportioned estimate")]
    axes.legend(handles=handles, fontsize=7)
    figure.subplots_adjust(bottom=0.25)
    figure.savefig(path, dpi=dpi, format="png")
