"""A pool's projects (tasks, goods, recipes; forking one), its members, and following an
invitation link into a pool."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peerconomy.api.deps import UowDep
from peerconomy.services import membership, projects
from peerconomy.web.forms import FormDep
from peerconomy.web.i18n import gettext_for
from peerconomy.web.rendering import flash, pool_page, pool_url, redirect, render
from peerconomy.web.viewer import Level, pool_access, user_of, who_signed_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/pools/{pool}/projects", response_class=HTMLResponse)
def projects_page(pool: str, request: Request, uow: UowDep) -> Response:
    """Each project with its tasks, goods and recipes; the members."""
    access = pool_access(request, uow, pool)
    with uow:
        tasks, goods = uow.pools.tasks(pool), uow.pools.goods(pool)
        found = [
            (p, [t for t in tasks if t.project == p.id], [g for g in goods if g.project == p.id])
            for p in uow.pools.projects(pool)
        ]
        members = uow.pools.members(pool)
    return pool_page(request, "projects.html", access, "projects", projects=found,
                     members=members, settings=access.pool.settings)


@router.post("/pools/{pool}/projects/{project}/fork")
def fork(pool: str, project: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Copy a project's tasks, goods and recipes into a new project (coordinators)."""
    pool_access(request, uow, pool, Level.COORDINATOR, "fork projects")
    new = form.text("project")
    projects.fork_project(uow, pool, project, new)
    flash(request, gettext_for(request)("%(new)s is forked from %(project)s.")
          % {"new": new, "project": project})
    return redirect(pool_url(pool) + "/projects")


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
    flash(request, gettext_for(request)("Welcome to the pool!"))
    return redirect(pool_url(found.pool) if found else "/")
