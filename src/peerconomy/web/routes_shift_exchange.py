"""Shifts changing hands on the pages: from *My period* a member hands a shift back,
proposes a swap and answers one; from the hint board they take an open slot ("I'll do it");
from the projects page they follow a project to hear of its open slots."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from peerconomy.domain.shift_exchange import SwapState
from peerconomy.http.deps import NowDep, UowDep
from peerconomy.http.params import PathNumber
from peerconomy.i18n import gettext_for
from peerconomy.services import labels, shift_exchange
from peerconomy.web.forms import Form, FormDep
from peerconomy.web.rendering import flash, pool_url, redirect
from peerconomy.web.viewer import Level, member_id, pool_access

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
ANSWERS: Final[dict[str, SwapState]] = {"accept": "accepted", "decline": "declined",
                                        "withdraw": "withdrawn"}


def _my_shifts(pool: str) -> Response:
    return redirect(pool_url(pool) + "#shifts")


@router.post("/pools/{pool}/shifts/{shift}/take")
def take_slot(pool: str, shift: PathNumber, request: Request, form: FormDep, uow: UowDep,
              now: NowDep) -> Response:
    """Take a free place on a shift (the hint board's "I'll do it")."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "trade shifts"))
    taken = shift_exchange.take_slot(uow, pool, me, shift, now=now)
    _ = gettext_for(request)
    flash(request, _("You are on the shift: %(task)s on %(date)s.") % {
        "task": labels.labels(uow, pool).task(taken.task), "date": taken.day.isoformat()})
    return _my_shifts(pool)


@router.post("/pools/{pool}/me/shifts/{shift}/hand-back")
def hand_back(pool: str, shift: PathNumber, request: Request, form: FormDep, uow: UowDep,
              now: NowDep) -> Response:
    """Hand one of my shifts back: its place becomes an open slot."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "trade shifts"))
    given = shift_exchange.hand_back(uow, pool, me, shift, now=now)
    _ = gettext_for(request)
    flash(request, _("Shift handed back: %(task)s on %(date)s. It is an open slot now.") % {
        "task": labels.labels(uow, pool).task(given.task), "date": given.day.isoformat()})
    return _my_shifts(pool)


def _target(form: Form) -> tuple[str, int | None]:
    """The swap form's ``with``: a member (``ben``: outright) or one of their shifts
    (``ben/12``)."""
    chosen = form.text("with")
    who, _, shift = chosen.partition("/")
    if not who or (shift and not shift.isdigit()) or len(shift) > 9:
        form.refuse("with", f"must name a member or a member's shift, got {chosen[:40]!r}")
    return who, int(shift) if shift else None


@router.post("/pools/{pool}/me/shifts/{shift}/swap")
def propose_swap(pool: str, shift: PathNumber, request: Request, form: FormDep, uow: UowDep,
                 now: NowDep) -> Response:
    """Propose to swap one of my shifts with another member (or hand it to them)."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "trade shifts"))
    to, theirs = _target(form)
    shift_exchange.propose_swap(uow, pool, me, shift, to, theirs, now=now)
    _ = gettext_for(request)
    flash(request, _("Swap proposed to %(member)s: they are told and may accept.") % {
        "member": labels.labels(uow, pool).member(to)})
    return _my_shifts(pool)


@router.post("/pools/{pool}/swaps/{swap}/answer")
def answer_swap(pool: str, swap: PathNumber, request: Request, form: FormDep, uow: UowDep,
                now: NowDep) -> Response:
    """Accept or decline a swap proposed to me, or withdraw mine."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "trade shifts"))
    answer = form.text("answer")
    if answer not in ANSWERS:
        form.refuse("answer", f"must be accept, decline or withdraw, got {answer[:40]!r}")
    shift_exchange.answer_swap(uow, pool, me, swap, ANSWERS[answer], now=now)
    _ = gettext_for(request)
    flash(request, {"accept": _("Swap accepted: your shifts are exchanged."),
                    "decline": _("Swap declined."),
                    "withdraw": _("Swap withdrawn.")}[answer])
    return _my_shifts(pool)


@router.post("/pools/{pool}/projects/{project}/follow")
def follow(pool: str, project: str, request: Request, form: FormDep, uow: UowDep,
           now: NowDep) -> Response:
    """Follow a project (``following`` ticked) to hear of its open slots, or stop."""
    me = member_id(pool_access(request, uow, pool, Level.MEMBER, "trade shifts"))
    following = form.flag("following")
    shift_exchange.follow(uow, pool, me, project, following, now=now)
    _ = gettext_for(request)
    flash(request, (_("You follow %(project)s: you hear of its open slots.") if following
                    else _("You no longer follow %(project)s.")) % {
                       "project": labels.labels(uow, pool).project(project)})
    return redirect(pool_url(pool) + "/projects")
