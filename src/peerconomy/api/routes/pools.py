"""Pools over the API: found and list them, change their settings, join (at once or on
approval), invitations, members, projects and the capacities of their goods.

What two coordinators may edit at once (a pool's settings, a member, a project with its
goods) is answered with its ``version``; a change that names the version it was made from
is refused with 409 if someone changed it meanwhile (optimistic locking)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from peerconomy.api.answers import AuditPage, JoinDecision, JoinRequestOut, ProjectWithParts
from peerconomy.api.routes.auth import too_many_failures
from peerconomy.api.schemas import (
    CapacityChange,
    ChangedTask,
    Decision,
    Fork,
    InvitationOut,
    JoinOut,
    MemberChange,
    MemberLink,
    MemberOut,
    NewInvitation,
    NewMember,
    NewPool,
    NewProject,
    PageDep,
    PeriodOut,
    PlannedGood,
    PoolChange,
    PoolOut,
    ProjectChange,
    ProjectOut,
    TaskChange,
    TooManyFailures,
    set_fields,
)
from peerconomy.domain.account import JoinRequest, JoinStatus
from peerconomy.domain.pool import Member, Period, Pool, PoolProject, Role
from peerconomy.domain.schedule import PeriodLength
from peerconomy.http.deps import CallerDep, NowDep, PolicyDep, UowDep, UserDep, pool_access
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.http.params import STORED_INT_MAX, NumberQuery
from peerconomy.http.state import client_address
from peerconomy.services import audit, labels, membership, pools, privacy, projects, views
from peerconomy.services.membership import Access, Level
from peerconomy.services.roster import invitation_link
from peerconomy.services.security import TooManyFailuresError
from peerconomy.services.throttle import throttle

__all__ = ["member_out", "period_out", "router"]

router = APIRouter(tags=["pools"], route_class=IdempotentRoute)
AccessDep = Annotated[Access, Depends(pool_access)]


def pool_out(pool: Pool, role: Role | None = None) -> PoolOut:
    s = pool.settings
    calendar = s.schedule
    return PoolOut(
        name=pool.name,
        admission=s.admission,
        public=s.public,
        communal_validation=s.communal_validation,
        max_weight=s.max_weight,
        period_length=None if calendar.length is None else str(calendar.length),
        close_days=calendar.close_days,
        close_time=calendar.close_time.isoformat("minutes"),
        time_zone=calendar.time_zone,
        auto_clear=calendar.auto_clear,
        my_role=role,
        version=pool.version,
        display_name=pool.display_name,
        description=pool.description,
    )


def member_out(m: Member, *, coordinator: bool = False) -> MemberOut:
    """A member as the API shows it; only coordinators see which account claimed it, and
    the member's contact where the member allowed it (:func:`privacy.contact_shown`)."""
    contact = coordinator and privacy.contact_shown(m)
    return MemberOut(id=m.id, display_name=m.display_name, capacity=m.capacity,
                     exempt=m.exempt, role=m.role, active=m.active, version=m.version,
                     claimed=m.account is not None,
                     account=m.account if coordinator else None,
                     contact_visible=m.contact_visible,
                     email=m.email if contact else None, phone=m.phone if contact else None)


def period_out(p: Period) -> PeriodOut:
    return PeriodOut(pool=p.pool, number=p.number, state=p.state,
                     weight_estimates=p.weight_estimates, starts_on=p.starts_on,
                     ends_on=p.ends_on, collect_until=p.collect_until)


@router.get("/pools")
def list_pools(who: CallerDep, uow: UowDep, page: PageDep) -> list[PoolOut]:
    """The pools the caller may see, with their role in each."""
    return page.of([pool_out(p, role) for p, role in membership.visible_pools(uow, who.user)])


@router.post("/pools", status_code=status.HTTP_201_CREATED)
def found_pool(body: NewPool, user: UserDep, uow: UowDep) -> PeriodOut:
    """Found a pool; the caller becomes its coordinator and period 1 starts collecting."""
    return period_out(
        membership.found_pool(
            uow, body.name, user, admission=body.admission, public=body.public,
            communal_validation=body.communal_validation, max_weight=body.max_weight,
            display_name=body.display_name, description=body.description,
        )
    )


