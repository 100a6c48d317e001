"""Shifts over the API: a coordinator adds a task's shifts (one, or from a rule) and cancels
one; a member reads the shifts they were placed on. The tasks' list
(``GET /pools/{pool}/tasks``, :mod:`peerconomy.api.routes.periods`) shows every shift."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from peerconomy.api.schemas import (
    HoursPlacedOut,
    MyShiftOut,
    MyShiftsOut,
    ShiftChange,
    ShiftIn,
    ShiftOut,
    ShiftRuleIn,
)
from peerconomy.domain.shifts import WEEKDAYS, Shift, ShiftRule
from peerconomy.http.deps import NowDep, UowDep, pool_access
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.http.params import PathNumber
from peerconomy.services import shifts
from peerconomy.services.membership import Access, Level

__all__ = ["router", "shift_out"]

router = APIRouter(tags=["shifts"], route_class=IdempotentRoute)
AccessDep = Annotated[Access, Depends(pool_access)]


def shift_out(shift: Shift, taken: int | None = None) -> ShiftOut:
    """A shift as the API answers it (with the places taken, where known)."""
    free = None if taken is None else (0 if shift.cancelled else max(shift.slots - taken, 0))
    return ShiftOut(id=shift.id, task=shift.task, date=shift.day, start=shift.start,
                    end=shift.end, place=shift.place, slots=shift.slots, note=shift.note,
                    cancelled=shift.cancelled, taken=taken, free=free)


@router.post("/pools/{pool}/tasks/{task}/shifts", status_code=status.HTTP_201_CREATED)
def add_shift(pool: str, task: str, body: ShiftIn, access: AccessDep, uow: UowDep,
              now: NowDep) -> ShiftOut:
    """Add a one-off shift to a task (coordinators)."""
    access.require(Level.COORDINATOR, "add shifts")
    made = shifts.add_shift(uow, pool, Shift(task, body.date, body.start, body.end,
                                             body.place, body.slots, body.note),
                            actor=access.user, now=now)
    return shift_out(made, 0)


@router.post("/pools/{pool}/tasks/{task}/shifts/repeat", status_code=status.HTTP_201_CREATED)
def repeat_shifts(pool: str, task: str, body: ShiftRuleIn, access: AccessDep, uow: UowDep,
                  now: NowDep) -> list[ShiftOut]:
    """Add the shifts a rule makes, each its own shift (coordinators)."""
    access.require(Level.COORDINATOR, "add shifts")
    rule = ShiftRule(task, body.every, body.first, body.until, body.start, body.end,
                     tuple(sorted(WEEKDAYS.index(d) for d in set(body.weekdays))),
                     body.interval, body.place, body.slots, body.note)
    return [shift_out(s, 0) for s in shifts.repeat_shifts(uow, pool, rule, actor=access.user,
                                                           now=now)]


@router.patch("/pools/{pool}/tasks/{task}/shifts/{shift}")
def change_shift(pool: str, task: str, shift: PathNumber, body: ShiftChange,
                 access: AccessDep, uow: UowDep, now: NowDep) -> ShiftOut:
    """Cancel a shift (coordinators): the people placed on it lose their placement and are
    told."""
    access.require(Level.COORDINATOR, "cancel shifts")
    return shift_out(shifts.cancel_shift(uow, pool, shift, task=task, actor=access.user,
                                         now=now))


@router.get("/pools/{pool}/me/shifts")
def my_shifts(pool: str, access: AccessDep, uow: UowDep) -> MyShiftsOut:
    """The shifts the caller was placed on, by date, and their hours placed per task."""
    access.require(Level.MEMBER, "see their shifts")
    who = access.member.id if access.member else ""
    mine = shifts.my_shifts(uow, pool, who)
    return MyShiftsOut(
        pool=pool, participant=who,
        shifts=[MyShiftOut(period=m.period, shift=shift_out(m.shift)) for m in mine.shifts],
        hours=[HoursPlacedOut(task=h.task, assigned=h.assigned, placed=h.placed,
                              left=h.left) for h in mine.hours])
