"""The hint board: what the pool needs most, read from the latest plan and the work logged.

Stigmergy, not orders: uncovered task hours ordered by weight (the higher, the more wanted),
wishes no one could meet, goods made beyond or short of what was wished, and each project's
to-do list (hours planned, done and still open per task, and the units its subscriptions ask
for in the coming periods, :mod:`peerconomy.services.subscriptions`), and the open slots:
free places on shifts still ahead, by date (:mod:`peerconomy.services.shift_exchange`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peerconomy.domain.plan import (
    Hint,
    Overproduction,
    UncoveredTask,
    Underproduction,
    UnmetWish,
)
from peerconomy.domain.work import credited_hours
from peerconomy.services import lookup
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.shift_exchange import OpenSlot, open_slots
from peerconomy.services.subscriptions import Subscribed, subscribed_units

__all__ = ["HintBoard", "ToDo", "hint_board"]


@dataclass(frozen=True, slots=True)
class ToDo:
    """One task of a project's to-do list, in hours."""

    task: str
    weight: float
    planned: float
    """Hours the plan assigned."""
    done: float
    """Confirmed hours that earn credit (assigned work, and accepted work of others)."""
    open: float
    """Assigned hours not yet done."""
    uncovered: float
    """Hours the plan needs that nobody was assigned and nobody has done yet."""


@dataclass(frozen=True, slots=True)
class HintBoard:
    """The board for the pool's latest cleared period (``period`` None: nothing cleared yet)."""

    pool: str
    period: int | None
    uncovered: list[dict[str, Any]] = field(default_factory=list)
    unmet_wishes: list[dict[str, Any]] = field(default_factory=list)
    overproduction: list[dict[str, Any]] = field(default_factory=list)
    underproduction: list[dict[str, Any]] = field(default_factory=list)
    todo: dict[str, list[ToDo]] = field(default_factory=dict)
    subscribed_from: int | None = None
    """The period the subscribed units start from: the current one."""
    subscribed: dict[str, list[Subscribed]] = field(default_factory=dict)
    """Per project, the units subscriptions ask for of its goods in the coming periods."""
    open_slots: tuple[OpenSlot, ...] = ()
    """Free places on shifts still ahead, by date
    (:func:`~peerconomy.services.shift_exchange.open_slots`)."""

    def as_json(self) -> dict[str, Any]:
        """The board as JSON-ready data."""
        return {
            "pool": self.pool,
            "period": self.period,
            "uncovered": self.uncovered,
            "unmet_wishes": self.unmet_wishes,
            "overproduction": self.overproduction,
            "underproduction": self.underproduction,
            "todo": {
                project: [
                    {"task": t.task, "weight": t.weight, "planned": t.planned, "done": t.done,
                     "open": t.open, "uncovered": t.uncovered}
                    for t in items
                ]
                for project, items in self.todo.items()
            },
            "subscribed_from": self.subscribed_from,
            "subscribed": {
                project: [{"good": s.good, "product_type": s.product_type,
                           "units": list(s.units)} for s in rows]
                for project, rows in self.subscribed.items()
            },
            "open_slots": [
                {"shift": o.shift.id, "task": o.shift.task, "project": o.project,
                 "period": o.period, "date": o.shift.day.isoformat(),
                 "start": o.shift.start.isoformat("minutes"),
                 "end": o.shift.end.isoformat("minutes"), "place": o.shift.place,
                 "slots": o.shift.slots, "free": o.free}
                for o in self.open_slots
            ],
        }


def hint_board(uow: UnitOfWork, pool: str, *, now: datetime | None = None) -> HintBoard:
    """The hint board of the pool's latest period that has a plan (its open slots: those
    ahead of ``now``)."""
    slots = tuple(open_slots(uow, pool, now=now))
    with uow:
        lookup.pool(uow, pool)
        period = lookup.current_period(uow, pool)
        subscribed = subscribed_units(
            uow.periods.wishes(pool, period.number),
            uow.periods.periods_left(pool, period.number), uow.pools.goods(pool))
        plan = uow.periods.plan(pool, period.number)
        number = period.number
        if plan is None and number > 1:
            number -= 1
            plan = uow.periods.plan(pool, number)
        if plan is None:
            return HintBoard(pool, None, subscribed_from=period.number, subscribed=subscribed)
        logs = uow.periods.work_logs(pool, number)
        assignments = uow.periods.assignments(pool, number)
        projects = {t.id: t.project for t in uow.pools.tasks(pool)}
    data = plan.data
    from_assignments, unassigned = credited_hours(assignments, data.uncovered, logs)
    done: dict[str, float] = defaultdict(float)  # hours that earn credit, by task
    stepped_in: dict[str, float] = defaultdict(float)  # of those, accepted unassigned work
    for (_, task), hours in from_assignments.items():
        done[task] += hours
    for (_, task), hours in unassigned.items():
        done[task] += hours
        stepped_in[task] += hours
    left = {  # uncovered hours nobody has stepped in for yet
        task: max(hours - stepped_in[task], 0.0) for task, hours in data.uncovered.items()
    }
    still_open = sorted(
        (h for h in data.hints_of(UncoveredTask) if left[h.task] > 0),
        key=lambda h: (-h.weight, -left[h.task], h.task),
    )
    uncovered = [{**_entry(h), "hours": left[h.task], "project": projects.get(h.task)}
                 for h in still_open]
    planned: dict[str, float] = defaultdict(float)
    for a in assignments:
        planned[a.task] += a.hours
    todo: dict[str, list[ToDo]] = {}
    for task, weight in sorted(data.weights.items(), key=lambda kv: (-kv[1], kv[0])):
        todo.setdefault(projects.get(task, "?"), []).append(
            ToDo(
                task,
                weight,
                planned[task],
                done[task],
                max(planned[task] + data.uncovered.get(task, 0.0) - done[task] - left.get(
                    task, 0.0), 0.0),
                left.get(task, 0.0),
            )
        )
    return HintBoard(
        pool,
        number,
        uncovered,
        [_entry(h) for h in data.hints_of(UnmetWish)],
        [_entry(h) for h in data.hints_of(Overproduction)],
        [_entry(h) for h in data.hints_of(Underproduction)],
        dict(sorted(todo.items())),
        period.number,
        subscribed,
        slots,
    )


def _entry(hint: Hint) -> dict[str, Any]:
    """A hint as the board lists it: its JSON without the ``kind`` (the board's list says)."""
    return {k: v for k, v in hint.to_json().items() if k != "kind"}
