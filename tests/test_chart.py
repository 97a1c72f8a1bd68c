"""The chart analysts hand on: legible at any span, estimates stacked on exact counts, legend
outside the plot, stacked by kind or by a ``--by`` dimension."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tracker.render.chart import MAX_BARS, MAX_LABELS, bars_of, build_chart

KINDS = [("gov-meeting", "government-official meeting"), ("other", "other contact")]


def months(first_year: int, count: int) -> list[str]:
    return [f"{first_year + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


def frame(periods: list[str], estimated: list[bool] | None = None) -> pd.DataFrame:
    n = len(periods)
    return pd.DataFrame({"period": periods, "gov-meeting": [1] * n, "other": [2] * n,
                         "contacts": [3] * n, "estimated": estimated or [False] * n})


@pytest.mark.parametrize(("count", "grouped_by", "bars"), [
    (12, "month", 12), (MAX_BARS, "month", MAX_BARS), (120, "quarter", 40), (240, "year", 20),
])
def test_too_many_months_are_grouped(count, grouped_by, bars):
    drawn = bars_of(frame(months(2015, count)), KINDS)
    assert (drawn.grouped_by, len(drawn.labels)) == (grouped_by, bars)
    assert sum(drawn.exact["other"]) == 2 * count  # grouping never loses a count


def test_an_estimate_is_stacked_on_the_exact_count_of_its_month():
    drawn = bars_of(frame(["2018-09", "2018-09", "2018-10"], [False, True, True]), KINDS)
    assert drawn.labels == ["2018-09", "2018-10"]
    assert (drawn.exact["other"], drawn.estimated["other"]) == ([2, 0], [2, 2])


def test_a_period_only_record_keeps_its_own_bar_at_the_end():
    drawn = bars_of(frame(["2018-09-14/2018-12-20", "2018-12"]), KINDS)
    assert drawn.labels == ["2018-12", "2018-09-14/2018-12-20"]
    assert drawn.own_interval == [False, True]


def test_the_legend_is_outside_the_plot_and_labels_are_thinned():
    drawn = bars_of(frame(months(2015, MAX_BARS)), KINDS)
    figure = build_chart(drawn, width_px=1200, height_px=700, dpi=100, title="t")
    renderer = figure.canvas.get_renderer()
    axes = figure.axes[0]
    legend = axes.get_legend().get_window_extent(renderer)
    assert legend.x0 >= axes.get_window_extent(renderer).x1
    labels = [t.get_text() for t in axes.get_xticklabels()]
    assert 1 < len(labels) <= MAX_LABELS
    assert labels[0] == "2015-01"


def test_the_cli_stacks_by_a_dimension(cli, tmp_path, monkeypatch):
    from tracker.render import chart

    seen = {}
    real = chart.build_chart

    def spy(bars, **kw):
        seen["bars"] = bars
        return real(bars, **kw)

    monkeypatch.setattr(chart, "build_chart", spy)
    for field, on in (("political", "2018-12-21"), ("economic", "2018-12-22")):
        result = cli("contact", "log", "--kind", "other", "--on", on, "--subject", field,
                     "--field", field)
        assert result.exit_code == 0, result.stderr
    out = tmp_path / "out.svg"
    result = cli("report", "chart", "--by", "field", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    bars = seen["bars"]
    assert bars.series == ["economic", "political", "unknown"]
    assert bars.labels == ["2018-12", "2018-09-14/2018-12-20"]
    assert (bars.exact["political"], bars.exact["unknown"]) == ([1, 0], [0, 285])
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    monthly = pd.read_csv(io.StringIO(cli("report", "monthly", "--by", "field",
                                          "--format", "csv").stdout))
    assert monthly["contacts"].sum() == sum(sum(v) for v in bars.exact.values())