@router.get("/pools/{pool}")
def get_pool(access: AccessDep) -> PoolOut:
    """One pool's settings and the caller's role in it."""
    return pool_out(access.pool, access.member.role if access.member else None)


@router.patch("/pools/{pool}")
def change_pool(pool: str, body: PoolChange, access: AccessDep, uow: UowDep) -> PoolOut:
    """Change the pool's settings (coordinators); fields left out stay as they are. The
    calendar (period length, when offers close, whether a period clears itself then) dates
    the collecting period, from ``starts_on`` or the first day it has."""
    access.require(Level.COORDINATOR, "change the pool's settings")
    changes = body.model_dump(exclude_none=True, exclude={
        "version", "period_length", "display_name", "description"})
    if "period_length" in body.model_fields_set:  # null: undated periods
        text = body.period_length
        changes["period_length"] = None if text is None else PeriodLength.parse(text)
    changed = pools.update_settings(uow, pool, **changes,
                                    **set_fields(body, "display_name", "description"),
                                    version=body.version, actor=access.user)
    return pool_out(changed, access.member.role if access.member else None)


@router.post("/pools/{pool}/join", status_code=status.HTTP_201_CREATED, responses={
    202: {"model": JoinOut, "description": "Asked the pool's coordinators to approve"}})
def join(pool: str, user: UserDep, uow: UowDep, response: Response) -> JoinOut:
    """Join the pool: at once if it is open (201), else ask its coordinators (202)."""
    outcome = membership.join_pool(uow, pool, user)
    if isinstance(outcome, JoinRequest):
        response.status_code = status.HTTP_202_ACCEPTED
        return JoinOut(status="pending")
    response.status_code = status.HTTP_201_CREATED
    return JoinOut(status="member", member=member_out(outcome))


@router.get("/pools/{pool}/requests")
def join_requests(pool: str, access: AccessDep, uow: UowDep, page: PageDep,
                  status: Annotated[JoinStatus | None, Query(
                      description="Only requests of this status.")] = None,
                  ) -> list[JoinRequestOut]:
    """Requests to join (coordinators)."""
    access.require(Level.COORDINATOR, "see requests to join")
    return page.of([JoinRequestOut.model_validate(r, from_attributes=True)
                    for r in views.join_requests(uow, pool) if status in (None, r.status)])


@router.post("/pools/{pool}/requests/{user}")
def decide(pool: str, user: str, body: Decision, access: AccessDep,
           uow: UowDep) -> JoinDecision:
    """Approve or decline a request to join (coordinators)."""
    access.require(Level.COORDINATOR, "decide requests to join")
    assert access.user is not None
    decided = membership.decide_request(uow, pool, user, access.user, approve=body.approve)
    return JoinDecision(user=decided.user, status=decided.status)


@router.post("/pools/{pool}/invitations", status_code=status.HTTP_201_CREATED)
def invite(pool: str, body: NewInvitation, access: AccessDep, uow: UowDep,
           request: Request) -> InvitationOut:
    """An invitation link into the pool (coordinators); the code is shown only once."""
    access.require(Level.COORDINATOR, "invite people")
    assert access.user is not None
    invitation, code = membership.invite(uow, pool, access.user, body.role, member=body.member,
                                         days=body.days)
    base = request.app.state.settings.base_url
    return InvitationOut(
        id=invitation.id, pool=pool, role=invitation.role, member=invitation.member,
        expires_at=invitation.expires_at, code=code, link=invitation_link(base, code),
    )


@router.post(
    "/invitations/{code}/accept",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberOut,
    responses={429: {"model": TooManyFailures, "description": "Too many tries lately"}},
)
def accept(code: str, user: UserDep, uow: UowDep, request: Request, policy: PolicyDep,
           now: NowDep) -> MemberOut | Response:
    """Join a pool by an invitation code (tries from one address are rate-limited: 429 with
    ``Retry-After``)."""
    try:
        throttle(uow, client_address(request), policy=policy, now=now)
    except TooManyFailuresError as locked:
        return too_many_failures(locked)
    return member_out(membership.accept_invitation(uow, code, user))


