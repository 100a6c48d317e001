"""Placement: a cleared period's assigned hours put on concrete shifts.

Problem. A participant assigned ``hours`` on a task works them on the task's shifts: whole
shifts, only those they said they can do, never two at once, and no shift takes more people
than its ``slots``. Each participant's hours become a *number of shifts*: their hours over the
mean length of the shifts open to them, rounded half up (:func:`shift_count`). In words: they
are placed on whole shifts while the hours left cover at least half a shift, so what they work
differs from what they were assigned by at most half a shift where the shifts are alike
(4 hours on 1.5-hour milking shifts: 3 shifts, 4.5 hours; 5 hours: 3 shifts, 0.5 hours left).
What was assigned but could not be placed (no shift open, slots full) is reported, per
participant and task, as assigned hours beside placed hours.

Method. Task by task (by id), one min-cost flow: source → participant (their number of
shifts) → participant in a *cluster* (the task's shifts that overlap, chained; capacity 1:
nobody is on two shifts of a task that overlap, nor on two of one chain) → shift (if open to
them and overlapping none of their shifts placed for earlier tasks) → sink (its slots).
Successive shortest paths (Dijkstra with potentials, integer costs) give the flow of the
greatest value, so as many places are filled as the constraints allow, and among those the
cheapest by three costs, each dwarfing the next: a participant's k-th shift costs ``k``
(everyone gets a first shift before anyone a second where places run short), a shift's k-th
person costs ``k`` (people spread over the shifts), and a shift's rank in time (earlier
shifts first). Ties are broken by the algorithm on lists sorted by id and time, so the same
inputs in any order give the same placement. Tasks placed earlier take precedence over later
ones where one person's shifts of two tasks overlap (the later one is not open to them).

Guarantees (tested, the count against a brute force on tiny instances): no shift over its
slots; nobody on a shift not open to them, nor on two overlapping shifts; nobody on more
shifts than their count; within a task, the most places filled that these rules allow.

Example. Milking every morning of a week (7 shifts of 1.5 h, 1 place each); Ana is assigned
4 h, Ben 5 h: each is placed on 3 mornings (4.5 h: Ana 0.5 h beyond her hours, Ben 0.5 h
short), and the Sunday stays open.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["HoursPlaced", "Need", "Placement", "ShiftSlot", "place", "shift_count"]


@dataclass(frozen=True, slots=True)
class ShiftSlot:
    """What placement knows of a shift: its id, task, when it begins and ends (any integer
    clock, e.g. minutes since the epoch in UTC) and how many people it takes."""

    id: int
    task: str
    begins: int
    ends: int
    slots: int

    @property
    def hours(self) -> float:
        """Its length in hours, where ``begins`` and ``ends`` are minutes."""
        return (self.ends - self.begins) / 60


@dataclass(frozen=True, slots=True)
class Need:
    """A participant's assigned hours on a task, and the shifts open to them (None: all the
    task's shifts)."""

    participant: str
    task: str
    hours: float
    shifts: frozenset[int] | None = None


@dataclass(frozen=True, slots=True)
class HoursPlaced:
    """A participant's hours on a task that has shifts: assigned, and placed on shifts."""

    participant: str
    task: str
    assigned: float
    placed: float

    @property
    def left(self) -> float:
        """Assigned hours that fit no shift (negative: placed beyond the assignment, by
        rounding up to a whole shift)."""
        return self.assigned - self.placed


@dataclass(frozen=True, slots=True)
class Placement:
    """Who works which shifts (``(shift id, participant)``, by shift and participant) and,
    for every need on a task with shifts, the hours placed."""

    placed: tuple[tuple[int, str], ...]
    hours: tuple[HoursPlaced, ...]


def shift_count(hours: float, mean_length: float) -> int:
    """How many whole shifts of ``mean_length`` hours ``hours`` are worked as: rounded half
    up (placed while the hours left cover at least half a shift).

    >>> [shift_count(h, 1.5) for h in (0.5, 0.75, 4.0, 5.0, 5.25)]
    [0, 1, 3, 3, 4]
    """
    if hours <= 0 or mean_length <= 0:
        return 0
    return math.floor(hours / mean_length + 0.5 + 1e-9)


def place(shifts: Sequence[ShiftSlot], needs: Sequence[Need]) -> Placement:
    """Place ``needs`` on ``shifts`` (see the module's docstring). Needs on a task without
    shifts are left out of the answer: their work is not placed."""
    by_task: dict[str, list[ShiftSlot]] = {}
    for s in sorted(shifts, key=lambda s: (s.task, s.begins, s.ends, s.id)):
        if s.ends > s.begins and s.slots > 0:
            by_task.setdefault(s.task, []).append(s)
    wanted: dict[str, list[Need]] = {}
    for n in sorted(needs, key=lambda n: (n.task, n.participant)):
        wanted.setdefault(n.task, []).append(n)
    busy: dict[str, list[tuple[int, int]]] = {}
    placed: list[tuple[int, str]] = []
    hours: list[HoursPlaced] = []
    for task in sorted(wanted):
        task_shifts = by_task.get(task)
        if not task_shifts:
            continue
        got = _place_task(task_shifts, wanted[task], busy)
        length = {s.id: s for s in task_shifts}
        for need in wanted[task]:
            mine = got.get(need.participant, [])
            for shift in mine:
                busy.setdefault(need.participant, []).append(
                    (length[shift].begins, length[shift].ends))
                placed.append((shift, need.participant))
            hours.append(HoursPlaced(need.participant, task, need.hours,
                                     sum(length[s].hours for s in mine)))
    return Placement(tuple(sorted(placed)), tuple(hours))


