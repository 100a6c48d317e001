"""The demo's sample pool: three projects, thirty people, and a seeded first period.

The pool joins three projects: a farm (vegetables, eggs, milk and a wood-oven farmhouse
loaf; milking at dawn is the task nobody wants), a bakery (sourdough: the farm's loaf and the
bakery's are one product type, ``bread``) and a bicycle workshop (repairs, and a cargo bike
and a tandem to borrow for a weekend: scarce, so they go by auction and carry a premium).
Thirty people offer work and make wishes; Rosa, 91, is exempt and the others carry her share.
``examples/demo.json`` is :func:`demo_scenario` of seed 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any, Final, NamedTuple, TypeVar

import numpy as np

from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.shifts import ShiftRule

__all__ = ["COORDINATORS", "EXEMPT", "MAX_WEIGHT", "PICKUP_POINTS", "POOL_DISPLAY_NAME",
           "POOL_NAME", "TIME_ZONE", "demo_scenario", "pick", "pickup_point_of", "shift_rules"]

_T = TypeVar("_T")

POOL_NAME: Final = "demo"
POOL_DISPLAY_NAME: Final = "Hof, Backstube & Werkstatt"
"""The pool's name people read: the demo's members speak German and English."""
TIME_ZONE: Final = "Europe/Berlin"
COORDINATORS: Final = ("ana", "kofi")
MAX_WEIGHT: Final = 3.0

# --- the pool ------------------------------------------------------------------------------


class _TaskSpec(NamedTuple):
    id: str
    project: str
    min_weight: float
    """The middle of the min_weights people ask for this task (1: a standard hour)."""
    spread: float
    fixed_hours: float = 0.0
    name: str = ""
    """What people read for it (the pages, mails and tables show it in place of the id)."""
    place: str = ""


_TASKS: Final = (
    _TaskSpec("weeding", "farm", 1.15, 0.15, name="Jäten", place="Market garden"),
    _TaskSpec("harvesting", "farm", 1.0, 0.1, name="Ernte", place="Market garden"),
    _TaskSpec("milking_at_dawn", "farm", 1.8, 0.4, name="Milking at dawn", place="Cowshed"),
    _TaskSpec("hen_care", "farm", 0.9, 0.1, name="Hen care", place="Henhouse"),
    _TaskSpec("wood_oven", "farm", 0.95, 0.1, name="Wood oven", place="Bakehouse"),
    _TaskSpec("fence_mending", "farm", 1.5, 0.2, fixed_hours=6.0, name="Fence mending"),
    _TaskSpec("kneading", "bakery", 1.0, 0.1, name="Kneading"),
    _TaskSpec("baking", "bakery", 0.85, 0.1, name="Baking"),
    _TaskSpec("delivery", "bakery", 1.05, 0.1, name="Delivery"),
    _TaskSpec("repairing", "workshop", 0.9, 0.1, name="Repairs"),
    _TaskSpec("bike_care", "workshop", 1.0, 0.1, name="Bike care"),
)
_PROJECTS: Final = (
    {"id": "farm", "name": "Hof am Hang"},
    {"id": "bakery", "name": "Sourdough bakery"},
    {"id": "workshop", "name": "Bicycle workshop"},
)

_GOODS: Final[tuple[dict[str, Any], ...]] = (
    {"id": "vegetable_box", "name": "Gemüsekiste", "limit": 2, "project": "farm",
     "model": "flat_rate", "recipe": {"harvesting": 1.0, "weeding": 0.7}},
    {"id": "eggs", "name": "Eggs", "limit": 3, "project": "farm", "model": "flat_allocation",
     "recipe": {"hen_care": 0.35}},
    {"id": "milk", "name": "Milk", "limit": 2, "project": "farm", "model": "effort",
     "recipe": {"milking_at_dawn": 0.8}},
    {"id": "farmhouse_loaf", "name": "Bauernbrot", "limit": 2, "project": "farm",
     "model": "effort", "capacity": 12, "recipe": {"wood_oven": 0.6}, "product_type": "bread"},
    {"id": "sourdough", "name": "Sourdough bread", "limit": 5, "project": "bakery",
     "model": "effort", "capacity": 100,
     "recipe": {"kneading": 0.25, "baking": 0.2, "delivery": 0.15}, "product_type": "bread"},
    {"id": "bicycle_repair", "name": "Bicycle repair", "limit": 1, "project": "workshop",
     "model": "effort", "recipe": {"repairing": 1.5}},
    {"id": "cargo_bike_weekend", "name": "Cargo bike for a weekend", "limit": 1,
     "project": "workshop", "model": "auction", "capacity": 2, "recipe": {"bike_care": 1.5}},
    {"id": "tandem_weekend", "name": "Tandem for a weekend", "limit": 1, "project": "workshop",
     "model": "auction", "capacity": 1, "recipe": {"bike_care": 1.0}},
)


class _Person(NamedTuple):
    id: str
    capacity: int | None
    """Hours a period, before the seed's jitter; None: no limit."""
    likes: tuple[str, ...]
    """The tasks they offer."""


