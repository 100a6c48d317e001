"""Pick-up points on the pages: the coordinators' page of the pool's points (add, change,
retire), a member's choice on *My period*, and a period's distribution and packing lists as a
page to print, one pick-up point a sheet
(docs/design.md, "Pick-up points and distribution lists")."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peerconomy.domain.pickup import PickupPoint
from peerconomy.http.deps import UowDep
from peerconomy.http.params import PathNumber
from peerconomy.i18n import gettext_for
from peerconomy.services import distribution, pickup
from peerconomy.services.errors import StaleEditError
from peerconomy.web.forms import FormDep
from peerconomy.web.rendering import flash, pool_page, pool_url, redirect
from peerconomy.web.viewer import Level, member_id, pool_access

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _points_page(request: Request, uow: UowDep, pool: str, status_code: int = 200,
                 stale: bool = False) -> Response:
    access = pool_access(request, uow, pool, Level.COORDINATOR, "manage the pick-up points")
    return pool_page(request, "pickup_points.html", access, "period", status_code,
                     uow=uow, points=pickup.pickup_points(uow, pool),
                     stale=stale)


@router.get("/pools/{pool}/pickup-points", response_class=HTMLResponse)
def points_page(pool: str, request: Request, uow: UowDep) -> Response:
    """The pool's pick-up points, each with a form to change or retire it, and one to add
    another (coordinators)."""
    return _points_page(request, uow, pool)


@router.post("/pools/{pool}/pickup-points")
def add_point(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Add a pick-up point (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "add pick-up points")
    with form.all_mistakes():
        point = PickupPoint(form.text("id"), form.text("name"),
                            form.text("address", default=""),
                            form.text("opening_times", default=""))
    added = pickup.add_point(uow, pool, point, actor=access.user)
    _ = gettext_for(request)
    flash(request, _("Pick-up point %(name)s added.") % {"name": added.name})
    return redirect(pool_url(pool) + "/pickup-points")


@router.post("/pools/{pool}/pickup-points/{point}")
def change_point(pool: str, point: str, request: Request, form: FormDep, uow: UowDep
                 ) -> Response:
    """Change a pick-up point, retire it or bring it back (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "change pick-up points")
    with form.all_mistakes():
        name, address = form.text("name"), form.text("address", default="")
        opening_times = form.text("opening_times", default="")
        active, version = form.flag("active"), form.whole_number("version")
    try:
        changed = pickup.change_point(uow, pool, point, name=name, address=address,
                                      opening_times=opening_times, active=active,
                                      version=version, actor=access.user)
    except StaleEditError:
        return _points_page(request, uow, pool, 409, stale=True)
    _ = gettext_for(request)
    flash(request, _("Pick-up point %(name)s saved.") % {"name": changed.name})
    return redirect(pool_url(pool) + "/pickup-points")


@router.post("/pools/{pool}/pickup")
def choose_point(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Choose where I collect my goods (empty: nowhere yet)."""
    access = pool_access(request, uow, pool, Level.MEMBER, "choose a pick-up point")
    chosen = form.text("pickup_point", default="") or None
    pickup.choose_point(uow, pool, member_id(access), chosen, actor=access.user)
    _ = gettext_for(request)
    flash(request, _("Your pick-up point is saved."))
    return redirect(pool_url(pool) + "#pickup")


@router.get("/pools/{pool}/periods/{number}/distribution", response_class=HTMLResponse)
def distribution_page(pool: str, number: PathNumber, request: Request, uow: UowDep
                      ) -> Response:
    """A period's distribution list per pick-up point (a sheet each when printed, with a box
    to tick per member) and packing list per project (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "see the distribution lists")
    _, found = distribution.period_distribution(uow, pool, number)
    return pool_page(request, "distribution.html", access, "period",
                     uow=uow, number=number, lists=found)
