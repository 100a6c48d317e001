"""Clearing one period: a scenario in, a plan out (``peerconomy-plan/2``), no I/O.

The functional core's composition of docs/design.md's stages: the goods are allocated
first (auction premiums at the estimated task weights, lotteries for the rest), their recipes
and the fixed hours give the hours each task needs, the task auction assigns those hours and
sets the weights, and the costs and shares follow from the weights. The same scenario and
seed always give the same plan, whatever the order of the scenario's lists: the stages read
it in its canonical order and draw by lots of seed and id (:mod:`peerconomy.domain.canonical`).

The stages are separate functions so that a federation of pools (:mod:`peerconomy.scale`)
can run them piecewise, in parallel, and still get exactly this plan:

* :func:`prepare` turns the scenario, in its canonical order, into arrays (recipes, stage-1
  efforts, the goods market, the offers) and :func:`draw_orders` draws by lot, once, every
  seeded order the clearing uses: the
  order in which auction wishes, lottery wishes and participants are served where they tie;
* :func:`allocate` is stage 1 (goods) on a goods market, replaying the drawn orders;
* :func:`hours_needed` and :func:`task_market` give stage 2's market, which :func:`assign`
  clears in the drawn order of the participants;
* :func:`plan_of` is stage 3 (costs and shares) and the plan itself.

Parts that do not touch. Both markets are cleared per *connected component* (wishes and goods
linked by the alternatives; participants and tasks linked by the offers), each serving its
rows in the drawn orders restricted to it. The flow core breaks ties between rows by that
order, but where one row has equally good arcs (a wish with two alternatives of equal value,
a participant with two offers at the same weight) which one carries the flow is left to the
algorithm, and that choice can depend on the rest of the market. Clearing each component on
its own makes a part of the pool that shares no good, wish, task or offer with the rest come
out as if it were cleared alone, so a federation of pools, cleared piecewise, gets exactly
the plan of its merged pool. Prices (premiums, weights), the units each wish gets and the
hours each participant gives are the same either way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from peerconomy.domain.canonical import Reordering, by_lot, canonical, lots
from peerconomy.domain.collection import paused_collection
from peerconomy.domain.plan import (
    PLAN_FORMAT,
    Allocation,
    ClearedPlan,
    GoodResult,
    HeldUnits,
    Hint,
    Overproduction,
    TaskAssignment,
    UncoveredTask,
    Underproduction,
    UnmetWish,
    WonUnits,
)
from peerconomy.domain.scenario import Scenario, limit_of, parse_scenario
from peerconomy.domain.scenario_columns import ScenarioColumns, columns_of
from peerconomy.domain.scenario_json import AnyScenario
from peerconomy.mechanisms.arrays import BoolArray, FloatArray, IntArray
from peerconomy.mechanisms.components import bipartite_components
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
)
from peerconomy.mechanisms.shares import charge
from peerconomy.mechanisms.tasks import TaskAuction, TaskMarket, auction_tasks

__all__ = [
    "PLAN_FORMAT",
    "Orders",
    "Prepared",
    "allocate",
    "assign",
    "clear",
    "clear_scenario",
    "draw_orders",
    "hours_needed",
    "plan_of",
    "prepare",
    "task_market",
    "validate",
]

_MODEL_CODES: Final = {
    "flat_rate": FLAT_RATE,
    "flat_allocation": FLAT_ALLOCATION,
    "effort": EFFORT,
    "auction": AUCTION,
}
_EPS: Final = 1e-9


def validate(data: Mapping[str, Any]) -> Scenario:
    """Check a scenario; raise :class:`ScenarioError` naming the first bad field."""
    return parse_scenario(data)


def clear(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a scenario and return its plan as a JSON-ready dict."""
    with paused_collection():
        return clear_scenario(parse_scenario(data)).to_json()


def clear_scenario(scenario: AnyScenario | ScenarioColumns) -> ClearedPlan:
    """The plan of a valid scenario: assignments, weights, allocations, costs, shares, hints."""
    prepared = prepare(scenario)
    orders = draw_orders(prepared, scenario.settings.seed)
    allocation = allocate(prepared.goods_market, orders.auction, orders.lottery)
    hours = hours_needed(prepared, allocation.production)
    work = assign(task_market(prepared, hours), orders.participants)
    return plan_of(prepared, allocation, hours, work)


