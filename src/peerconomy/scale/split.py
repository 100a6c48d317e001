"""A federation's plan cut into each pool's part (``peerconomy-federation-plan/1``).

A pool's part holds what its own file lists: weights, uncovered hours and assignments of its
tasks; production, goods and unmet wishes of its goods; allocations of its wishes (of
whichever pool's goods); shares and credits of its participants; the hints about its tasks,
goods and projects; and ``weighted_effort``, the weighted hours of its tasks. Every entry of
the merged plan lands in exactly one part.
"""

from __future__ import annotations

from typing import Any, Final

from peerconomy.scale.federation import Federation

__all__ = ["SPLIT_FORMAT", "split_plan"]

SPLIT_FORMAT: Final = "peerconomy-federation-plan/1"


def split_plan(plan: dict[str, Any], federation: Federation) -> dict[str, Any]:
    """``{"format": ..., "pools": {name: part}}`` for the merged pool's plan."""
    merged = federation.merged
    pool_of = {
        kind: {item["id"]: pool for item, pool in zip(merged[kind], federation.owner[kind],
                                                       strict=True)}
        for kind in ("participants", "projects", "tasks", "goods", "wishes")
    }
    parts: dict[str, dict[str, Any]] = {
        name: {"weights": {}, "assignments": [], "uncovered": {}, "production": {},
               "goods": {}, "allocations": [], "shares": {}, "credits": {},
               "weighted_effort": 0.0, "hints": []}
        for name in federation.names
    }
    tasks, goods = pool_of["tasks"], pool_of["goods"]
    for key, owners in (("weights", tasks), ("uncovered", tasks), ("production", goods),
                        ("goods", goods), ("shares", pool_of["participants"]),
                        ("credits", pool_of["participants"])):
        for ident, value in plan[key].items():
            parts[owners[ident]][key][ident] = value
    for assignment in plan["assignments"]:
        parts[tasks[assignment["task"]]]["assignments"].append(assignment)
    for allocation in plan["allocations"]:
        parts[pool_of["wishes"][allocation["wish"]]]["allocations"].append(allocation)
    hours = _task_hours(plan)
    for task, weight in plan["weights"].items():
        parts[tasks[task]]["weighted_effort"] += weight * hours.get(task, 0.0)
    for hint in plan["hints"]:
        if "task" in hint:
            pool = tasks[hint["task"]]
        elif "project" in hint:
            pool = pool_of["projects"][hint["project"]]
        else:
            pool = goods[hint["good"]]
        parts[pool]["hints"].append(hint)
    return {"format": SPLIT_FORMAT, "pools": parts}


def _task_hours(plan: dict[str, Any]) -> dict[str, float]:
    """Hours each task needed: assigned plus uncovered."""
    hours = dict(plan["uncovered"])
    for assignment in plan["assignments"]:
        hours[assignment["task"]] = hours.get(assignment["task"], 0.0) + assignment["hours"]
    return hours
