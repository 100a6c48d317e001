"""Stage 1 of a period: which wishes get which goods, and the premiums of scarce auction goods.

Problem. Each wish asks for ``quantity`` units, each from any of its alternatives (goods, in
the wisher's order of preference). A good has a capacity in units (or none). Goods follow one
of four models; three of them (``flat_rate``, ``flat_allocation``, ``effort``) are shared out
as wished while capacity lasts and by drawing lots where it does not; ``auction`` goods are
shared out by *preference weighting*.

Auction. A wisher names the most they would contribute for a unit (``max_cost``); its value
over the good's effort is ``max_cost - effort``. The units go where the total value is
greatest and each auction good gets the *minimal competitive premium*: the least premiums at
which every wisher gets units from one of their best alternatives (value minus premium) and
every good with a positive premium is fully taken: "raise the relative cost until enough
prospective users get second thoughts". For unit wishes these premiums are the VCG prices,
so naming one's true ``max_cost`` is best. A winner's stage-1 cost, effort plus premium,
never exceeds their ``max_cost``. A wish without ``max_cost`` takes a unit at effort cost
where one is left at premium 0.

Lottery. Non-auction wishes are served in an order drawn by lot (the caller draws the lots,
and :func:`draw_wish_orders` sorts the wishes by them), one unit per wish and round,
each unit from the first alternative with room; an alternative whose effort (0 for
``flat_rate``) exceeds a given ``max_cost`` is passed over.

Subscriptions. A wish may be a *subscription* (``wish_subscribed``: a wish with a term, a
veg box for the season): the lottery serves the subscriptions first, in rounds among
themselves until each has all its units or nothing left it can take, and only then the other
wishes, with what is left. So a subscription is never skipped while capacity covers the
subscriptions, and the lots decide among them only where they alone exceed it. In the
auction a subscription is an ordinary bid.

Limits. A good may have a *limit*: the most units one participant may receive of it in a
period, summed over all their wishes. The lottery passes over an alternative whose good the
wisher has reached the limit of. The auction caps each wish's units of a good at the limit;
where one participant's several auction wishes would together exceed it, the units over the
limit are withdrawn from the wishes served last and the auction is cleared again with those
wishes' units of that good capped at what is left to them (until no limit is passed); where
they got just the limit, their wishes' units of the good are capped at what they got, so units
out of their reach at any premium never raise it. So the premiums are the minimal competitive
ones of the market as capped. Units a wisher already
holds of a good (won in an earlier period, ``alt_held``) count toward its limit.

Only wished goods are produced: production is allocation.

Example. The seaside flats A and B (one each): x offers up to 10 over effort for A and 8 for
B, y 9 for A, z 5 for B. x gets B, y gets A; premiums A 7, B 5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peerconomy.mechanisms.arrays import BoolArray, FloatArray, IntArray, UIntArray
from peerconomy.mechanisms.flow import Market, solve

__all__ = ["AUCTION", "EFFORT", "FLAT_ALLOCATION", "FLAT_RATE", "GoodsAllocation", "GoodsMarket",
           "WishOrders", "allocate_goods", "auction_wishes", "draw_wish_orders",
           "subscriptions"]

FLAT_RATE, FLAT_ALLOCATION, EFFORT, AUCTION = 0, 1, 2, 3


@dataclass(frozen=True)
class GoodsMarket:
    """Goods and wishes. Alternatives are flat arrays grouped by wish, in preference order.

    ``alt_max_cost`` is ``nan`` where the wisher gave no ``max_cost``.
    """

    good_model: IntArray  # (goods,) FLAT_RATE .. AUCTION
    good_capacity: FloatArray  # (goods,) units, inf for no limit
    good_effort: FloatArray  # (goods,) stage-1 effort per unit, in standard hours
    wish_quantity: IntArray  # (wishes,)
    alt_wish: IntArray  # (alternatives,) non-decreasing
    alt_good: IntArray
    alt_max_cost: FloatArray
    good_limit: FloatArray | None = None
    """(goods,) the most units one participant may receive, inf for no limit; None: none."""
    wish_participant: IntArray | None = None
    """(wishes,) whose wish it is (read where there are limits)."""
    wish_subscribed: BoolArray | None = None
    """(wishes,) which wishes are subscriptions, served first in the lottery; None: none."""
    alt_held: FloatArray | None = None
    """(alternatives,) units the wisher already holds of the alternative's good, which count
    toward its limit; None: none held."""

    def part(
        self,
        wishes: IntArray,
        goods: IntArray,
        alts: IntArray,
        local_wish: IntArray,
        local_good: IntArray,
    ) -> GoodsMarket:
        """The market of some of its wishes, goods and alternatives (ascending indexes);
        ``local_wish`` and ``local_good`` give each wish's and good's index in the part."""
        return GoodsMarket(
            good_model=self.good_model[goods],
            good_capacity=self.good_capacity[goods],
            good_effort=self.good_effort[goods],
            wish_quantity=self.wish_quantity[wishes],
            alt_wish=local_wish[self.alt_wish[alts]],
            alt_good=local_good[self.alt_good[alts]],
            alt_max_cost=self.alt_max_cost[alts],
            good_limit=None if self.good_limit is None else self.good_limit[goods],
            wish_participant=(None if self.wish_participant is None
                              else self.wish_participant[wishes]),
            wish_subscribed=(None if self.wish_subscribed is None
                             else self.wish_subscribed[wishes]),
            alt_held=None if self.alt_held is None else self.alt_held[alts],
        )

    def limited(self) -> bool:
        """Whether any good has a limit (and so whose wish is which matters)."""
        return (self.good_limit is not None and self.wish_participant is not None
                and bool(np.any(np.isfinite(self.good_limit))))


@dataclass(frozen=True)
class GoodsAllocation:
    """Units along each alternative, premium per good (0 but for scarce auction goods)."""

    alt_units: IntArray
    premium: FloatArray
    production: IntArray


@dataclass(frozen=True)
class WishOrders:
    """The orders the wishes are served in, drawn by the caller: the auction wishes (ties
    between equal bids go to the wish served first) and the lottery wishes (those wanting a
    non-auction good), each as wish indexes in the order served."""

    auction: IntArray
    lottery: IntArray


def auction_wishes(market: GoodsMarket) -> BoolArray:
    """Which wishes are auction wishes: all alternatives of a wish share a kind (checked by
    the scenario), so a wish is an auction wish if any of its alternatives is."""
    is_auction = np.zeros(len(market.wish_quantity), dtype=bool)
    is_auction[market.alt_wish[market.good_model[market.alt_good] == AUCTION]] = True
    return is_auction


def subscriptions(market: GoodsMarket) -> BoolArray:
    """Which wishes are subscriptions (none where the market does not say)."""
    if market.wish_subscribed is None:
        return np.zeros(len(market.wish_quantity), dtype=bool)
    return np.asarray(market.wish_subscribed, dtype=bool)


def draw_wish_orders(market: GoodsMarket, lot: UIntArray) -> WishOrders:
    """The orders of the wishes by lot: the auction wishes, then the lottery wishes, each
    sorted by their lots (``lot``, one per wish, drawn by the caller), ties by index; the
    lottery's subscriptions before its other wishes."""
    is_auction = auction_wishes(market)
    auction = np.flatnonzero(is_auction)
    wanting = np.flatnonzero(~is_auction & (market.wish_quantity > 0))
    later = ~subscriptions(market)[wanting]
    return WishOrders(
        auction=auction[np.argsort(lot[auction], kind="stable")].astype(np.int64),
        lottery=wanting[np.lexsort((lot[wanting], later))].astype(np.int64),
    )


