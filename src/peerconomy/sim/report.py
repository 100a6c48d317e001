"""A simulation's report: one HTML page, its figures as PNG and SVG, and the data as CSV.

:func:`write_report` writes, into one directory::

    report.html   the configuration, the claim and its verdict, summary tables, figures,
                  the members by strategy, and where the time went
    plots/        every figure, as NAME.png and NAME.svg
    periods.csv   point, rule, period, then each metric (in ``metrics.METRICS`` order)
    summary.csv   point, rule, then each metric's mean over the periods
    members.csv   point, rule, member, strategy, and their totals over the run
    costs.csv     point, rule, period, good, unit cost
    weights.csv   point, rule, period, task, weight

The CSV files hold only what the seed decides (no timings), every float written by
``repr`` (exact, and ``nan`` where a metric was not measured), so the same seed gives the
same bytes. ``point`` is the sweep point (:func:`~peerconomy.sim.claims.point_label`;
``as given`` outside a sweep).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, PackageLoader, StrictUndefined

from peerconomy.sim import plots
from peerconomy.sim.claims import Verdict, point_label
from peerconomy.sim.metrics import METRICS
from peerconomy.sim.runner import Comparison, Run

__all__ = ["CSV_FILES", "csv_rows", "write_report"]

Rows = list[list[str]]

_MEMBER_FIELDS: Final = ("hours", "goods", "benefit", "share", "credits", "balance")
_STRATEGY_FIELDS: Final = ("members", "hours", "goods", "benefit", "share", "credits",
                           "balance")

_ENVIRONMENT: Final = Environment(
    loader=PackageLoader("peerconomy.sim", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
    keep_trailing_newline=True,
)


def _exact(value: float) -> str:
    return repr(float(value))


def _number(value: float) -> str:
    """A figure as the page shows it: four significant digits, a dash where not measured."""
    value = float(value)
    return "\N{EN DASH}" if math.isnan(value) else f"{value:.4g}"


def _seconds(value: float) -> str:
    return f"{value:.3f}\N{NO-BREAK SPACE}s"


def _percent(value: float) -> str:
    return "\N{EN DASH}" if math.isnan(value) else f"{100 * value:.1f}\N{NO-BREAK SPACE}%"


_ENVIRONMENT.filters["num"] = _number
_ENVIRONMENT.filters["seconds"] = _seconds
_ENVIRONMENT.filters["percent"] = _percent


def _each_run(comparisons: Sequence[Comparison]) -> list[tuple[str, Run]]:
    return [(point_label(c.point), run) for c in comparisons for run in c.runs]


def _periods(comparisons: Sequence[Comparison]) -> Rows:
    rows = [["point", "rule", "period", *METRICS]]
    for point, run in _each_run(comparisons):
        for p in range(run.periods):
            rows.append([point, run.rule, str(p + 1),
                         *(_exact(run.metrics[m][p]) for m in METRICS)])
    return rows


def _summary(comparisons: Sequence[Comparison]) -> Rows:
    rows = [["point", "rule", *METRICS]]
    for point, run in _each_run(comparisons):
        overall = run.overall()
        rows.append([point, run.rule, *(_exact(overall[m]) for m in METRICS)])
    return rows


def _members(comparisons: Sequence[Comparison]) -> Rows:
    rows = [["point", "rule", "member", "strategy", *_MEMBER_FIELDS]]
    for point, run in _each_run(comparisons):
        for m in run.members:
            rows.append([point, run.rule, m.name, m.strategy,
                         *(_exact(getattr(m, f)) for f in _MEMBER_FIELDS)])
    return rows


def _per_period(header: str, value: str, of: Callable[[Run], list[dict[str, float]]]
                ) -> Callable[[Sequence[Comparison]], Rows]:
    def rows(comparisons: Sequence[Comparison]) -> Rows:
        found = [["point", "rule", "period", header, value]]
        for point, run in _each_run(comparisons):
            for p, items in enumerate(of(run)):
                found += [[point, run.rule, str(p + 1), key, _exact(amount)]
                          for key, amount in items.items()]
        return found
    return rows


CSV_FILES: Final[dict[str, Callable[[Sequence[Comparison]], Rows]]] = {
    "periods.csv": _periods,
    "summary.csv": _summary,
    "members.csv": _members,
    "costs.csv": _per_period("good", "unit_cost", lambda run: run.unit_costs),
    "weights.csv": _per_period("task", "weight", lambda run: run.weights),
}
"""Each CSV file of the report, and how its rows (header first) are made."""


def csv_rows(name: str, comparisons: Sequence[Comparison]) -> Rows:
    """The rows, header first, of the report's CSV file ``name``."""
    return CSV_FILES[name](comparisons)