def _clusters(task_shifts: Sequence[ShiftSlot]) -> list[int]:
    """Each shift's cluster (shifts sorted by begin): chains of overlapping shifts."""
    cluster, reach, found = -1, None, []
    for s in task_shifts:
        if reach is None or s.begins >= reach:
            cluster, reach = cluster + 1, s.ends
        else:
            reach = max(reach, s.ends)
        found.append(cluster)
    return found


def _overlaps(begins: int, ends: int, taken: Sequence[tuple[int, int]]) -> bool:
    return any(b < ends and begins < e for b, e in taken)


def _place_task(task_shifts: Sequence[ShiftSlot], needs: Sequence[Need],
                busy: dict[str, list[tuple[int, int]]]) -> dict[str, list[int]]:
    """One task's min-cost flow: the shifts each participant is placed on."""
    cluster = _clusters(task_shifts)
    open_to: list[list[int]] = []
    counts: list[int] = []
    for need in needs:
        taken = busy.get(need.participant, ())
        options = [k for k, s in enumerate(task_shifts)
                   if (need.shifts is None or s.id in need.shifts)
                   and not _overlaps(s.begins, s.ends, taken)]
        mean = sum(task_shifts[k].hours for k in options) / len(options) if options else 0.0
        count = min(shift_count(need.hours, mean), len({cluster[k] for k in options}))
        open_to.append(options)
        counts.append(count)
    total = min(sum(counts), sum(s.slots for s in task_shifts))
    if total == 0:
        return {}
    rank_cost = 1
    spread_cost = total * len(task_shifts) + 1
    fair_cost = spread_cost * (sum(s.slots ** 2 for s in task_shifts) + 1) + spread_cost
    graph = _Graph()
    source, sink = graph.node(), graph.node()
    shift_node = [graph.node() for _ in task_shifts]
    for k, s in enumerate(task_shifts):
        for nth in range(min(s.slots, total)):
            graph.arc(shift_node[k], sink, 1, nth * spread_cost)
    edges: list[tuple[int, int, int]] = []  # (arc, need, shift index)
    for i, (options, count) in enumerate(zip(open_to, counts, strict=True)):
        if count == 0:
            continue
        person = graph.node()
        for nth in range(count):
            graph.arc(source, person, 1, nth * fair_cost)
        inner: dict[int, int] = {}
        for k in options:
            if cluster[k] not in inner:
                inner[cluster[k]] = graph.node()
                graph.arc(person, inner[cluster[k]], 1, 0)
            edges.append((graph.arc(inner[cluster[k]], shift_node[k], 1, k * rank_cost),
                          i, k))
    graph.min_cost_flow(source, sink)
    got: dict[str, list[int]] = {}
    for arc, i, k in edges:
        if graph.cap[arc] == 0:  # the unit arc is used
            got.setdefault(needs[i].participant, []).append(task_shifts[k].id)
    return got


class _Graph:
    """A residual graph for successive shortest paths (unit and small capacities)."""

    def __init__(self) -> None:
        self.head: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        self.out: list[list[int]] = []

    def node(self) -> int:
        self.out.append([])
        return len(self.out) - 1

    def arc(self, tail: int, head: int, cap: int, cost: int) -> int:
        """Add an arc and its reverse; the arc's index (its reverse is the next one)."""
        index = len(self.head)
        self.head += [head, tail]
        self.cap += [cap, 0]
        self.cost += [cost, -cost]
        self.out[tail].append(index)
        self.out[head].append(index + 1)
        return index

    def min_cost_flow(self, source: int, sink: int) -> None:
        """Push the most flow from ``source`` to ``sink``, each unit along a cheapest path
        (so the flow is of least cost among the greatest); all costs start >= 0."""
        potential = [0] * len(self.out)
        while True:
            dist: list[int | None] = [None] * len(self.out)
            via = [-1] * len(self.out)
            dist[source] = 0
            heap = [(0, source)]
            while heap:
                d, v = heapq.heappop(heap)
                if d != dist[v]:
                    continue
                for a in self.out[v]:
                    if self.cap[a] <= 0:
                        continue
                    w = self.head[a]
                    nd = d + self.cost[a] + potential[v] - potential[w]
                    old = dist[w]
                    if old is None or nd < old:
                        dist[w], via[w] = nd, a
                        heapq.heappush(heap, (nd, w))
            reached = dist[sink]
            if reached is None:
                return
            for v, d_v in enumerate(dist):
                if d_v is not None:
                    potential[v] += d_v
            v = sink
            while v != source:
                a = via[v]
                self.cap[a] -= 1
                self.cap[a ^ 1] += 1
                v = self.head[a ^ 1]
