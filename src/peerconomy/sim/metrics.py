"""What a simulated period is judged by: pure functions on arrays, and the named reporters
that read them off a model after each period (gathered by Mesa's ``DataCollector``).

Utility is in hours: what the goods a member received were worth to them, less the
disutility of the hours they worked. Credits and shares move contribution between members, so
they cancel in the pool's total and count only in a member's own (:mod:`.misreport`, envy).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from peerconomy.domain.plan import ClearedPlan, Overproduction, ProductionHint, Underproduction
from peerconomy.mechanisms.arrays import FloatArray
from peerconomy.sim.outcome import PeriodOutcome, Pool

__all__ = ["METRICS", "REPORTERS", "correlation", "envy_share", "gini"]


def gini(x: FloatArray) -> float:
    """The Gini coefficient of non-negative amounts: 0 when all are equal, towards 1 when one
    has everything (0 when nobody has anything)."""
    values = np.sort(np.asarray(x, dtype=float))
    n, total = len(values), float(values.sum())
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * values).sum()) / (n * total) - (n + 1) / n)


def correlation(x: FloatArray, y: FloatArray) -> float:
    """Pearson's correlation of two series (``nan`` where either does not vary)."""
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan
    return float(np.corrcoef(x, y)[0, 1])


def envy_share(values: FloatArray, bundles: FloatArray, costs: FloatArray) -> float:
    """The share of members who would rather have another member's goods at what that member
    was charged for them than their own: ``values[i] @ bundles[j] - costs[j]`` above
    ``values[i] @ bundles[i] - costs[i]`` for some ``j``."""
    if len(costs) == 0:
        return 0.0
    worth = values @ bundles.T - costs[np.newaxis, :]
    own = np.diag(worth)
    return float(np.mean(worth.max(axis=1) > own + 1e-9))


def _outcome(model: Pool) -> PeriodOutcome:
    if model.outcome is None:  # pragma: no cover - reporters run after a period
        raise RuntimeError("no period has run yet")
    return model.outcome


def _hint_units(plan: ClearedPlan, kind: type[ProductionHint]) -> float:
    return float(sum(h.units for h in plan.hints_of(kind)))


def _mean_unit_cost(model: Pool, scarce: bool) -> float:
    plan = _outcome(model).plan
    costs, units = [], []
    for g, good in enumerate(model.goods):
        result = plan.goods[good]
        if bool(model.scarce[g]) == scarce and result.allocated > 0:
            costs.append(result.unit_cost)
            units.append(result.allocated)
    return float(np.average(costs, weights=units)) if units else math.nan


def total_utility(model: Pool) -> float:
    """The value of the goods received less the disutility of the hours worked, summed."""
    o = _outcome(model)
    return float(o.benefit.sum() - o.disutility.sum())


def gini_hours(model: Pool) -> float:
    """How unequally the hours were worked."""
    return gini(_outcome(model).hours)


def gini_shares(model: Pool) -> float:
    """How unequal the shares were."""
    return gini(_outcome(model).shares)


def shares_vs_benefits(model: Pool) -> float:
    """Correlation of members' shares with what their goods were worth to them: near 1, each
    contributes for what they take."""
    o = _outcome(model)
    return correlation(o.shares, o.benefit)


def uncovered_hours(model: Pool) -> float:
    """Task hours nobody was assigned."""
    return float(sum(_outcome(model).plan.uncovered.values()))


def unmet_wishes(model: Pool) -> float:
    """Wished units not allocated (the plan's; see ``unmade_units`` for those allocated but
    not made)."""
    o = _outcome(model)
    return float(o.wished_units - o.bundles.sum())


def unmade_units(model: Pool) -> float:
    """Allocated units not made, for want of the hours their recipes needed."""
    o = _outcome(model)
    return float((o.bundles * (1 - o.delivered)).sum())


def overproduction(model: Pool) -> float:
    """Units projects planned (capacity) beyond what was wished of them (the hint board's)."""
    return _hint_units(_outcome(model).plan, Overproduction)


def underproduction(model: Pool) -> float:
    """Units wished of projects at capacity that they could not make (the hint board's)."""
    return _hint_units(_outcome(model).plan, Underproduction)


