"""A simulation's report: the page, every figure as PNG and SVG, and CSV files that hold
exactly the runs' figures, the same bytes for the same results."""

from __future__ import annotations

import csv
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure

from peerconomy.sim import compare, parse_config
from peerconomy.sim.claims import Verdict, check, point_label
from peerconomy.sim.metrics import METRICS
from peerconomy.sim.plots import OVERVIEW, claim_figures, grid, over_periods, over_sweep
from peerconomy.sim.report import CSV_FILES, write_report
from peerconomy.sim.runner import Comparison

PERIODS = 3
MEMBERS = 12

SMALL: dict[str, Any] = {
    "name": "small",
    "description": "Two projects, a scarce room.",
    "periods": PERIODS,
    "seed": 1,
    "rules": ["auction", "effort"],
    "claim": "auction_lowers_costs",
    "projects": ["kitchen", "garden"],
    "tasks": [
        {"id": "cook", "project": "kitchen", "disutility": [0.5, 1.5]},
        {"id": "clean", "project": "kitchen", "disutility": [1.2, 2.5]},
        {"id": "dig", "project": "garden", "disutility": [1.0, 2.0]},
    ],
    "goods": [
        {"id": "meal", "project": "kitchen", "recipe": {"cook": 1.0, "clean": 0.5}},
        {"id": "room", "project": "garden", "recipe": {"dig": 2.0}, "capacity": 3,
         "scarce": True},
    ],
    "agents": {"count": MEMBERS},
}


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare(parse_config(SMALL))


@pytest.fixture(scope="module")
def verdict(comparison: Comparison) -> Verdict:
    return check("auction_lowers_costs", [comparison])


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, comparison: Comparison,
           verdict: Verdict) -> Path:
    return write_report(tmp_path_factory.mktemp("report"), [comparison], verdict, sweep=False)


def sweep_of(comparison: Comparison, path: str, values: list[Any]) -> list[Comparison]:
    """A sweep's comparisons without running it: the same runs under each point."""
    return [replace(comparison, point={path: value}) for value in values]


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def same(written: str, value: float) -> bool:
    return math.isnan(value) if written == "nan" else float(written) == value


# --- the files --------------------------------------------------------------------------


