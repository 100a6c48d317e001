"""A pool's projects (tasks, goods, recipes; adding, forking or removing one, planning a
good's capacity), its members and settings (which coordinators change here), and following an
invitation link into a pool.

Each edit form carries the version of what it edits, as the page showed it; if another
coordinator changed it meanwhile, the page comes back (409) with what is stored now and asks
for the change to be made again (optimistic locking)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Member, Role
from peerconomy.domain.refusal import InputError
from peerconomy.domain.schedule import PeriodLength
from peerconomy.http.deps import NowDep, PolicyDep, UowDep
from peerconomy.http.state import client_address
from peerconomy.i18n import gettext_for
from peerconomy.services import (
    labels,
    lookup,
    membership,
    pools,
    privacy,
    projects,
    roster,
    shift_exchange,
    views,
)
from peerconomy.services.collecting import active_goods
from peerconomy.services.errors import ConflictError, StaleEditError
from peerconomy.services.membership import Access
from peerconomy.services.pools import KEEP, Keep
from peerconomy.services.security import TooManyAttemptsError
from peerconomy.services.throttle import throttle
from peerconomy.web.forms import Form, FormDep
from peerconomy.web.project_lines import MODELS, ProjectLines, parse_project, project_id
from peerconomy.web.rendering import flash, pool_page, pool_url, redirect, render
from peerconomy.web.routes_accounts import too_many_attempts
from peerconomy.web.viewer import Level, pool_access, user_of, who_signed_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


_NO_DRAFT: Final = {"project": "", "tasks": "", "goods": ""}
MAX_TEXT_BYTES: Final = 1024 * 1024
"""The largest membership list taken (thousands of rows are a few hundred kilobytes)."""


def _projects_page(request: Request, uow: UowDep, access: Access, status_code: int = 200,
                   draft: dict[str, str] = _NO_DRAFT, error: str | None = None,
                   stale: bool = False,
                   invited: Sequence[tuple[Member, str]] = ()) -> Response:
    pool = access.pool.name
    with uow:
        current = lookup.pool(uow, pool)
        found = views.projects(uow, pool)
        members = views.members(uow, pool)
        period = lookup.current_period(uow, pool)
        collecting = period.state is PeriodState.COLLECTING
        serving = active_goods(uow, pool)
        followed = (set(shift_exchange.followed(uow, pool, access.member.id))
                    if access.member is not None else set())
        tasks = [t for parts in found for t in parts.tasks]
        may_leave = {p.id for p, _, _ in found
                     if p.active and projects.leave_refusal(p.id, tasks, serving) is None}
        return pool_page(request, "projects.html", access, "projects", status_code,
                         projects=found, members=members, settings=current.settings,
                         pool_version=current.version, pool_display_name=current.display_name,
                         pool_description=current.description, collecting=collecting,
                         period=period,
                         draft=draft, add_error=error, models=MODELS, stale=stale,
                         invited=invited, contacts=_contacts(access, members),
                         may_leave=may_leave, uow=uow, followed=followed)


def _contacts(access: Access, members: Sequence[Member]) -> dict[str, str]:
    """Each member's email and phone as coordinators may see them (where the member allowed
    it, or nobody has claimed the member); nothing for anyone else."""
    if access.level < Level.COORDINATOR:
        return {}
    return {
        m.id: " · ".join(c for c in (m.email, m.phone) if c)
        for m in members if privacy.contact_shown(m) and (m.email or m.phone)
    }


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
    except InputError as error:
        said = "; ".join(f"{lines.named(p.path) if lines else p.path}: {p.reason}"
                         for p in error.problems)
        return _projects_page(request, uow, access, 422, draft, said)
    except ConflictError as error:
        said = lines.named(str(error)) if lines else str(error)
        return _projects_page(request, uow, access, 409, draft, said)
    _ = gettext_for(request)
    flash(request, _("%(project)s joins the pool.") % {
        "project": labels.labels(uow, pool).project(project)})
    return redirect(pool_url(pool) + "/projects")


@router.post("/pools/{pool}/projects/{project}/fork")
def fork(pool: str, project: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Copy a project's tasks, goods and recipes into a new project (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "fork projects")
    new = project_id(form.text("project"))
    projects.fork_project(uow, pool, project, new, actor=access.user)
    _ = gettext_for(request)
    flash(request, _("%(new)s is forked from %(project)s.")
          % {"new": new, "project": labels.labels(uow, pool).project(project)})
    return redirect(pool_url(pool) + "/projects")


def _edited(request: Request, uow: UowDep, access: Access, edit: Callable[[], object],
            said: str, where: str = "") -> Response:
    """Make ``edit``, then back to the Projects page (at ``where``) saying ``said``; or, if
    someone changed what it edits meanwhile, the page as it is now, asking for the change to
    be made again (409)."""
    try:
        edit()
    except StaleEditError:
        return _projects_page(request, uow, access, 409, stale=True)
    flash(request, said)
    return redirect(pool_url(access.pool.name) + "/projects" + where)


@router.post("/pools/{pool}/projects/{project}/leave")
def leave(pool: str, project: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """A project leaves the pool (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "remove projects")
    version = form.whole_number("version")
    _ = gettext_for(request)
    return _edited(request, uow, access, lambda: projects.leave_project(
        uow, pool, project, version=version, actor=access.user),
        _("%(project)s has left the pool.") % {"project": project})


