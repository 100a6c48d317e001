"""Figures of a simulation's results, apart from the model: they read the runner's plain
results (:class:`~peerconomy.sim.runner.Comparison`, :class:`~peerconomy.sim.claims.Verdict`)
and return matplotlib :class:`~matplotlib.figure.Figure` objects drawn by the Agg canvas, so
they need no display and leave no pyplot state behind.

Three kinds: one metric over the periods, a line per rule (:func:`over_periods`); one metric
against the points of a sweep, a line per rule (:func:`over_sweep`); and a small grid of
metrics, either way, for an overview or for a claim (:func:`grid`, :func:`overview`,
:func:`claim_figures`). Each rule keeps its colour in every figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from peerconomy.sim.claims import Verdict, point_label
from peerconomy.sim.runner import Comparison

__all__ = [
    "LABELS",
    "OVERVIEW",
    "claim_figures",
    "grid",
    "label",
    "over_periods",
    "over_sweep",
    "overview",
    "save",
]

LABELS: dict[str, str] = {
    "total_utility": "Total utility (hours)",
    "gini_hours": "Gini of hours worked",
    "gini_shares": "Gini of shares",
    "shares_vs_benefits": "Correlation of shares and benefits",
    "uncovered_hours": "Uncovered task hours",
    "unmet_wishes": "Unmet wishes (units)",
    "overproduction": "Overproduction (units)",
    "underproduction": "Underproduction (units)",
    "envy": "Share of members envious",
    "bid_misreport_gain": "Gain from misreporting bids (hours)",
    "bid_misreport_gain_pay_your_bid": "Gain from shading bids, pay-your-bid (hours)",
    "bid_misreport_gain_in_full": "Gain from misreporting bids, in full (hours)",
    "ask_misreport_gain": "Gain from misreporting asks (hours)",
    "hours_per_member": "Hours worked per member",
    "goods_per_member": "Units received per member",
    "weighted_effort": "Weighted effort",
    "premiums": "Auction premiums raised",
    "other_goods_cost": "Unit cost of other goods",
    "scarce_goods_cost": "Unit cost of scarce goods",
    "others_share": "Share of members without a scarce good",
    "mean_weight": "Mean task weight",
}
"""Each metric's name as the figures and tables write it."""

OVERVIEW: tuple[str, ...] = (
    "total_utility", "envy", "gini_shares",
    "uncovered_hours", "unmet_wishes", "overproduction",
    "other_goods_cost", "scarce_goods_cost", "hours_per_member",
)
"""The metrics of the overview grid, row by row."""

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")
_LINES = ("-", "--", "-.", ":")
"""Rules whose lines coincide stay apart: a later one is dashed over an earlier one."""
_NOT_MEASURED = "not measured"


def label(metric: str) -> str:
    """A metric's readable name (its own name, spaced, where it has none)."""
    return LABELS.get(metric, metric.replace("_", " ").capitalize())


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _rules(comparisons: Sequence[Comparison]) -> list[str]:
    """Every rule compared, in the order first met (each keeps its colour and marker)."""
    names: list[str] = []
    for comparison in comparisons:
        names += [r.rule for r in comparison.runs if r.rule not in names]
    return names


def _style(rules: Sequence[str], rule: str) -> dict[str, Any]:
    i = rules.index(rule)
    return {"color": _COLOURS[i % len(_COLOURS)], "marker": _MARKERS[i % len(_MARKERS)],
            "linestyle": _LINES[i % len(_LINES)]}


def _note_if_empty(axes: Axes, values: Sequence[float], xs: Sequence[float]) -> None:
    """Say so on axes whose metric was never measured (its values all ``nan``)."""
    if all(math.isnan(v) for v in values):
        axes.text(0.5, 0.5, _NOT_MEASURED, transform=axes.transAxes, ha="center",
                  va="center", color="#666666")
        axes.set_yticks([])
        if xs:
            axes.set_xlim(min(xs) - 0.5, max(xs) + 0.5)


def _draw_periods(axes: Axes, comparison: Comparison, metric: str, rules: Sequence[str]) -> None:
    seen: list[float] = []
    for run in comparison.runs:
        series = run.metrics[metric]
        axes.plot(range(1, len(series) + 1), series, label=run.rule, markersize=4,
                  **_style(rules, run.rule))
        seen += series
    _note_if_empty(axes, seen, [1.0, float(max(r.periods for r in comparison.runs))])
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("period")
    axes.set_ylabel(label(metric))
    axes.grid(alpha=0.3)


def _numeric_axis(comparisons: Sequence[Comparison]) -> str | None:
    """The swept setting, where there is one and every point's value is a number."""
    paths = {path for c in comparisons for path in c.point}
    if len(paths) != 1:
        return None
    path = next(iter(paths))
    values = [c.point.get(path) for c in comparisons]
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    return path if numeric else None


def _tick(point: dict[str, object], single: bool) -> str:
    """A sweep point under its tick: the value alone where one setting is swept, else each
    setting's last name and value, a line each."""
    if single:
        return point_label(point).split("=", 1)[-1]
    return "\n".join(point_label({path.rsplit(".", 1)[-1]: value})
                     for path, value in point.items())


def _several_settings(comparisons: Sequence[Comparison]) -> bool:
    return len({path for c in comparisons for path in c.point}) > 1


