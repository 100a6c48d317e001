"""The task auction: who does which hours of which task, and at what weight (credit per hour).

Problem. Each task needs some hours this period. A participant offers up to ``h`` hours on a
task at a lowest acceptable weight ``min_weight``, and can give at most ``capacity`` hours in
all. Assign offered hours so that the total ``min_weight``-cost of the work plus
``max_weight`` for every hour left uncovered is least. Uncovered hours stay open on the hint
board at the pool's ``max_weight``.

Weights. Each task's weight is the same for everyone working on it. The weights are the
*minimal competitive* ones: at those weights every participant's assignment is a best choice
for them (no offer they were not given pays them more over their ``min_weight`` than what
they got, nobody with spare capacity is left with an offer that pays more than its
``min_weight``), a task with uncovered hours is at ``max_weight``, and no weight could be
lower without breaking that. They are ``max_weight`` minus the greatest competitive prices of
the flow core (:mod:`peerconomy.mechanisms.flow`), where a unit of work on a task is worth
``max_weight - min_weight`` to the pool.

Examples.

* Three volunteers offer an hour each on a task that needs 2 hours, at minimum weights
  0.8, 1.0 and 1.5. The 0.8 and 1.0 volunteers do it and the weight is 1.0: lower, and the
  second would rather not; the 1.5 volunteer is not needed.
* Tasks compete for people: Bea (1 hour free) would wash dishes or harvest at weight 1; Carl
  harvests only at 2. Dishes need 1 hour, harvest 1 hour. Bea washes, Carl harvests at 2,
  and the dishes' weight rises to 2 as well, since Bea could earn 2 harvesting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peerconomy.mechanisms.arrays import FloatArray, IntArray
from peerconomy.mechanisms.flow import Market, solve

__all__ = ["TaskAuction", "TaskMarket", "auction_tasks"]

_EPS = 1e-9


@dataclass(frozen=True)
class TaskMarket:
    """One period's work: hours needed per task, offers, and participants' capacities."""

    hours_needed: FloatArray  # (tasks,)
    capacity: FloatArray  # (participants,), inf for no limit
    offer_participant: IntArray  # (offers,)
    offer_task: IntArray
    offer_hours: FloatArray
    offer_min_weight: FloatArray
    max_weight: float

    def part(
        self,
        people: IntArray,
        tasks: IntArray,
        offers: IntArray,
        local_person: IntArray,
        local_task: IntArray,
    ) -> TaskMarket:
        """The market of some of its participants, tasks and offers (ascending indexes);
        ``local_person`` and ``local_task`` give each one's index in the part."""
        return TaskMarket(
            hours_needed=self.hours_needed[tasks],
            capacity=self.capacity[people],
            offer_participant=local_person[self.offer_participant[offers]],
            offer_task=local_task[self.offer_task[offers]],
            offer_hours=self.offer_hours[offers],
            offer_min_weight=self.offer_min_weight[offers],
            max_weight=self.max_weight,
        )


@dataclass(frozen=True)
class TaskAuction:
    """Assigned hours per offer, and per task its weight and uncovered hours.

    ``weight`` is ``nan`` for a task that needs no hours this period.
    """

    assigned: FloatArray  # (offers,)
    weight: FloatArray  # (tasks,)
    uncovered: FloatArray  # (tasks,)


def auction_tasks(market: TaskMarket, order: IntArray | None = None) -> TaskAuction:
    """Least-cost assignment and minimal competitive weights.

    ``order`` is a permutation of the participants: among equally cheap assignments, those
    earlier in it are preferred (pass a seeded shuffle for a fair draw).
    """
    n_participants = len(market.capacity)
    n_tasks = len(market.hours_needed)
    if order is None:
        order = np.arange(n_participants, dtype=np.int64)
    rank = np.empty(n_participants, dtype=np.int64)
    rank[order] = np.arange(n_participants, dtype=np.int64)

    useful = (market.offer_hours > _EPS) & (market.hours_needed[market.offer_task] > _EPS)
    offered = np.bincount(
        market.offer_participant[useful],
        weights=market.offer_hours[useful],
        minlength=n_participants,
    )
    supply = np.minimum(market.capacity, offered)
    flow_market = Market(
        row_supply=supply[order],
        col_capacity=market.hours_needed.astype(np.float64),
        arc_row=rank[market.offer_participant[useful]],
        arc_col=market.offer_task[useful].astype(np.int64),
        arc_value=market.max_weight - market.offer_min_weight[useful],
        arc_capacity=market.offer_hours[useful].astype(np.float64),
    )
    result = solve(flow_market, prices="max")
    assigned = np.zeros(len(market.offer_hours), dtype=np.float64)
    assigned[useful] = result.flow
    covered = np.bincount(market.offer_task, weights=assigned, minlength=n_tasks)
    uncovered = np.maximum(market.hours_needed - covered, 0.0)
    uncovered[uncovered <= _EPS] = 0.0
    # max_weight - price in floats can land a hair off the decimal the data give (4.0 - 3.1
    # is 0.8999999999999999); the prices are exact on that grid, so round the noise away
    weight = np.where(
        market.hours_needed > _EPS, np.round(market.max_weight - result.col_price, 12), np.nan
    )
    return TaskAuction(assigned=assigned, weight=weight, uncovered=uncovered)
