"""Shifts changing hands over the API: a member hands back a shift, takes an open slot,
proposes a swap and answers one, and follows a project to hear of its open slots
(docs/design.md, "Shifts and placement"). The open slots themselves are listed on the hint
board (``GET /pools/{pool}/hints``, ``open_slots``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from peerconomy.api.routes.shifts import shift_out
from peerconomy.api.schemas import Body, NameId, ShiftOut, StoredInt
from peerconomy.domain.shift_exchange import SwapState
from peerconomy.http.deps import NowDep, UowDep, pool_access
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.http.params import PathNumber
from peerconomy.services import shift_exchange
from peerconomy.services.errors import NotFoundError
from peerconomy.services.membership import Access, Level
from peerconomy.services.ports import UnitOfWork

__all__ = ["router"]

router = APIRouter(tags=["shifts"], route_class=IdempotentRoute)
AccessDep = Annotated[Access, Depends(pool_access)]


class SwapIn(Body):
    """A swap of the caller's shift in the path with member ``to``."""

    to: NameId = Field(description="The member the shift is offered to.")
    their_shift: StoredInt | None = Field(
        None, description="One of their shifts of the same task and period, taken in"
                          " exchange (null: they take the caller's shift outright).")


class SwapOut(BaseModel):
    """A swap proposal: ``state`` proposed (waiting for ``to``), accepted, declined or
    withdrawn."""

    id: int
    period: int
    proposer: str
    shift: ShiftOut
    to: str
    their_shift: ShiftOut | None
    state: SwapState
    created_at: str = Field(description="ISO 8601, UTC.")
    decided_at: str | None = Field(description="ISO 8601, UTC (null: not answered yet).")


class MySwapsOut(BaseModel):
    """The swap proposals waiting for an answer: made to the caller, and by them."""

    incoming: list[SwapOut]
    outgoing: list[SwapOut]


class FollowOut(BaseModel):
    """Whether the caller follows a project (hears of its new open slots)."""

    project: str
    following: bool


class FollowsOut(BaseModel):
    """The projects the caller follows."""

    projects: list[str]


def _me(access: Access) -> str:
    access.require(Level.MEMBER, "trade shifts")
    if access.member is None:
        raise NotFoundError("participant", access.user, access.pool.name)
    return access.member.id


def _swap_out(view: shift_exchange.SwapView) -> SwapOut:
    swap, theirs = view.swap, view.their_shift
    return SwapOut(id=swap.id, period=swap.period, proposer=swap.proposer,
                   shift=shift_out(view.shift), to=swap.to,
                   their_shift=None if theirs is None else shift_out(theirs),
                   state=swap.state, created_at=swap.created_at.isoformat(),
                   decided_at=None if swap.decided_at is None else swap.decided_at.isoformat())


@router.post("/pools/{pool}/me/shifts/{shift}/hand-back")
def hand_back_shift(pool: str, shift: PathNumber, access: AccessDep, uow: UowDep,
                    now: NowDep) -> ShiftOut:
    """Hand back one of the caller's shifts before it begins: the place becomes an open slot
    (the plan, and the caller's assigned hours, stay as cleared)."""
    return shift_out(shift_exchange.hand_back(uow, pool, _me(access), shift, now=now))


@router.post("/pools/{pool}/shifts/{shift}/take", status_code=status.HTTP_201_CREATED)
def take_slot(pool: str, shift: PathNumber, access: AccessDep, uow: UowDep,
              now: NowDep) -> ShiftOut:
    """Take a free place on a shift (an open slot): 409 where it is full, cancelled, begun,
    already the caller's, overlapping one of theirs, or its period is not cleared."""
    return shift_out(shift_exchange.take_slot(uow, pool, _me(access), shift, now=now))


@router.post("/pools/{pool}/me/shifts/{shift}/swaps", status_code=status.HTTP_201_CREATED)
def propose_swap(pool: str, shift: PathNumber, body: SwapIn, access: AccessDep,
                 uow: UowDep, now: NowDep) -> SwapOut:
    """Propose to hand one of the caller's shifts to another member, for one of theirs of
    the same task or outright; they are told and accept or decline."""
    made = shift_exchange.propose_swap(uow, pool, _me(access), shift, body.to,
                                       body.their_shift, now=now)
    return _swap_out(shift_exchange.swap_view(uow, pool, made))


@router.get("/pools/{pool}/me/swaps")
def my_swaps(pool: str, access: AccessDep, uow: UowDep) -> MySwapsOut:
    """The swap proposals waiting for an answer, made to the caller and by them."""
    mine = shift_exchange.my_swaps(uow, pool, _me(access))
    return MySwapsOut(
        incoming=[_swap_out(v) for v in mine.incoming],
        outgoing=[_swap_out(v) for v in mine.outgoing])


def _answer(pool: str, swap: int, answer: SwapState, access: Access, uow: UnitOfWork,
            now: NowDep) -> SwapOut:
    done = shift_exchange.answer_swap(uow, pool, _me(access), swap, answer, now=now)
    return _swap_out(shift_exchange.swap_view(uow, pool, done))


@router.post("/pools/{pool}/swaps/{swap}/accept")
def accept_swap(pool: str, swap: PathNumber, access: AccessDep, uow: UowDep,
                now: NowDep) -> SwapOut:
    """Accept a swap proposed to the caller: the placements are exchanged at once (409
    where a shift of it changed hands, was cancelled or has begun)."""
    return _answer(pool, swap, "accepted", access, uow, now)


@router.post("/pools/{pool}/swaps/{swap}/decline")
def decline_swap(pool: str, swap: PathNumber, access: AccessDep, uow: UowDep,
                 now: NowDep) -> SwapOut:
    """Decline a swap proposed to the caller: both keep their shifts."""
    return _answer(pool, swap, "declined", access, uow, now)


@router.post("/pools/{pool}/swaps/{swap}/withdraw")
def withdraw_swap(pool: str, swap: PathNumber, access: AccessDep, uow: UowDep,
                  now: NowDep) -> SwapOut:
    """Withdraw a swap the caller proposed, while it waits for an answer."""
    return _answer(pool, swap, "withdrawn", access, uow, now)


@router.get("/pools/{pool}/me/follows")
def my_follows(pool: str, access: AccessDep, uow: UowDep) -> FollowsOut:
    """The projects the caller follows."""
    return FollowsOut(projects=shift_exchange.followed(uow, pool, _me(access)))


@router.put("/pools/{pool}/projects/{project}/follow")
def follow_project(pool: str, project: str, access: AccessDep, uow: UowDep,
                   now: NowDep) -> FollowOut:
    """Follow a project: hear (by mail, unless turned off) of its new open slots."""
    shift_exchange.follow(uow, pool, _me(access), project, True, now=now)
    return FollowOut(project=project, following=True)


@router.delete("/pools/{pool}/projects/{project}/follow")
def unfollow_project(pool: str, project: str, access: AccessDep, uow: UowDep,
                     now: NowDep) -> FollowOut:
    """Stop following a project."""
    shift_exchange.follow(uow, pool, _me(access), project, False, now=now)
    return FollowOut(project=project, following=False)
