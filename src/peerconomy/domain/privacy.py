"""Pseudonyms for deleted accounts: the participant id a member had, replaced in a plan.

When an account is deleted, every member it claimed keeps its place in the plans and the
books under a pseudonym (``gone-`` and 8 hex digits) in place of its participant id, so the
books still balance and every sum is unchanged, but nothing left names the person. A plan
names participants in three places: each assignment's and allocation's ``participant``, and
the keys of ``shares`` and ``credits``. Example::

    >>> renamed_plan({"shares": {"ana": 2.0}, "assignments": [{"participant": "ana"}]},
    ...              "ana", "gone-0a1b2c3d")
    {'shares': {'gone-0a1b2c3d': 2.0}, 'assignments': [{'participant': 'gone-0a1b2c3d'}]}
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["PSEUDONYM", "PSEUDONYM_PREFIX", "is_pseudonym", "new_pseudonym", "renamed_plan"]

PSEUDONYM_PREFIX: Final = "gone-"
PSEUDONYM: Final = re.compile(r"gone-[0-9a-f]{8}")
"""A deleted account's member's participant id: random, so it says nothing of the person."""

_BY_PARTICIPANT: Final = ("shares", "credits")
_NAMING_PARTICIPANTS: Final = ("assignments", "allocations")


def new_pseudonym(taken: Mapping[str, object] | set[str] | frozenset[str]) -> str:
    """A fresh pseudonym that is not among ``taken`` (the pool's participant ids)."""
    while True:
        candidate = f"{PSEUDONYM_PREFIX}{secrets.token_hex(4)}"
        if candidate not in taken:
            return candidate


def is_pseudonym(participant: str) -> bool:
    """Whether ``participant`` is a deleted account's pseudonym."""
    return PSEUDONYM.fullmatch(participant) is not None


def renamed_plan(data: Mapping[str, Any], old: str, new: str) -> dict[str, Any]:
    """A copy of the plan ``data`` with participant ``old`` called ``new`` wherever the plan
    names a participant (tasks and goods that happen to share the id are left alone); the
    order of every list and mapping is kept."""
    renamed = dict(data)
    for key in _BY_PARTICIPANT:
        if isinstance(data.get(key), Mapping):
            renamed[key] = {(new if k == old else k): v for k, v in data[key].items()}
    for key in _NAMING_PARTICIPANTS:
        if isinstance(data.get(key), list):
            renamed[key] = [
                {**row, "participant": new}
                if isinstance(row, Mapping) and row.get("participant") == old else row
                for row in data[key]
            ]
    return renamed
