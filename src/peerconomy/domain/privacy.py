"""Pseudonyms for deleted accounts: the participant id a member had, replaced in a plan.

When an account is deleted, every member it claimed keeps its place in the plans and the
books under a pseudonym (``gone-`` and 8 hex digits) in place of its participant id, so the
books still balance and every sum is unchanged, but nothing left names the person. A plan
names participants in three places: each assignment's and allocation's ``participant``, and
the keys of ``shares`` and ``credits``. Example::

    >>> from peerconomy.domain.plan import TaskAssignment
    >>> plan = ClearedPlan(shares={"ana": 2.0},
    ...                    assignments=(TaskAssignment("ana", "paint", 1.0),))
    >>> renamed = renamed_plan(plan, "ana", "gone-0a1b2c3d")
    >>> renamed.shares, [a.participant for a in renamed.assignments]
    ({'gone-0a1b2c3d': 2.0}, ['gone-0a1b2c3d'])
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Final

from msgspec.structs import replace

from peerconomy.domain.plan import ClearedPlan

__all__ = ["PSEUDONYM", "PSEUDONYM_PREFIX", "is_pseudonym", "new_pseudonym", "renamed_plan"]

PSEUDONYM_PREFIX: Final = "gone-"
PSEUDONYM: Final = re.compile(r"gone-[0-9a-f]{8}")
"""A deleted account's member's participant id: random, so it says nothing of the person."""


def new_pseudonym(taken: Mapping[str, object] | set[str] | frozenset[str]) -> str:
    """A fresh pseudonym that is not among ``taken`` (the pool's participant ids)."""
    while True:
        candidate = f"{PSEUDONYM_PREFIX}{secrets.token_hex(4)}"
        if candidate not in taken:
            return candidate


def is_pseudonym(participant: str) -> bool:
    """Whether ``participant`` is a deleted account's pseudonym."""
    return PSEUDONYM.fullmatch(participant) is not None


def renamed_plan(plan: ClearedPlan, old: str, new: str) -> ClearedPlan:
    """The plan with participant ``old`` called ``new`` wherever the plan names a participant
    (tasks and goods that happen to share the id are left alone); the order of every list
    and mapping is kept."""

    def name(participant: str) -> str:
        return new if participant == old else participant

    return replace(
        plan,
        shares={name(p): share for p, share in plan.shares.items()},
        refunds={name(p): refund for p, refund in plan.refunds.items()},
        credits={name(p): credit for p, credit in plan.credits.items()},
        assignments=tuple(replace(a, participant=new) if a.participant == old else a
                          for a in plan.assignments),
        allocations=tuple(replace(a, participant=new) if a.participant == old else a
                          for a in plan.allocations),
        holdings=tuple(replace(h, participant=new) if h.participant == old else h
                       for h in plan.holdings),
        won=tuple(replace(w, participant=new) if w.participant == old else w
                  for w in plan.won),
    )
