"""The monthly report as a stacked bar chart (matplotlib, Agg backend, imported here only).

One bar per month, stacked by contact kind (or, with ``--by``, by field or side). Months are
grouped into quarters, or years, when there are too many to read (more than 48 bars), and only
some bars are labelled, so a log spanning years stays legible. An apportioned estimate is
stacked on the exact count of the same bar, in the same colour, hatched; a record known only to
an interval spanning months gets a bar of its own at the end, cross-hatched. The legend sits
outside the plot, where it cannot cover a bar. PNG, SVG or PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tracker.errors import BadValue

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from tracker.services.reports.counting import Kind

MAX_PIXELS = 10_000
MAX_BARS = 48  # more months than this are grouped into quarters, then years
MAX_LABELS = 16  # at most this many bars carry a label


@dataclass
class Bars:
    """What is drawn: bar labels, and per series the exact and estimated height of each bar."""

    labels: list[str]
    series: list[str]
    exact: dict[str, list[int]] = field(default_factory=dict)
    estimated: dict[str, list[int]] = field(default_factory=dict)
    own_interval: list[bool] = field(default_factory=list)  # a period-only record's own bar
    grouped_by: str = "month"


def _bucket(month: str, size: str) -> str:
    year, number = month.split("-")
    if size == "quarter":
        return f"{year}-Q{(int(number) - 1) // 3 + 1}"
    if size == "year":
        return year
    return month


def bars_of(frame: pd.DataFrame, series: list[tuple[str, str]],
            group_column: str | None = None) -> Bars:
    """Bars from the monthly report. ``series`` are (column or group value, legend label);
    with ``group_column``, a row's ``contacts`` go to the series of its group."""
    months = sorted({str(p) for p in frame["period"] if "/" not in str(p)})
    size = "month"
    for candidate in ("month", "quarter", "year"):
        size = candidate
        if len({_bucket(m, candidate) for m in months}) <= MAX_BARS:
            break
    keys = sorted({_bucket(m, size) for m in months})
    intervals = sorted({str(p) for p in frame["period"] if "/" in str(p)})
    labels = keys + intervals
    at = {label: i for i, label in enumerate(labels)}
    names = [name for name, _ in series]
    bars = Bars(labels, [label for _, label in series], grouped_by=size,
                own_interval=[False] * len(keys) + [True] * len(intervals))
    for name in names:
        bars.exact[name] = [0] * len(labels)
        bars.estimated[name] = [0] * len(labels)
    for row in frame.to_dict("records"):
        period = str(row["period"])
        slot = at[period] if "/" in period else at[_bucket(period, size)]
        target = bars.estimated if row["estimated"] else bars.exact
        if group_column is not None:
            name = str(row[group_column])
            if name in target:
                target[name][slot] += int(row["contacts"])
        else:
            for name in names:
                target[name][slot] += int(row[name])
    return bars


def build_chart(bars: Bars, *, width_px: int, height_px: int, dpi: int, title: str) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(bars.labels)))
    bottom = [0] * len(positions)
    colours = matplotlib.colormaps["tab10"]
    for i, (name, label) in enumerate(zip(bars.exact, bars.series, strict=True)):
        exact = bars.exact[name]
        drawn = axes.bar(positions, exact, bottom=bottom, color=colours(i % 10), label=label,
                         edgecolor="black", linewidth=0.3)
        for patch, own in zip(drawn, bars.own_interval, strict=True):
            if own:
                patch.set_hatch("xx")
        bottom = [b + h for b, h in zip(bottom, exact, strict=True)]
        estimate = bars.estimated[name]
        if any(estimate):
            axes.bar(positions, estimate, bottom=bottom, color=colours(i % 10), alpha=0.45,
                     hatch="//", edgecolor="black", linewidth=0.3)
            bottom = [b + h for b, h in zip(bottom, estimate, strict=True)]
    step = max(1, -(-len(positions) // MAX_LABELS))
    shown = [p for p in positions if p % step == 0 or bars.own_interval[p]]
    axes.set_xticks(shown, [bars.labels[p] for p in shown], rotation=45, ha="right",
                    fontsize=7)
    axes.set_xlim(-0.6, max(len(positions) - 0.4, 0.6))
    axes.set_ylabel("contacts")
    axes.set_title(title)
    handles, _ = axes.get_legend_handles_labels()
    if any(bars.own_interval):
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="xx",
                             label="date known only to a period (own bar)"))
    if any(any(v) for v in bars.estimated.values()):
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="//",
                             label="apportioned estimate"))
    axes.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                borderaxespad=0.0, frameon=False)
    figure.subplots_adjust(left=0.07, right=0.74, bottom=0.2, top=0.92)
    return figure


def draw_monthly_chart(frame: pd.DataFrame, kinds: list[Kind], path: Path, *,
                       width_px: int = 1200, height_px: int = 700, dpi: int = 100,
                       image_format: str = "png", group_column: str | None = None,
                       groups: list[str] | None = None) -> None:
    """Write ``frame`` (the monthly report) to ``path`` at exactly the asked size, stacked by
    kind, or by the values of ``group_column`` (``--by field``) when it is given."""
    for name, value in (("width", width_px), ("height", height_px)):
        if not 100 <= value <= MAX_PIXELS:
            raise BadValue(f"{value} is outside 100…{MAX_PIXELS} pixels", field=name)
    series: list[tuple[str, str]]
    if group_column is not None:
        series = [(g, g) for g in (groups or sorted({str(v) for v in frame[group_column]}))]
        title = f"Held contacts per month by {group_column}"
    else:
        series = [(k.code, k.name) for k in kinds]
        title = "Held contacts per month by kind"
    bars = bars_of(frame, series, group_column)
    if bars.grouped_by != "month":
        title = title.replace("per month", f"per {bars.grouped_by}")
    figure: Any = build_chart(bars, width_px=width_px, height_px=height_px, dpi=dpi,
                              title=title)
    figure.savefig(path, dpi=dpi, format=image_format)
