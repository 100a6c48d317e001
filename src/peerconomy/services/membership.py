"""How people come into pools and what they may see there: founding a pool, joining it
(at once, or on a coordinator's approval), invitations by link, and each caller's access.

A user joins a pool as the participant of the same name. Members see everything of their
own pool (plans, weights, books: that is the pool's transparency); people outside see a
pool only if it is public; the site admin sees and manages every pool.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import Final

from peerconomy.domain.account import Invitation, JoinRequest
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Admission, Member, Period, Pool, PoolSettings, Role
from peerconomy.domain.scenario import ScenarioError
from peerconomy.services import lookup
from peerconomy.services.accounts import hash_secret
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, NotAllowedError, NotFoundError
from peerconomy.services.pools import check_pool_name, require_free_pool_name
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "INVITATION_DAYS",
    "Access",
    "Level",
    "accept_invitation",
    "access",
    "decide_request",
    "found_pool",
    "invite",
    "join_pool",
    "visible_pools",
]

INVITATION_DAYS: Final = 14


class Level(IntEnum):
    """What a caller may do in a pool, each level including those below it."""

    NONE = 0
    """Sees nothing (a private pool, someone outside it)."""
    VIEWER = 1
    """Reads the pool (someone outside a public pool)."""
    MEMBER = 2
    """Reads the pool, makes their own offers and wishes, logs and confirms work."""
    COORDINATOR = 3
    """Runs the periods, manages members and projects, accepts or rejects work."""


@dataclass(frozen=True, slots=True)
class Access:
    """A caller's standing in one pool."""

    pool: Pool
    user: str | None
    level: Level
    member: Member | None
    """Their active membership, if any."""
    site_admin: bool = False

    def require(self, level: Level, action: str) -> None:
        """Refuse ``action`` unless the caller is at ``level`` at least: a pool they may
        not see is not found (its name is not revealed), else :class:`NotAllowedError`."""
        if self.level is Level.NONE:
            raise NotFoundError("pool", self.pool.name)
        if self.level < level:
            who = "a coordinator" if level is Level.COORDINATOR else "a member"
            raise NotAllowedError(f"only {who} of pool {self.pool.name!r} may {action}")


def access(uow: UnitOfWork, pool: str, user: str | None) -> Access:
    """The caller's standing in the pool (``user`` None: not signed in)."""
    with uow:
        if user is None:
            found, account, member = lookup.pool(uow, pool), None, None
        else:
            standing = uow.pools.standing(pool, user)
            if standing is None:
                raise NotFoundError("pool", pool)
            found, account, member = standing
        if account is None or (member is not None and not member.active):
            member = None
    if account is not None and account.site_admin:
        level = Level.COORDINATOR
    elif member is not None:
        level = Level.COORDINATOR if member.role == "coordinator" else Level.MEMBER
    else:
        level = Level.VIEWER if found.settings.public else Level.NONE
    return Access(found, account.name if account else None, level, member,
                  account.site_admin if account else False)


def visible_pools(uow: UnitOfWork, user: str | None) -> list[tuple[Pool, Role | None]]:
    """The pools the caller may see, sorted by name, each with the caller's role in it
    (None: they are not a member)."""
    with uow:
        account = uow.accounts.user(user) if user is not None else None
        mine = {
            name: m.role
            for name, m in (uow.accounts.memberships(account.name) if account else {}).items()
            if m.active
        }
        pools = [uow.pools.get(name) for name in uow.pools.names()]
    return [
        (p, mine.get(p.name))
        for p in pools
        if p is not None
        and (p.name in mine or p.settings.public or (account is not None and account.site_admin))
    ]


def found_pool(
    uow: UnitOfWork,
    name: str,
    founder: str,
    *,
    admission: Admission = "approval",
    public: bool = False,
    communal_validation: bool = True,
    max_weight: float = 5.0,
) -> Period:
    """A user founds an empty pool and becomes its first coordinator; period 1 collects."""
    name = check_pool_name(name)
    if not 1.0 <= max_weight <= 1000.0:
        raise ScenarioError("max_weight", "must be between 1 and 1000")
    with uow:
        if uow.accounts.user(founder) is None:
            raise NotFoundError("user", founder)
        require_free_pool_name(uow, name)
        settings = PoolSettings(
            max_weight=max_weight,
            communal_validation=communal_validation,
            admission=admission,
            public=public,
        )
        uow.pools.add(Pool(name, settings))
        uow.pools.add_members(name, [Member(founder, role="coordinator")])
        period = Period(name, 1, PeriodState.COLLECTING)
        uow.periods.add(period)
        record(uow, name, "pool.found", actor=founder, subject=name, detail={
            "admission": admission, "public": public,
            "communal_validation": communal_validation, "max_weight": max_weight,
        })
        uow.commit()
    return period