# --- the stages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A scenario as the stages read it: its columns and ids in canonical order, recipes as flat
    arrays (good, task, hours), stage-1 efforts, the goods market, and the offers."""

    scenario: ScenarioColumns  # in canonical order
    reordering: Reordering  # where each item of the canonical order was in the scenario
    participants: list[str]
    tasks: list[str]
    goods: list[str]
    estimate: FloatArray  # (tasks,) estimated weights
    recipe_good: IntArray
    recipe_task: IntArray
    recipe_hours: FloatArray
    good_model: IntArray
    goods_market: GoodsMarket
    fixed_hours: FloatArray  # (tasks,)
    capacity: FloatArray  # (participants,) inf for no limit
    offer_participant: IntArray
    offer_task: IntArray
    offer_hours: FloatArray
    offer_min_weight: FloatArray
    held_participant: IntArray  # (holdings,) in canonical order
    held_good: IntArray
    held_units: IntArray
    held_premium: FloatArray  # locked premium per unit
    held: IntArray  # (goods,) units held: not on offer, made all the same


def prepare(scenario: AnyScenario | ScenarioColumns) -> Prepared:
    """The arrays every stage reads, computed once, in the scenario's canonical order (see
    :mod:`peerconomy.domain.canonical`): the plan does not depend on the order of its lists."""
    columns, reordering = canonical(columns_of(scenario))
    participants = columns.participant_ids
    tasks = [t.id for t in columns.tasks]
    goods = [g.id for g in columns.goods]
    t_index = {t: i for i, t in enumerate(tasks)}

    # recipes, and each good's stage-1 effort at the estimated weights
    estimate = np.array(
        [columns.settings.weight_estimates.get(t, 1.0) for t in tasks], dtype=np.float64
    )
    recipe_good, recipe_task, recipe_hours = [], [], []
    for g, good in enumerate(columns.goods):
        for task, amount in sorted(good.recipe.items()):  # canonical: by task id
            recipe_good.append(g)
            recipe_task.append(t_index[task])
            recipe_hours.append(amount)
    r_good = np.array(recipe_good, dtype=np.int64)
    r_task = np.array(recipe_task, dtype=np.int64)
    r_hours = np.array(recipe_hours, dtype=np.float64)
    good_model = np.array([_MODEL_CODES[g.model] for g in columns.goods], dtype=np.int64)
    good_effort = np.bincount(
        r_good, weights=r_hours * estimate[r_task], minlength=len(goods)
    ).astype(np.float64)

    alt_wish, alt_good, alt_max_cost = _expand_alternatives(columns, good_effort)
    p_index = {p: i for i, p in enumerate(participants)}
    g_index = {g: i for i, g in enumerate(goods)}
    holdings = columns.holdings
    held_participant = np.array([p_index[h.participant] for h in holdings], dtype=np.int64)
    held_good = np.array([g_index[h.good] for h in holdings], dtype=np.int64)
    held_units = np.array([h.quantity for h in holdings], dtype=np.int64)
    held = np.bincount(held_good, weights=held_units, minlength=len(goods)).astype(np.int64)
    goods_market = GoodsMarket(
        good_model=good_model,
        good_capacity=np.array(  # held units are not on offer
            [np.inf if g.capacity is None else float(g.capacity - held[i])
             for i, g in enumerate(columns.goods)],
            dtype=np.float64,
        ),
        good_effort=good_effort,
        wish_quantity=columns.wish_quantity,
        alt_wish=alt_wish,
        alt_good=alt_good,
        alt_max_cost=alt_max_cost,
        good_limit=np.array(
            [np.inf if (x := limit_of(g)) is None else float(x) for g in columns.goods],
            dtype=np.float64,
        ),
        wish_participant=columns.wish_participant,
        wish_subscribed=columns.wish_term > 0,
        alt_held=_alt_held(columns.wish_participant[alt_wish], alt_good, held_participant,
                           held_good, held_units, len(goods)) if len(holdings) else None,
    )
    return Prepared(
        scenario=columns,
        reordering=reordering,
        participants=participants,
        tasks=tasks,
        goods=goods,
        estimate=estimate,
        recipe_good=r_good,
        recipe_task=r_task,
        recipe_hours=r_hours,
        good_model=good_model,
        goods_market=goods_market,
        fixed_hours=np.array([t.fixed_hours for t in columns.tasks], dtype=np.float64),
        capacity=columns.participant_capacity,
        offer_participant=columns.offer_participant,
        offer_task=columns.offer_task,
        offer_hours=columns.offer_hours,
        offer_min_weight=columns.offer_min_weight,
        held_participant=held_participant,
        held_good=held_good,
        held_units=held_units,
        held_premium=np.array([h.premium for h in holdings], dtype=np.float64),
        held=held,
    )


def _alt_held(alt_participant: IntArray, alt_good: IntArray, held_participant: IntArray,
              held_good: IntArray, held_units: IntArray, n_goods: int) -> FloatArray:
    """Per alternative, the units its wisher holds of its good (they count toward the
    good's limit)."""
    n = max(n_goods, 1)
    keys, units = np.unique(held_participant * n + held_good, return_inverse=True)
    total = np.bincount(units, weights=held_units, minlength=len(keys))
    wanted = alt_participant * n + alt_good
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found: FloatArray = np.where(keys[at] == wanted, total[at], 0.0).astype(np.float64)
    return found


@dataclass(frozen=True)
class Orders:
    """The seeded orders of a clearing, drawn once: auction wishes, lottery wishes (those
    wanting a non-auction good) and participants, each as indexes in the order served."""

    auction: IntArray
    lottery: IntArray
    participants: IntArray


def draw_orders(prepared: Prepared, seed: int) -> Orders:
    """Every order the clearing draws from the seed: the auction wishes, the lottery wishes
    (:func:`draw_wish_orders`) and the participants, each sorted by its lots, a keyed hash of
    the seed and the id (:func:`~peerconomy.domain.canonical.lots`), ties by id. A part of
    the pool cleared on its own serves its rows in these orders, restricted to it, and so
    breaks ties as the whole does; and as the lots follow the ids, not the lists, the order
    of the scenario's lists decides nothing.
    """
    columns = prepared.scenario
    wishes = draw_wish_orders(prepared.goods_market, lots(columns.wish_ids, seed, b"wish"))
    people = np.arange(len(prepared.participants), dtype=np.int64)
    participants = by_lot(people, lots(prepared.participants, seed, b"participant"))
    return Orders(auction=wishes.auction, lottery=wishes.lottery, participants=participants)


def allocate(market: GoodsMarket, auction: IntArray, lottery: IntArray) -> GoodsAllocation:
    """Stage 1: :func:`allocate_goods` on each connected component of wishes and goods, serving
    the auction and the lottery wishes in the given orders (each lists exactly the market's
    auction wishes, or its lottery wishes) restricted to the component."""
    n_wishes, n_goods = len(market.wish_quantity), len(market.good_model)
    label, n = _components(n_wishes, n_goods, market.alt_wish, market.alt_good)
    if n == 1 and len(market.alt_good):  # one market, cleared as a whole
        return _allocate_part(market, auction, lottery)
    alt_units = np.zeros(len(market.alt_good), dtype=np.int64)
    premium = np.zeros(n_goods, dtype=np.float64)
    production = np.zeros(n_goods, dtype=np.int64)
    wish_label, good_label = label[:n_wishes], label[n_wishes:]
    wishes, goods = _Groups(wish_label, n), _Groups(good_label, n)
    alts = _Groups(wish_label[market.alt_wish], n)
    in_auction, in_lottery = _Groups(wish_label[auction], n), _Groups(wish_label[lottery], n)
    local_wish, local_good = _local(wish_label, n), _local(good_label, n)
    for c in range(n):
        w, g, a = wishes.part(c), goods.part(c), alts.part(c)
        if len(a) == 0:
            continue  # a good nobody wishes for: nothing made, no premium
        result = _allocate_part(
            market.part(w, g, a, local_wish, local_good),
            local_wish[auction[in_auction.part(c)]], local_wish[lottery[in_lottery.part(c)]],
        )
        alt_units[a] = result.alt_units
        premium[g] = result.premium
        production[g] = result.production
    return GoodsAllocation(alt_units=alt_units, premium=premium, production=production)


def _allocate_part(part: GoodsMarket, auction: IntArray, lottery: IntArray) -> GoodsAllocation:
    """:func:`allocate_goods` on one component, in these orders of its wishes."""
    return allocate_goods(part, WishOrders(auction=auction, lottery=lottery))


def assign(market: TaskMarket, order: IntArray) -> TaskAuction:
    """Stage 2: :func:`auction_tasks` on each connected component of participants and tasks,
    in the given order of the participants restricted to the component. Tasks nobody offers
    to work on are cleared together: nothing is assigned there, so nothing can tie."""
    n_people, n_tasks = len(market.capacity), len(market.hours_needed)
    assigned = np.zeros(len(market.offer_hours), dtype=np.float64)
    weight = np.full(n_tasks, np.nan, dtype=np.float64)
    uncovered = np.zeros(n_tasks, dtype=np.float64)
    label, n = _components(n_people, n_tasks, market.offer_participant, market.offer_task)
    person_label, task_label = label[:n_people], label[n_people:]
    offered = np.zeros(n, dtype=bool)
    offered[person_label[market.offer_participant]] = True
    people, tasks = _Groups(person_label, n), _Groups(task_label, n)
    offers = _Groups(person_label[market.offer_participant], n)
    ranked = _Groups(person_label[order], n)
    local_person, local_task = _local(person_label, n), _local(task_label, n)
    none = np.zeros(0, dtype=np.int64)
    lone = np.flatnonzero(~offered[task_label])
    parts = [(none, lone, none, none)] if len(lone) else []
    parts += [(people.part(c), tasks.part(c), offers.part(c), ranked.part(c))
              for c in np.flatnonzero(offered).tolist()]
    for p, t, o, r in parts:
        result = auction_tasks(
            market.part(p, t, o, local_person, local_task), order=local_person[order[r]]
        )
        assigned[o] = result.assigned
        weight[t] = result.weight
        uncovered[t] = result.uncovered
    return TaskAuction(assigned=assigned, weight=weight, uncovered=uncovered)


def hours_needed(prepared: Prepared, production: IntArray) -> FloatArray:
    """Hours each task needs: its fixed hours plus the recipes times the production (the
    units allocated, ``production``, and the units held, which are made all the same)."""
    made = production + prepared.held
    needed: FloatArray = prepared.fixed_hours + np.bincount(
        prepared.recipe_task,
        weights=prepared.recipe_hours * made[prepared.recipe_good],
        minlength=len(prepared.tasks),
    )
    return needed


def task_market(prepared: Prepared, hours: FloatArray) -> TaskMarket:
    """Stage 2's market: the hours needed, the participants' capacities and the offers."""
    return TaskMarket(
        hours_needed=hours,
        capacity=prepared.capacity,
        offer_participant=prepared.offer_participant,
        offer_task=prepared.offer_task,
        offer_hours=prepared.offer_hours,
        offer_min_weight=prepared.offer_min_weight,
        max_weight=prepared.scenario.settings.max_weight,
    )


def plan_of(
    prepared: Prepared, allocation: GoodsAllocation, hours: FloatArray, work: TaskAuction
) -> ClearedPlan:
    """Stage 3, costs and shares from the goods allocated and the task weights, and the
    plan."""
    scenario = prepared.scenario
    participants, tasks, goods = prepared.participants, prepared.tasks, prepared.goods
    j_index = {p.id: i for i, p in enumerate(scenario.projects)}
    goods_market = prepared.goods_market
    production = allocation.production + prepared.held  # held units are made too
    needed: BoolArray = hours > _EPS
    weight = np.where(needed, work.weight, prepared.estimate)

    # one allocation per wish and good (a good may be named twice: itself and by its type)
    n_keys = max(len(goods), 1)
    wish_good = goods_market.alt_wish * n_keys + goods_market.alt_good  # per alternative
    alloc_alt = np.flatnonzero(allocation.alt_units > 0)
    _, first, inverse = np.unique(wish_good[alloc_alt], return_index=True, return_inverse=True)
    in_order = np.argsort(first, kind="stable")
    alloc_units = np.bincount(inverse, weights=allocation.alt_units[alloc_alt])[in_order]
    alloc_units = np.rint(alloc_units).astype(np.int64)
    alloc_wish = goods_market.alt_wish[alloc_alt[first[in_order]]]
    alloc_good = goods_market.alt_good[alloc_alt[first[in_order]]]
    alloc_participant = scenario.wish_participant[alloc_wish]
    charges = charge(
        weight=weight,
        hours=hours,
        fixed_hours=prepared.fixed_hours,
        recipe_good=prepared.recipe_good,
        recipe_task=prepared.recipe_task,
        recipe_hours=prepared.recipe_hours,
        good_model=prepared.good_model,
        good_project=np.array([j_index[g.project] for g in scenario.goods], dtype=np.int64),
        premium=allocation.premium,
        alloc_participant=alloc_participant,
        alloc_good=alloc_good,
        alloc_units=alloc_units,
        exempt=scenario.participant_exempt,
        held_participant=prepared.held_participant,
        held_good=prepared.held_good,
        held_units=prepared.held_units,
        held_premium=prepared.held_premium,
    )

    credit = np.bincount(
        prepared.offer_participant,
        weights=work.assigned * weight[prepared.offer_task],
        minlength=len(participants),
    )

    # what each good was wished for (each wish once per good it names), and what stayed unmet
    got = np.bincount(
        goods_market.alt_wish, weights=allocation.alt_units, minlength=len(scenario.wish_ids)
    )
    short = goods_market.wish_quantity - np.rint(got).astype(np.int64)
    pair = np.sort(wish_good)
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else pair
    pair_wish, pair_good = pair // n_keys, pair % n_keys
    wished = np.bincount(
        pair_good, weights=goods_market.wish_quantity[pair_wish], minlength=len(goods)
    ).astype(np.int64)
    unmet_by_good = np.bincount(
        pair_good, weights=short[pair_wish], minlength=len(goods)
    ).astype(np.int64)

    worked = np.flatnonzero(work.assigned > _EPS)
    wish_ids = scenario.wish_ids
    return ClearedPlan(
        weights={t: float(weight[i]) for i, t in enumerate(tasks) if needed[i]},
        assignments=tuple(
            TaskAssignment(participants[p], tasks[t], hours_k)
            for p, t, hours_k in zip(
                prepared.offer_participant[worked].tolist(),
                prepared.offer_task[worked].tolist(), work.assigned[worked].tolist(),
                strict=True,
            )
        ),
        uncovered={t: float(work.uncovered[i]) for i, t in enumerate(tasks) if needed[i]},
        production={g: int(production[i]) for i, g in enumerate(goods)},
        goods={
            g: GoodResult(
                wished=int(wished[i]),
                allocated=int(allocation.production[i]),
                premium=float(allocation.premium[i]),
                unit_cost=float(charges.unit_cost[i]),
            )
            for i, g in enumerate(goods)
        },
        allocations=tuple(
            Allocation(participants[p], wish_ids[w], goods[g], units, cost)
            for p, w, g, units, cost in zip(
                alloc_participant.tolist(), alloc_wish.tolist(), alloc_good.tolist(),
                alloc_units.tolist(), charges.allocation_cost.tolist(), strict=True,
            )
        ),
        holdings=_held_units(prepared, charges.held_cost),
        won=tuple(
            WonUnits(participants[p], wish_ids[w], goods[g], units,
                     float(allocation.premium[g]), scenario.goods[g].tenure)
            for p, w, g, units in zip(
                alloc_participant.tolist(), alloc_wish.tolist(), alloc_good.tolist(),
                alloc_units.tolist(), strict=True,
            )
            if scenario.goods[g].tenure > 1
        ),
        shares=dict(zip(participants, charges.share.tolist(), strict=True)),
        refunds=dict(zip(participants, charges.refund.tolist(), strict=True)),
        credits=dict(zip(participants, credit.astype(np.float64).tolist(), strict=True)),
        weighted_effort=charges.weighted_effort,
        hints=_hints(scenario, tasks, goods, weight, work.uncovered, production, unmet_by_good),
    )


def _held_units(prepared: Prepared, cost: FloatArray) -> tuple[HeldUnits, ...]:
    """The plan's holdings: one entry per participant, good and locked premium (by
    participant, then good, then premium), with their units and what they are charged."""
    merged: dict[tuple[int, int, float], tuple[int, float]] = {}
    for p, g, units, premium, charged in zip(
        prepared.held_participant.tolist(), prepared.held_good.tolist(),
        prepared.held_units.tolist(), prepared.held_premium.tolist(), cost.tolist(),
        strict=True,
    ):
        before = merged.get((p, g, premium), (0, 0.0))
        merged[(p, g, premium)] = (before[0] + units, before[1] + charged)
    return tuple(
        HeldUnits(prepared.participants[p], prepared.goods[g], units, premium, charged)
        for (p, g, premium), (units, charged) in sorted(merged.items())
    )


def _components(
    n_rows: int, n_cols: int, edge_row: IntArray, edge_col: IntArray
) -> tuple[IntArray, int]:
    """Connected components of a bipartite graph: a label per row, then per column."""
    return bipartite_components(n_rows, n_cols, edge_row, edge_col)


class _Groups:
    """The indexes of the items with each label, ascending: ``part(c)``."""

    def __init__(self, label: IntArray, n: int) -> None:
        self.index = np.argsort(label, kind="stable").astype(np.int64)
        self.bounds = np.concatenate([[0], np.cumsum(np.bincount(label, minlength=n))])

    def part(self, c: int) -> IntArray:
        return self.index[self.bounds[c] : self.bounds[c + 1]]


def _local(label: IntArray, n: int) -> IntArray:
    """Each item's index among the items with its label (in ascending order)."""
    groups = _Groups(label, n)
    local = np.empty(len(label), dtype=np.int64)
    local[groups.index] = np.arange(len(label)) - groups.bounds[label[groups.index]]
    return local


def _expand_alternatives(
    columns: ScenarioColumns, effort: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each wish's alternatives as arrays (wish, good, max_cost or nan), in preference order.

    A product type stands for every good of that type, least effort first (ties by the order
    of the goods), so wished units go to the producers with the least effort first.
    """
    alt_type = columns.alt_type
    named_type = alt_type >= 0
    if not np.any(named_type):  # goods only: one row per alternative
        return columns.alt_wish, columns.alt_good, columns.alt_max_cost
    # a product type stands for its goods: repeat the alternative once for each of them
    position = {t: i for i, t in enumerate(columns.product_types)}
    good_type = np.array([-1 if g.product_type is None else position[g.product_type]
                          for g in columns.goods], dtype=np.int64)
    typed = np.flatnonzero(good_type >= 0)
    members = typed[np.lexsort((typed, effort[typed], good_type[typed]))]  # by type, effort
    count = np.bincount(good_type[typed], minlength=len(position))
    start = np.cumsum(count) - count
    width = np.where(named_type, count[np.maximum(alt_type, 0)], 1)
    row = np.repeat(np.arange(len(alt_type), dtype=np.int64), width)
    offset = np.arange(len(row), dtype=np.int64) - np.repeat(np.cumsum(width) - width, width)
    alt_good = np.where(named_type[row], members[start[np.maximum(alt_type[row], 0)] + offset],
                        columns.alt_good[row])
    return columns.alt_wish[row], alt_good, columns.alt_max_cost[row]


def _hints(
    scenario: ScenarioColumns,
    tasks: list[str],
    goods: list[str],
    weight: FloatArray,
    uncovered: FloatArray,
    production: IntArray,
    unmet_by_good: IntArray,
) -> tuple[Hint, ...]:
    """The hint board: uncovered task hours (highest weight first), unmet wishes, and over-
    and underproduction per project and product (its product type, or the good itself)."""
    hints: list[Hint] = []
    open_tasks = [i for i in range(len(tasks)) if uncovered[i] > 0]
    open_tasks.sort(key=lambda i: (-weight[i], -uncovered[i], tasks[i]))
    hints.extend(
        UncoveredTask(tasks[i], float(uncovered[i]), float(weight[i])) for i in open_tasks
    )
    hints.extend(
        UnmetWish(goods[i], int(unmet_by_good[i]))
        for i in range(len(goods)) if unmet_by_good[i] > 0
    )
    # per (product, project): idle capacity, and unmet units where the project is at capacity;
    # a product is its product type (the good None), or the good itself (the type None)
    idle: dict[tuple[str | None, str | None, str], int] = defaultdict(int)
    full: dict[tuple[str | None, str | None, str], bool] = {}
    unmet: dict[tuple[str | None, str | None], int] = defaultdict(int)
    for i, good in enumerate(scenario.goods):
        product = (good.product_type, None) if good.product_type else (None, good.id)
        key = (*product, good.project)
        if good.capacity is not None:
            idle[key] += good.capacity - int(production[i])
            full[key] = full.get(key, True) and int(production[i]) >= good.capacity
        else:
            full[key] = False
        unmet[product] = max(unmet[product], int(unmet_by_good[i]))
    for (product_type, good_id, project), units in idle.items():
        if units > 0:
            hints.append(Overproduction(product_type=product_type, good=good_id,
                                        project=project, units=units))
    for (product_type, good_id, project), is_full in full.items():
        if is_full and unmet[(product_type, good_id)] > 0:
            hints.append(Underproduction(product_type=product_type, good=good_id,
                                         project=project, units=unmet[(product_type, good_id)]))
    return tuple(hints)