def allocate_goods(market: GoodsMarket, orders: WishOrders) -> GoodsAllocation:
    """Allocate every wish: the auction for auction wishes, the lottery for the others, each
    serving its wishes in the given order (which lists exactly those wishes)."""
    n_goods = len(market.good_model)
    alt_units = np.zeros(len(market.alt_good), dtype=np.int64)
    auction_alt = market.good_model[market.alt_good] == AUCTION
    is_auction = auction_wishes(market)
    wanting = ~is_auction & (market.wish_quantity > 0)
    if len(orders.auction) != np.count_nonzero(is_auction) or len(orders.lottery) != (
        np.count_nonzero(wanting)
    ):
        raise ValueError("the orders must list exactly the auction and the lottery wishes")
    premium = _auction(market, orders.auction, auction_alt, alt_units)
    _lottery(market, orders.lottery, alt_units)
    production = np.bincount(market.alt_good, weights=alt_units, minlength=n_goods)
    return GoodsAllocation(
        alt_units=alt_units, premium=premium, production=np.rint(production).astype(np.int64)
    )


def _auction(
    market: GoodsMarket, order: IntArray, auction_alt: BoolArray, alt_units: IntArray
) -> FloatArray:
    """Fill ``alt_units`` for the auction wishes, served in ``order`` (ties between equal
    bids go to the wish served first); return the minimal competitive premiums."""
    n_goods = len(market.good_model)
    premium = np.zeros(n_goods, dtype=np.float64)
    if len(order) == 0:
        return premium
    row_of = np.full(len(market.wish_quantity), -1, dtype=np.int64)
    row_of[order] = np.arange(len(order), dtype=np.int64)
    goods = np.flatnonzero(market.good_model == AUCTION)
    col_of = np.full(n_goods, -1, dtype=np.int64)
    col_of[goods] = np.arange(len(goods), dtype=np.int64)

    alt_cost = market.alt_max_cost
    value = np.where(np.isnan(alt_cost), 0.0, alt_cost - market.good_effort[market.alt_good])
    arcs = np.flatnonzero(auction_alt & (value >= 0.0))
    limited = market.limited()
    arc_capacity = (np.maximum(np.asarray(market.good_limit, dtype=np.float64)[
        market.alt_good[arcs]] - _held(market)[arcs], 0.0)
                    if limited else np.full(len(arcs), np.inf))
    while True:  # again only where one participant's wishes together passed a limit
        result = solve(
            Market(
                row_supply=market.wish_quantity[order].astype(np.float64),
                col_capacity=market.good_capacity[goods].astype(np.float64),
                arc_row=row_of[market.alt_wish[arcs]],
                arc_col=col_of[market.alt_good[arcs]],
                arc_value=value[arcs],
                arc_capacity=arc_capacity,
            ),
            prices="min",
        )
        flow = np.rint(result.flow).astype(np.int64)
        if not limited or not _cap_shared_limits(market, arcs, flow, row_of, arc_capacity):
            break
    alt_units[arcs] = flow
    premium[goods] = result.col_price
    return premium


