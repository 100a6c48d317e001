"""A period's distribution lists: who takes what home from which pick-up point, and what
each project packs for each point (docs/design.md, "Pick-up points and distribution lists").

:func:`distribution` builds them from the plan's allocations, the members' choices of
pick-up point and the pool's goods, and nothing else: values in, values out.

- A **list per pick-up point**: each member who chose the point and gets something this
  period, with the goods and quantities the plan allocates them (several wishes for one good
  are added up), sorted by the name people read. Every active point has a list, an empty one
  too (its helpers know nobody comes); the members who chose no point (or who are no longer
  in the pool's records) come last, in a group of their own (``point`` None).
- A **packing list per project**: for each of its goods allocated this period, the units to
  pack for each of those groups, in their order, and their total.

Only allocations are listed, never the plan's ``holdings``: units held from earlier periods
(a flat lived in, a plot tended) were handed over when they were won, and there is nothing
to pick up. A subscription (a wish with a term) is allocated anew each period, so a
subscribed veg box is on every list of its term. The quantities therefore add up to the
plan's allocations exactly, per participant and per good.

>>> from peerconomy.domain.plan import Allocation, ClearedPlan
>>> from peerconomy.domain.pool import Member
>>> plan = ClearedPlan(allocations=(Allocation("ana", "w1", "box", 2, 1.0),))
>>> lists = distribution(plan, [Member("ana", pickup_point="shop")],
...                      [PickupPoint("shop", "Hofladen")], [])
>>> [(p.point.name, [(r.participant, r.goods) for r in p.rows]) for p in lists.lists]
[('Hofladen', [('ana', (('box', 2),))])]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Member
from peerconomy.domain.scenario import Good

__all__ = ["Distribution", "PackingLine", "PackingList", "Parcel", "PointList", "distribution"]

_GoodKey = Callable[[str], tuple[int, int]]
"""Where a good comes in the lists: the pool's goods in their order, then any other."""


@dataclass(frozen=True, slots=True)
class Parcel:
    """What one member takes home: ``goods`` as (good, units), in the pool's order of goods."""

    participant: str
    name: str
    """The member's name as the pool shows it (their id where they have none)."""
    goods: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class PointList:
    """The distribution list of one pick-up point (``point`` None: of the members who chose
    none), with the units of each good handed out there (``totals``)."""

    point: PickupPoint | None
    rows: tuple[Parcel, ...]
    totals: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class PackingLine:
    """Units of one good to pack: for each group of :attr:`Distribution.lists`, in its
    order (``at``), and in all."""

    good: str
    at: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class PackingList:
    """What one project packs: a line for each of its goods allocated this period."""

    project: str
    lines: tuple[PackingLine, ...]


@dataclass(frozen=True, slots=True)
class Distribution:
    """A period's distribution lists (one per group of members) and packing lists (one per
    project whose goods were allocated)."""

    lists: tuple[PointList, ...]
    packing: tuple[PackingList, ...]

    def rows(self) -> Iterator[tuple[PickupPoint | None, Parcel, str, int]]:
        """Each (point, member's parcel, good, units), list by list: the CSV's rows."""
        for group in self.lists:
            for parcel in group.rows:
                for good, units in parcel.goods:
                    yield group.point, parcel, good, units

    def of(self, participant: str) -> tuple[PickupPoint | None, Parcel | None]:
        """Where ``participant`` picks up and what (None: nothing this period)."""
        for group in self.lists:
            for parcel in group.rows:
                if parcel.participant == participant:
                    return group.point, parcel
        return None, None


def distribution(plan: ClearedPlan, members: Sequence[Member],
                 points: Sequence[PickupPoint], goods: Sequence[Good]) -> Distribution:
    """The distribution and packing lists of ``plan`` (see the module's docstring):
    ``members`` with their choices of pick-up point, the pool's ``points`` in their order
    (retired ones included: a member's choice of one still counts), and the pool's ``goods``
    (their order and projects; a good not among them is listed after them, under no
    project)."""
    order = {g.id: i for i, g in enumerate(goods)}
    project_of = {g.id: g.project for g in goods}
    units: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for allocation in plan.allocations:
        if allocation.quantity > 0:
            units[allocation.participant][allocation.good] += allocation.quantity
    late = {good: i for i, good in enumerate(dict.fromkeys(
        a.good for a in plan.allocations if a.good not in order))}

    def good_key(good: str) -> tuple[int, int]:
        return (0, order[good]) if good in order else (1, late[good])

    known = {m.id: m for m in members}
    by_id = {p.id: p for p in points}
    grouped: dict[str | None, list[Parcel]] = defaultdict(list)
    for participant, got in units.items():
        member = known.get(participant)
        choice = member.pickup_point if member is not None else None
        name = member.shown_name if member is not None else participant
        grouped[choice if choice in by_id else None].append(
            Parcel(participant, name, tuple(sorted(got.items(), key=lambda g: good_key(g[0])))))
    keys: list[str | None] = [p.id for p in points if p.active or p.id in grouped]
    if None in grouped:
        keys.append(None)
    lists = tuple(_point_list(by_id.get(key) if key else None, grouped[key], good_key)
                  for key in keys)
    return Distribution(lists, _packing(lists, project_of, good_key))


def _point_list(point: PickupPoint | None, parcels: list[Parcel], good_key: _GoodKey
                ) -> PointList:
    rows = tuple(sorted(parcels, key=lambda p: (p.name.casefold(), p.name, p.participant)))
    totals: dict[str, int] = defaultdict(int)
    for parcel in rows:
        for good, units in parcel.goods:
            totals[good] += units
    return PointList(point, rows, tuple(sorted(totals.items(), key=lambda g: good_key(g[0]))))


def _packing(lists: tuple[PointList, ...], project_of: dict[str, str], good_key: _GoodKey
             ) -> tuple[PackingList, ...]:
    at: dict[str, list[int]] = {}
    for i, group in enumerate(lists):
        for good, units in group.totals:
            at.setdefault(good, [0] * len(lists))[i] += units
    projects: dict[str, list[PackingLine]] = {}
    for good in sorted(at, key=good_key):
        line = PackingLine(good, tuple(at[good]), sum(at[good]))
        projects.setdefault(project_of.get(good, ""), []).append(line)
    return tuple(PackingList(project, tuple(lines)) for project, lines in projects.items())
