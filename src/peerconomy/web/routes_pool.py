"""A member's pages of a pool: *My period* (with logging and confirming work), *Tasks*
(offers) and *Goods* (wishes), and joining a pool."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peerconomy.domain.account import JoinRequest
from peerconomy.domain.bounds import MAX_WORK_NOTE
from peerconomy.domain.ids import new_wish_id
from peerconomy.domain.period import PeriodState
from peerconomy.domain.scenario import Offer, Wish, parse_part
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import WEEKDAYS, parse_date
from peerconomy.domain.work import may_confirm, may_reject
from peerconomy.domain.work_log import today_in
from peerconomy.http.deps import NowDep, UowDep
from peerconomy.http.params import PathNumber
from peerconomy.i18n import N_, gettext_for
from peerconomy.services import (
    collecting,
    distribution,
    holdings,
    labels,
    logged_work,
    lookup,
    membership,
    overview,
    periods,
    privacy,
    shift_exchange,
    shifts,
    views,
    work,
)
from peerconomy.web.forms import Form, FormDep
from peerconomy.web.rendering import (
    flash,
    is_htmx,
    pool_page,
    pool_url,
    redirect,
    render_fragment,
)
from peerconomy.web.viewer import Level, member_id, pool_access, who_signed_in

__all__ = ["NEXT_STEPS", "router"]

router = APIRouter(include_in_schema=False)

NEXT_STEPS: dict[str, tuple[str, str]] = {
    "offer": (N_("Offer hours on the tasks you would like to do."), "/tasks"),
    "wish": (N_("Wish for the goods you would like this period."), "/goods"),
    "wait_for_clearing": (
        N_("When the offers and wishes are in, the coordinators clear the period; then you"
           " see your assignments here."),
        "",
    ),
    "log_work": (N_("Log the hours you have worked on your assignments."), "#log-work"),
    "confirm_work": (N_("Confirm the work of others that you saw done."), "#confirm"),
    "wait_for_settlement": (
        N_("Once the work is done, the coordinators settle the period and your credits go"
           " into the books."),
        "",
    ),
}
"""What each of :attr:`MyPeriod.next_steps`'s codes asks, and where to do it."""


@router.get("/pools/{pool}", response_class=HTMLResponse)
def my_period(pool: str, request: Request, uow: UowDep, now: NowDep,
              preview: bool = False) -> Response:
    """My share, credits so far, balance, assignments and next steps; work to confirm; with
    ``preview``, while the period collects, what the plan would give me if it were cleared
    now (provisional, nothing stored)."""
    values: dict[str, Any] = {"mine": None, "steps": [], "tasks": [], "request_pending": False,
                              "provisional": None}
    with uow:  # one transaction for everything the page shows
        access = pool_access(request, uow, pool)
        period = lookup.current_period(uow, pool)
        # the tasks one may log work on: the form is there once the period is cleared
        active = ([t.id for t in collecting.active_tasks(uow, pool)]
                  if period.state is PeriodState.CLEARED else [])
        if access.member is None and access.user is not None:
            asked = views.join_request(uow, pool, access.user)
            values["request_pending"] = asked is not None and asked.status == "pending"
        mine = overview.my_period(uow, pool, access.member.id) if access.member else None
    if mine is not None:
        _ = gettext_for(request)
        base = pool_url(pool)
        values["mine"] = mine
        values["steps"] = [
            (_(NEXT_STEPS[code][0]), base + NEXT_STEPS[code][1] if NEXT_STEPS[code][1] else "")
            for code in mine.next_steps
            if code in NEXT_STEPS
        ]
        assigned = [a.task for a in mine.assignments]
        values["tasks"] = assigned + [t for t in active if t not in assigned]
        if preview and period.state is PeriodState.COLLECTING and access.member is not None:
            values["provisional"] = periods.preview_period(uow, pool).of(access.member.id)
    values["holdings"] = (holdings.holdings_of(uow, pool, access.member.id)
                          if access.member is not None else [])
    values["pickup"] = (distribution.my_pickup(uow, pool, access.member.id)
                        if access.member is not None else None)
    values["my_shifts"] = (shifts.my_shifts(uow, pool, access.member.id)
                           if access.member is not None else None)
    values["swap_choices"] = (shift_exchange.swap_choices(uow, pool, access.member.id, now=now)
                              if access.member is not None else {})
    values["swaps"] = (shift_exchange.my_swaps(uow, pool, access.member.id)
                       if access.member is not None else None)
    values["to_log"] = (logged_work.shifts_to_log(uow, pool, access.member.id, now)
                        if access.member is not None else [])
    values["today"] = today_in(zone(access.pool.settings.schedule.time_zone), now)
    values["note_max"] = MAX_WORK_NOTE
    return pool_page(request, "my_period.html", access, "me", period=period,
                     admission=access.pool.settings.admission,
                     contact_visible=access.member is not None and access.member.contact_visible,
                     uow=uow, **values)