def join_pool(
    uow: UnitOfWork, pool: str, user: str, *, now: datetime | None = None
) -> Member | JoinRequest:
    """A user asks to join: an open pool takes them at once (their membership); one that
    admits on approval files their request for its coordinators."""
    with uow:
        found = lookup.pool(uow, pool, lock=True)
        if uow.accounts.user(user) is None:
            raise NotFoundError("user", user)
        known = {m.id: m for m in uow.pools.members(pool)}
        if user in known and known[user].active:
            raise ConflictError(f"{user!r} is a member of pool {pool!r} already")
        if found.settings.admission == "open":
            member = _welcome(uow, pool, known.get(user), user, "member")
            record(uow, pool, "member.join", actor=user, subject=user,
                   detail={"role": member.role}, now=now)
            uow.commit()
            return member
        before = uow.accounts.join_request(pool, user)
        if before is not None and before.status == "pending":
            raise ConflictError(f"{user!r} has asked to join pool {pool!r} already")
        request = JoinRequest(pool, user, now or datetime.now(UTC))
        uow.accounts.put_join_request(request)
        record(uow, pool, "join.request", actor=user, subject=user, now=request.requested_at)
        uow.commit()
    return request


def decide_request(
    uow: UnitOfWork,
    pool: str,
    user: str,
    by: str,
    *,
    approve: bool,
    now: datetime | None = None,
) -> JoinRequest:
    """A coordinator approves (the user becomes a member) or declines a request to join."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        request = uow.accounts.join_request(pool, user)
        if request is None or request.status != "pending":
            raise NotFoundError("pending request to join by", user, pool)
        decided = replace(
            request,
            status="approved" if approve else "declined",
            decided_by=by,
            decided_at=now or datetime.now(UTC),
        )
        if approve:
            known = {m.id: m for m in uow.pools.members(pool)}
            _welcome(uow, pool, known.get(user), user, "member")
        uow.accounts.put_join_request(decided)
        record(uow, pool, "join.approve" if approve else "join.decline", actor=by, subject=user,
               now=decided.decided_at)
        uow.commit()
    return decided


def invite(
    uow: UnitOfWork,
    pool: str,
    by: str,
    role: Role = "member",
    *,
    days: int = INVITATION_DAYS,
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """A coordinator makes a one-use invitation link into the pool with a role: its record,
    and the code the link carries (shown once, never stored)."""
    if not 1 <= days <= 365:
        raise ScenarioError("days", "must be between 1 and 365")
    moment = now or datetime.now(UTC)
    invitation_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
    with uow:
        lookup.pool(uow, pool)
        invitation = Invitation(
            invitation_id,
            pool,
            role,
            by,
            moment,
            moment + timedelta(days=days),
            hash_secret(secret),
        )
        uow.accounts.add_invitation(invitation)
        record(uow, pool, "invitation.create", actor=by, subject=invitation_id,
               detail={"role": role, "expires_at": invitation.expires_at.isoformat()},
               now=moment)
        uow.commit()
    return invitation, f"{invitation_id}.{secret}"


def accept_invitation(
    uow: UnitOfWork, code: str, user: str, *, now: datetime | None = None
) -> Member:
    """A user follows an invitation link: they join its pool with its role."""
    moment = now or datetime.now(UTC)
    invitation_id, _, secret = code.partition(".")
    with uow:
        invitation = uow.accounts.invitation(invitation_id)
        if invitation is None or not hmac.compare_digest(
            invitation.secret_hash, hash_secret(secret)
        ):
            raise NotFoundError("invitation", code)
        if invitation.used_by is not None:
            raise ConflictError("this invitation has been used already")
        if invitation.expires_at <= moment:
            raise ConflictError("this invitation has expired; ask for a new one")
        pool = invitation.pool
        lookup.pool(uow, pool, lock=True)
        if uow.accounts.user(user) is None:
            raise NotFoundError("user", user)
        known = {m.id: m for m in uow.pools.members(pool)}
        if user in known and known[user].active:
            raise ConflictError(f"{user!r} is a member of pool {pool!r} already")
        member = _welcome(uow, pool, known.get(user), user, invitation.role)
        uow.accounts.put_invitation(replace(invitation, used_by=user, used_at=moment))
        request = uow.accounts.join_request(pool, user)
        if request is not None and request.status == "pending":
            uow.accounts.put_join_request(
                replace(request, status="approved", decided_by=invitation.created_by,
                        decided_at=moment)
            )
        record(uow, pool, "invitation.accept", actor=user, subject=invitation_id,
               detail={"role": member.role}, now=moment)
        uow.commit()
    return member


def _welcome(
    uow: UnitOfWork, pool: str, before: Member | None, user: str, role: Role
) -> Member:
    """Make ``user`` an active member (one who left comes back with their settings)."""
    member = (
        replace(before, active=True, role=role, version=before.version + 1)
        if before is not None
        else Member(user, role=role)
    )
    uow.pools.put_member(pool, member)
    return member