EXEMPT: Final = "rosa"
_PEOPLE: Final = (
    _Person("ana", 12, ("harvesting", "kneading")),
    _Person("ben", 10, ("harvesting", "repairing", "weeding")),
    _Person("chiara", 14, ("weeding", "harvesting")),
    _Person("dario", 8, ("milking_at_dawn", "delivery")),
    _Person("emil", 12, ("baking", "kneading", "harvesting")),
    _Person("fatima", 16, ("repairing", "bike_care")),
    _Person("hugo", 6, ("weeding", "kneading")),
    _Person("ines", 10, ("baking", "delivery", "kneading")),
    _Person("jamal", 12, ("harvesting", "hen_care")),
    _Person("kofi", 14, ("repairing", "fence_mending")),
    _Person("lena", 8, ("kneading", "baking")),
    _Person("mei", 10, ("weeding", "hen_care")),
    _Person("noah", None, ("milking_at_dawn", "harvesting")),
    _Person("olu", 12, ("delivery", "repairing", "wood_oven")),
    _Person("priya", 10, ("weeding", "harvesting")),
    _Person("quentin", 6, ("bike_care", "repairing")),
    _Person("rosa", 4, ("hen_care",)),
    _Person("sven", 14, ("milking_at_dawn", "weeding")),
    _Person("tariq", 10, ("kneading", "delivery", "harvesting")),
    _Person("uma", 8, ("wood_oven", "baking")),
    _Person("valentina", 12, ("harvesting", "weeding")),
    _Person("wen", 10, ("repairing", "bike_care")),
    _Person("xavier", 8, ("wood_oven", "harvesting", "weeding")),
    _Person("yusuf", 12, ("milking_at_dawn", "hen_care")),
    _Person("zoe", 6, ("baking", "hen_care")),
    _Person("amara", 10, ("weeding", "kneading")),
    _Person("bruno", 12, ("harvesting", "kneading")),
    _Person("chen", None, ("kneading", "repairing")),
    _Person("dagny", 8, ("hen_care", "wood_oven")),
    _Person("farah", 10, ("delivery", "baking", "harvesting")),
)
_FIXED_OFFERS: Final = {("rosa", "hen_care"): 2, ("kofi", "fence_mending"): 2}
"""Offers whose hours the story needs as they are: Rosa's two hours with the hens, and the
two of the six hours of fence mending that anyone offers at first."""


class _ShiftSpec(NamedTuple):
    task: str
    weekdays: tuple[int, ...]
    """Monday 0; none: every day."""
    start: time
    end: time
    place: str
    slots: int
    note: str = ""


_SHIFTS: Final = (
    _ShiftSpec("milking_at_dawn", (), time(5, 30), time(7), "Cowshed", 2,
               "Gummistiefel stehen an der Tür / boots by the door"),
    _ShiftSpec("hen_care", (), time(7, 30), time(8, 30), "Henhouse", 2),
    _ShiftSpec("weeding", (1, 3), time(17), time(19, 30), "Market garden", 5),
    _ShiftSpec("harvesting", (5,), time(8), time(12), "Market garden", 10,
               "Packing the boxes from 11 / ab 11 Uhr Kisten packen"),
)
"""The farm's shifts: milking at dawn and the hens every day, weeding on Tuesday and
Thursday evenings, the harvest on Saturday morning. The bakery and the workshop have none:
their hours are worked whenever suits."""

PICKUP_POINTS: Final = (
    PickupPoint("hofladen", "Hofladen am Hang", "Am Hang 3", "Sat 10:00-13:00"),
    PickupPoint("nord", "Stadtteilladen Nord", "Lindenstraße 12", "Fri 16:00-19:00"),
)
"""Where the members collect their goods: the farm shop, and a shop in town."""


def shift_rules(first: date, until: date) -> list[ShiftRule]:
    """The farm's shifts (:data:`_SHIFTS`) from ``first`` to ``until``, as rules."""
    return [ShiftRule(s.task, "week" if s.weekdays else "day", first, until, s.start, s.end,
                      s.weekdays, 1, s.place, s.slots, s.note) for s in _SHIFTS]


def pickup_point_of(person: str) -> str:
    """Where ``person`` collects their goods: every second person in town."""
    index = [p.id for p in _PEOPLE].index(person)
    return PICKUP_POINTS[index % 2].id


