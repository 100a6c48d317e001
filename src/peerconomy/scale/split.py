"""A federation's plan cut into each pool's part (``peerconomy-federation-plan/1``).

A pool's part holds what its own file lists: weights, uncovered hours and assignments of its
tasks; production, goods and unmet wishes of its goods; allocations and units won of its
wishes (of whichever pool's goods); holdings, shares and credits of its participants; the
hints about its tasks, goods and projects; and ``weighted_effort``, the weighted hours of its
tasks. Every entry of
the merged plan lands in exactly one part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeVar

from peerconomy.domain.plan import ClearedPlan, Hint, ProductionHint, UncoveredTask
from peerconomy.scale.federation import Federation

__all__ = ["SPLIT_FORMAT", "split_plan"]

SPLIT_FORMAT: Final = "peerconomy-federation-plan/1"

_Value = TypeVar("_Value")


def split_plan(plan: ClearedPlan, federation: Federation) -> dict[str, Any]:
    """``{"format": ..., "pools": {name: part}}`` for the merged pool's plan, each part in
    the plan's JSON (without its ``format``)."""
    merged = federation.merged
    pool_of = {
        kind: {item["id"]: pool for item, pool in zip(merged[kind], federation.owner[kind],
                                                       strict=True)}
        for kind in ("participants", "projects", "tasks", "goods", "wishes")
    }
    tasks, goods, people = pool_of["tasks"], pool_of["goods"], pool_of["participants"]
    hours = _task_hours(plan)
    effort: dict[str, float] = defaultdict(float)
    for task, weight in plan.weights.items():
        effort[tasks[task]] += weight * hours.get(task, 0.0)
    weights, uncovered = _by_pool(plan.weights, tasks), _by_pool(plan.uncovered, tasks)
    production, figures = _by_pool(plan.production, goods), _by_pool(plan.goods, goods)
    shares, credits = _by_pool(plan.shares, people), _by_pool(plan.credits, people)
    refunds = _by_pool(plan.refunds, people)
    assignments = _grouped(plan.assignments, lambda a: tasks[a.task])
    allocations = _grouped(plan.allocations, lambda a: pool_of["wishes"][a.wish])
    held = _grouped(plan.holdings, lambda h: people[h.participant])
    won = _grouped(plan.won, lambda w: pool_of["wishes"][w.wish])
    hints = _grouped(plan.hints, lambda h: _hint_pool(h, pool_of))
    parts = {
        name: ClearedPlan(
            weights=weights[name], assignments=tuple(assignments[name]),
            uncovered=uncovered[name], production=production[name], goods=figures[name],
            allocations=tuple(allocations[name]), holdings=tuple(held[name]),
            won=tuple(won[name]), shares=shares[name], refunds=refunds[name],
            credits=credits[name],
            weighted_effort=effort[name], hints=tuple(hints[name]),
        )
        for name in federation.names
    }
    return {"format": SPLIT_FORMAT, "pools": {name: _part_json(part)
                                              for name, part in parts.items()}}


def _by_pool(values: Mapping[str, _Value], owner: Mapping[str, str]
             ) -> defaultdict[str, dict[str, _Value]]:
    """The entries of ``values`` by the pool ``owner`` gives each key to, in their order."""
    parts: defaultdict[str, dict[str, _Value]] = defaultdict(dict)
    for key, value in values.items():
        parts[owner[key]][key] = value
    return parts


def _grouped(items: Iterable[_Value], pool: Callable[[_Value], str]
             ) -> defaultdict[str, list[_Value]]:
    """The items by the pool each is of, in their order."""
    parts: defaultdict[str, list[_Value]] = defaultdict(list)
    for item in items:
        parts[pool(item)].append(item)
    return parts


def _hint_pool(hint: Hint, pool_of: Mapping[str, Mapping[str, str]]) -> str:
    """The pool a hint is about: its task's, its project's, or its good's."""
    if isinstance(hint, UncoveredTask):
        return pool_of["tasks"][hint.task]
    if isinstance(hint, ProductionHint):
        return pool_of["projects"][hint.project]
    return pool_of["goods"][hint.good]


def _part_json(part: ClearedPlan) -> dict[str, Any]:
    """A pool's part as the plan's JSON, without the ``format`` (a part is not a plan)."""
    return {key: value for key, value in part.to_json().items() if key != "format"}


def _task_hours(plan: ClearedPlan) -> dict[str, float]:
    """Hours each task needed: assigned plus uncovered."""
    hours = dict(plan.uncovered)
    for assignment in plan.assignments:
        hours[assignment.task] = hours.get(assignment.task, 0.0) + assignment.hours
    return hours