def _draw_sweep(axes: Axes, comparisons: Sequence[Comparison], metric: str,
                rules: Sequence[str], *, numbered: bool = False) -> None:
    """The metric's mean at each point; ``numbered``: points of several settings are
    numbered from 1 on the axis (for small axes, with a key elsewhere)."""
    path = _numeric_axis(comparisons)
    xs: list[float] = (
        [float(c.point[path]) for c in comparisons] if path is not None
        else [float(i) for i in range(len(comparisons))]
    )
    seen: list[float] = []
    for rule in rules:
        points = [(x, c.run(rule).overall()[metric]) for x, c in zip(xs, comparisons, strict=True)
                  if rule in {r.rule for r in c.runs}]
        axes.plot([x for x, _ in points], [y for _, y in points], label=rule, markersize=5,
                  **_style(rules, rule))
        seen += [y for _, y in points]
    _note_if_empty(axes, seen, xs)
    if path is not None:
        axes.set_xlabel(path)
    else:
        paths = list(dict.fromkeys(p for c in comparisons for p in c.point))
        ticks = ([str(i + 1) for i in range(len(comparisons))]
                 if numbered and len(paths) > 1
                 else [_tick(c.point, single=len(paths) == 1) for c in comparisons])
        widest = max((len(line) for t in ticks for line in t.splitlines()), default=0)
        crowded = widest * len(ticks) > 60
        axes.set_xticks(xs, ticks, rotation=30 if crowded else 0,
                        ha="right" if crowded else "center",
                        fontsize="small" if crowded else "medium")
        axes.set_xlabel(paths[0] if len(paths) == 1 else "sweep point")
    axes.set_ylabel(label(metric))
    axes.grid(alpha=0.3)


def over_periods(comparison: Comparison, metric: str) -> Figure:
    """One metric over the periods, a line per rule."""
    figure = _figure(7.5, 4.5)
    axes = figure.add_subplot()
    _draw_periods(axes, comparison, metric, _rules([comparison]))
    title = label(metric)
    if comparison.point:
        title += f" ({point_label(comparison.point)})"
    axes.set_title(title)
    axes.legend(title="rule")
    return figure


def over_sweep(comparisons: Sequence[Comparison], metric: str) -> Figure:
    """One metric (its mean over the periods) against the points of a sweep, a line per
    rule."""
    figure = _figure(7.5, 4.5)
    axes = figure.add_subplot()
    _draw_sweep(axes, comparisons, metric, _rules(comparisons))
    axes.set_title(f"{label(metric)}: mean per period, across the sweep")
    axes.legend(title="rule")
    return figure


def grid(comparisons: Sequence[Comparison], metrics: Sequence[str], title: str, *,
         sweep: bool = False) -> Figure:
    """A small grid of metrics, three to a row: over the periods of the first comparison,
    or (``sweep``) against the sweep's points. One legend for the whole figure."""
    columns = min(3, len(metrics))
    rows = max(1, math.ceil(len(metrics) / 3))
    keyed = sweep and _several_settings(comparisons)
    figure = _figure(4.2 * columns + 0.6,
                     3.2 * rows + 1.0 + (0.2 * (len(comparisons) + 1) if keyed else 0))
    rules = _rules(comparisons)
    for i, metric in enumerate(metrics):
        axes = figure.add_subplot(rows, columns, i + 1)
        if sweep:
            _draw_sweep(axes, comparisons, metric, rules, numbered=True)
            axes.set_ylabel("mean per period")
        else:
            _draw_periods(axes, comparisons[0], metric, rules)
        axes.set_title(label(metric), fontsize="medium")
    figure.suptitle(title)
    if keyed:
        key = [f"{i + 1}: {point_label(c.point)}" for i, c in enumerate(comparisons)]
        figure.supxlabel("sweep points\n" + "\n".join(key), fontsize="small")
    handles, names = figure.axes[0].get_legend_handles_labels()
    figure.legend(handles, names, title="rule", loc="outside right upper")
    return figure


def overview(comparisons: Sequence[Comparison], *, sweep: bool = False) -> Figure:
    """The main metrics (:data:`OVERVIEW`) at a glance."""
    where = "across the sweep" if sweep else "over the periods"
    return grid(comparisons, OVERVIEW, f"Overview: the main metrics {where}", sweep=sweep)


def claim_figures(comparisons: Sequence[Comparison], verdict: Verdict, *,
                  sweep: bool = False) -> dict[str, Figure]:
    """Each metric the claim rests on, by name: over the periods, or across the sweep."""
    return {
        metric: over_sweep(comparisons, metric) if sweep else over_periods(comparisons[0], metric)
        for metric in verdict.metrics
    }


def save(figure: Figure, directory: Path, stem: str) -> list[Path]:
    """Write the figure as ``stem.png`` and ``stem.svg`` (without a date, so that the same
    figure gives the same SVG); the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    png, svg = directory / f"{stem}.png", directory / f"{stem}.svg"
    figure.savefig(png, dpi=100, metadata={"Software": None})
    with rc_context({"svg.hashsalt": stem}):  # the SVG's ids, from the name, not at random
        figure.savefig(svg, metadata={"Date": None})
    return [png, svg]
