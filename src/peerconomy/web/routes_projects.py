"""A pool's projects (tasks, goods, recipes; adding or forking one), its members, and
following an invitation link into a pool."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peerconomy.api.deps import UowDep
from peerconomy.domain.scenario import ScenarioError
from peerconomy.services import membership, projects
from peerconomy.services.errors import ConflictError
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
                   draft: dict[str, str] = _NO_DRAFT, error: str | None = None) -> Response:
    pool = access.pool.name
    with uow:
        tasks, goods = uow.pools.tasks(pool), uow.pools.goods(pool)
        found = [
            (p, [t for t in tasks if t.project == p.id], [g for g in goods if g.project == p.id])
            for p in uow.pools.projects(pool)
        ]
        members = uow.pools.members(pool)
    return pool_page(request, "projects.html", access, "projects", status_code,
                     projects=found, members=members, settings=access.pool.settings,
                     draft=draft, add_error=error, models=MODELS)


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
