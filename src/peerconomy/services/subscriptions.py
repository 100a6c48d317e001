"""Subscriptions as projects see them: the units subscribed of each good in the coming periods.

A subscription (a wish with a term) asks for its ``quantity`` in every period it still
stands, so a project can plan ahead by the shares it has (a farm sows its beds for the veg
boxes of the season). Its units count for the good its first alternative names, the wisher's
first choice; where that alternative names a product type, they count for the type, shown to
every project that makes a good of it.

>>> from peerconomy.domain.scenario import Alternative, Good, Wish
>>> box = Good(id="veg_box", project="vegetables", model="flat_allocation")
>>> ana = Wish(participant="ana", id="a", alternatives=[Alternative(good="veg_box")], term=3)
>>> ben = Wish(participant="ben", id="b", quantity=2, alternatives=[Alternative(good="veg_box")],
...            term=1)
>>> subscribed_units([ana, ben], {"a": 3, "b": 1}, [box])["vegetables"][0].units
(3, 1, 1)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peerconomy.domain.scenario import Good, Wish

__all__ = ["Subscribed", "subscribed_units"]


@dataclass(frozen=True, slots=True)
class Subscribed:
    """The units subscriptions ask for of one good (or of a product type: ``good`` None) in
    the coming periods: ``units[0]`` this period, ``units[1]`` the next, and so on up to the
    longest term left."""

    good: str | None
    product_type: str | None
    units: tuple[int, ...]


def subscribed_units(
    wishes: Sequence[Wish], periods_left: Mapping[str, int], goods: Sequence[Good]
) -> dict[str, list[Subscribed]]:
    """Per project (by id, in order), the subscribed units of its goods and product types in
    the coming periods (a period's ``wishes`` and their ``periods_left``); projects with none
    left out."""
    per: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
    for wish in wishes:
        left = periods_left.get(wish.id, 0)
        if left < 1:
            continue
        first = wish.alternatives[0]
        units = per[(first.good, None if first.good is not None else first.product_type)]
        units.extend([0] * (left - len(units)))
        for i in range(left):
            units[i] += wish.quantity
    made_by: dict[str, set[str]] = defaultdict(set)
    project_of = {g.id: g.project for g in goods}
    for g in goods:
        if g.product_type is not None:
            made_by[g.product_type].add(g.project)
    out: dict[str, list[Subscribed]] = defaultdict(list)
    for (good, kind), units in sorted(per.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")):
        row = Subscribed(good, kind, tuple(units))
        projects = {project_of[good]} if good in project_of else made_by.get(kind or "", set())
        for project in projects:
            out[project].append(row)
    return dict(sorted(out.items()))
