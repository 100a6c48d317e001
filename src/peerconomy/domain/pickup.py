"""Pick-up points: where a pool's members collect the goods a plan gives them.

A pool has pick-up points (a farm shop, a neighbourhood centre), each with an id (the id
rule of :mod:`peerconomy.domain.ids`), a name people read, an address and opening times
(free text, e.g. ``Sat 14:00-18:00``). Coordinators add, change and retire them; each member
chooses one (:attr:`peerconomy.domain.pool.Member.pickup_point`). A retired point is kept
(earlier lists named it) but nobody may choose it, and retiring it clears the choice of the
members who had it. The rules of the text are :func:`peerconomy.domain.text.check_text`'s.

>>> checked(PickupPoint("hofladen", " Hofladen ", "Dorfstraße 1", "Sat 9:00-12:00"))
PickupPoint(id='hofladen', name='Hofladen', address='Dorfstraße 1', \
opening_times='Sat 9:00-12:00', active=True, version=1)
>>> checked(PickupPoint("hofladen", ""))
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: name: must not be empty
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from peerconomy.domain.ids import check_id
from peerconomy.domain.refusal import InputError, Problems
from peerconomy.domain.text import TextKind, check_text

__all__ = [
    "MAX_ADDRESS",
    "MAX_NAME",
    "MAX_OPENING_TIMES",
    "PickupPoint",
    "checked",
    "refuse_choice",
]

MAX_NAME: Final = 100
"""The longest name of a pick-up point."""
MAX_ADDRESS: Final = 300
"""The longest address."""
MAX_OPENING_TIMES: Final = 200
"""The longest opening times."""


@dataclass(frozen=True, slots=True)
class PickupPoint:
    """A place where members of pool collect their goods; ``active`` False: retired."""

    id: str
    name: str
    address: str = ""
    opening_times: str = ""
    active: bool = True
    version: int = 1
    """Counts the changes from 1: an edit made from an older version is refused."""


def checked(point: PickupPoint) -> PickupPoint:
    """``point`` with its text trimmed, if every field follows the rules; else an
    :class:`~peerconomy.domain.refusal.InputError` naming each field at fault."""
    problems = Problems()
    with problems.gathering():
        check_id(point.id, "id")
    texts = {"name": (TextKind(MAX_NAME), True), "address": (TextKind(MAX_ADDRESS), False),
             "opening_times": (TextKind(MAX_OPENING_TIMES), False)}
    trimmed: dict[str, str] = {}
    for field, (kind, required) in texts.items():
        with problems.gathering():
            trimmed[field] = check_text(getattr(point, field), field, kind, required=required)
    if not isinstance(point.active, bool):
        problems.note("active", f"must be true or false, got {point.active!r}")
    problems.refuse()
    return replace(point, name=trimmed["name"], address=trimmed["address"],
                   opening_times=trimmed["opening_times"])


def refuse_choice(choice: str, points: list[PickupPoint] | tuple[PickupPoint, ...]) -> None:
    """Refuse a member's choice of ``choice`` unless it names an active point of ``points``
    (an :class:`~peerconomy.domain.refusal.InputError` naming ``pickup_point``)."""
    found = next((p for p in points if p.id == choice), None)
    if found is None:
        known = ", ".join(p.id for p in points if p.active) or "none yet"
        raise InputError("pickup_point", f"no pick-up point {choice[:101]!r} in this pool"
                                         f" (there are: {known})")
    if not found.active:
        raise InputError("pickup_point", f"pick-up point {choice!r} is retired: choose"
                                         " another")