@router.post("/pools/{pool}/goods/{good}/capacity")
def plan_capacity(pool: str, good: str, request: Request, form: FormDep, uow: UowDep
                  ) -> Response:
    """Plan a good's capacity for the collecting period; empty: no limit (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "plan production")
    with form.all_mistakes():
        units, version = form.optional_number("capacity"), form.whole_number("version")
        if units is not None and not units.is_integer():
            form.refuse("capacity", f"must be a whole number >= 0, got {units!r}")
    _ = gettext_for(request)
    return _edited(request, uow, access, lambda: projects.plan_production(
        uow, pool, good, None if units is None else int(units), version=version,
        actor=access.user), _("The capacity of %(good)s is planned.")
        % {"good": labels.labels(uow, pool).good(good)})


def _text(form: Form, name: str) -> str | Keep:
    """A text field people read (a name, a description, a place): as written (checked by
    the service), or kept where the form has no such field."""
    return form.block(name) if name in form.data else KEEP


def _named(request: Request, form: Form, uow: UowDep, pool: str, action: str,
           fields: tuple[str, ...], edit: Callable[[dict[str, Any], int, str | None], object]
           ) -> Response:
    """A form that names something (coordinators): its ``fields`` (a field left out: kept)
    and the version of the project it was made from, handed to ``edit``."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, action)
    with form.all_mistakes():
        texts = {field: _text(form, field) for field in fields}
        version = form.whole_number("version")
    _ = gettext_for(request)
    return _edited(request, uow, access, lambda: edit(texts, version, access.user),
                   _("The names are saved."))


@router.post("/pools/{pool}/projects/{project}/names")
def name_project(pool: str, project: str, request: Request, form: FormDep, uow: UowDep
                 ) -> Response:
    """Give a project a display name and a description; empty: none (coordinators)."""
    return _named(request, form, uow, pool, "name projects", ("name", "description"),
                  lambda texts, version, actor: labels.name_project(
                      uow, pool, project, **texts, version=version, actor=actor))


@router.post("/pools/{pool}/tasks/{task}/names")
def name_task(pool: str, task: str, request: Request, form: FormDep, uow: UowDep
              ) -> Response:
    """Give a task a display name, a description, a place and a contact (a member of the
    pool); empty: none (coordinators)."""
    return _named(request, form, uow, pool, "name tasks",
                  ("name", "description", "place", "contact"),
                  lambda texts, version, actor: labels.name_task(
                      uow, pool, task, **texts, version=version, actor=actor))


@router.post("/pools/{pool}/goods/{good}/names")
def name_good(pool: str, good: str, request: Request, form: FormDep, uow: UowDep
              ) -> Response:
    """Give a good a display name and a description; empty: none (coordinators)."""
    return _named(request, form, uow, pool, "name goods", ("name", "description"),
                  lambda texts, version, actor: projects.change_good(
                      uow, pool, good, **texts, version=version, actor=actor))


@router.post("/pools/{pool}/members/{participant}")
def change_member(pool: str, participant: str, request: Request, form: FormDep, uow: UowDep
                  ) -> Response:
    """Change a member's role, hours per period (empty: no limit) and exemption
    (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "change members")
    role: Role = "coordinator" if form.text("role", default="member") == "coordinator" else "member"
    with form.all_mistakes():
        capacity, exempt = form.optional_number("capacity"), form.flag("exempt")
        version = form.whole_number("version")
    _ = gettext_for(request)
    return _edited(request, uow, access, lambda: pools.update_member(
        uow, pool, participant, role=role, capacity=capacity, exempt=exempt, version=version,
        actor=access.user),
        _("The settings of %(member)s are saved.") % {"member": participant}, "#members")


@router.post("/pools/{pool}/members/{participant}/link")
def link_member(pool: str, participant: str, request: Request, form: FormDep, uow: UowDep
                ) -> Response:
    """Link an existing account to a member nobody has claimed (coordinators)."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "link accounts to members")
    with form.all_mistakes():
        user, version = form.text("user"), form.whole_number("version")
    _ = gettext_for(request)
    return _edited(request, uow, access, lambda: membership.link_member(
        uow, pool, participant, user, version=version, actor=access.user),
        _("%(user)s is now %(member)s.") % {"user": user, "member": participant}, "#members")