@router.get("/pools/{pool}/members")
def members(pool: str, access: AccessDep, uow: UowDep, page: PageDep,
            active: Annotated[bool | None, Query(
                description="Only those still in the pool (true) or who left (false).")]
            = None) -> list[MemberOut]:
    """The pool's members, those who left included."""
    coordinator = access.level >= Level.COORDINATOR
    return page.of([member_out(m, coordinator=coordinator) for m in views.members(uow, pool)
                    if active in (None, m.active)])


@router.post("/pools/{pool}/members", status_code=status.HTTP_201_CREATED)
def add_member(pool: str, body: NewMember, access: AccessDep, uow: UowDep) -> MemberOut:
    """Add a member nobody has claimed yet (coordinators); invite them to claim it."""
    access.require(Level.COORDINATOR, "add members")
    added = pools.add_member(
        uow, pool,
        Member(body.id, body.capacity, body.exempt, body.role, display_name=body.display_name),
        actor=access.user,
    )
    return member_out(added, coordinator=True)


@router.post("/pools/{pool}/members/{participant}/link")
def link_member(pool: str, participant: str, body: MemberLink, access: AccessDep,
                uow: UowDep) -> MemberOut:
    """Link an existing account to a member nobody has claimed (coordinators)."""
    access.require(Level.COORDINATOR, "link accounts to members")
    return member_out(
        membership.link_member(uow, pool, participant, body.user, version=body.version,
                               actor=access.user),
        coordinator=True,
    )


@router.patch("/pools/{pool}/members/{participant}")
def change_member(pool: str, participant: str, body: MemberChange, access: AccessDep,
                  uow: UowDep) -> MemberOut:
    """Change a member's capacity (they themselves, or a coordinator), exempt flag or role
    (coordinators)."""
    own_capacity_only = body.exempt is None and body.role is None
    if not (own_capacity_only and access.member and access.member.id == participant):
        access.require(Level.COORDINATOR, "change another member's settings")
    capacity: float | pools.Keep | None = pools.KEEP
    if body.clear_capacity:
        capacity = None
    elif body.capacity is not None:
        capacity = body.capacity
    return member_out(
        pools.update_member(
            uow, pool, participant, capacity=capacity,
            exempt=pools.KEEP if body.exempt is None else body.exempt,
            role=pools.KEEP if body.role is None else body.role, version=body.version,
            actor=access.user,
        )
    )


VersionQuery = Annotated[int | None, Query(
    ge=1, le=STORED_INT_MAX, description="The version the step was taken from (as last read);"
    " if it changed since, the answer is 409 and nothing is stored. Absent: whatever is stored.")]


@router.delete("/pools/{pool}/members/{participant}")
def remove_member(pool: str, participant: str, access: AccessDep, uow: UowDep,
                  version: VersionQuery = None) -> MemberOut:
    """A member leaves (themselves) or is removed (by a coordinator)."""
    if not (access.member and access.member.id == participant):
        access.require(Level.COORDINATOR, "remove another member")
    return member_out(
        pools.remove_member(uow, pool, participant, version=version, actor=access.user)
    )


def _project_out(p: PoolProject) -> ProjectOut:
    return ProjectOut(id=p.id, name=p.name, description=p.description, active=p.active,
                      forked_from=p.forked_from, version=p.version)


@router.get("/pools/{pool}/projects")
def list_projects(pool: str, access: AccessDep, uow: UowDep, page: PageDep,
                  active: Annotated[bool | None, Query(
                      description="Only projects still in the pool (true) or gone (false).")]
                  = None) -> list[ProjectWithParts]:
    """The pool's projects with their tasks and goods."""
    return page.of([
        ProjectWithParts(**_project_out(p).model_dump(), tasks=tasks, goods=goods)
        for p, tasks, goods in views.projects(uow, pool) if active in (None, p.active)
    ])


