"""Stage 1's subscriptions: wishes with a term are served first in the lottery.

The farm's veg boxes: a Solawi sells shares for the season (subscriptions, a box a week for
26 weeks) and lets members wish for a box now and then besides. Where more boxes are wished
than the farm grows, the season's shares come first.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_goods import allocate, goods_market, units_per_wish

from peerconomy.mechanisms.goods import (
    AUCTION,
    EFFORT,
    FLAT_ALLOCATION,
    FLAT_RATE,
    GoodsAllocation,
    GoodsMarket,
    WishOrders,
    allocate_goods,
    draw_wish_orders,
    subscriptions,
)

NAN = math.nan
INF = math.inf
BOX, EGGS = 0, 1


def subscribed(market: GoodsMarket, which: list[bool]) -> GoodsMarket:
    return replace(market, wish_subscribed=np.array(which, dtype=bool))


def farm() -> GoodsMarket:
    """Three veg boxes this week. Ana and Ben hold season shares (a box each), Cem a share of
    two boxes; Dora and Emil wish for a box this week only."""
    return subscribed(
        goods_market([(EFFORT, 3, 2.0)],
                     [(1, [(BOX, NAN)]), (1, [(BOX, NAN)]), (2, [(BOX, NAN)]),
                      (1, [(BOX, NAN)]), (1, [(BOX, NAN)])]),
        [True, True, False, False, False],
    )


def test_the_season_shares_get_their_boxes_whatever_the_lots() -> None:
    # ana, ben: shares; cem (two boxes), dora, emil: this week only. One box is left for the
    # three of them, and the lots say whose it is.
    market = farm()
    winners = set()
    for seed in range(40):
        got = units_per_wish(market, allocate(market, seed))
        assert got[0] == {BOX: 1} and got[1] == {BOX: 1}
        assert sum(sum(g.values()) for g in got[2:]) == 1
        winners |= {w for w in (2, 3, 4) if got[w]}
    assert winners == {2, 3, 4}  # each of the others wins in some week


def test_a_share_of_two_boxes_gets_both_before_anyone_else_gets_one() -> None:
    # the lottery serves a unit per wish and round; a share's second box still comes first
    market = subscribed(goods_market([(EFFORT, 2, 1.0)], [(2, [(BOX, NAN)]), (1, [(BOX, NAN)])]),
                        [True, False])
    for seed in range(20):
        assert units_per_wish(market, allocate(market, seed)) == [{BOX: 2}, {}]


def test_shares_beyond_capacity_are_drawn_among_themselves_and_the_rest_get_nothing() -> None:
    # two boxes, three shares and a wish for this week: the week's wish never gets a box
    market = subscribed(goods_market([(EFFORT, 2, 1.0)], [(1, [(BOX, NAN)])] * 4),
                        [True, True, True, False])
    seen = set()
    for seed in range(40):
        got = units_per_wish(market, allocate(market, seed))
        assert got[3] == {}
        assert [bool(g) for g in got[:3]].count(True) == 2
        seen.add(tuple(bool(g) for g in got[:3]))
    assert len(seen) == 3  # every share is the one left out in some week


def test_the_order_puts_the_shares_first_each_by_its_lot() -> None:
    market = farm()
    lot = np.array([50, 40, 10, 30, 20], dtype=np.uint64)
    orders = draw_wish_orders(market, lot)
    assert orders.lottery.tolist() == [1, 0, 2, 4, 3]
    assert orders.auction.tolist() == []


def test_a_share_takes_its_next_alternative_before_a_weekly_wish_takes_it() -> None:
    # one box and plenty of eggs: the share wants a box or else eggs; both weekly wishes
    # want a box. The share takes the box, whatever the order given.
    market = subscribed(
        goods_market([(EFFORT, 1, 1.0), (EFFORT, 1, 1.0)],
                     [(1, [(BOX, NAN)]), (1, [(BOX, NAN), (EGGS, NAN)])]),
        [False, True])
    none = np.array([], dtype=np.int64)
    for order in ([0, 1], [1, 0]):
        given_order = WishOrders(auction=none, lottery=np.array(order, dtype=np.int64))
        assert units_per_wish(market, allocate_goods(market, given_order)) == [{}, {BOX: 1}]


def test_a_term_does_not_change_the_auction() -> None:
    # the seaside flats: a bid with a term is an ordinary bid
    market = goods_market([(AUCTION, 1, 0.0), (AUCTION, 1, 0.0)],
                          [(1, [(0, 10.0), (1, 8.0)]), (1, [(0, 9.0)]), (1, [(1, 5.0)])])
    plain = allocate(market)
    for which in ([True, False, False], [False, True, True], [True, True, True]):
        with_terms = allocate(subscribed(market, which))
        assert with_terms.alt_units.tolist() == plain.alt_units.tolist()
        assert with_terms.premium.tolist() == plain.premium.tolist() == [7.0, 5.0]


def test_a_market_without_subscriptions_says_none() -> None:
    assert subscriptions(goods_market([(EFFORT, 1, 1.0)], [(1, [(0, NAN)])])).tolist() == [False]


# --- properties ----------------------------------------------------------------------------


@st.composite
def lottery_markets(draw: st.DrawFn) -> GoodsMarket:
    """Small non-auction markets, some wishes subscriptions, some goods with limits."""
    n_goods, n_people = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    goods = [(draw(st.sampled_from([FLAT_RATE, FLAT_ALLOCATION, EFFORT])),
              float(draw(st.sampled_from([0, 1, 2, 3, 5, INF]))), float(draw(st.integers(0, 3))))
             for _ in range(n_goods)]
    wishes = []
    for _ in range(draw(st.integers(1, 8))):
        picked = draw(st.lists(st.integers(0, n_goods - 1), min_size=1, max_size=2, unique=True))
        wishes.append((draw(st.integers(1, 3)),
                       [(g, draw(st.sampled_from([NAN, 1.0, 3.0]))) for g in picked]))
    market = goods_market(goods, wishes)
    limits = [float(draw(st.sampled_from([1, 2, INF]))) for _ in range(n_goods)]
    return replace(
        market,
        good_limit=np.array(limits, dtype=np.float64) if draw(st.booleans()) else None,
        wish_participant=np.array([draw(st.integers(0, n_people - 1)) for _ in wishes],
                                  dtype=np.int64),
        wish_subscribed=np.array([draw(st.booleans()) for _ in wishes], dtype=bool),
    )


def _only(market: GoodsMarket, keep: np.ndarray) -> GoodsMarket:
    """The market with the wishes not in ``keep`` asking for nothing (no units, no draw)."""
    return replace(market, wish_quantity=np.where(keep, market.wish_quantity, 0))


def _subscription_units(market: GoodsMarket, result: GoodsAllocation) -> list[int]:
    """Units along each alternative of a subscription (0 for the other wishes')."""
    assert market.wish_subscribed is not None
    return np.where(market.wish_subscribed[market.alt_wish], result.alt_units, 0).tolist()


@settings(max_examples=300, deadline=None)
@given(market=lottery_markets(), seed=st.integers(0, 1000))
def test_the_other_wishes_never_change_what_the_subscriptions_get(
    market: GoodsMarket, seed: int
) -> None:
    # whatever the wishes without a term are, the subscriptions get exactly what they would
    # get alone; so a subscription is never skipped while capacity covers the subscriptions
    assert market.wish_subscribed is not None
    alone = _only(market, market.wish_subscribed)
    assert _subscription_units(market, allocate(market, seed)) == _subscription_units(
        alone, allocate(alone, seed))


@st.composite
def one_choice_markets(draw: st.DrawFn) -> GoodsMarket:
    """Non-auction markets where each wish names one good and no ``max_cost``, and the
    capacities cover the subscriptions (the wishes without a term are anything)."""
    n_goods = draw(st.integers(1, 3))
    wishes = [(draw(st.integers(1, 3)), [(draw(st.integers(0, n_goods - 1)), NAN)])
              for _ in range(draw(st.integers(1, 9)))]
    which = [draw(st.booleans()) for _ in wishes]
    asked = [sum(q for (q, [(g, _)]), sub in zip(wishes, which, strict=True) if sub and g == good)
             for good in range(n_goods)]
    goods = [(draw(st.sampled_from([FLAT_ALLOCATION, EFFORT])),
              float(asked[g] + draw(st.integers(0, 3))), 1.0) for g in range(n_goods)]
    return subscribed(goods_market(goods, wishes), which)


@settings(max_examples=300, deadline=None)
@given(market=one_choice_markets(), seed=st.integers(0, 1000))
def test_a_subscription_is_never_skipped_while_capacity_covers_the_subscriptions(
    market: GoodsMarket, seed: int
) -> None:
    assert market.wish_subscribed is not None
    result = allocate(market, seed)
    got = np.bincount(market.alt_wish, weights=result.alt_units,
                      minlength=len(market.wish_quantity))
    subs = market.wish_subscribed
    assert got[subs].tolist() == market.wish_quantity[subs].tolist()
    # the rest is shared as before: nothing beyond capacity, nothing left while wished
    assert np.all(result.production <= market.good_capacity)
    left = market.good_capacity - result.production
    for w in np.flatnonzero(~subs).tolist():
        if got[w] < market.wish_quantity[w]:
            assert left[market.alt_good[w]] == 0