def envy(model: Pool) -> float:
    """Share of members envying another's goods at that member's cost (see
    :func:`envy_share`)."""
    o = _outcome(model)
    return envy_share(o.values, o.bundles * o.delivered, o.goods_cost)


def bid_misreport_gain(model: Pool) -> float:
    """Mean best gain of a sampled truthful member from scaling their bids, at the auction's
    prices (see :mod:`.misreport`)."""
    return _outcome(model).gains.bids


def bid_misreport_gain_pay_your_bid(model: Pool) -> float:
    """The same, had winners paid their bids."""
    return _outcome(model).gains.bids_pay_your_bid


def bid_misreport_gain_in_full(model: Pool) -> float:
    """The gain from scaling bids in full: final costs, shares and credits."""
    return _outcome(model).gains.bids_in_full


def ask_misreport_gain(model: Pool) -> float:
    """Mean best gain of a sampled truthful member from scaling their asks (``min_weight``)."""
    return _outcome(model).gains.asks


def hours_per_member(model: Pool) -> float:
    """Hours worked per member."""
    return float(_outcome(model).hours.mean())


def goods_per_member(model: Pool) -> float:
    """Units received (allocated and made) per member."""
    o = _outcome(model)
    return float((o.bundles * o.delivered).sum(axis=1).mean())


def weighted_effort(model: Pool) -> float:
    """The period's weighted effort: what the shares add up to."""
    return float(_outcome(model).plan.weighted_effort)


def premiums(model: Pool) -> float:
    """Premiums raised on auction goods (stage 1, per allocated unit, summed)."""
    goods = _outcome(model).plan.goods
    return float(sum(g.premium * g.allocated for g in goods.values()))


def other_goods_cost(model: Pool) -> float:
    """Mean cost of a unit of the goods not marked scarce (weighted by units allocated)."""
    return _mean_unit_cost(model, scarce=False)


def scarce_goods_cost(model: Pool) -> float:
    """Mean cost of a unit of the scarce goods."""
    return _mean_unit_cost(model, scarce=True)


def others_share(model: Pool) -> float:
    """Mean share of the members who take no unit of a scarce good (``nan`` if none): what
    the premiums' refund lowers."""
    plan = _outcome(model).plan
    scarce = {good for g, good in enumerate(model.goods) if model.scarce[g]}
    takers = {a.participant for a in plan.allocations if a.good in scarce}
    others = [share for who, share in plan.shares.items() if who not in takers]
    return float(np.mean(others)) if others else math.nan


def mean_weight(model: Pool) -> float:
    """Mean task weight, weighted by the hours each task needed."""
    plan = _outcome(model).plan
    hours: dict[str, float] = {}
    for a in plan.assignments:
        hours[a.task] = hours.get(a.task, 0.0) + a.hours
    for task, open_hours in plan.uncovered.items():
        hours[task] = hours.get(task, 0.0) + open_hours
    if not hours:
        return math.nan
    return float(np.average([plan.weights[t] for t in hours], weights=list(hours.values())))


def unit_costs(model: Pool) -> dict[str, float]:
    """Each good's unit cost (``nan`` where none was allocated)."""
    goods = _outcome(model).plan.goods
    return {g: r.unit_cost if r.allocated > 0 else math.nan for g, r in goods.items()}


def weights(model: Pool) -> dict[str, float]:
    """Each task's weight (``nan`` where it needed no hours)."""
    found = _outcome(model).plan.weights
    return {t: float(found.get(t, math.nan)) for t in model.tasks}


METRICS: dict[str, Callable[[Pool], float]] = {
    f.__name__: f
    for f in (
        total_utility, gini_hours, gini_shares, shares_vs_benefits, uncovered_hours,
        unmet_wishes, unmade_units, overproduction, underproduction, envy, bid_misreport_gain,
        bid_misreport_gain_pay_your_bid, bid_misreport_gain_in_full, ask_misreport_gain,
        hours_per_member, goods_per_member, weighted_effort, premiums, other_goods_cost,
        scarce_goods_cost, others_share, mean_weight,
    )
}
"""The scalar metrics of a period, by name, in the order reports show them."""

REPORTERS: dict[str, Callable[[Pool], Any]] = {
    **METRICS, "unit_costs": unit_costs, "weights": weights,
}
"""Everything gathered after each period: the metrics, and per good and task their costs
and weights."""
