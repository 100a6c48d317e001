"""The gain a member gets by misreporting, measured by clearing the period again.

For a few truthful members, sampled each period, the period's scenario is cleared again with
only that member's report changed (everyone else's as it was), and the member's utility under
their *true* preferences compared with what truthful reporting gave them. The gain is the
best misreport's utility less the truthful one (positive: lying paid).

Bids: every ``max_cost`` scaled by one of :data:`BID_FACTORS` (to the hundredth, as members
state them), judged two ways:

* at the auction's prices, the terms ``max_cost`` is stated in: the value of the auction goods
  won less their stage-1 cost (effort at the estimated weights plus the premium). This is
  where the minimal premiums are VCG prices and truthful bidding is best. The same is
  measured under a *pay-your-bid* rule, where a winner is charged the bid itself, which
  rewards shading.
* in full (:func:`utility`): the value of all goods received, less the disutility of the
  hours assigned, plus credits, less the share. Here the relative cost counts: premiums lower
  every charged unit's final cost, the scarce good's own included, so a member who values a
  scarce good between its final cost and its auction price could gain by overbidding, and a
  losing bidder by raising the premium others pay.

Asks: every ``min_weight`` scaled by one of :data:`ASK_FACTORS` (to the hundredth), judged in
full.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.scenario import Alternative, Scenario, Wish
from peerconomy.mechanisms.arrays import FloatArray

if TYPE_CHECKING:
    from peerconomy.sim.agents import Member

__all__ = ["ASK_FACTORS", "BID_FACTORS", "Gains", "auction_utility", "misreport_gains", "utility"]

BID_FACTORS = (0.5, 0.8, 0.95, 1.05, 1.25)
ASK_FACTORS = (0.8, 1.1, 1.25, 1.5)


@dataclass(frozen=True)
class Gains:
    """Mean over the sampled members of their best misreport's gain (``nan``: not measured,
    e.g. no sampled member had a bid to shade)."""

    bids: float = math.nan
    """At the auction's prices."""
    bids_pay_your_bid: float = math.nan
    """At the auction's prices, had winners paid their bids."""
    bids_in_full: float = math.nan
    """In full: all goods at their final costs, shares and credits."""
    asks: float = math.nan
    """In full."""


def utility(plan: ClearedPlan, member: Member, values: FloatArray, goods: dict[str, int]
            ) -> float:
    """The member's utility from a plan under their true preferences, in full: the value of
    the goods received, less the disutility of the hours assigned, plus credits, less the
    share."""
    name = member.name
    tasks = member.model.task_index
    value = sum(values[goods[a.good]] * a.quantity
                for a in plan.allocations if a.participant == name)
    effort = sum(member.traits.disutility[tasks[a.task]] * a.hours
                 for a in plan.assignments if a.participant == name)
    return float(value - effort + plan.credits[name] - plan.shares[name])


def auction_utility(
    plan: ClearedPlan,
    scenario: Scenario,
    member: Member,
    values: FloatArray,
    goods: dict[str, int],
    bids: Bids | None = None,
) -> float:
    """The value of the auction goods the member won less their stage-1 cost (effort at the
    scenario's estimated weights plus the premium); with ``bids``, less the bid for the
    alternative that won instead (pay-your-bid)."""
    estimates = scenario.settings.weight_estimates
    recipes = {g.id: g.recipe for g in scenario.goods if g.model == "auction"}
    types = {g.id: g.product_type or "" for g in scenario.goods}
    result = 0.0
    for a in plan.allocations:
        good = a.good
        if a.participant != member.name or good not in recipes:
            continue
        if bids is not None:
            wish = a.wish
            price = bids[(wish, good)] if (wish, good) in bids else bids[(wish, types[good])]
        else:
            effort = sum(estimates.get(t, 1.0) * h for t, h in recipes[good].items())
            price = effort + plan.goods[good].premium
        result += (values[goods[good]] - price) * a.quantity
    return result


Bids = dict[tuple[str, str], float]
"""A member's stated ``max_cost`` by wish id and the good or product type it names."""


def _bids(wishes: Sequence[Wish], name: str) -> Bids:
    return {
        (w.id, a.good or a.product_type or ""): a.max_cost
        for w in wishes if w.participant == name
        for a in w.alternatives if a.max_cost is not None
    }


