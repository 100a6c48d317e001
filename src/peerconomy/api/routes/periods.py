"""A period over the API: its state and plan, offers and wishes while it collects, clearing
and settling (coordinators), work logged and confirmed, the hint board and *my period*."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import Field

from peerconomy.api.answers import (
    ContactChoice,
    HintBoardOut,
    LargeShareWarning,
    MyAllocation,
    MyPeriodOut,
    NonFiniteWarning,
    PeriodPlans,
    Plan,
    PlanInHistory,
    PlanPreview,
    PlanWarning,
    ShareParts,
    ShiftToLogOut,
    StoredPlan,
    WorkLogOut,
)
from peerconomy.api.routes.pools import period_out
from peerconomy.api.routes.shifts import shift_out
from peerconomy.api.schemas import (
    Body,
    OfferIn,
    PageDep,
    PeriodOut,
    TaskOut,
    WishChange,
    WishIn,
    WorkIn,
)
from peerconomy.domain.ids import new_wish_id
from peerconomy.domain.pool import WorkLog, WorkStatus
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Offer, Wish, parse_part
from peerconomy.http.deps import NowDep, UowDep, pool_access
from peerconomy.http.errors import body_is
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.http.params import PathNumber
from peerconomy.services import (
    collecting,
    hints,
    logged_work,
    lookup,
    overview,
    periods,
    privacy,
    shifts,
    views,
    work,
)
from peerconomy.services.errors import NotFoundError
from peerconomy.services.logged_work import LoggedWork
from peerconomy.services.membership import Access, Level
from peerconomy.services.overview import GoodRow

__all__ = ["acting_for", "router"]

router = APIRouter(tags=["periods"], route_class=IdempotentRoute)
AccessDep = Annotated[Access, Depends(pool_access)]


def acting_for(access: Access, participant: str | None, action: str) -> str:
    """Whose step this is: the caller's own (members), or anyone's (coordinators)."""
    access.require(Level.MEMBER, action)
    own = access.member.id if access.member else None
    if participant is None or participant == own:
        if own is None:  # a site admin who is not a member names someone
            raise NotFoundError("participant", access.user, access.pool.name)
        return own
    access.require(Level.COORDINATOR, f"{action} for someone else")
    return participant


@router.get("/pools/{pool}/period")
def current_period(pool: str, access: AccessDep, uow: UowDep) -> PeriodOut:
    """The pool's current period."""
    with uow:
        return period_out(lookup.current_period(uow, pool))


@router.post("/pools/{pool}/period/clear", response_model_exclude_unset=True)
def clear(pool: str, access: AccessDep, uow: UowDep) -> Plan:
    """Clear the collecting period (coordinators); the plan, as ``peerconomy clear`` prints."""
    access.require(Level.COORDINATOR, "clear a period")
    made = periods.clear_period(uow, pool, actor=access.user)
    return Plan.model_validate(made.data.to_json())


@router.get("/pools/{pool}/period/preview")
def preview(pool: str, access: AccessDep, uow: UowDep) -> PlanPreview:
    """The plan the collecting period would clear to if it were cleared now (any member),
    marked provisional and never stored, with the coordinator's warnings (e.g. a share above
    ten times the pool's median capacity)."""
    access.require(Level.MEMBER, "preview a period's plan")
    found = periods.preview_period(uow, pool)
    return PlanPreview(
        period=found.period,
        input_hash=found.input_hash,
        plan=Plan.model_validate(found.plan.to_json()),
        warnings=[_warning(w) for w in found.warnings],
    )


def _warning(found: dict[str, object]) -> PlanWarning:
    model = LargeShareWarning if found.get("kind") == "large_share" else NonFiniteWarning
    return model.model_validate(found)


@router.post("/pools/{pool}/period/reopen")
def reopen(pool: str, access: AccessDep, uow: UowDep) -> PeriodOut:
    """Reopen the cleared period for collecting (coordinators; refused once work is logged on
    the plan, and for a settled period): its plan is withdrawn, kept in the period's history
    (``GET .../periods/{n}/plans``), and the offers and wishes stay."""
    access.require(Level.COORDINATOR, "reopen a period")
    return period_out(periods.reopen_period(uow, pool, actor=access.user))


@router.post("/pools/{pool}/period/settle")
def settle(pool: str, access: AccessDep, uow: UowDep) -> PeriodOut:
    """Post the cleared period to the books and open the next one (coordinators)."""
    access.require(Level.COORDINATOR, "settle a period")
    following = periods.settle_period(uow, pool, actor=access.user)
    return period_out(following)


