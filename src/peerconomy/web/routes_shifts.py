"""Shifts on the pages: a coordinator adds a one-off shift to a task, or shifts from a rule
(every day, or every week on some weekdays, until a day), and cancels one, from the tasks page
(which lists every task's shifts; *My period* lists the member's own)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from peerconomy.domain.shifts import WEEKDAYS, Shift, ShiftRule, parse_date, parse_time
from peerconomy.http.deps import NowDep, UowDep
from peerconomy.http.params import PathNumber
from peerconomy.i18n import gettext_for
from peerconomy.services import labels, shifts
from peerconomy.web.forms import Form, FormDep
from peerconomy.web.rendering import flash, pool_url, redirect
from peerconomy.web.viewer import Level, pool_access

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.post("/pools/{pool}/tasks/{task}/shifts")
def add_shift(pool: str, task: str, request: Request, form: FormDep, uow: UowDep,
              now: NowDep) -> Response:
    """Add a one-off shift to a task (coordinators)."""
    with uow:
        access = pool_access(request, uow, pool, Level.COORDINATOR, "add shifts")
        with form.all_mistakes():
            on = parse_date(form.text("date"), "date")
            start = parse_time(form.text("start"), "start")
            end = parse_time(form.text("end"), "end")
            place = form.text("place", default="")
            slots = form.whole_number("slots", default=1)
        made = shifts.add_shift(uow, pool, Shift(task, on, start, end, place, slots),
                                actor=access.user, now=now)
    _ = gettext_for(request)
    flash(request, _("Shift added: %(task)s on %(date)s.") % {
        "task": labels.labels(uow, pool).task(task), "date": made.day.isoformat()})
    return redirect(pool_url(pool) + "/tasks")


@router.post("/pools/{pool}/tasks/{task}/shifts/repeat")
def repeat_shifts(pool: str, task: str, request: Request, form: FormDep, uow: UowDep,
                  now: NowDep) -> Response:
    """Add shifts from a rule, each its own shift (coordinators)."""
    with uow:
        access = pool_access(request, uow, pool, Level.COORDINATOR, "add shifts")
        with form.all_mistakes():
            every = form.text("every")
            if every not in ("day", "week"):
                form.refuse("every", f"must be 'day' or 'week', got {every[:40]!r}")
            first = parse_date(form.text("first"), "first")
            until = parse_date(form.text("until"), "until")
            start = parse_time(form.text("start"), "start")
            end = parse_time(form.text("end"), "end")
            weekdays = tuple(sorted(_weekdays(form)))
            interval = form.whole_number("interval", default=1)
            place = form.text("place", default="")
            slots = form.whole_number("slots", default=1)
        rule = ShiftRule(task, "week" if every == "week" else "day", first, until, start, end,
                         weekdays, interval, place, slots)
        made = shifts.repeat_shifts(uow, pool, rule, actor=access.user, now=now)
    _ = gettext_for(request)
    flash(request, _("Shifts added to %(task)s: %(count)s, %(first)s to %(last)s.") % {
        "count": len(made), "task": labels.labels(uow, pool).task(task),
        "first": made[0].day.isoformat(), "last": made[-1].day.isoformat()})
    return redirect(pool_url(pool) + "/tasks")


def _weekdays(form: Form) -> set[int]:
    """The ticked weekdays (Monday 0), from the form's ``weekdays`` boxes."""
    days = set()
    for value in form.texts("weekdays"):
        if value not in WEEKDAYS:
            form.refuse("weekdays", f"must name weekdays such as 'sat', got {value[:40]!r}")
            continue
        days.add(WEEKDAYS.index(value))
    return days


@router.post("/pools/{pool}/tasks/{task}/shifts/{shift}/cancel")
def cancel_shift(pool: str, task: str, shift: PathNumber, request: Request, form: FormDep,
                 uow: UowDep, now: NowDep) -> Response:
    """Cancel a shift (coordinators): its people lose their placement and are told."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "cancel shifts")
    done = shifts.cancel_shift(uow, pool, shift, task=task, actor=access.user, now=now)
    _ = gettext_for(request)
    flash(request, _("Shift cancelled: %(task)s on %(date)s.") % {
        "task": labels.labels(uow, pool).task(done.task), "date": done.day.isoformat()})
    return redirect(pool_url(pool) + "/tasks")