def _willingness(
    values: FloatArray, truth: Bids, scenario: Scenario, goods: dict[str, int]
) -> FloatArray:
    """A truthful bidder's values, those of the goods they bid for being their bids: what the
    good is worth to them within the hours they can give (:meth:`Member.wishes`)."""
    row = values.copy()
    types = {g.id: g.product_type for g in scenario.goods}
    for (_, named), bid in truth.items():
        for good, i in goods.items():
            if good == named or types.get(good) == named:
                row[i] = bid
    return row


def _scaled_bids(scenario: Scenario, name: str, factor: float) -> Scenario:
    wishes = [
        w if w.participant != name else replace(w, alternatives=[
            a if a.max_cost is None else Alternative(good=a.good, product_type=a.product_type,
                                                     max_cost=round(a.max_cost * factor, 2))
            for a in w.alternatives
        ])
        for w in scenario.wishes
    ]
    return scenario.model_copy(update={"wishes": wishes})


def _scaled_asks(scenario: Scenario, name: str, factor: float) -> Scenario:
    offers = [o if o.participant != name
              else replace(o, min_weight=max(round(o.min_weight * factor, 2), 0.01))
              for o in scenario.offers]
    return scenario.model_copy(update={"offers": offers})


def misreport_gains(
    scenario: Scenario,
    plan: ClearedPlan,
    members: Sequence[Member],
    values: FloatArray,
    goods: Sequence[str],
    samples: int,
    rng: np.random.Generator,
) -> Gains:
    """Clear ``scenario`` (whose plan is ``plan``) again for up to ``samples`` truthful
    members with a bid and as many with an offer, each misreporting alone; the mean best
    gains."""
    index = {g: i for i, g in enumerate(goods)}
    position = {m.name: i for i, m in enumerate(members)}
    truthful = [m for m in members if m.traits.strategy == "truthful"]
    bidders = sorted({w.participant for w in scenario.wishes
                      if w.alternatives[0].max_cost is not None})
    offering = sorted({o.participant for o in scenario.offers})
    by_name = {m.name: m for m in truthful}
    chosen_bidders = _sample([by_name[b] for b in bidders if b in by_name], samples, rng)
    chosen_offering = _sample([by_name[o] for o in offering if o in by_name], samples, rng)

    bid_gains: list[float] = []
    pyb_gains: list[float] = []
    full_gains: list[float] = []
    ask_gains: list[float] = []
    for member in chosen_bidders:
        truth = _bids(scenario.wishes, member.name)
        row = _willingness(values[position[member.name]], truth, scenario, index)
        honest = auction_utility(plan, scenario, member, row, index)
        honest_pyb = auction_utility(plan, scenario, member, row, index, truth)
        honest_full = utility(plan, member, row, index)
        best = best_pyb = best_full = -math.inf
        for factor in BID_FACTORS:
            lied = _scaled_bids(scenario, member.name, factor)
            other = clear_scenario(lied)
            best = max(best, auction_utility(other, scenario, member, row, index))
            best_pyb = max(best_pyb, auction_utility(other, scenario, member, row, index,
                                                     _bids(lied.wishes, member.name)))
            best_full = max(best_full, utility(other, member, row, index))
        bid_gains.append(best - honest)
        pyb_gains.append(best_pyb - honest_pyb)
        full_gains.append(best_full - honest_full)
    for member in chosen_offering:
        row = values[position[member.name]]
        honest = utility(plan, member, row, index)
        best = max(utility(clear_scenario(_scaled_asks(scenario, member.name, f)), member, row,
                           index) for f in ASK_FACTORS)
        ask_gains.append(best - honest)
    return Gains(_mean(bid_gains), _mean(pyb_gains), _mean(full_gains), _mean(ask_gains))


def _sample(people: list[Member], k: int, rng: np.random.Generator) -> list[Member]:
    if len(people) <= k:
        return people
    return [people[i] for i in sorted(rng.choice(len(people), k, replace=False))]


def _mean(gains: list[float]) -> float:
    return float(np.mean(gains)) if gains else math.nan
