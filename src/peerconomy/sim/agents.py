"""The simulated members: what each dislikes, wants and can give, and how they report it.

A member's traits are drawn once, from the configuration's ranges, by a generator of their
own (:func:`draw_population`), so the same seed gives the same people under every rule
compared. Each period a member reads the pool's last plan (:class:`Market`), offers hours on
the tasks that paid best over their disutility, wishes for the goods worth more to them than
they last cost, and does their assignments, now and then falling short.

Strategies: ``truthful`` members report their disutility as ``min_weight`` and their value
as ``max_cost``; ``shading`` members ask ``shade`` more and bid ``shade`` less; ``luxury``
members value goods ``taste`` times more and can work ``taste`` times more hours;
``laziness`` members the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import mesa
import numpy as np
from numpy.typing import NDArray

from peerconomy.domain.scenario import Alternative, GoodModel, Offer, Wish
from peerconomy.mechanisms.arrays import FloatArray
from peerconomy.sim.config import GoodConfig, SimulationConfig

__all__ = ["STRATEGIES", "Market", "Member", "Strategy", "Traits", "alike", "draw_population"]

Strategy = Literal["truthful", "shading", "luxury", "laziness"]
STRATEGIES: tuple[Strategy, ...] = ("truthful", "shading", "luxury", "laziness")
_LEAST_WEIGHT = 0.01
_DECIMALS = 2
"""Members state weights and bids to the hundredth, and hours to the tenth."""


@dataclass(frozen=True)
class Traits:
    """One member's true preferences: disutility per hour of each task, value of a unit of
    each good (in hours), hours they can give, and how they report."""

    disutility: FloatArray
    values: FloatArray
    capacity: float
    strategy: Strategy


@dataclass(frozen=True)
class Market:
    """What a member sees when making offers and wishes: the task ids and the weights they
    pay (the last plan's, or fixed ones), the goods with their models and expected costs."""

    tasks: Sequence[str]
    weights: FloatArray
    """Per task: the weight it last paid (auction rule) or its fixed weight."""
    fixed: bool
    """Fixed weights: offer only where the weight covers one's ask, at that weight."""
    max_weight: float
    goods: Sequence[str]
    models: Sequence[GoodModel]
    expected_cost: FloatArray
    """Per good: what a unit is expected to cost its taker (smoothed over past periods)."""
    effort: FloatArray
    """Per good: its effort at the expected weights (what an auction good costs at least)."""
    units: Sequence[int]
    product_types: Sequence[str | None]
    """Per good: its product type; a member wants one unit of a type, not one of each good."""
    coordinated: bool
    """Wishes name the product type (any producer will do), not the producer's good."""


def alike(goods: Sequence[GoodConfig]) -> NDArray[np.int64]:
    """Per good, the first good of its product type (itself where it has none): the column
    of a (members, goods) array it takes its draws from, so that a member's draws for the
    goods of one type are alike."""
    first: dict[str, int] = {}
    return np.array([g if good.product_type is None else first.setdefault(good.product_type, g)
                     for g, good in enumerate(goods)], dtype=np.int64)


def draw_population(config: SimulationConfig, rng: np.random.Generator) -> list[Traits]:
    """The members' traits, drawn from the configuration's ranges; strategies in exactly the
    configured proportions (largest remainders), in a drawn order. A member values the goods
    of one product type alike (the first one's draw): any producer's bread is bread."""
    agents = config.agents
    n = agents.count
    shares = np.array([getattr(agents.strategies, s) for s in STRATEGIES], dtype=float)
    exact = shares / shares.sum() * n
    counts = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    strategies = np.repeat(np.arange(len(STRATEGIES)), counts)
    rng.shuffle(strategies)
    low, high = (np.array([t.disutility[k] for t in config.tasks]) for k in (0, 1))
    disutility = rng.uniform(low, high, size=(n, len(config.tasks)))
    low, high = (np.array([g.value[k] for g in config.goods]) for k in (0, 1))
    values = rng.uniform(low, high, size=(n, len(config.goods)))[:, alike(config.goods)]
    capacity = rng.uniform(*agents.capacity, size=n)
    taste = agents.strategies.taste
    people = []
    for i in range(n):
        strategy = STRATEGIES[strategies[i]]
        scale = {"luxury": taste, "laziness": 1 / taste}.get(strategy, 1.0)
        people.append(Traits(disutility[i], values[i] * scale,
                             round(float(capacity[i] * scale), 1), strategy))
    return people


class Member(mesa.Agent):  # type: ignore[misc]
    """A member of the simulated pool, with an id the pool knows them by."""

    def __init__(self, model: mesa.Model, name: str, traits: Traits, shade: float) -> None:
        super().__init__(model)
        self.name = name
        self.traits = traits
        self.shade = shade if traits.strategy == "shading" else 0.0

    def asks(self) -> FloatArray:
        """The ``min_weight`` they would name on each task, to the hundredth (as people
        state numbers, and as the engine clears fastest and exactly)."""
        asked: FloatArray = np.maximum(
            np.round(self.traits.disutility * (1 + self.shade), _DECIMALS), _LEAST_WEIGHT
        )
        return asked

    def offers(self, market: Market, how_many: int) -> list[Offer]:
        """Up to ``how_many`` offers, of all their hours, on the tasks that pay best over what
        they ask (fixed weights: only where the weight covers the ask, at that weight)."""
        asks = self.asks()
        acceptable = asks <= (market.weights if market.fixed else market.max_weight)
        surplus = np.where(acceptable, market.weights - asks, -np.inf)
        order = np.lexsort((asks, -surplus))[:how_many]
        hours = self.traits.capacity
        return [
            Offer(
                participant=self.name,
                task=market.tasks[t],
                hours=hours,
                min_weight=float(market.weights[t] if market.fixed else asks[t]),
            )
            for t in sorted(order)
            if acceptable[t]
        ]

    def bid(self, value: float) -> float:
        """The ``max_cost`` they state for a good worth ``value`` to them."""
        return round(value * (1 - self.shade), _DECIMALS)

    def wishes(self, market: Market, values: FloatArray) -> list[Wish]:
        """Wishes for the goods worth more to them this period (``values``) than a unit is
        expected to cost, best value for the cost first, while the expected costs fit in the
        hours they can give: nobody plans to take more than they could contribute. An auction
        good is worth to them at most the hours they have left; they wish for it where that
        beats its effort, and bid (:meth:`bid`) that worth. Goods of a product type are
        wished for as the type (at the best value among them) or, where members do not
        coordinate, as the producer worth most to them."""
        wanted: dict[str, tuple[float, list[int]]] = {}
        for g, good in enumerate(market.goods):
            key = market.product_types[g] or good
            best, _ = wanted.get(key, (-np.inf, []))
            if values[g] > best:
                wanted[key] = (float(values[g]), [g])
            elif values[g] == best:
                wanted[key][1].append(g)
        made = []
        budget = self.traits.capacity
        ranked = sorted(wanted.items(), key=lambda item: (
            -item[1][0] / max(market.expected_cost[item[1][1][0]], 1e-9), item[0]))
        for key, (value, goods) in ranked:
            g = goods[0]
            units = market.units[g]
            spend = market.expected_cost[g] * units
            max_cost = None
            if market.models[g] == "auction":  # worth to them: at most what they can give
                worth = min(value, budget / units)
                if worth <= market.effort[g]:
                    continue
                max_cost = self.bid(worth)
                budget -= min(spend, worth * units)
            elif value <= market.expected_cost[g] or spend > budget:
                continue
            else:
                budget -= spend
            if market.coordinated and market.product_types[g] is not None:
                alternatives = [Alternative(product_type=key, max_cost=max_cost)]
            else:
                alternatives = [Alternative(good=market.goods[g], max_cost=max_cost)]
            made.append(Wish(participant=self.name, id=f"{self.name}/{key}",
                             quantity=market.units[g], alternatives=alternatives))
        return made

    def work(
        self, assignments: Mapping[str, float], shortfall_chance: float, rng: np.random.Generator
    ) -> dict[str, float]:
        """The hours they do of each assignment: all of it, or with ``shortfall_chance`` a
        uniformly drawn part."""
        done = {}
        for task, hours in assignments.items():
            short = rng.random() < shortfall_chance
            part = rng.random() if short else 1.0
            done[task] = hours * part
        return done
