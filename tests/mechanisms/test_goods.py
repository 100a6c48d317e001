"""Stage 1: auction premiums for scarce goods, and lots drawn for the rest."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from peerconomy.mechanisms.arrays import UIntArray
from peerconomy.mechanisms.goods import (
    AUCTION,
    EFFORT,
    FLAT_RATE,
    GoodsAllocation,
    GoodsMarket,
    WishOrders,
    allocate_goods,
    draw_wish_orders,
)

NAN = math.nan
INF = math.inf


def goods_market(
    goods: list[tuple[int, float, float]],
    wishes: list[tuple[int, list[tuple[int, float]]]],
) -> GoodsMarket:
    """Goods as (model, capacity, effort); wishes as (quantity, [(good, max_cost or nan)])."""
    alts = [(w, g, c) for w, (_, alternatives) in enumerate(wishes) for g, c in alternatives]
    return GoodsMarket(
        good_model=np.array([g[0] for g in goods], dtype=np.int64),
        good_capacity=np.array([g[1] for g in goods], dtype=np.float64),
        good_effort=np.array([g[2] for g in goods], dtype=np.float64),
        wish_quantity=np.array([q for q, _ in wishes], dtype=np.int64),
        alt_wish=np.array([a[0] for a in alts], dtype=np.int64),
        alt_good=np.array([a[1] for a in alts], dtype=np.int64),
        alt_max_cost=np.array([a[2] for a in alts], dtype=np.float64),
    )


def _lots(market: GoodsMarket, seed: int) -> UIntArray:
    """A lot per wish, drawn from the seed (the clearing hashes the seed and the wish's id)."""
    lot: UIntArray = np.random.default_rng(seed).integers(
        0, 2**63, size=len(market.wish_quantity), dtype=np.uint64)
    return lot


def allocate(market: GoodsMarket, seed: int = 0) -> GoodsAllocation:
    return allocate_goods(market, draw_wish_orders(market, _lots(market, seed)))


def units_per_wish(market: GoodsMarket, result: GoodsAllocation) -> list[dict[int, int]]:
    out: list[dict[int, int]] = [{} for _ in market.wish_quantity]
    for a, units in enumerate(result.alt_units):
        if units:
            w, g = int(market.alt_wish[a]), int(market.alt_good[a])
            out[w][g] = out[w].get(g, 0) + int(units)
    return out


def test_seaside_flats_go_where_they_are_valued_most_at_the_least_competitive_premiums() -> None:
    # Flats A and B (one each, no effort). x: A 10 or B 8; y: A 9; z: B 5.
    a, b = 0, 1
    market = goods_market(
        [(AUCTION, 1, 0.0), (AUCTION, 1, 0.0)],
        [(1, [(a, 10.0), (b, 8.0)]), (1, [(a, 9.0)]), (1, [(b, 5.0)])],
    )
    result = allocate(market)
    assert units_per_wish(market, result) == [{b: 1}, {a: 1}, {}]
    assert result.premium.tolist() == [7.0, 5.0]
    assert result.production.tolist() == [1, 1]


def test_the_premium_is_counted_over_the_effort() -> None:
    # one flat that takes 6 hours of upkeep; Ana would contribute up to 20, Ben up to 15:
    # Ana gets it, and the premium is what makes Ben step back: 15 - 6 = 9
    market = goods_market([(AUCTION, 1, 6.0)], [(1, [(0, 20.0)]), (1, [(0, 15.0)])])
    result = allocate(market)
    assert units_per_wish(market, result) == [{0: 1}, {}]
    assert result.premium.tolist() == [9.0]


def test_without_scarcity_there_is_no_premium() -> None:
    market = goods_market([(AUCTION, 3, 2.0)], [(1, [(0, 20.0)]), (2, [(0, 15.0)])])
    result = allocate(market)
    assert units_per_wish(market, result) == [{0: 1}, {0: 2}]
    assert result.premium.tolist() == [0.0]


def test_a_wish_without_max_cost_takes_a_leftover_unit_at_effort_cost() -> None:
    market = goods_market([(AUCTION, 2, 2.0)], [(1, [(0, 20.0)]), (1, [(0, NAN)])])
    result = allocate(market)
    assert units_per_wish(market, result) == [{0: 1}, {0: 1}]
    assert result.premium.tolist() == [0.0]


def test_a_wish_without_max_cost_does_not_bid_for_a_scarce_good() -> None:
    market = goods_market([(AUCTION, 1, 2.0)], [(1, [(0, NAN)]), (1, [(0, 3.0)])])
    result = allocate(market)
    assert units_per_wish(market, result) == [{}, {0: 1}]
    assert result.premium.tolist() == [0.0]  # the other wish would pay no premium either


def test_over_wished_goods_are_shared_by_drawing_lots() -> None:
    # one bicycle, two wishes: over 200 draws each wins about half of the time
    market = goods_market([(EFFORT, 1, 3.0)], [(1, [(0, NAN)]), (1, [(0, NAN)])])
    wins = [units_per_wish(market, allocate(market, seed))[0].get(0, 0) for seed in range(200)]
    assert 70 <= sum(wins) <= 130
    assert all(allocate(market, 5).alt_units.tolist() == allocate(market, 5).alt_units.tolist()
               for _ in range(3))


def test_the_wish_served_first_in_the_order_drawn_gets_the_last_unit() -> None:
    # the caller draws the orders; the mechanism only follows them
    market = goods_market([(EFFORT, 1, 3.0)], [(1, [(0, NAN)]), (1, [(0, NAN)])])
    none = np.array([], dtype=np.int64)
    for first in (0, 1):
        order = WishOrders(auction=none, lottery=np.array([first, 1 - first], dtype=np.int64))
        assert units_per_wish(market, allocate_goods(market, order))[first] == {0: 1}


def test_orders_that_leave_out_a_wish_are_refused() -> None:
    market = goods_market([(EFFORT, 1, 3.0)], [(1, [(0, NAN)]), (1, [(0, NAN)])])
    none = np.array([], dtype=np.int64)
    with pytest.raises(ValueError, match=r"^the orders must list exactly the auction and the"
                                         r" lottery wishes$"):
        allocate_goods(market, WishOrders(auction=none, lottery=np.array([0], dtype=np.int64)))


def test_lots_give_one_unit_per_wish_and_round() -> None:
    # three units, wishes of 3 and 1: the small wish always gets its unit
    market = goods_market([(EFFORT, 3, 1.0)], [(3, [(0, NAN)]), (1, [(0, NAN)])])
    for seed in range(20):
        assert units_per_wish(market, allocate(market, seed)) == [{0: 2}, {0: 1}]


def test_a_wish_falls_back_to_its_next_alternative() -> None:
    market = goods_market(
        [(EFFORT, 1, 1.0), (EFFORT, 5, 1.0)], [(1, [(0, NAN), (1, NAN)])] * 3
    )
    result = allocate(market)
    assert result.production.tolist() == [1, 2]


def test_a_good_dearer_than_the_wish_allows_is_passed_over() -> None:
    market = goods_market([(EFFORT, INF, 9.0), (EFFORT, INF, 3.0)], [(1, [(0, 5.0), (1, 5.0)])])
    assert allocate(market).production.tolist() == [0, 1]


def test_flat_rate_goods_cost_nothing_at_stage_one() -> None:
    market = goods_market([(FLAT_RATE, INF, 9.0)], [(2, [(0, 0.0)])])
    assert allocate(market).production.tolist() == [2]


# --- properties of the auction on small unit-wish markets ----------------------------------


@st.composite
def unit_auctions(draw: st.DrawFn) -> GoodsMarket:
    n_goods = draw(st.integers(1, 3))
    goods = [
        (AUCTION, float(draw(st.integers(1, 2))), float(draw(st.integers(0, 3))))
        for _ in range(n_goods)
    ]
    wishes = []
    for _ in range(draw(st.integers(1, 5))):
        named = draw(st.lists(st.integers(0, n_goods - 1), min_size=1, max_size=n_goods,
                              unique=True))
        wishes.append((1, [(g, float(draw(st.integers(0, 12)))) for g in named]))
    return goods_market(goods, wishes)


def values(market: GoodsMarket) -> list[dict[int, float]]:
    """Each wish's value over effort per good (the best if a good is named twice)."""
    out: list[dict[int, float]] = [{} for _ in market.wish_quantity]
    for a in range(len(market.alt_good)):
        g = int(market.alt_good[a])
        v = market.alt_max_cost[a] - market.good_effort[g]
        w = int(market.alt_wish[a])
        out[w][g] = max(out[w].get(g, -INF), v)
    return out


def best_welfare(market: GoodsMarket, without: int | None = None) -> float:
    """Brute force: the most total value over all assignments of one unit per wish."""
    vals = values(market)
    wishes = [w for w in range(len(vals)) if w != without]
    best = 0.0
    for choice in itertools.product(*[[None, *vals[w]] for w in wishes]):
        used = np.zeros(len(market.good_model))
        total = 0.0
        for w, g in zip(wishes, choice, strict=True):
            if g is not None:
                used[g] += 1
                total += vals[w][g]
        if np.all(used <= market.good_capacity):
            best = max(best, total)
    return best


@settings(max_examples=200, deadline=None)
@given(market=unit_auctions())
def test_the_auction_maximises_value_and_charges_vcg_premiums(market: GoodsMarket) -> None:
    result = allocate(market)
    vals = values(market)
    got = units_per_wish(market, result)
    welfare = sum(vals[w][g] * n for w, d in enumerate(got) for g, n in d.items())
    assert welfare == best_welfare(market)
    for w, d in enumerate(got):
        for g in d:
            # the least competitive premium is the winner's VCG payment over effort
            others_now = welfare - vals[w][g]
            vcg = best_welfare(market, without=w) - others_now
            assert math.isclose(result.premium[g], vcg, abs_tol=1e-9)
            # stage-1 cost (effort + premium) within the winner's max_cost
            max_cost = vals[w][g] + market.good_effort[g]
            assert market.good_effort[g] + result.premium[g] <= max_cost + 1e-9


@settings(max_examples=200, deadline=None)
@given(market=unit_auctions(), data=st.data())
def test_bidding_ones_true_max_cost_is_best(market: GoodsMarket, data: st.DataObject) -> None:
    vals = values(market)
    bidder = data.draw(st.integers(0, len(vals) - 1))
    factor = data.draw(st.sampled_from([0.0, 0.5, 0.9, 1.1, 1.5, 3.0]))
    mine = market.alt_wish == bidder
    assume(mine.any())
    lie = market.alt_max_cost.copy()
    lie[mine] = market.good_effort[market.alt_good[mine]] + factor * (
        market.alt_max_cost[mine] - market.good_effort[market.alt_good[mine]]
    )
    liar = GoodsMarket(market.good_model, market.good_capacity, market.good_effort,
                       market.wish_quantity, market.alt_wish, market.alt_good, lie)

    def utility(m: GoodsMarket) -> float:
        result = allocate(m)
        got = units_per_wish(m, result)[bidder]
        return sum((vals[bidder][g] - result.premium[g]) * n for g, n in got.items())

    assert utility(liar) <= utility(market) + 1e-9


@settings(max_examples=200, deadline=None)
@given(market=unit_auctions(), seed=st.integers(0, 1000))
def test_premiums_are_competitive_and_none_could_be_lower(market: GoodsMarket, seed: int) -> None:
    result = allocate(market, seed)
    vals = values(market)
    got = units_per_wish(market, result)
    p = result.premium

    def envious(prices: np.ndarray) -> bool:
        """Some wish would rather have another alternative (or one at all) at these prices."""
        for w, d in enumerate(got):
            mine = max((vals[w][g] - prices[g] for g in d), default=0.0)
            if any(v - prices[g] > mine + 1e-9 for g, v in vals[w].items()):
                return True
        return False

    assert not envious(p)
    for g in range(len(p)):
        if p[g] > 0:
            assert result.production[g] == market.good_capacity[g]
            lowered = p.copy()
            lowered[g] -= 1e-4
            assert envious(lowered)


# --- limits: the most units one participant may receive of a good ----------------------


def limited(market: GoodsMarket, limits: list[float], owners: list[int]) -> GoodsMarket:
    """The market with per-participant limits per good and the wishes' owners."""
    return GoodsMarket(
        market.good_model, market.good_capacity, market.good_effort, market.wish_quantity,
        market.alt_wish, market.alt_good, market.alt_max_cost,
        good_limit=np.array(limits, dtype=np.float64),
        wish_participant=np.array(owners, dtype=np.int64),
    )


def received(market: GoodsMarket, result: GoodsAllocation) -> dict[tuple[int, int], int]:
    """Units per (participant, good)."""
    assert market.wish_participant is not None
    got: dict[tuple[int, int], int] = {}
    for a, units in enumerate(result.alt_units):
        key = (int(market.wish_participant[market.alt_wish[a]]), int(market.alt_good[a]))
        got[key] = got.get(key, 0) + int(units)
    return got


def test_one_participants_many_flat_rate_wishes_get_one_box_in_all() -> None:
    # the attack of issue 17 in small: 600 wishes of 100,000 boxes by participant 0
    box = 0
    wishes = [(100_000, [(box, NAN)]) for _ in range(600)] + [(1, [(box, NAN)])]
    market = limited(goods_market([(FLAT_RATE, INF, 1.0)], wishes), [1.0],
                     [0] * 600 + [1])
    result = allocate(market)
    assert received(market, result) == {(0, 0): 1, (1, 0): 1}
    assert result.production.tolist() == [2]


def test_each_participants_allocation_is_pinned_under_limits() -> None:
    # bread (limit 2, 5 loaves) and a flat (auction, limit 1, 2 flats); ana wishes twice
    bread, flat = 0, 1
    market = limited(goods_market(
        [(EFFORT, 5, 1.0), (AUCTION, 2, 0.0)],
        [(3, [(bread, NAN)]), (2, [(bread, NAN)]), (1, [(bread, NAN)]),
         (1, [(flat, 9.0)]), (1, [(flat, 8.0)]), (1, [(flat, 3.0)])],
    ), [2.0, 1.0], [0, 0, 1, 0, 0, 1])
    result = allocate(market)
    assert received(market, result) == {(0, 0): 2, (1, 0): 1, (0, 1): 1, (1, 1): 1}
    assert result.premium.tolist() == [0.0, 0.0]  # ana takes one flat: no scarcity left


@st.composite
def limited_markets(draw: st.DrawFn) -> GoodsMarket:
    n_goods, n_people = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    auction = draw(st.booleans())
    goods = [(AUCTION if auction else draw(st.sampled_from([FLAT_RATE, EFFORT])),
              float(draw(st.sampled_from([1, 2, 3, INF]))), float(draw(st.integers(0, 2))))
             for _ in range(n_goods)]
    wishes = []
    for _ in range(draw(st.integers(1, 5))):
        picked = draw(st.lists(st.integers(0, n_goods - 1), min_size=1, max_size=2,
                               unique=True))
        wishes.append((draw(st.integers(1, 3)),
                       [(g, float(draw(st.integers(0, 6))) if auction else NAN)
                        for g in picked]))
    limits = [float(draw(st.sampled_from([0, 1, 2, INF]))) for _ in range(n_goods)]
    owners = [draw(st.integers(0, n_people - 1)) for _ in wishes]
    return limited(goods_market(goods, wishes), limits, owners)


@settings(max_examples=200, deadline=None)
@given(market=limited_markets(), seed=st.integers(0, 100))
def test_no_participant_receives_more_than_a_limit(market: GoodsMarket, seed: int) -> None:
    result = allocate(market, seed)
    assert market.good_limit is not None
    for (_, good), units in received(market, result).items():
        assert units <= market.good_limit[good]
    per_wish = units_per_wish(market, result)
    assert all(sum(got.values()) <= q for got, q in zip(per_wish, market.wish_quantity,
                                                        strict=True))
    assert np.all(result.production <= market.good_capacity)


def brute_force_lottery_room(market: GoodsMarket) -> int:
    """The most units the lottery could give in all: each (participant, good) up to its
    limit, each good up to its capacity, each wish up to its quantity (small cases, by
    trying every split)."""
    assert market.good_limit is not None and market.wish_participant is not None
    alts = list(range(len(market.alt_good)))
    best = 0
    for units in itertools.product(range(4), repeat=len(alts)):
        by_wish = np.bincount(market.alt_wish, weights=units,
                              minlength=len(market.wish_quantity))
        by_good = np.bincount(market.alt_good, weights=units,
                              minlength=len(market.good_model))
        if np.any(by_wish > market.wish_quantity) or np.any(by_good > market.good_capacity):
            continue
        got: dict[tuple[int, int], int] = {}
        for a in alts:
            key = (int(market.wish_participant[market.alt_wish[a]]), int(market.alt_good[a]))
            got[key] = got.get(key, 0) + units[a]
        if all(v <= market.good_limit[g] for (_, g), v in got.items()):
            best = max(best, sum(units))
    return best


def test_the_lottery_serves_as_many_units_as_the_limits_allow_in_a_small_case() -> None:
    # two participants, two goods (capacity 3 and 2, limits 1 and 2), four wishes
    market = limited(goods_market(
        [(EFFORT, 3, 1.0), (EFFORT, 2, 1.0)],
        [(3, [(0, NAN), (1, NAN)]), (2, [(1, NAN)]), (2, [(0, NAN)]), (1, [(1, NAN)])],
    ), [1.0, 2.0], [0, 0, 1, 1])
    for seed in range(5):
        result = allocate(market, seed)
        assert int(result.alt_units.sum()) == brute_force_lottery_room(market) == 4
        assert all(v <= market.good_limit[g]  # type: ignore[index]
                   for (_, g), v in received(market, result).items())


# --- the market of some wishes and goods, and exact refusals -------------------------------


def test_a_part_is_the_market_written_with_only_its_wishes_and_goods() -> None:
    # bread (0) and the seaside flats A (1) and B (2); the part keeps the flats, their
    # wishes (x, y, z) and those wishes' alternatives, renumbered from 0
    bread, a, b = 0, 1, 2
    whole = limited(goods_market(
        [(EFFORT, 5, 1.0), (AUCTION, 1, 0.0), (AUCTION, 1, 0.0)],
        [(2, [(bread, NAN)]), (1, [(a, 10.0), (b, 8.0)]), (1, [(a, 9.0)]), (1, [(b, 5.0)])],
    ), [2.0, 1.0, INF], [0, 1, 2, 3])
    wishes, goods = np.array([1, 2, 3]), np.array([a, b])
    local_wish, local_good = np.full(4, -1), np.full(3, -1)
    local_wish[wishes], local_good[goods] = np.arange(3), np.arange(2)
    part = whole.part(wishes, goods, np.array([1, 2, 3, 4]), local_wish, local_good)
    flats = limited(goods_market(
        [(AUCTION, 1, 0.0), (AUCTION, 1, 0.0)],
        [(1, [(0, 10.0), (1, 8.0)]), (1, [(0, 9.0)]), (1, [(1, 5.0)])],
    ), [1.0, INF], [1, 2, 3])
    for field in ("good_model", "good_capacity", "good_effort", "wish_quantity", "alt_wish",
                  "alt_good", "alt_max_cost", "good_limit", "wish_participant"):
        assert np.array_equal(getattr(part, field), getattr(flats, field)), field
    assert units_per_wish(part, allocate(part)) == [{1: 1}, {0: 1}, {}]


def test_a_part_of_a_market_without_limits_has_none() -> None:
    market = goods_market([(EFFORT, 1, 3.0), (EFFORT, 1, 9.0)], [(1, [(1, NAN)])])
    index = np.array([0, -1])
    part = market.part(np.array([0]), np.array([1]), np.array([0]), index, np.array([-1, 0]))
    assert part.good_limit is None and part.wish_participant is None
    assert part.wish_subscribed is None and part.alt_held is None
    assert not part.limited()


def test_a_part_keeps_its_wishes_subscriptions_and_units_held() -> None:
    # the farm: bread (0) and veg boxes (1); the part keeps the boxes' two wishes, Ana's a
    # season's share (a subscription) whose household holds one box already
    bread, box = 0, 1
    whole = goods_market([(EFFORT, 5, 1.0), (EFFORT, 2, 1.0)],
                         [(1, [(bread, NAN)]), (1, [(box, NAN)]), (1, [(box, NAN)])])
    whole = GoodsMarket(
        whole.good_model, whole.good_capacity, whole.good_effort, whole.wish_quantity,
        whole.alt_wish, whole.alt_good, whole.alt_max_cost,
        good_limit=np.array([INF, 2.0]), wish_participant=np.array([0, 0, 1]),
        wish_subscribed=np.array([False, True, False]), alt_held=np.array([0.0, 1.0, 0.0]))
    part = whole.part(np.array([1, 2]), np.array([box]), np.array([1, 2]),
                      np.array([-1, 0, 1]), np.array([-1, 0]))
    assert part.wish_subscribed is not None and part.alt_held is not None
    assert part.wish_subscribed.tolist() == [True, False]
    assert part.alt_held.tolist() == [1.0, 0.0]


def test_a_wish_for_no_units_is_left_out_of_the_lottery() -> None:
    # the farm: a box wish of 0 units takes no part in the draw, and the others are served
    box = 0
    market = goods_market([(EFFORT, 2, 1.0)], [(0, [(box, NAN)]), (1, [(box, NAN)]),
                                                 (1, [(box, NAN)])])
    orders = draw_wish_orders(market, np.array([3, 2, 1], dtype=np.uint64))
    assert orders.lottery.tolist() == [2, 1]
    assert units_per_wish(market, allocate_goods(market, orders)) == [{}, {box: 1}, {box: 1}]


@pytest.mark.parametrize("kind", [AUCTION, EFFORT])
def test_wishes_with_equal_lots_are_served_in_the_order_of_their_indexes(kind: int) -> None:
    # twenty households drew one of two lots, 7 and 3, by turns: those with 3 go first, and
    # ties go by index, whatever the sort's size
    cost = 5.0 if kind == AUCTION else NAN
    market = goods_market([(kind, 1, 1.0)], [(1, [(0, cost)])] * 20)
    orders = draw_wish_orders(market, np.array([7, 3] * 10, dtype=np.uint64))
    served = orders.auction if kind == AUCTION else orders.lottery
    assert served.tolist() == [*range(1, 20, 2), *range(0, 20, 2)]
    assert units_per_wish(market, allocate_goods(market, orders))[1] == {0: 1}


def test_each_goods_own_limit_binds_a_participants_auction_wishes() -> None:
    # the seaside flats: sea view (0), garden (1, limit 1 a household), attic (2, no limit).
    # Ana wishes twice for a garden flat (9 and 8), Ben once (3) and for the sea view (4): Ana
    # keeps one garden flat (the lot says by which wish), Ben gets the other and the sea view;
    # the garden flats' limit is their own, not the attic's
    sea, garden = 0, 1  # the attic is good 2
    market = limited(goods_market(
        [(AUCTION, 1, 0.0), (AUCTION, 2, 0.0), (AUCTION, 2, 0.0)],
        [(1, [(garden, 9.0)]), (1, [(garden, 8.0)]), (1, [(garden, 3.0)]), (1, [(sea, 4.0)])],
    ), [INF, 1.0, INF], [0, 0, 1, 1])
    result = allocate(market)
    assert received(market, result) == {(0, garden): 1, (1, garden): 1, (1, sea): 1}
    assert result.premium.tolist() == [0.0, 0.0, 0.0]


def test_a_wish_is_served_a_unit_a_round_until_it_has_all_it_asked_for() -> None:
    # the bakery has 5 loaves; Ana alone wishes 2 and gets both, in two rounds
    market = goods_market([(EFFORT, 5, 1.0)], [(2, [(0, NAN)])])
    result = allocate(market)
    assert units_per_wish(market, result) == [{0: 2}]
    assert result.alt_units.dtype.kind == result.production.dtype.kind == "i"  # whole units


def test_a_wish_at_its_limit_of_one_good_falls_back_to_its_next_alternative() -> None:
    # the farm: veg boxes (limit 1 a household) and fruit boxes; served in this order, Ana's
    # first wish takes her veg box, her second (veg, else fruit) a fruit box; Ben his veg box
    veg, fruit = 0, 1
    market = limited(goods_market(
        [(EFFORT, 5, 1.0), (EFFORT, 5, 1.0)],
        [(1, [(veg, NAN)]), (1, [(veg, NAN), (fruit, NAN)]), (1, [(veg, NAN)])],
    ), [1.0, INF], [0, 0, 1])
    order = WishOrders(auction=np.array([], dtype=np.int64), lottery=np.array([0, 1, 2]))
    result = allocate_goods(market, order)
    assert received(market, result) == {(0, veg): 1, (0, fruit): 1, (1, veg): 1}


def holding(market: GoodsMarket, held: list[float]) -> GoodsMarket:
    """The limited ``market`` where each alternative's wisher already holds ``held`` units of
    its good (won in an earlier period)."""
    return GoodsMarket(
        market.good_model, market.good_capacity, market.good_effort, market.wish_quantity,
        market.alt_wish, market.alt_good, market.alt_max_cost,
        good_limit=market.good_limit, wish_participant=market.wish_participant,
        alt_held=np.array(held, dtype=np.float64),
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_flat_held_counts_toward_the_limit_in_the_auction(seed: int) -> None:
    # the seaside flats: one sea-view flat is on offer (limit 1 a household). Ana already
    # holds one and bids 9 for another, Ben bids 3: Ana may take none, so Ben gets it at no
    # premium (Ana's bid does not count)
    market = holding(limited(goods_market(
        [(AUCTION, 1, 6.0)], [(1, [(0, 15.0)]), (1, [(0, 9.0)])],
    ), [1.0], [0, 1]), [1.0, 0.0])
    result = allocate(market, seed)
    assert received(market, result) == {(0, 0): 0, (1, 0): 1}
    assert result.premium.tolist() == [0.0]


def test_units_held_leave_the_rest_of_the_limit_in_the_auction() -> None:
    # two garden flats on offer, limit 2 a household: Ana holds one and bids for two more at
    # 9 over effort, Ben for one at 3; Ana may take one more, Ben gets the other
    market = holding(limited(goods_market(
        [(AUCTION, 2, 0.0)], [(2, [(0, 9.0)]), (1, [(0, 3.0)])],
    ), [2.0], [0, 1]), [1.0, 0.0])
    result = allocate(market)
    assert received(market, result) == {(0, 0): 1, (1, 0): 1}
    assert result.premium.tolist() == [0.0]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_box_held_counts_toward_the_limit_in_the_lottery(seed: int) -> None:
    # the farm: one veg box is left this period (limit 1 a household); Ana holds one of a
    # season's shares and wishes another, Ben wishes one: whatever the lots, Ben gets it
    market = holding(limited(goods_market(
        [(EFFORT, 1, 1.0)], [(1, [(0, NAN)]), (1, [(0, NAN)])],
    ), [1.0], [0, 1]), [1.0, 0.0])
    result = allocate(market, seed)
    assert received(market, result) == {(0, 0): 0, (1, 0): 1}


def test_units_held_count_toward_the_limit_over_a_households_several_wishes() -> None:
    # three garden flats on offer, limit 2 a household: Ana holds one and has two wishes
    # (9 and 8 over effort), Ben one (3): Ana may take one more, Ben gets one, one is left
    market = holding(limited(goods_market(
        [(AUCTION, 3, 0.0)], [(1, [(0, 9.0)]), (1, [(0, 8.0)]), (1, [(0, 3.0)])],
    ), [2.0], [0, 0, 1]), [1.0, 1.0, 0.0])
    result = allocate(market)
    assert received(market, result) == {(0, 0): 1, (1, 0): 1}
    assert result.premium.tolist() == [0.0]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_units_over_a_participants_limit_do_not_raise_the_premium(seed: int) -> None:
    # three garden flats, limit 3 a household: Ana alone bids for four (3 and 1, at 1 over
    # effort). She takes three and the fourth is beyond her limit at any premium, so nobody
    # wants a flat that is taken: the premium is 0, not 1
    market = limited(goods_market(
        [(AUCTION, 3, 0.0)], [(3, [(0, 1.0)]), (1, [(0, 1.0)])],
    ), [3.0], [0, 0])
    result = allocate(market, seed)
    assert received(market, result) == {(0, 0): 3}
    assert result.premium.tolist() == [0.0]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_limit_reached_with_a_unit_held_leaves_the_others_to_price_a_flat(seed: int) -> None:
    # one garden flat on offer, limit 2 a household: Ana holds one and bids 9 and 8 over
    # effort in two wishes, Ben 3. Ana takes it by her 9 and so reaches her limit: her 8 is
    # out of her reach and does not price the flat, Ben's 3 does (premium 3, not 8)
    market = holding(limited(goods_market(
        [(AUCTION, 1, 0.0)], [(1, [(0, 9.0)]), (1, [(0, 8.0)]), (1, [(0, 3.0)])],
    ), [2.0], [0, 0, 1]), [1.0, 1.0, 0.0])
    result = allocate(market, seed)
    assert units_per_wish(market, result) == [{0: 1}, {}, {}]
    assert received(market, result) == {(0, 0): 1, (1, 0): 0}
    assert result.premium.tolist() == [3.0]


def _envies(market: GoodsMarket, result: GoodsAllocation, premium: list[float]) -> bool:
    """Whether, at ``premium``, some auction wish wants a good more than what it got (or some
    unit costs more than its wish's value): a good its participant has the limit of (units
    held included) is out of reach at any premium and is not wanted."""
    assert market.good_limit is not None and market.wish_participant is not None
    have = received(market, result)
    held = {(int(market.wish_participant[market.alt_wish[a]]), int(market.alt_good[a])):
            float(market.alt_held[a]) if market.alt_held is not None else 0.0
            for a in range(len(market.alt_good))}
    for w, quantity in enumerate(market.wish_quantity):
        mine = np.flatnonzero(market.alt_wish == w)
        owner = int(market.wish_participant[w])
        value = {int(market.alt_good[a]): float(market.alt_max_cost[a]
                                                - market.good_effort[market.alt_good[a]])
                 for a in mine}
        units = {int(market.alt_good[a]): int(result.alt_units[a]) for a in mine
                 if result.alt_units[a]}
        floor = 0.0 if sum(units.values()) < quantity else min(
            value[g] - premium[g] for g in units)
        if any(value[g] - premium[g] > floor + 1e-9 for g in value
               if have.get((owner, g), 0) + held.get((owner, g), 0.0)
               < market.good_limit[g]):
            return True
        if any(value[g] - premium[g] < -1e-9 for g in units):
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(market=limited_markets(), seed=st.integers(0, 100))
def test_limited_auction_premiums_are_competitive_and_none_could_be_lower(
        market: GoodsMarket, seed: int) -> None:
    # by brute force on tiny limited auctions: at the premiums nobody wants more than they
    # got of a good within their limit, and lowering any positive premium a little leaves
    # someone wanting it
    assume(bool(np.all(market.good_model == AUCTION)))
    assume(bool(np.all(np.isfinite(market.alt_max_cost))))
    result = allocate(market, seed)
    premium = result.premium.tolist()
    assert not _envies(market, result, premium)
    for g, p in enumerate(premium):
        if p > 0:
            assert result.production[g] == market.good_capacity[g]
            assert _envies(market, result, [*premium[:g], p - 1e-4, *premium[g + 1:]])
