"""Clearing a federation piecewise, in parallel on Ray, to exactly its merged pool's plan.

The merged pool (:mod:`peerconomy.scale.federation`) is cleared in the stages of docs/design.md,
split where the pools do not touch:

1. **goods**, per connected component of pools linked by a wish in one pool naming a good
   of another (directly, or by a product type made there);
2. **tasks**, per connected component of pools linked by an offer of one pool's participant on
   another pool's task (usually each pool alone), with the hours needed from stage 1's
   production (recipes may name another pool's tasks);
3. **costs and shares**, a cheap reduction over the whole federation: β and the flat-rate
   overhead are federation-wide.

Why the plan is exactly ``peerconomy.clear(merged)``: the seeded orders (which auction wish,
lottery wish and participant comes first where they tie) are drawn once, for the merged
pool in its canonical order (ids sorted, so the pools' names and the order of their lists
decide nothing), and each piece gets them restricted to its rows; and the single-pool
clearing itself clears each market per connected component
(:mod:`peerconomy.domain.clearing`), so a piece, which is a union of such components, gets
the same components with the same orders. Stages
1 and 2 are the heavy ones (the flow core); stage 3, the validation of the merged pool and
its arrays stay on the driver.

``serial=True`` runs the pieces one after the other in this process: the reference. Otherwise
on Ray: the running Ray if this process has one, else ``ray.init(address=address)`` (without
an address, a local Ray using every CPU of the machine).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from peerconomy.domain.clearing import (
    allocate,
    assign,
    draw_orders,
    hours_needed,
    plan_of,
    prepare,
    task_market,
)
from peerconomy.domain.collection import paused_collection
from peerconomy.domain.plan import ClearedPlan
from peerconomy.mechanisms.arrays import FloatArray, IntArray
from peerconomy.mechanisms.components import bipartite_components
from peerconomy.mechanisms.goods import GoodsAllocation
from peerconomy.mechanisms.tasks import TaskAuction
from peerconomy.scale.federation import Federation, merge_pools

__all__ = ["clear_federation"]

Runner = Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]
"""Runs a function on each argument tuple (in parallel, or not) and returns the results."""


def clear_federation(
    pools: Federation | Mapping[str, Mapping[str, Any]],
    *,
    settings: Mapping[str, Any] | None = None,
    serial: bool = False,
    address: str | None = None,
) -> ClearedPlan:
    """The plan of the federation's merged pool (``peerconomy-plan/2``), cleared piecewise.

    ``pools`` is a :class:`Federation` or pools by name (scenario dicts); ``settings`` the
    federation's settings for the latter (default: the pools'). Raise :class:`ScenarioError`
    naming the pool's file for bad input.
    """
    federation = pools if isinstance(pools, Federation) else merge_pools(pools, settings)
    run: Runner = _serially
    if not serial:
        from peerconomy.scale.ray_runner import on_ray

        run = on_ray(address)
    with paused_collection():
        return _clear(federation, run)


def _serially(function: Callable[..., Any], jobs: Sequence[tuple[Any, ...]]) -> list[Any]:
    return [function(*job) for job in jobs]


def _clear(federation: Federation, run: Runner) -> ClearedPlan:
    scenario = federation.scenario()
    prepared = prepare(scenario)
    orders = draw_orders(prepared, scenario.settings.seed)
    pool_index = {name: i for i, name in enumerate(federation.names)}
    moved = prepared.reordering  # the clearing reads the merged pool in canonical order
    canonical_order = {"participants": moved.participants, "tasks": moved.tasks,
                       "goods": moved.goods, "wishes": moved.wishes}
    owner = {kind: np.array([pool_index[p] for p in pools], dtype=np.int64)[canonical_order[kind]]
             for kind, pools in federation.owner.items() if kind in canonical_order}
    n_pools = len(pool_index)

    # stage 1: goods, per component of pools linked by wishes
    market = prepared.goods_market
    wish_pool, good_pool = owner["wishes"], owner["goods"]
    linked = _components(n_pools, wish_pool[market.alt_wish], good_pool[market.alt_good])
    jobs, places = [], []
    for pools in linked:
        wishes = np.flatnonzero(np.isin(wish_pool, pools))
        if len(wishes) == 0:
            continue  # nobody there wishes for anything: nothing made, no premiums
        goods = np.flatnonzero(np.isin(good_pool, pools))
        alts = np.flatnonzero(np.isin(wish_pool[market.alt_wish], pools))
        local_wish, local_good = _local(wishes, len(wish_pool)), _local(goods, len(good_pool))
        part = market.part(wishes, goods, alts, local_wish, local_good)
        jobs.append((part, _restrict(orders.auction, local_wish),
                     _restrict(orders.lottery, local_wish)))
        places.append((goods, alts))
    alt_units = np.zeros(len(market.alt_good), dtype=np.int64)
    premium = np.zeros(len(good_pool), dtype=np.float64)
    production = np.zeros(len(good_pool), dtype=np.int64)
    for (goods, alts), got in zip(places, run(allocate, jobs), strict=True):
        alt_units[alts] = got.alt_units
        premium[goods] = got.premium
        production[goods] = got.production
    allocation = GoodsAllocation(alt_units=alt_units, premium=premium, production=production)

    # stage 2: tasks, per component of pools linked by offers
    hours = hours_needed(prepared, production)
    whole = task_market(prepared, hours)
    person_pool, task_pool = owner["participants"], owner["tasks"]
    linked = _components(n_pools, person_pool[whole.offer_participant],
                         task_pool[whole.offer_task])
    task_jobs, task_places = [], []
    for pools in linked:
        tasks = np.flatnonzero(np.isin(task_pool, pools))
        if len(tasks) == 0:
            continue  # no tasks, so no offers either
        people = np.flatnonzero(np.isin(person_pool, pools))
        offers = np.flatnonzero(np.isin(person_pool[whole.offer_participant], pools))
        local_person, local_task = _local(people, len(person_pool)), _local(tasks, len(task_pool))
        part_market = whole.part(people, tasks, offers, local_person, local_task)
        task_jobs.append((part_market, _restrict(orders.participants, local_person)))
        task_places.append((tasks, offers))
    assigned = np.zeros(len(whole.offer_hours), dtype=np.float64)
    weight: FloatArray = np.full(len(task_pool), np.nan, dtype=np.float64)
    uncovered = np.zeros(len(task_pool), dtype=np.float64)
    for (tasks, offers), work_part in zip(task_places, run(assign, task_jobs), strict=True):
        assigned[offers] = work_part.assigned
        weight[tasks] = work_part.weight
        uncovered[tasks] = work_part.uncovered
    work = TaskAuction(assigned=assigned, weight=weight, uncovered=uncovered)

    # stage 3: costs and shares, and the plan
    return plan_of(prepared, allocation, hours, work)


def _components(n_pools: int, edge_a: IntArray, edge_b: IntArray) -> list[IntArray]:
    """The pools of each connected component of the graph with these edges between pools,
    the components in order of their first pool.

    The clearing's own union-find (:func:`bipartite_components`) on the bipartite graph of
    each pool as a row and as a column, joined by an edge (so that both are one node), and
    the given edges from rows to columns: its components are the pool graph's, and as each
    holds a row, which come first, they are numbered in order of their first pool."""
    pools = np.arange(n_pools, dtype=np.int64)
    label, count = bipartite_components(
        n_pools, n_pools,
        np.concatenate([pools, np.asarray(edge_a, dtype=np.int64)]),
        np.concatenate([pools, np.asarray(edge_b, dtype=np.int64)]),
    )
    of_pool = label[:n_pools]
    return [np.flatnonzero(of_pool == c) for c in range(count)]


def _local(members: IntArray, n: int) -> IntArray:
    """Index within ``members`` (ascending) of each of ``n`` items; -1 for the others."""
    local = np.full(n, -1, dtype=np.int64)
    local[members] = np.arange(len(members), dtype=np.int64)
    return local


def _restrict(order: IntArray, local: IntArray) -> IntArray:
    """An order of the whole, restricted to a part, in the part's local indexes."""
    mapped = local[order]
    kept: IntArray = mapped[mapped >= 0]
    return kept