@router.post("/pools/{pool}/projects", status_code=status.HTTP_201_CREATED)
def join_project(pool: str, body: NewProject, access: AccessDep,
                 uow: UowDep) -> ProjectOut:
    """A project joins the pool with its tasks and goods (coordinators)."""
    access.require(Level.COORDINATOR, "add projects")
    return _project_out(projects.join_project(uow, pool, body.id, body.tasks, body.goods,
                                              name=body.name, description=body.description,
                                              actor=access.user))


@router.patch("/pools/{pool}/projects/{project}")
def change_project(pool: str, project: str, body: ProjectChange, access: AccessDep,
                   uow: UowDep) -> ProjectOut:
    """Give a project a display name or a description (coordinators); fields left out stay
    as they are, null or empty takes them away."""
    access.require(Level.COORDINATOR, "name projects")
    return _project_out(labels.name_project(
        uow, pool, project, **set_fields(body, "name", "description"),
        version=body.version, actor=access.user))


@router.patch("/pools/{pool}/tasks/{task}")
def change_task(pool: str, task: str, body: TaskChange, access: AccessDep,
                uow: UowDep) -> ChangedTask:
    """Give a task a display name, a description, a place or a contact (a member of the
    pool) (coordinators); fields left out stay as they are, null or empty takes them away.
    ``version`` is the task's project's version (a task is edited with its project)."""
    access.require(Level.COORDINATOR, "name tasks")
    named, owner = labels.name_task(
        uow, pool, task, **set_fields(body, "name", "description", "place", "contact"),
        version=body.version, actor=access.user)
    return ChangedTask(id=named.id, project=named.project, name=named.name,
                       description=named.description, place=named.place,
                       contact=named.contact, project_version=owner.version)


@router.post("/pools/{pool}/projects/{project}/leave")
def leave_project(pool: str, project: str, access: AccessDep,
                  uow: UowDep, version: VersionQuery = None) -> ProjectOut:
    """A project leaves the pool (coordinators)."""
    access.require(Level.COORDINATOR, "remove projects")
    return _project_out(
        projects.leave_project(uow, pool, project, version=version, actor=access.user)
    )


@router.patch("/pools/{pool}/goods/{good}")
def plan_production(pool: str, good: str, body: CapacityChange, access: AccessDep,
                    uow: UowDep) -> PlannedGood:
    """Plan how many units of a good its project can make in the collecting period, give it
    a display name or a description (coordinators): fields left out stay as they are.
    ``version`` is the good's project's version (a good is changed with its project)."""
    access.require(Level.COORDINATOR, "plan production")
    planned, owner = projects.change_good(
        uow, pool, good, **set_fields(body, "capacity", "name", "description"),
        version=body.version, actor=access.user)
    return PlannedGood(id=planned.id, project=planned.project, capacity=planned.capacity,
                       name=planned.name, description=planned.description,
                       project_version=owner.version)


@router.post("/pools/{pool}/projects/{project}/fork", status_code=status.HTTP_201_CREATED)
def fork_project(pool: str, project: str, body: Fork, access: AccessDep,
                 uow: UowDep) -> ProjectOut:
    """Copy a project's tasks, goods and recipes into a new project (coordinators)."""
    access.require(Level.COORDINATOR, "fork projects")
    return _project_out(projects.fork_project(uow, pool, project, body.project,
                                              actor=access.user))


@router.get("/pools/{pool}/audit")
def audit_log(
    pool: str, access: AccessDep, uow: UowDep,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE)] = 50,
    before: NumberQuery = None,
) -> AuditPage:
    """The pool's audit log, newest first (coordinators): who changed what, and when.
    ``before`` is the ``next`` of the page before (None: no older entries)."""
    access.require(Level.COORDINATOR, "read the audit log")
    found = audit.audit_log(uow, pool, limit=limit, before=before)
    return AuditPage(entries=found, next=found[-1].id if len(found) == limit else None)