def _write_csv(path: Path, rows: Rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)


def _write_plots(directory: Path, comparisons: Sequence[Comparison], verdict: Verdict | None,
                 sweep: bool) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Every figure, saved; the overview's file stem, and the claim's figures (stem, title)."""
    figure = plots.overview(comparisons, sweep=sweep)
    plots.save(figure, directory, "overview")
    overview = {"stem": "overview", "title": "The main metrics"}
    claimed: list[dict[str, str]] = []
    if verdict is not None:
        for metric, figure in plots.claim_figures(comparisons, verdict, sweep=sweep).items():
            stem = f"claim_{metric}"
            plots.save(figure, directory, stem)
            claimed.append({"stem": stem, "title": plots.label(metric)})
    return overview, claimed


def _configuration(comparisons: Sequence[Comparison]) -> dict[str, Any]:
    config = comparisons[0].config
    first = comparisons[0].runs[0]
    strategies = config.agents.strategies
    mix = {name: getattr(strategies, name)
           for name in ("truthful", "shading", "luxury", "laziness")}
    total = sum(mix.values())
    return {
        "periods": first.periods,
        "seed": first.seed,
        "members": config.agents.count,
        "capacity": config.agents.capacity,
        "strategies": [(name, share / total) for name, share in mix.items() if share > 0],
        "projects": config.projects,
        "rules": config.compared_rules(),
        "tasks": config.tasks,
        "goods": config.goods,
        "max_weight": config.max_weight,
        "coordinate_product_types": config.coordinate_product_types,
        "misreport_samples": config.misreport_samples,
    }


def _timings(comparison: Comparison) -> dict[str, Any]:
    """Phase by phase, each run's seconds and share of its time; then the rest and the
    total."""
    phases = list(dict.fromkeys(p for run in comparison.runs for p in run.timings))
    rows = [(phase, [(run.timings.get(phase, 0.0), run.timings.get(phase, 0.0) / run.seconds
                      if run.seconds > 0 else math.nan) for run in comparison.runs])
            for phase in phases]
    rest = [max(run.seconds - sum(run.timings.values()), 0.0) for run in comparison.runs]
    rows.append(("other (setting up, bookkeeping)",
                 [(r, r / run.seconds if run.seconds > 0 else math.nan)
                  for r, run in zip(rest, comparison.runs, strict=True)]))
    return {"rows": rows, "totals": [run.seconds for run in comparison.runs]}


def _points(comparisons: Sequence[Comparison]) -> list[dict[str, Any]]:
    return [
        {
            "label": point_label(c.point),
            "rules": [run.rule for run in c.runs],
            "summary": [(plots.label(m), m, [run.overall()[m] for run in c.runs])
                        for m in METRICS],
            "strategies": [(run.rule, run.by_strategy()) for run in c.runs],
            "timings": _timings(c),
        }
        for c in comparisons
    ]


def write_report(
    out_dir: str | os.PathLike[str],
    comparisons: list[Comparison],
    verdict: Verdict | None,
    *,
    sweep: bool,
    claim_error: str | None = None,
) -> Path:
    """Write the report of ``comparisons`` (one, or one per sweep point) into ``out_dir``
    (made if need be); the path of its ``report.html``. ``claim_error`` says why the
    configured claim could not be checked, where it could not."""
    if not comparisons:
        raise ValueError("a report needs at least one comparison")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in CSV_FILES:
        _write_csv(out / name, csv_rows(name, comparisons))
    overview, claimed = _write_plots(out / "plots", comparisons, verdict, sweep)
    config = comparisons[0].config
    page = _ENVIRONMENT.get_template("report.html").render(
        name=config.name,
        description=config.description,
        config=_configuration(comparisons),
        sweep=sweep,
        claim=config.claim,
        claim_error=claim_error,
        verdict=verdict,
        claim_plots=claimed,
        overview=overview,
        points=_points(comparisons),
        strategy_fields=_STRATEGY_FIELDS,
        csv_files=list(CSV_FILES),
    )
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