@router.post("/pools/{pool}/periods/{number}/close")
def close(pool: str, number: PathNumber, access: AccessDep, uow: UowDep) -> PeriodOut:
    """Close a settled period: its books are final (coordinators)."""
    access.require(Level.COORDINATOR, "close a period")
    return period_out(periods.close_period(uow, pool, number, actor=access.user))


@router.get("/pools/{pool}/periods/{number}/plan", response_model_exclude_unset=True)
def plan(pool: str, number: PathNumber, access: AccessDep, uow: UowDep) -> StoredPlan:
    """A cleared period's plan, with the hash of its input and when it was made."""
    found = views.plan(uow, pool, number)
    if found is None:
        raise NotFoundError("plan of period", number, pool)
    return StoredPlan.model_validate(
        {"input_hash": found.input_hash, "cleared_at": found.cleared_at, **found.data.to_json()})


@router.get("/pools/{pool}/periods/{number}/plans")
def plans(pool: str, number: PathNumber, access: AccessDep, uow: UowDep) -> PeriodPlans:
    """A period's plans: those withdrawn by reopening it (the first withdrawn first), then
    the current one, each with the hash of its input and its state."""
    found = views.plan_history(uow, pool, number)
    listed = [
        PlanInHistory(state="withdrawn", format=w.plan.data.format,
                      input_hash=w.plan.input_hash, cleared_at=w.plan.cleared_at,
                      withdrawn_at=w.withdrawn_at, withdrawn_by=w.withdrawn_by,
                      weighted_effort=w.plan.data.weighted_effort)
        for w in found.withdrawn
    ]
    if found.current is not None:
        now = found.current
        listed.append(PlanInHistory(state="current", format=now.data.format,
                                    input_hash=now.input_hash, cleared_at=now.cleared_at,
                                    withdrawn_at=None, withdrawn_by=None,
                                    weighted_effort=now.data.weighted_effort))
    return PeriodPlans(pool=pool, period=number, state=found.period.state.value, plans=listed)


@router.get("/pools/{pool}/offers")
def offers(pool: str, access: AccessDep, uow: UowDep, page: PageDep,
           participant: Annotated[str | None, Query(description="Only this participant's.")]
           = None,
           task: Annotated[str | None, Query(description="Only offers on this task.")] = None,
           ) -> list[Offer]:
    """The current period's offers."""
    return page.of([o for o in views.offers(uow, pool)
                    if participant in (None, o.participant) and task in (None, o.task)])


@router.put("/pools/{pool}/offers/{task}")
def make_offer(pool: str, task: str, body: OfferIn, access: AccessDep, uow: UowDep,
               now: NowDep) -> Offer:
    """Offer hours on a task (or change the offer)."""
    who = acting_for(access, body.participant, "make offers")
    with body_is("offer"):
        offer = parse_part(Offer, {"participant": who, "task": task, "hours": body.hours,
                                   "min_weight": body.min_weight}, "offer")
    with body_is("offer"):
        return collecting.make_offer(uow, pool, offer, period=body.period, actor=access.user,
                                     now=now, shifts=body.shifts)


@router.delete("/pools/{pool}/offers/{task}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_offer(pool: str, task: str, access: AccessDep, uow: UowDep, now: NowDep,
                   participant: Annotated[str | None, Query()] = None) -> None:
    """Withdraw an offer."""
    who = acting_for(access, participant, "withdraw offers")
    collecting.withdraw_offer(uow, pool, who, task, actor=access.user, now=now)


@router.get("/pools/{pool}/wishes")
def wishes(pool: str, access: AccessDep, uow: UowDep, page: PageDep,
           participant: Annotated[str | None, Query(description="Only this participant's.")]
           = None) -> list[Wish]:
    """The current period's wishes."""
    return page.of([w for w in views.wishes(uow, pool) if participant in (None, w.participant)])


@router.post("/pools/{pool}/wishes", status_code=status.HTTP_201_CREATED)
def make_wish(pool: str, body: WishIn, access: AccessDep, uow: UowDep, now: NowDep) -> Wish:
    """Make a new wish (409 if its id is taken: change a wish with ``PUT``)."""
    who = acting_for(access, body.participant, "make wishes")
    wish_id = body.id or new_wish_id(who)
    return _put_wish(pool, wish_id, who, body, access, uow, new=True, now=now)