def _cap_shared_limits(
    market: GoodsMarket, arcs: IntArray, flow: IntArray, row_of: IntArray,
    arc_capacity: FloatArray,
) -> bool:
    """Where one participant's auction wishes got a good's limit of it or more, cap their arcs
    to that good (in ``arc_capacity``) at the units they got, in the order the wishes are
    served, until the limit is used up; whether any cap fell. A participant at the limit can
    get no more of the good at any premium, so their wishes' units beyond it must not price
    it: capped, they go unserved at no premium. Caps only fall, by at least a unit each time
    (a flow is whole units), so the passes end."""
    assert market.good_limit is not None and market.wish_participant is not None
    n_goods = len(market.good_model)
    wish = market.alt_wish[arcs]
    good = market.alt_good[arcs]
    key = market.wish_participant[wish] * n_goods + good
    keys, inverse = np.unique(key, return_inverse=True)
    got = np.bincount(inverse, weights=flow, minlength=len(keys))
    held = np.zeros(len(keys), dtype=np.float64)
    np.maximum.at(held, inverse, _held(market)[arcs])  # the same for every arc of a key
    room = np.maximum(market.good_limit[keys % n_goods] - held, 0.0)
    fell = False
    for k in np.flatnonzero(got >= room).tolist():
        left = float(room[k])
        mine = np.flatnonzero(inverse == k)
        for arc in mine[np.argsort(row_of[wish[mine]], kind="stable")].tolist():
            cap = min(float(flow[arc]), left)
            fell = fell or cap < arc_capacity[arc]
            arc_capacity[arc] = cap
            left -= cap
    return fell


def _held(market: GoodsMarket) -> FloatArray:
    """Per alternative, the units its wisher already holds of its good (0 where none)."""
    if market.alt_held is None:
        return np.zeros(len(market.alt_good), dtype=np.float64)
    return market.alt_held


def _lottery(market: GoodsMarket, order: IntArray, alt_units: IntArray) -> None:
    """Fill ``alt_units`` for the non-auction wishes: one unit per wish and round, the wishes
    served in ``order`` (drawn by lot); the subscriptions first, until they are served, then
    the others."""
    starts = np.searchsorted(market.alt_wish, np.arange(len(market.wish_quantity) + 1))
    room = market.good_capacity.astype(np.float64).copy()
    remaining = market.wish_quantity.astype(np.int64).copy()
    received: dict[tuple[int, int], float] = {}  # (participant, good) -> units, with limits
    first = subscriptions(market)[order]
    for tier in (order[first], order[~first]):
        _rounds(market, tier, starts, room, remaining, received, alt_units)


def _rounds(
    market: GoodsMarket, order: IntArray, starts: IntArray, room: FloatArray,
    remaining: IntArray, received: dict[tuple[int, int], float], alt_units: IntArray,
) -> None:
    """Serve the wishes in ``order`` one unit per wish and round until none can take more,
    using up ``room`` and ``remaining`` (and ``received`` where goods have limits)."""
    stage1_cost = np.where(market.good_model == FLAT_RATE, 0.0, market.good_effort)
    active = [int(w) for w in order]
    limited = market.limited()
    limit = market.good_limit
    owner = market.wish_participant
    held = _held(market) if limited else None
    while active:
        still = []
        for w in active:
            for a in range(starts[w], starts[w + 1]):
                g = int(market.alt_good[a])
                cap = market.alt_max_cost[a]
                if room[g] < 1.0 or (not np.isnan(cap) and stage1_cost[g] > cap):
                    continue
                take = int(remaining[w]) if np.isinf(room[g]) else 1
                if limited:
                    assert limit is not None and owner is not None
                    assert held is not None
                    key = (int(owner[w]), g)
                    left = limit[g] - received.get(key, 0.0) - held[a]
                    if left < 1.0:
                        continue
                    take = int(min(take, left))
                    received[key] = received.get(key, 0.0) + take
                alt_units[a] += take
                room[g] -= take
                remaining[w] -= take
                if remaining[w] > 0:
                    still.append(w)
                break
        active = still