def test_the_report_is_a_page_with_its_plots_and_data(report: Path, verdict: Verdict) -> None:
    out = report.parent
    assert report.name == "report.html"
    stems = ["overview", *(f"claim_{m}" for m in verdict.metrics)]
    for stem in stems:
        assert (out / "plots" / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
        assert b"<svg" in (out / "plots" / f"{stem}.svg").read_bytes()
    assert {p.name for p in out.glob("*.csv")} == set(CSV_FILES)


def test_periods_csv_has_each_metric_of_each_period_of_each_rule_exactly(
    report: Path, comparison: Comparison
) -> None:
    header, *body = rows(report.parent / "periods.csv")

    assert header == ["point", "rule", "period", *METRICS]
    assert len(body) == len(comparison.runs) * PERIODS
    for row in body:
        run = comparison.run(row[1])
        p = int(row[2]) - 1
        assert row[0] == "as given"
        assert all(same(cell, run.metrics[m][p]) for cell, m in zip(row[3:], METRICS,
                                                                     strict=True))


def test_summary_csv_holds_each_rules_means_over_the_periods(
    report: Path, comparison: Comparison
) -> None:
    header, *body = rows(report.parent / "summary.csv")

    assert header == ["point", "rule", *METRICS]
    assert [row[1] for row in body] == ["auction", "effort"]
    for row in body:
        overall = comparison.run(row[1]).overall()
        assert all(same(cell, overall[m]) for cell, m in zip(row[2:], METRICS, strict=True))


def test_members_csv_has_each_members_totals_under_each_rule(
    report: Path, comparison: Comparison
) -> None:
    header, *body = rows(report.parent / "members.csv")

    assert header == ["point", "rule", "member", "strategy", "hours", "goods", "benefit",
                      "share", "credits", "balance"]
    assert len(body) == len(comparison.runs) * MEMBERS
    first = comparison.runs[0].members[0]
    assert body[0][2:] == [first.name, first.strategy, *(repr(getattr(first, f)) for f in
                           ("hours", "goods", "benefit", "share", "credits", "balance"))]


def test_costs_and_weights_csv_have_a_row_per_period_and_good_or_task(report: Path) -> None:
    costs_header, *costs = rows(report.parent / "costs.csv")
    weights_header, *weights = rows(report.parent / "weights.csv")

    assert costs_header == ["point", "rule", "period", "good", "unit_cost"]
    assert weights_header == ["point", "rule", "period", "task", "weight"]
    assert len(costs) == 2 * PERIODS * 2
    assert len(weights) == 2 * PERIODS * 3
    assert {row[3] for row in costs} == {"meal", "room"}
    assert {row[3] for row in weights} == {"cook", "clean", "dig"}


def test_the_same_results_give_the_same_bytes(
    tmp_path: Path, report: Path, comparison: Comparison, verdict: Verdict
) -> None:
    again = write_report(tmp_path, [comparison], verdict, sweep=False).parent

    for name in [*CSV_FILES, "plots/overview.svg"]:
        assert (again / name).read_bytes() == (report.parent / name).read_bytes(), name


# --- the page ---------------------------------------------------------------------------


def test_the_page_states_the_claim_its_verdict_and_figures(
    report: Path, verdict: Verdict
) -> None:
    page = report.read_text(encoding="utf-8")

    assert verdict.statement in page
    assert ("holds</span>" if verdict.holds else "does not hold</span>") in page
    for what, _ in verdict.figures:
        assert what in page
    for metric in verdict.metrics:
        assert f'src="plots/claim_{metric}.svg"' in page


def test_the_page_shows_configuration_summary_strategies_and_timings(report: Path) -> None:
    page = report.read_text(encoding="utf-8")

    for text in ("<h1>small</h1>", "Two projects, a scarce room.", "<dt>periods</dt><dd>3</dd>",
                 "<dt>seed</dt><dd>1</dd>", "<dt>members</dt><dd>12", "Summary",
                 "Total utility (hours)", 'src="plots/overview.svg"', "Members by strategy",
                 "truthful", "Where the time went", "clear (service)", "total"):
        assert text in page, text
    assert "<script" not in page


def test_a_claim_that_does_not_hold_is_said_not_to(
    tmp_path: Path, comparison: Comparison, verdict: Verdict
) -> None:
    failed = replace(verdict, holds=False)

    page = write_report(tmp_path, [comparison], failed, sweep=False).read_text(encoding="utf-8")

    assert "does not hold</span>" in page


def test_without_a_claim_there_are_no_claim_plots(tmp_path: Path, comparison: Comparison
                                                  ) -> None:
    page = write_report(tmp_path, [comparison], None, sweep=False).read_text(encoding="utf-8")

    assert "names no claim" in page
    assert not list((tmp_path / "plots").glob("claim_*"))


def test_a_claim_that_cannot_be_checked_says_why(tmp_path: Path, comparison: Comparison
                                                 ) -> None:
    page = write_report(tmp_path, [comparison], None, sweep=False,
                        claim_error="it needs a sweep").read_text(encoding="utf-8")

    assert "could not be checked on these runs: it needs a sweep" in page


def test_the_page_escapes_what_the_configuration_says(tmp_path: Path, comparison: Comparison
                                                      ) -> None:
    config = comparison.config.model_copy(update={"description": "<script>alert(1)</script>"})

    page = write_report(tmp_path, [replace(comparison, config=config)], None,
                        sweep=False).read_text(encoding="utf-8")

    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- sweeps -----------------------------------------------------------------------------


def test_a_sweep_report_has_rows_and_tables_for_every_point(
    tmp_path: Path, comparison: Comparison, verdict: Verdict
) -> None:
    points = sweep_of(comparison, "agents.strategies.luxury", [0.0, 0.5])

    page = write_report(tmp_path, points, verdict, sweep=True).read_text(encoding="utf-8")

    summary = rows(tmp_path / "summary.csv")[1:]
    labels = [point_label(c.point) for c in points]
    assert [(row[0], row[1]) for row in summary] == [
        (label, rule) for label in labels for rule in ("auction", "effort")]
    assert len(rows(tmp_path / "periods.csv")) == 1 + 2 * 2 * PERIODS
    assert len(rows(tmp_path / "members.csv")) == 1 + 2 * 2 * MEMBERS
    for label in labels:
        assert f"At <code>{label}</code>" in page


# --- the figures ------------------------------------------------------------------------


def labelled(figure: Figure) -> None:
    for axes in figure.axes:
        assert axes.get_xlabel() and axes.get_ylabel() and axes.get_title()


def test_a_metric_over_the_periods_has_a_line_per_rule(comparison: Comparison) -> None:
    figure = over_periods(comparison, "total_utility")

    labelled(figure)
    (axes,) = figure.axes
    assert axes.get_xlabel() == "period"
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["auction", "effort"]
    assert [len(line.get_xdata()) for line in axes.get_lines()] == [PERIODS, PERIODS]


@pytest.mark.parametrize(("path", "values", "xlabel"), [
    ("agents.strategies.luxury", [0.0, 0.5, 1.0], "agents.strategies.luxury"),
    ("coordinate_product_types", [False, True], "coordinate_product_types"),
])
def test_a_metric_across_a_sweep_has_a_point_per_sweep_point(
    comparison: Comparison, path: str, values: list[Any], xlabel: str
) -> None:
    figure = over_sweep(sweep_of(comparison, path, values), "envy")

    labelled(figure)
    (axes,) = figure.axes
    assert axes.get_xlabel() == xlabel
    assert axes.get_legend() is not None
    assert all(len(line.get_xdata()) == len(values) for line in axes.get_lines())


def test_a_numeric_sweep_is_drawn_at_its_values(comparison: Comparison) -> None:
    figure = over_sweep(sweep_of(comparison, "agents.count", [10, 40]), "envy")

    assert list(figure.axes[0].get_lines()[0].get_xdata()) == [10.0, 40.0]


def test_the_overview_is_a_grid_of_the_main_metrics_with_one_legend(
    comparison: Comparison
) -> None:
    figure = grid([comparison], OVERVIEW, "Overview")

    labelled(figure)
    assert len(figure.axes) == len(OVERVIEW)
    assert len(figure.legends) == 1


def test_a_sweep_of_several_settings_numbers_its_points_and_keys_them(
    comparison: Comparison
) -> None:
    points = [replace(comparison, point={"agents.count": n, "coordinate_product_types": c})
              for n in (10, 20) for c in (False, True)]

    figure = grid(points, OVERVIEW, "Overview", sweep=True)

    labelled(figure)
    ticks = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert ticks == ["1", "2", "3", "4"]
    key = figure.get_supxlabel()
    assert all(f"{i}: {point_label(p.point)}" in key for i, p in enumerate(points, 1))


def test_a_metric_never_measured_says_so(comparison: Comparison) -> None:
    figure = over_periods(comparison, "bid_misreport_gain")  # misreport_samples = 0

    assert all(math.isnan(v) for v in comparison.runs[0].metrics["bid_misreport_gain"])
    assert "not measured" in [t.get_text() for t in figure.axes[0].texts]


def test_a_claims_figures_are_one_per_metric_it_rests_on(
    comparison: Comparison, verdict: Verdict
) -> None:
    figures = claim_figures([comparison], verdict)

    assert list(figures) == verdict.metrics
    for figure in figures.values():
        labelled(figure)
