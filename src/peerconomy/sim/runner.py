"""Running simulations: one rule (:func:`run`), the configured rules side by side on the same
members and seed (:func:`compare`), and a parameter grid of comparisons (:func:`sweep`).

Results are plain frozen data (per-period metric series, per-member totals, where the time
went), so that reports, tests and other tools read them without the model.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from peerconomy.bootstrap import memory_store
from peerconomy.domain.collection import paused_collection
from peerconomy.sim.config import SimulationConfig, sweep_points, with_value
from peerconomy.sim.metrics import METRICS
from peerconomy.sim.model import PoolModel
from peerconomy.sim.rules import AllocationRule

__all__ = ["Comparison", "MemberSummary", "PointRunner", "Run", "compare", "run", "sweep"]

Progress = Callable[[int], None]
"""Called with the number of periods just finished (1 each time; with a point runner, all
of a sweep point's periods when it finishes)."""
PointRunner = Callable[
    [Callable[..., "Comparison"], Sequence[tuple[Any, ...]]], Iterable[tuple[int, "Comparison"]]
]
"""Runs ``function(*job)`` for each job (elsewhere, in parallel) and yields ``(index,
result)`` as each finishes: e.g. :func:`peerconomy.scale.ray_runner.unordered` on Ray."""


@dataclass(frozen=True)
class MemberSummary:
    """One member over the whole run."""

    name: str
    strategy: str
    hours: float
    goods: float
    benefit: float
    share: float
    credits: float
    balance: float


@dataclass(frozen=True)
class Run:
    """One rule over the periods: each metric per period, costs and weights per period, the
    members' totals, and the seconds each phase of the periods took."""

    rule: str
    seed: int
    metrics: dict[str, list[float]]
    unit_costs: list[dict[str, float]]
    weights: list[dict[str, float]]
    members: list[MemberSummary]
    timings: dict[str, float]
    seconds: float

    @property
    def periods(self) -> int:
        return len(self.unit_costs)

    def overall(self) -> dict[str, float]:
        """Each metric's mean over the periods (``nan`` where it was never measured)."""
        return {name: _nanmean(series) for name, series in self.metrics.items()}

    def by_strategy(self) -> dict[str, dict[str, float]]:
        """Per strategy present, the members' mean hours, goods, benefit, share and balance
        per period."""
        result: dict[str, dict[str, float]] = {}
        for strategy in sorted({m.strategy for m in self.members}):
            group = [m for m in self.members if m.strategy == strategy]
            result[strategy] = {
                key: float(np.mean([getattr(m, key) for m in group])) / self.periods
                for key in ("hours", "goods", "benefit", "share", "credits")
            }
            result[strategy]["balance"] = float(np.mean([m.balance for m in group]))
            result[strategy]["members"] = float(len(group))
        return result


@dataclass(frozen=True)
class Comparison:
    """The configured rules run on the same members and seed; ``point`` is the sweep's
    setting for this comparison (empty outside a sweep)."""

    config: SimulationConfig
    runs: list[Run]
    point: dict[str, Any] = field(default_factory=dict)

    def run(self, rule: str) -> Run:
        """The run of the rule named ``rule``."""
        for found in self.runs:
            if found.rule == rule:
                return found
        raise KeyError(f"no rule {rule!r} in this comparison")


def run(
    config: SimulationConfig,
    rule: AllocationRule,
    *,
    periods: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
) -> Run:
    """Simulate ``periods`` (default: the configuration's) periods of the pool under
    ``rule``."""
    started = time.perf_counter()
    model = PoolModel(config, rule, seed, store=memory_store())
    n = len(model.members)
    totals = {key: np.zeros(n) for key in ("hours", "goods", "benefit", "share", "credits")}
    balances = np.zeros(n)
    with paused_collection():  # the periods make many acyclic objects, and free them
        for _ in range(periods or config.periods):
            model.step()
            outcome = model.outcome
            assert outcome is not None
            totals["hours"] += outcome.hours
            totals["goods"] += (outcome.bundles * outcome.delivered).sum(axis=1)
            totals["benefit"] += outcome.benefit
            totals["share"] += outcome.shares
            totals["credits"] += outcome.credits
            balances = outcome.balances
            if progress is not None:
                progress(1)
    data = model.datacollector.model_vars
    members = [
        MemberSummary(
            name=m.name,
            strategy=m.traits.strategy,
            hours=float(totals["hours"][i]),
            goods=float(totals["goods"][i]),
            benefit=float(totals["benefit"][i]),
            share=float(totals["share"][i]),
            credits=float(totals["credits"][i]),
            balance=float(balances[i]),
        )
        for i, m in enumerate(model.members)
    ]
    return Run(
        rule=rule.name,
        seed=model.seed,
        metrics={name: [float(v) for v in data[name]] for name in METRICS},
        unit_costs=list(data["unit_costs"]),
        weights=list(data["weights"]),
        members=members,
        timings=dict(model.timings),
        seconds=time.perf_counter() - started,
    )


def compare(
    config: SimulationConfig,
    *,
    periods: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    point: dict[str, Any] | None = None,
) -> Comparison:
    """Every configured rule, on the same members and seed."""
    runs = [run(config, rule, periods=periods, seed=seed, progress=progress)
            for rule in config.compared_rules()]
    return Comparison(config, runs, dict(point or {}))


def sweep(
    config: SimulationConfig,
    *,
    periods: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    parallel: PointRunner | None = None,
) -> list[Comparison]:
    """A comparison at every point of the configuration's sweep grid; with ``parallel``, the
    points run through it (the same comparisons, in the grid's order)."""
    points = []
    for point in sweep_points(config):
        changed = config
        for path, value in point.items():
            changed = with_value(changed, path, value)
        points.append((changed, point))
    if parallel is None:
        return [compare(changed, periods=periods, seed=seed, progress=progress, point=point)
                for changed, point in points]
    done: dict[int, Comparison] = {}
    jobs = [(changed, periods, seed, point) for changed, point in points]
    for index, comparison in parallel(_compare_point, jobs):
        done[index] = comparison
        if progress is not None:
            progress(sum(r.periods for r in comparison.runs))
    return [done[i] for i in range(len(points))]


def _compare_point(
    config: SimulationConfig, periods: int | None, seed: int | None, point: dict[str, Any]
) -> Comparison:
    return compare(config, periods=periods, seed=seed, point=point)


def _nanmean(series: list[float]) -> float:
    finite = [v for v in series if not math.isnan(v)]
    return float(np.mean(finite)) if finite else math.nan