@router.post("/pools/{pool}/holdings/{holding}/notice")
def give_notice(pool: str, holding: PathNumber, request: Request, form: FormDep, uow: UowDep
                ) -> Response:
    """Give notice on one of my holdings (a coordinator: on anyone's): it ends after the
    current period, and its units go back to the next period's auction."""
    access = pool_access(request, uow, pool, Level.MEMBER, "give notice on a holding")
    holder = None if access.level >= Level.COORDINATOR else member_id(access)
    holdings.give_notice(uow, pool, holding, participant=holder, actor=access.user)
    _ = gettext_for(request)
    flash(request, _("Notice given: you hold it until the end of this period."))
    return redirect(pool_url(pool) + ("/period" if holder is None else "") + "#holdings")


@router.post("/pools/{pool}/contact")
def choose_contact(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Let the pool's coordinators see my email and phone, or no longer."""
    access = pool_access(request, uow, pool, Level.MEMBER, "choose who sees their contact")
    visible = form.flag("contact_visible")
    privacy.set_contact_visible(uow, pool, access.user or "", visible)
    _ = gettext_for(request)
    flash(request, _("Coordinators see your contact now.") if visible
          else _("Your contact is hidden from the coordinators."))
    return redirect(pool_url(pool) + "#contact")


@router.post("/pools/{pool}/join")
def join(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Join the pool: at once if it is open, else ask its coordinators."""
    user = who_signed_in(request, uow)
    outcome = membership.join_pool(uow, pool, user)
    _ = gettext_for(request)
    if isinstance(outcome, JoinRequest):
        flash(request, _("You asked to join; a coordinator will decide."))
    else:
        flash(request, _("Welcome to the pool!"))
    return redirect(pool_url(pool))


@router.post("/pools/{pool}/work")
def log_work(pool: str, request: Request, form: FormDep, uow: UowDep, now: NowDep
             ) -> Response:
    """Log work done: a shift of mine once it has ended (its task, day and length filled in;
    the hours may be changed), or hours on a task by hand; a day and a note with either."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "log work"))
    if form.text("shift", default=""):
        with form.all_mistakes():
            shift, hours = form.whole_number("shift"), form.optional_number("hours")
            note = form.block("note")
        logged = work.log_shift(uow, pool, me, shift, hours=hours, note=note, actor=me,
                                logged_by=me, now=now)
    else:
        with form.all_mistakes():
            task, hours, note = form.text("task"), form.number("hours"), form.block("note")
            day = form.text("worked_on", default="")
            worked_on = parse_date(day, "worked_on") if day else None
        logged = work.log_work(uow, pool, me, task, hours, worked_on=worked_on, note=note,
                               actor=me, logged_by=me, now=now)
    _ = gettext_for(request)
    flash(request, _("Your hours on %(task)s are logged.") % {
        "task": labels.labels(uow, pool).task(logged.task)})
    return redirect(pool_url(pool) + "#log-work")


@router.post("/pools/{pool}/work/{log_id}/withdraw")
def withdraw_work(pool: str, log_id: PathNumber, request: Request, form: FormDep,
                  uow: UowDep, now: NowDep) -> Response:
    """Withdraw work I logged while it awaits confirmation."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "withdraw work"))
    work.withdraw_work(uow, pool, log_id, me, now=now, actor=me)
    _ = gettext_for(request)
    flash(request, _("Your log is withdrawn."))
    return redirect(pool_url(pool) + "#log-work")


def _decided(pool: str, request: Request, log_id: int, uow: UowDep, *, confirm: bool
             ) -> Response:
    needed = Level.MEMBER if confirm else Level.COORDINATOR
    access = pool_access(request, uow, pool, needed, "confirm work")
    me = member_id(access)
    if confirm:
        log = work.confirm_work(uow, pool, log_id, me)
    else:
        log = work.reject_work(uow, pool, log_id, me)
    if is_htmx(request):
        assert access.member is not None  # member_id found them
        return render_fragment(request, "_work_row.html", log=log, pool_url=pool_url(pool),
                               names=labels.labels(uow, pool),
                               line=logged_work.line_of(uow, log),
                               can_confirm=may_confirm(log, access.member),
                               can_reject=may_reject(log, access.member))
    _ = gettext_for(request)
    flash(request, _("The work is confirmed.") if confirm else _("The work is rejected."))
    return redirect(pool_url(pool) + "#confirm")


@router.post("/pools/{pool}/work/{log_id}/confirm")
def confirm_work(pool: str, log_id: PathNumber, request: Request, form: FormDep, uow: UowDep
                 ) -> Response:
    """Confirm another member's logged work."""
    return _decided(pool, request, log_id, uow, confirm=True)


@router.post("/pools/{pool}/work/{log_id}/reject")
def reject_work(pool: str, log_id: PathNumber, request: Request, form: FormDep, uow: UowDep
                ) -> Response:
    """Reject logged work (coordinators)."""
    return _decided(pool, request, log_id, uow, confirm=False)


@router.get("/pools/{pool}/tasks", response_class=HTMLResponse)
def tasks(pool: str, request: Request, uow: UowDep) -> Response:
    """Each task with its hours needed, last weight and open hours; my offers."""
    with uow:  # one transaction for everything the page shows
        access = pool_access(request, uow, pool)
        rows = overview.tasks_overview(uow, pool)
        period = lookup.current_period(uow, pool)
        offered = views.offered_hours(uow, pool)
        mine = {
            o.task: o
            for o in (views.offers(uow, pool, participant=access.member.id)
                      if access.member else ())
        }
        by_task = shifts.task_shifts(uow, pool)
        offerable, named = shifts.offer_shifts(uow, pool, access.member.id if access.member
                                               else "")
        return pool_page(
            request, "tasks.html", access, "tasks", period=period, uow=uow,
            collecting=period.state is PeriodState.COLLECTING,
            rows=[(row, mine.get(row.task.id), offered.get(row.task.id, 0.0),
                   by_task.get(row.task.id, [])) for row in rows],
            offerable=offerable, named=named, weekdays=WEEKDAYS,
        )


@router.post("/pools/{pool}/offers/{task}")
def make_offer(pool: str, task: str, request: Request, form: FormDep, uow: UowDep,
               now: NowDep) -> Response:
    """Offer hours on a task, or change the offer."""
    with uow:  # the caller's membership checked and the offer made in one transaction
        me = member_id(pool_access(request, uow, pool, Level.MEMBER, "make offers"))
        with form.all_mistakes():
            hours, min_weight = form.number("hours"), form.number("min_weight")
            period = form.whole_number("period", default=0) or None
            named = _named_shifts(form)
        offer = parse_part(
            Offer, {"participant": me, "task": task, "hours": hours, "min_weight": min_weight})
        collecting.make_offer(uow, pool, offer, period=period, actor=me, now=now,
                              shifts=named)
    _ = gettext_for(request)
    shown = labels.labels(uow, pool).task(task)
    flash(request, _("Your offer on %(task)s is recorded.") % {"task": shown})
    return redirect(pool_url(pool) + "/tasks")


def _named_shifts(form: Form) -> list[int] | Literal["keep"] | None:
    """The shifts an offer form ticks (none ticked: any); ``"keep"`` where the form had no
    boxes (a task without shifts in the period)."""
    if not form.flag("shift_choice"):
        return "keep"
    ids = []
    for value in form.texts("shifts"):
        if not value.isdigit() or len(value) > 9:
            form.refuse("shifts", f"must be shift numbers, got {value[:40]!r}")
            continue
        ids.append(int(value))
    return ids or None


@router.post("/pools/{pool}/offers/{task}/withdraw")
def withdraw_offer(pool: str, task: str, request: Request, form: FormDep, uow: UowDep,
                   now: NowDep) -> Response:
    """Withdraw my offer on a task."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "withdraw offers"))
    collecting.withdraw_offer(uow, pool, me, task, actor=me, now=now)
    _ = gettext_for(request)
    shown = labels.labels(uow, pool).task(task)
    flash(request, _("Your offer on %(task)s is withdrawn.") % {"task": shown})
    return redirect(pool_url(pool) + "/tasks")


@router.get("/pools/{pool}/goods", response_class=HTMLResponse)
def goods(pool: str, request: Request, uow: UowDep) -> Response:
    """Each good with its model and last cost; my wishes and the wish form."""
    with uow:  # one transaction for everything the page shows
        access = pool_access(request, uow, pool)
        rows = overview.goods_overview(uow, pool)
        period = lookup.current_period(uow, pool)
        wishes = views.wishes(uow, pool)
        left = views.periods_left(uow, pool)
        me = access.member.id if access.member else None
        types: dict[str, bool] = {}
        for row in rows:
            if row.good.product_type is not None:
                kind = row.good.product_type
                types[kind] = types.get(kind, False) or row.good.model == "auction"
        return pool_page(
            request, "goods.html", access, "goods", rows=rows, period=period, uow=uow,
            collecting=period.state is PeriodState.COLLECTING,
            my_wishes=[w for w in wishes if w.participant == me], periods_left=left,
            product_types=sorted(types.items()),
        )


@router.post("/pools/{pool}/wishes")
def make_wish(pool: str, request: Request, form: FormDep, uow: UowDep, now: NowDep
              ) -> Response:
    """Make a wish: a quantity, the goods or product types any of which would do, and a
    term (periods) for a subscription."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "make wishes"))
    alternatives: list[dict[str, Any]] = []
    with form.all_mistakes():
        for choice in form.texts("alternative"):
            kind, _, name = choice.partition(":")
            if kind not in ("good", "type") or not name:
                form.refuse("alternative", f"must be good:<id> or type:<id>, got {choice!r}")
                continue
            alternative: dict[str, Any] = {"good" if kind == "good" else "product_type": name}
            most = form.optional_number(f"max_cost:{choice}")
            if most is not None:
                alternative["max_cost"] = most
            alternatives.append(alternative)
        if not form.texts("alternative"):
            form.refuse("alternative", "tick at least one good or product type")
        quantity = form.whole_number("quantity", default=1)
        term = form.whole_number("term") if form.text("term", default="").strip() else None
        period = form.whole_number("period", default=0) or None
    wish = parse_part(
        Wish,
        {"participant": me, "id": new_wish_id(me),
         "quantity": quantity, "alternatives": alternatives, "term": term},
        "wish",
    )
    collecting.make_wish(uow, pool, wish, period=period, actor=me, now=now)
    _ = gettext_for(request)
    flash(request, _("Your wish is recorded."))
    return redirect(pool_url(pool) + "/goods")


@router.post("/pools/{pool}/wishes/{wish}/withdraw")
def withdraw_wish(pool: str, wish: str, request: Request, form: FormDep, uow: UowDep,
                  now: NowDep) -> Response:
    """Withdraw one of my wishes."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "withdraw wishes"))
    collecting.withdraw_wish(uow, pool, wish, participant=me, actor=me, now=now)
    _ = gettext_for(request)
    flash(request, _("Your wish is withdrawn."))
    return redirect(pool_url(pool) + "/goods")
