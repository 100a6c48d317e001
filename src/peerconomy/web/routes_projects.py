"""A pool's projects (tasks, goods, recipes; adding, forking or removing one, planning a
good's capacity), its members and settings (which coordinators change here), and following an
invitation link into a pool.

Each edit form carries the version of what it edits, as the page showed it; if another
coordinator changed it meanwhile, the page comes back (409) with what is stored now and asks
for the change to be made again (optimistic locking)."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peerconomy.api.deps import UowDep
from peerconomy.domain.pool import Role
from peerconomy.domain.scenario import ScenarioError
from peerconomy.services import lookup, membership, pools, projects
from peerconomy.services.errors import ConflictError, StaleEditError
from peerconomy.services.membership import Access
from peerconomy.web.forms import FormDep
from peerconomy.web.i18n import gettext_for
from peerconomy.web.project_lines import MODELS, ProjectLines, parse_project, project_id
from peerconomy.web.rendering import flash, pool_page, pool_url, redirect, render
from peerconomy.web.viewer import Level, pool_access, user_of, who_signed_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


_NO_DRAFT: Final = {"project": "", "tasks": "", "goods": ""}


def _projects_page(request: Request, uow: UowDep, access: Access, status_code: int = 200,
                   draft: dict[str, str] = _NO_DRAFT, error: str | None = None,
                   stale: bool = False) -> Response:
    pool = access.pool.name
    with uow:
        current = lookup.pool(uow, pool)
        tasks, goods = uow.pools.tasks(pool), uow.pools.goods(pool)
        found = [
            (p, [t for t in tasks if t.project == p.id], [g for g in goods if g.project == p.id])
            for p in uow.pools.projects(pool)
        ]
        members = uow.pools.members(pool)
        collecting = lookup.current_period(uow, pool).state.value == "collecting"
    return pool_page(request, "projects.html", access, "projects", status_code,
                     projects=found, members=members, settings=current.settings,
                     pool_version=current.version, collecting=collecting,
                     draft=draft, add_error=error, models=MODELS, stale=stale)


def _stale(request: Request, uow: UowDep, access: Access) -> Response:
    """The page as it is now, saying that someone else changed what the form edited."""
    return _projects_page(request, uow, access, 409, stale=True)


@router.get("/pools/{pool}/projects", response_class=HTMLResponse)
def projects_page(pool: str, request: Request, uow: UowDep) -> Response:
    """Each project with its tasks, goods and recipes; the members; for coordinators, the
    form that adds a project."""
    return _projects_page(request, uow, pool_access(request, uow, pool))


@router.post("/pools/{pool}/projects")
def add_project(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """A project joins the pool with the tasks and goods written in the form's lines
    (coordinators); a mistake shows the form again, as it was written, saying where."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "add projects")
    draft = {"project": form.text("project", default=""), "tasks": form.block("tasks"),
             "goods": form.block("goods")}
    project = draft["project"]
    lines: ProjectLines | None = None
    try:
        lines = parse_project(project, draft["tasks"], draft["goods"])
        projects.join_project(uow, pool, project, lines.tasks, lines.goods,
                              actor=access.user)
    except ScenarioError as error:
        path = lines.named(error.path) if lines else error.path
        return _projects_page(request, uow, access, 422, draft, f"{path}: {error.reason}")
    except ConflictError as error:
        said = lines.named(str(error)) if lines else str(error)
        return _projects_page(request, uow, access, 409, draft, said)
    _ = gettext_for(request)
    flash(request, _("%(project)s joins the pool.") % {"project": project})
    return redirect(pool_url(pool) + "/projects")


@router.post("/pools/{pool}/projects/{project}/fork")
def fork(pool: str, project: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Copy a project's tasks, goods and recipes into a new project (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "fork projects")
    new = project_id(form.text("project"))
    projects.fork_project(uow, pool, project, new, actor=access.user)
    _ = gettext_for(request)
    flash(request, _("%(new)s is forked from %(project)s.")
          % {"new": new, "project": project})
    return redirect(pool_url(pool) + "/projects")


@router.post("/pools/{pool}/projects/{project}/leave")
def leave(pool: str, project: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """A project leaves the pool (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "remove projects")
    try:
        projects.leave_project(uow, pool, project, version=form.whole_number("version"),
                               actor=access.user)
    except StaleEditError:
        return _stale(request, uow, access)
    _ = gettext_for(request)
    flash(request, _("%(project)s has left the pool.") % {"project": project})
    return redirect(pool_url(pool) + "/projects")


@router.post("/pools/{pool}/goods/{good}/capacity")
def plan_capacity(pool: str, good: str, request: Request, form: FormDep, uow: UowDep
                  ) -> Response:
    """Plan a good's capacity for the collecting period; empty: no limit (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "plan production")
    units = form.optional_number("capacity")
    if units is not None and not units.is_integer():
        raise ScenarioError("capacity", f"must be a whole number >= 0, got {units!r}")
    try:
        projects.plan_production(uow, pool, good, None if units is None else int(units),
                                 version=form.whole_number("version"), actor=access.user)
    except StaleEditError:
        return _stale(request, uow, access)
    _ = gettext_for(request)
    flash(request, _("The capacity of %(good)s is planned.") % {"good": good})
    return redirect(pool_url(pool) + "/projects")


@router.post("/pools/{pool}/members/{participant}")
def change_member(pool: str, participant: str, request: Request, form: FormDep, uow: UowDep
                  ) -> Response:
    """Change a member's role, hours per period (empty: no limit) and exemption
    (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "change members")
    role: Role = "coordinator" if form.text("role", default="member") == "coordinator" else "member"
    try:
        pools.update_member(uow, pool, participant, role=role,
                            capacity=form.optional_number("capacity"),
                            exempt=form.flag("exempt"), version=form.whole_number("version"),
                            actor=access.user)
    except StaleEditError:
        return _stale(request, uow, access)
    _ = gettext_for(request)
    flash(request, _("The settings of %(member)s are saved.") % {"member": participant})
    return redirect(pool_url(pool) + "/projects#members")


@router.post("/pools/{pool}/settings")
def change_settings(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Change who may join, whether outsiders see the pool, communal validation and the
    highest weight (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "change the pool's settings")
    admission = form.text("admission")
    try:
        pools.update_settings(
            uow, pool, admission=admission,  # type: ignore[arg-type]  # checked by name
            public=form.flag("public"), communal_validation=form.flag("communal_validation"),
            max_weight=form.number("max_weight"), version=form.whole_number("version"),
            actor=access.user,
        )
    except StaleEditError:
        return _stale(request, uow, access)
    _ = gettext_for(request)
    flash(request, _("The pool's settings are saved."))
    return redirect(pool_url(pool) + "/projects#settings")


@router.get("/invitations/{code}", response_class=HTMLResponse)
def invitation(code: str, request: Request, uow: UowDep) -> Response:
    """An invitation link: accept it (signed in), or sign in or up first and come back."""
    return render(request, "invitation.html", code=code, signed_in=user_of(request, uow))


@router.post("/invitations/{code}")
def accept(code: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Accept an invitation: join its pool."""
    user = who_signed_in(request, uow)
    membership.accept_invitation(uow, code, user)
    with uow:
        found = uow.accounts.invitation(code.partition(".")[0])
    _ = gettext_for(request)
    flash(request, _("Welcome to the pool!"))
    return redirect(pool_url(found.pool) if found else "/")
