"""The coordinators' page of a pool: the period's lifecycle (clearing with progress, settling,
closing), the plan as a report, requests to join and invitation links; and the pool's audit
log, a page at a time."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import PLAN_FORMAT_V1
from peerconomy.domain.pool import Role
from peerconomy.http.deps import UowDep
from peerconomy.http.params import NumberQuery, PathNumber
from peerconomy.http.state import Store
from peerconomy.i18n import gettext_for
from peerconomy.services import audit, holdings, membership, periods, views
from peerconomy.services.errors import NotFoundError
from peerconomy.services.membership import Access
from peerconomy.web.clearing import ClearingJobs
from peerconomy.web.forms import FormDep
from peerconomy.web.rendering import (
    flash,
    is_htmx,
    pool_page,
    pool_url,
    redirect,
    render_fragment,
)
from peerconomy.web.viewer import Level, pool_access

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
INVITATION_SHOWN_ONCE = "invitation_once"


def _coordinating(request: Request, uow: UowDep, pool: str, action: str) -> Access:
    return pool_access(request, uow, pool, Level.COORDINATOR, action)


def _jobs(request: Request) -> ClearingJobs:
    jobs: ClearingJobs = request.app.state.clearing
    return jobs


@router.get("/pools/{pool}/period", response_class=HTMLResponse)
def period_page(pool: str, request: Request, uow: UowDep, preview: bool = False) -> Response:
    """The current period, its lifecycle buttons and the latest plan as a report; with
    ``preview``, the plan the collecting period would clear to now (provisional, nothing
    stored): its summary, weights, shares and the flagged outliers."""
    access = _coordinating(request, uow, pool, "run the periods")
    warnings = None
    provisional: dict[str, Any] | None = None
    # read in a transaction of its own: outside one a SQL store has no connection
    latest = views.latest_period(uow, pool) if preview else None
    if latest is not None and latest.state is PeriodState.COLLECTING:
        found = periods.preview_period(uow, pool)
        warnings = list(found.warnings)
        data = found.plan
        provisional = {
            "input_hash": found.input_hash,
            "assignments": len(data.assignments),
            "allocations": len(data.allocations),
            "weighted_effort": data.weighted_effort,
            "weights": sorted(data.weights.items(), key=lambda kv: (-kv[1], kv[0])),
            "shares": sorted(data.shares.items(), key=lambda kv: (-kv[1], kv[0])),
            "refunds": None if data.format == PLAN_FORMAT_V1 else data.refunds,
        }
    board = views.period_board(uow, pool)
    period, previous, plan, members = board.period, board.previous, board.plan, board.members
    job = _jobs(request).get(pool)
    if job is not None and job.state != "running":
        _jobs(request).forget(pool)
    invitation = request.session.pop(INVITATION_SHOWN_ONCE, None)
    report: dict[str, Any] | None = None
    if plan is not None:
        data = plan.data
        report = {
            "period": plan.period,
            "cleared_at": plan.cleared_at,
            "input_hash": plan.input_hash,
            "weights": sorted(data.weights.items(), key=lambda kv: (-kv[1], kv[0])),
            "uncovered": data.uncovered,
            "assignments": data.assignments,
            "goods": sorted(data.goods.items()),
            "allocations": data.allocations,
            "shares": sorted(
                (m.id, data.shares.get(m.id, 0.0), data.credits.get(m.id, 0.0))
                for m in members
            ),
            "weighted_effort": data.weighted_effort,
            "refunds": None if data.format == PLAN_FORMAT_V1 else data.refunds,
        }
    return pool_page(
        request, "period.html", access, "period", period=period, previous=previous,
        report=report, requests=board.requests, job=job, warnings=warnings,
        provisional=provisional,
        can_reopen=board.can_reopen, withdrawn=board.withdrawn,
        holdings=holdings.holdings_of(uow, pool),
        invitation=invitation if isinstance(invitation, str) else None,
        unclaimed=[m for m in members if m.account is None],
        uow=uow,
    )


AUDIT_PAGE = 50
"""Entries on one page of the audit log."""


@router.get("/pools/{pool}/audit", response_class=HTMLResponse)
def audit_page(pool: str, request: Request, uow: UowDep, before: NumberQuery = None
               ) -> Response:
    """The pool's audit log, newest first, :data:`AUDIT_PAGE` entries a page; ``before``
    (an entry's number) shows the older ones."""
    access = _coordinating(request, uow, pool, "read the audit log")
    entries = audit.audit_log(uow, pool, limit=AUDIT_PAGE, before=before)
    older = entries[-1].id if len(entries) == AUDIT_PAGE else None
    return pool_page(request, "audit.html", access, "period", entries=entries, older=older,
                     paged=before is not None, uow=uow)


@router.get("/pools/{pool}/period/clearing", response_class=HTMLResponse)
def clearing_status(pool: str, request: Request, uow: UowDep) -> Response:
    """How the clearing stands (polled by the period page while it runs)."""
    _coordinating(request, uow, pool, "run the periods")
    job = _jobs(request).get(pool)
    answer = render_fragment(request, "_clearing.html", job=job, pool_url=pool_url(pool))
    if job is None or job.state != "running":
        answer.headers["HX-Refresh"] = "true"  # the whole page, with the plan or the failure
    return answer


@router.post("/pools/{pool}/period/clear")
def clear(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Start clearing the collecting period; the page shows its progress."""
    access = _coordinating(request, uow, pool, "clear a period")
    periods.require_step(uow, pool, "clear")  # refused at once if not
    store: Store = request.app.state.store
    job = _jobs(request).start(pool, lambda: periods.clear_period(
        store.unit_of_work(), pool, actor=access.user))
    if is_htmx(request):
        return render_fragment(request, "_clearing.html", job=job, pool_url=pool_url(pool))
    return redirect(pool_url(pool) + "/period")


@router.post("/pools/{pool}/period/settle")
def settle(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Post the cleared period to the books and open the next one."""
    access = _coordinating(request, uow, pool, "settle a period")
    following = periods.settle_period(uow, pool, actor=access.user)
    _ = gettext_for(request)
    flash(request, _(
        "The period is settled; period %(number)d collects offers and wishes."
    ) % {"number": following.number})
    return redirect(pool_url(pool) + "/period")


@router.post("/pools/{pool}/period/reopen")
def reopen(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Reopen the cleared period for collecting, its plan discarded."""
    access = _coordinating(request, uow, pool, "reopen a period")
    periods.reopen_period(uow, pool, actor=access.user)
    _ = gettext_for(request)
    flash(request, _("The period collects offers and wishes again; its plan is withdrawn"
                       " and kept in the period's history."))
    return redirect(pool_url(pool) + "/period")


@router.post("/pools/{pool}/periods/{number}/close")
def close(pool: str, number: PathNumber, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Close a settled period: its books are final."""
    access = _coordinating(request, uow, pool, "close a period")
    periods.close_period(uow, pool, number, actor=access.user)
    _ = gettext_for(request)
    flash(request, _("Period %(number)d is closed.") % {"number": number})
    return redirect(pool_url(pool) + "/period")


@router.post("/pools/{pool}/requests/{user}/{decision}")
def decide(pool: str, user: str, decision: str, request: Request, form: FormDep,
           uow: UowDep) -> Response:
    """Approve or decline a request to join."""
    access = _coordinating(request, uow, pool, "decide requests to join")
    if decision not in ("approve", "decline"):
        raise NotFoundError("decision", decision)
    assert access.user is not None
    membership.decide_request(uow, pool, user, access.user, approve=decision == "approve")
    _ = gettext_for(request)
    flash(request, (_("%(user)s is now a member.") if decision == "approve"
                    else _("The request of %(user)s is declined.")) % {"user": user})
    return redirect(pool_url(pool) + "/period#requests")


@router.post("/pools/{pool}/invitations")
def invite(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Make an invitation link; the next page shows it, once."""
    access = _coordinating(request, uow, pool, "invite people")
    assert access.user is not None
    role: Role = "coordinator" if form.text("role", default="member") == "coordinator" else "member"
    member = form.text("member", default="") or None
    _, code = membership.invite(uow, pool, access.user, role, member=member,
                                days=form.whole_number("days", default=14))
    base: str = request.app.state.settings.base_url
    request.session[INVITATION_SHOWN_ONCE] = f"{base}/invitations/{code}"
    return redirect(pool_url(pool) + "/period#invite")