@router.put("/pools/{pool}/wishes/{wish}")
def replace_wish(pool: str, wish: str, body: WishChange, access: AccessDep,
                 uow: UowDep, now: NowDep) -> Wish:
    """Make or change the wish ``wish`` whole (one's own; coordinators anyone's)."""
    who = acting_for(access, body.participant, "make wishes")
    return _put_wish(pool, wish, who, body, access, uow, new=False, now=now)


def _put_wish(pool: str, wish_id: str, who: str, body: WishChange, access: Access,
              uow: UowDep, *, new: bool, now: datetime) -> Wish:
    with body_is("wish"):
        wish = parse_part(Wish, {"participant": who, "id": wish_id, "quantity": body.quantity,
                                 "alternatives": body.alternatives, "term": body.term}, "wish")
        return collecting.make_wish(uow, pool, wish, period=body.period, actor=access.user,
                                    new=new, now=now)


@router.delete("/pools/{pool}/wishes/{wish}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_wish(pool: str, wish: str, access: AccessDep, uow: UowDep, now: NowDep) -> None:
    """Withdraw a wish (one's own; coordinators any)."""
    access.require(Level.MEMBER, "withdraw wishes")
    own = None if access.level is Level.COORDINATOR else acting_for(access, None, "wish")
    collecting.withdraw_wish(uow, pool, wish, participant=own, actor=access.user, now=now)


def work_log_out(line: LoggedWork) -> WorkLogOut:
    """A work log as the API answers it: with its task's name, its shift and the hours
    beyond the assignment."""
    return WorkLogOut(**asdict(line.log), task_name=line.task_name,
                      on_shift=None if line.shift is None else shift_out(line.shift),
                      beyond_assignment=line.beyond)


@router.get("/pools/{pool}/work")
def work_logs(pool: str, access: AccessDep, uow: UowDep, page: PageDep,
              participant: Annotated[str | None, Query(
                  description="Only this participant's.")] = None,
              status: Annotated[WorkStatus | None, Query(
                  description="Only work of this status.")] = None) -> list[WorkLogOut]:
    """Work logged in the current period: each log with its task's name, its day, the
    shift it came from (date, time, place), its hours and note, and the hours its worker
    logged beyond their assignment."""
    return page.of([work_log_out(line) for line in logged_work.logged_work(
        uow, pool, participant=participant, status=status)])


@router.post("/pools/{pool}/work", status_code=status.HTTP_201_CREATED)
def log_work(pool: str, body: WorkIn, access: AccessDep, uow: UowDep,
             now: NowDep) -> WorkLogOut:
    """Log work done in the cleared period: hours on a task, or a shift the worker was
    placed on once it has ended (its task, date and length fill the log; 409 if it has not
    ended or is logged already)."""
    who = acting_for(access, body.participant, "log work")
    by = access.member.id if access.member else None
    if body.shift is not None:
        logged = work.log_shift(uow, pool, who, body.shift, hours=body.hours, note=body.note,
                                task=body.task, worked_on=body.worked_on, logged_by=by,
                                now=now, actor=access.user)
    else:
        if body.task is None:
            raise InputError("task", "must name the task worked on (or a shift)")
        if body.hours is None:
            raise InputError("hours", "must say the hours worked (or name a shift)")
        logged = work.log_work(uow, pool, who, body.task, body.hours,
                               worked_on=body.worked_on, note=body.note, logged_by=by,
                               now=now, actor=access.user)
    return work_log_out(logged_work.line_of(uow, logged))


@router.delete("/pools/{pool}/work/{log_id}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_work(pool: str, log_id: PathNumber, access: AccessDep, uow: UowDep,
                  now: NowDep) -> None:
    """Withdraw work one logged (or logged for someone) while it awaits confirmation: it is
    gone (403 for someone else's, 409 once confirmed or rejected)."""
    access.require(Level.MEMBER, "withdraw work")
    work.withdraw_work(uow, pool, log_id, _me(access), now=now, actor=access.user)


@router.post("/pools/{pool}/work/{log_id}/confirm")
def confirm(pool: str, log_id: PathNumber, access: AccessDep, uow: UowDep) -> WorkLog:
    """Confirm someone's logged work (a co-worker or a coordinator)."""
    access.require(Level.MEMBER, "confirm work")
    return work.confirm_work(uow, pool, log_id, _me(access))


@router.post("/pools/{pool}/work/{log_id}/reject")
def reject(pool: str, log_id: PathNumber, access: AccessDep, uow: UowDep) -> WorkLog:
    """Reject someone's logged work (coordinators)."""
    access.require(Level.COORDINATOR, "reject work")
    return work.reject_work(uow, pool, log_id, _me(access))


def _me(access: Access) -> str:
    if access.member is None:
        raise NotFoundError("participant", access.user, access.pool.name)
    return access.member.id


@router.get("/pools/{pool}/hints")
def hint_board(pool: str, access: AccessDep, uow: UowDep, now: NowDep) -> HintBoardOut:
    """What the pool needs most: open task hours, unmet wishes, over- and underproduction,
    each project's to-do list, the open slots on shifts by date."""
    return HintBoardOut.model_validate(hints.hint_board(uow, pool, now=now).as_json())


@router.get("/pools/{pool}/me")
def my_period(pool: str, access: AccessDep, uow: UowDep, now: NowDep) -> MyPeriodOut:
    """The caller's share, credits so far, balance, assignments and next steps; their work
    logged (and which they may withdraw), the hours beyond their assignment, the shifts
    they may log, and others' work to confirm."""
    access.require(Level.MEMBER, "have a period of their own")
    mine = overview.my_period(uow, pool, _me(access))
    to_log = logged_work.shifts_to_log(uow, pool, mine.participant, now)
    return MyPeriodOut(
        pool=mine.pool, participant=mine.participant, period=period_out(mine.period),
        offers=mine.offers, wishes=mine.wishes, periods_left=mine.periods_left,
        assignments=mine.assignments,
        allocations=[MyAllocation.model_validate(a) for a in mine.allocations],
        share=mine.share,
        share_parts=None if mine.share_parts is None else ShareParts(
            goods=mine.share_parts.goods, premiums=mine.share_parts.premiums,
            overhead=mine.share_parts.overhead, refund=mine.share_parts.refund),
        credits=mine.credits, balance=mine.balance,
        logs=[work_log_out(mine.lines[log.id]) for log in mine.logs],
        to_confirm=[work_log_out(mine.lines[log.id]) for log in mine.to_confirm],
        confirmable=sorted(mine.confirmable), rejectable=sorted(mine.rejectable),
        withdrawable=sorted(mine.withdrawable), beyond_assignment=mine.beyond_assignment,
        shifts_to_log=[ShiftToLogOut(shift=shift_out(s.shift), task_name=s.task_name,
                                     hours=s.hours) for s in to_log],
        next_steps=mine.next_steps,
    )


class MyContact(Body):
    contact_visible: bool = Field(
        description="Whether the pool's coordinators may see your email and phone.")


@router.patch("/pools/{pool}/me")
def change_my_membership(pool: str, body: MyContact, access: AccessDep,
                         uow: UowDep) -> ContactChoice:
    """Let the pool's coordinators see your email and phone, or no longer."""
    access.require(Level.MEMBER, "choose who sees their contact")
    changed = privacy.set_contact_visible(uow, pool, access.user or "", body.contact_visible)
    return ContactChoice(participant=changed.id, contact_visible=changed.contact_visible,
                         version=changed.version)


@router.get("/pools/{pool}/tasks")
def tasks(pool: str, access: AccessDep, uow: UowDep, page: PageDep,
          project: Annotated[str | None, Query(description="Only this project's.")] = None,
          ) -> list[TaskOut]:
    """Each task with the hours the latest plan needed, its weight and the open hours, and
    its shifts by date and time with their places taken and free."""
    rows = [row for row in overview.tasks_overview(uow, pool)
            if project in (None, row.task.project)]
    by_task = shifts.task_shifts(uow, pool)
    return page.of([TaskOut(task=row.task, hours_needed=row.hours_needed, weight=row.weight,
                            open_hours=row.open_hours,
                            shifts=[shift_out(r.shift, r.taken)
                                    for r in by_task.get(row.task.id, [])])
                    for row in rows])


@router.get("/pools/{pool}/goods")
def goods(pool: str, access: AccessDep, uow: UowDep, page: PageDep,
          project: Annotated[str | None, Query(description="Only this project's.")] = None,
          ) -> list[GoodRow]:
    """Each good with the latest plan's unit cost, premium and allocation."""
    return page.of([row for row in overview.goods_overview(uow, pool)
                    if project in (None, row.good.project)])