def demo_scenario(seed: int = 0) -> dict[str, Any]:
    """The demo pool's first period as a ``peerconomy-scenario/1`` dict.

    Three projects and thirty people; the seed varies capacities, offered hours, min_weights,
    wish quantities, who wishes what and the bids on the weekend bikes, never the shape of the
    story: milking at dawn is short of takers (its weight ends above 1), fence mending is
    short of offers (hours stay open on the hint board), the bikes are wished by more people
    than they can serve (a premium), Rosa is exempt.
    """
    if seed < 0:
        raise ValueError(f"seed: must be >= 0, got {seed}")
    rng = np.random.default_rng(seed)
    spec = {t.id: t for t in _TASKS}
    participants: list[dict[str, Any]] = []
    offers: list[dict[str, Any]] = []
    for person in _PEOPLE:
        entry: dict[str, Any] = {"id": person.id}
        if person.capacity is not None:
            jitter = int(rng.integers(-1, 2)) * 2 if person.id != EXEMPT else 0
            entry["capacity"] = person.capacity + jitter
        if person.id == EXEMPT:
            entry["exempt"] = True
        participants.append(entry)
        for task in person.likes:
            fixed = _FIXED_OFFERS.get((person.id, task))
            if fixed is not None:
                hours = fixed
            elif task == "milking_at_dawn":
                hours = int(rng.integers(3, 6))
            else:
                hours = int(rng.integers(2, 6))
            t = spec[task]
            asked = round(max(0.5, t.min_weight + float(rng.uniform(-t.spread, t.spread))), 1)
            offers.append(
                {"participant": person.id, "task": task, "hours": hours, "min_weight": asked}
            )
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": MAX_WEIGHT, "seed": seed},
        "participants": participants,
        "projects": [dict(p) for p in _PROJECTS],
        "tasks": [
            {"id": t.id, "project": t.project, "name": t.name}
            | ({"fixed_hours": t.fixed_hours} if t.fixed_hours else {})
            | ({"place": t.place} if t.place else {})
            for t in _TASKS
        ],
        "goods": [dict(g) for g in _GOODS],
        "offers": offers,
        "wishes": _wishes(rng),
    }


def _wishes(rng: np.random.Generator) -> list[dict[str, Any]]:
    people = [p.id for p in _PEOPLE]
    others = [p for p in people if p != EXEMPT]

    def some(k: int, among: Sequence[str] = others) -> list[str]:
        return pick(rng, among, k)

    wishes: list[dict[str, Any]] = []

    def wish(who: str, name: str, quantity: int, *alternatives: dict[str, Any]) -> None:
        entry: dict[str, Any] = {"participant": who, "id": f"{who}_{name}"}
        if quantity != 1:
            entry["quantity"] = quantity
        entry["alternatives"] = list(alternatives)
        wishes.append(entry)

    families = set(some(5))
    for who in sorted([EXEMPT, *some(25)], key=people.index):
        wish(who, "vegetables", 2 if who in families else 1, {"good": "vegetable_box"})
    for who in sorted([EXEMPT, *some(17)], key=people.index):
        wish(who, "eggs", int(rng.integers(1, 4)), {"good": "eggs"})
    for who in some(12):
        wish(who, "milk", 1, {"good": "milk"})
    bread = sorted([EXEMPT, *some(23)], key=people.index)
    loaf_lovers = set(pick(rng, bread, 6))
    for i, who in enumerate(bread):
        loaves = int(rng.integers(2, 6))
        if who not in loaf_lovers:
            wish(who, "bread", loaves, {"product_type": "bread"})
        elif i % 3 == 0:  # only the wood-oven loaf will do
            wish(who, "bread", min(loaves, 2), {"good": "farmhouse_loaf"})
        else:  # the farmhouse loaf, or else any bread
            wish(who, "bread", loaves, {"good": "farmhouse_loaf"}, {"product_type": "bread"})
    for who in some(10):
        wish(who, "repair", 1, {"good": "bicycle_repair"})
    riders = some(8)
    for i, who in enumerate(riders):
        bid = round(float(rng.uniform(2.0, 9.0)), 1)
        if i == len(riders) - 1:  # a couple who only want the tandem
            wish(who, "weekend", 1, {"good": "tandem_weekend", "max_cost": round(bid / 2, 1)})
        elif i % 3 == 1:  # the cargo bike, or else the tandem
            wish(who, "weekend", 1, {"good": "cargo_bike_weekend", "max_cost": bid},
                 {"good": "tandem_weekend", "max_cost": round(bid * 0.6, 1)})
        else:
            wish(who, "weekend", 1, {"good": "cargo_bike_weekend", "max_cost": bid})
    return wishes


def pick(rng: np.random.Generator, items: Sequence[_T], k: int) -> list[_T]:
    """``k`` distinct items drawn by ``rng``, in their order in ``items``."""
    chosen = rng.choice(len(items), size=min(k, len(items)), replace=False)
    return [items[i] for i in sorted(int(c) for c in chosen)]
