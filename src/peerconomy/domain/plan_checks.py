"""Checks of a plan before it is kept: every number finite, and shares a coordinator should
look at before clearing.

A plan is stored only if every number in it is finite (:func:`first_non_finite`): a NaN share
could never be settled. A plan whose largest share exceeds ten times the pool's median
capacity is flagged (:func:`plan_warnings`): one member's demand may be inflating everyone's
share, which the coordinator sees on the period page before clearing.

>>> first_non_finite({"shares": {"ana": 2.0, "ben": float("nan")}})
"shares['ben']"
>>> plan_warnings(ClearedPlan(shares={"ana": 500.0, "ben": 3.0}), [10.0, 20.0, None])
[{'kind': 'large_share', 'participant': 'ana', 'share': 500.0, 'median_capacity': 15.0}]
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from peerconomy.domain.plan import ClearedPlan

__all__ = ["SHARE_FACTOR", "first_non_finite", "plan_warnings"]

SHARE_FACTOR: Final = 10.0
"""A share above this many times the median capacity is flagged."""


def first_non_finite(value: Any, path: str = "") -> str | None:
    """The path of the first number in ``value`` (a plan's JSON, see
    :meth:`~peerconomy.domain.plan.ClearedPlan.to_json`) that is NaN or infinite, or None if
    there is none."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (path or "<plan>")
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}[{key!r}]" if path else str(key)
            found = first_non_finite(item, where)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = first_non_finite(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def plan_warnings(
    plan: ClearedPlan, capacities: Iterable[float | None]
) -> list[dict[str, Any]]:
    """Warnings for the coordinator: the largest share, where it exceeds
    :data:`SHARE_FACTOR` times the median of the capacities that are set (none set: no
    warning)."""
    known: Sequence[float] = [c for c in capacities if c is not None]
    shares = plan.shares
    if not known or not shares:
        return []
    median = float(statistics.median(known))
    who = max(shares, key=lambda p: shares[p])
    largest = float(shares[who])
    if largest <= SHARE_FACTOR * median:
        return []
    return [{"kind": "large_share", "participant": who, "share": largest,
             "median_capacity": median}]