@router.post("/pools/{pool}/member-list")
def import_members(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Add the members of an uploaded CSV list, each with an invitation (coordinators): the
    links are shown on the page this once, and mailed to those with an email address."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "add members")
    text = form.upload("members", MAX_TEXT_BYTES)
    if not text.strip():
        raise InputError("members", "choose a CSV file with the membership list")
    invited = roster.import_members(uow, pool, text, actor=access.user)
    base: str = request.app.state.settings.base_url
    return _projects_page(request, uow, access,
                          invited=[(i.member, i.link(base)) for i in invited])


@router.post("/pools/{pool}/settings")
def change_settings(pool: str, request: Request, form: FormDep, uow: UowDep) -> Response:
    """Change who may join, whether outsiders see the pool, communal validation, the
    highest weight, the pool's display name and description, and the calendar
    (coordinators): the periods' length (empty: undated), the current period's first day,
    when offers close and whether a period clears itself then."""
    access = pool_access(request, uow, pool, Level.COORDINATOR, "change the pool's settings")
    with form.all_mistakes():
        admission: Any = form.text("admission")  # checked by the service, by name
        public, validation = form.flag("public"), form.flag("communal_validation")
        max_weight, version = form.number("max_weight"), form.whole_number("version")
        shown, description = _text(form, "display_name"), _text(form, "description")
        calendar = _calendar(form)
    _ = gettext_for(request)
    return _edited(request, uow, access, lambda: pools.update_settings(
        uow, pool, admission=admission, public=public, communal_validation=validation,
        max_weight=max_weight, display_name=shown, description=description,
        version=version, actor=access.user, **calendar),
        _("The pool's settings are saved."), "#settings")


def _calendar(form: Form) -> dict[str, Any]:
    """The calendar fields of the settings form, as :func:`pools.update_settings` takes
    them; a field the form does not carry (or leaves empty) stays as it is, but for the
    period length, which empty makes the periods undated, and the box ``auto_clear``."""
    found: dict[str, Any] = {"auto_clear": form.flag("auto_clear")}
    if form.data.get("period_length") is not None:
        text = form.text("period_length")
        try:
            found["period_length"] = PeriodLength.parse(text) if text else None
        except InputError as error:
            form.refuse("period_length", error.reason)
    if form.text("close_days", default=""):
        found["close_days"] = form.whole_number("close_days")
    for name, parse in (("starts_on", date.fromisoformat), ("close_time", time.fromisoformat)):
        text = form.text(name, default="")
        if text:
            try:
                found[name] = parse(text)
            except ValueError:
                form.refuse(name, f"must be a {'date' if name == 'starts_on' else 'time'},"
                                  f" got {text[:40]!r}")
    if form.text("time_zone", default=""):
        found["time_zone"] = form.text("time_zone")
    return found


@router.get("/invitations/{code}", response_class=HTMLResponse)
def invitation(code: str, request: Request, uow: UowDep) -> Response:
    """An invitation link: accept it (signed in), or sign in or up first and come back."""
    return render(request, "invitation.html", code=code, signed_in=user_of(request, uow),
                  error=None)


@router.post("/invitations/{code}")
def accept(code: str, request: Request, form: FormDep, uow: UowDep, policy: PolicyDep,
           now: NowDep) -> Response:
    """Accept an invitation: join its pool (tries from one address are rate-limited)."""
    user = who_signed_in(request, uow)
    try:
        throttle(uow, client_address(request), policy=policy, now=now)
    except TooManyAttemptsError as locked:
        return too_many_attempts(request, locked, lambda error: render(
            request, "invitation.html", 429, code=code, signed_in=user, error=error))
    membership.accept_invitation(uow, code, user)
    joined = views.invitation_pool(uow, code)
    _ = gettext_for(request)
    flash(request, _("Welcome to the pool!"))
    return redirect(pool_url(joined) if joined else "/")
