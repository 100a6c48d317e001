"""The claims the shipped experiments test, each checked on the runs' own figures.

A configuration names its claim (``claim = "auction_lowers_costs"``); after the runs,
:func:`check` reads the comparisons (one, or one per sweep point) and returns a
:class:`Verdict`: the claim in words, whether the runs bear it out, and the figures it rests
on, for the report and for the tests that run each experiment small.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from peerconomy.sim.runner import Comparison, Run

__all__ = ["CLAIMS", "Verdict", "check", "point_label"]

_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Verdict:
    """Whether the runs bear a claim out, and the figures that say so."""

    claim: str
    statement: str
    holds: bool
    figures: list[tuple[str, float]]
    metrics: list[str]
    """The metrics the report plots for this claim."""


def point_label(point: dict[str, object]) -> str:
    """A sweep point as text (``coordinate_product_types=true``)."""
    return ", ".join(f"{path}={_show(value)}" for path, value in point.items()) or "as given"


def _show(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _mean(run: Run, metric: str, skip: int = 0) -> float:
    series = [v for v in run.metrics[metric][skip:] if not math.isnan(v)]
    return float(np.mean(series)) if series else math.nan


def _two(comparison: Comparison, first: str, second: str, claim: str) -> tuple[Run, Run]:
    try:
        return comparison.run(first), comparison.run(second)
    except KeyError:
        raise ValueError(f"claim {claim!r} compares the rules {first!r} and {second!r};"
                         " list both under rules") from None


def auction_lowers_costs(comparisons: Sequence[Comparison]) -> Verdict:
    """(a) Auctioning a scarce good lowers the contribution of everyone who does not take it:
    its premiums come back to all in equal parts."""
    auction, effort = _two(comparisons[0], "auction", "effort", "auction_lowers_costs")
    with_auction, without = _mean(auction, "others_share"), _mean(effort, "others_share")
    raised = _mean(auction, "premiums")
    figures: list[tuple[str, float]] = [
        ("share of a member without a scarce good, with the auction", with_auction),
        ("share of a member without a scarce good, at effort (lottery)", without),
        ("premiums raised per period", raised),
    ]
    holds = not math.isnan(with_auction) and with_auction < without and raised > 0
    return Verdict("auction_lowers_costs", "Auctioning the scarce goods lowers the share of"
                   " everyone who does not take one (the premiums come back in equal parts).",
                   holds, figures, ["others_share", "premiums", "scarce_goods_cost"])


def weights_cover_unpopular_tasks(comparisons: Sequence[Comparison]) -> Verdict:
    """(b) Automatic task weights cover unpopular tasks that fixed weights leave open."""
    auto, fixed = _two(comparisons[0], "auction", "fixed_weights",
                       "weights_cover_unpopular_tasks")
    skip = 1  # the automatic weights learn from the first period's plan
    open_auto, open_fixed = (_mean(r, "uncovered_hours", skip) for r in (auto, fixed))
    config = comparisons[0].config
    unpopular = max(config.tasks, key=lambda t: sum(t.disutility)).id
    figures = [
        ("uncovered hours per period, automatic weights", open_auto),
        ("uncovered hours per period, fixed weights", open_fixed),
        (f"weight of {unpopular} (automatic)",
         _nanmean([w[unpopular] for w in auto.weights[skip:]])),
        (f"weight of {unpopular} (fixed)", _nanmean([w[unpopular] for w in fixed.weights])),
    ]
    return Verdict("weights_cover_unpopular_tasks", "Automatic task weights cover unpopular"
                   " tasks that fixed weights leave open.", open_fixed > 0
                   and open_auto < open_fixed, figures, ["uncovered_hours", "mean_weight"])


def coordination_reduces_overproduction(comparisons: Sequence[Comparison]) -> Verdict:
    """(c) Projects that coordinate on a product type overproduce less."""
    by_point = {bool(c.point.get("coordinate_product_types")): c.runs[0] for c in comparisons}
    if set(by_point) != {False, True}:
        raise ValueError("claim 'coordination_reduces_overproduction' needs a sweep over"
                         " coordinate_product_types = [false, true]")
    alone, together = by_point[False], by_point[True]
    figures = [
        ("overproduction per period, each project alone", _mean(alone, "overproduction")),
        ("overproduction per period, coordinated", _mean(together, "overproduction")),
        ("unmet wishes per period, each project alone", _mean(alone, "unmet_wishes")),
        ("unmet wishes per period, coordinated", _mean(together, "unmet_wishes")),
    ]
    return Verdict("coordination_reduces_overproduction", "Projects that coordinate on a"
                   " product type overproduce less.",
                   figures[1][1] < figures[0][1], figures, ["overproduction", "unmet_wishes"])


def luxury_and_laziness(comparisons: Sequence[Comparison]) -> Verdict:
    """(d) Luxury and laziness trade off: the more members want, the more they work."""
    hours = [_mean(c.runs[0], "hours_per_member") for c in comparisons]
    goods = [_mean(c.runs[0], "goods_per_member") for c in comparisons]
    figures: list[tuple[str, float]] = []
    for c, h, g in zip(comparisons, hours, goods, strict=True):
        label = point_label(c.point)
        figures += [(f"{label}: hours per member", h), (f"{label}: goods per member", g)]
    rising = all(b >= a for a, b in pairwise(hours)) and all(
        b >= a for a, b in pairwise(goods))
    mixed = [c.runs[0].by_strategy() for c in comparisons]
    each_pays = all(
        s["luxury"]["hours"] > s["laziness"]["hours"]
        and s["luxury"]["goods"] > s["laziness"]["goods"]
        for s in mixed if {"luxury", "laziness"} <= set(s)
    )
    return Verdict("luxury_and_laziness", "Luxury and laziness trade off: the more of the pool"
                   " prefers luxury, the more goods it gets and the more hours it works; in each"
                   " mix, luxury-loving members work more and get more than lazy ones.",
                   rising and hours[-1] > hours[0] and each_pays, figures,
                   ["hours_per_member", "goods_per_member"])


def truthful_bidding(comparisons: Sequence[Comparison]) -> Verdict:
    """(e) Truthful max_cost is a best response for unit wishes; pay-your-bid rewards
    shading."""
    auction = comparisons[0].run("auction")
    gains = [v for v in auction.metrics["bid_misreport_gain"] if not math.isnan(v)]
    paid = _mean(auction, "bid_misreport_gain_pay_your_bid")
    figures = [
        ("largest gain from misreporting a bid (auction prices)", max(gains, default=math.nan)),
        ("mean gain from misreporting a bid (auction prices)", _mean(auction,
                                                                     "bid_misreport_gain")),
        ("mean gain from shading under pay-your-bid", paid),
        ("mean gain from misreporting a bid in full (relative cost)",
         _mean(auction, "bid_misreport_gain_in_full")),
    ]
    holds = bool(gains) and max(gains) <= _TOLERANCE and paid > _TOLERANCE
    return Verdict("truthful_bidding", "Stating one's true max_cost is a best response for"
                   " unit wishes (misreporting gains nothing at the auction's prices), where a"
                   " pay-your-bid rule would reward shading.", holds, figures,
                   ["bid_misreport_gain", "bid_misreport_gain_pay_your_bid",
                    "bid_misreport_gain_in_full"])


CLAIMS: dict[str, Callable[[Sequence[Comparison]], Verdict]] = {
    f.__name__: f
    for f in (auction_lowers_costs, weights_cover_unpopular_tasks,
              coordination_reduces_overproduction, luxury_and_laziness, truthful_bidding)
}


def check(claim: str, comparisons: Sequence[Comparison]) -> Verdict:
    """Check the named claim on the runs; ``ValueError`` if they cannot show it."""
    if claim not in CLAIMS:
        raise ValueError(f"no claim {claim!r}; the claims are {', '.join(CLAIMS)}")
    return CLAIMS[claim](comparisons)


def _nanmean(values: Sequence[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return float(np.mean(finite)) if finite else math.nan
