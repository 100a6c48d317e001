"""How people come into pools and what they may see there: founding a pool, joining it
(at once, or on a coordinator's approval), invitations by link, claiming a member, and each
caller's access.

A pool's member records exist apart from accounts. An account becomes a member only by
joining (a new member, never one that exists), by accepting an invitation (for one member:
it claims that member; else a new member), or by a coordinator's link; a user name that
equals a member's id means nothing. Members see everything of their own pool (plans,
weights, books: that is the pool's transparency); people outside see a pool only if it is
public (a private pool is not found); the site admin sees and manages every pool.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from peerconomy.domain.account import Invitation, JoinRequest
from peerconomy.domain.bounds import POOL_MAX_WEIGHT, check_number
from peerconomy.domain.events import MemberInvited
from peerconomy.domain.invitations import INVITATION_DAYS
from peerconomy.domain.names import DESCRIPTION, NAME
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Admission, Member, Period, Pool, PoolSettings, Role
from peerconomy.domain.refusal import InputError
from peerconomy.domain.text import optional_text
from peerconomy.services import lookup, messagebus
from peerconomy.services.accounts import hash_secret
from peerconomy.services.audit import record
from peerconomy.services.errors import (
    ConflictError,
    NotAllowedError,
    NotFoundError,
    check_version,
)
from peerconomy.services.pools import check_pool_name, require_free_pool_name
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "INVITATION_DAYS",
    "Access",
    "Level",
    "accept_invitation",
    "access",
    "decide_request",
    "find_invitation",
    "found_pool",
    "invite",
    "invite_members",
    "join_pool",
    "link_member",
    "link_members",
    "new_invitation",
    "new_member_id",
    "unlink_member",
    "visible_pools",
]



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
        if account is not None and account.disabled:
            account = None
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
        if account is not None and account.disabled:
            account = None
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
    display_name: str | None = None,
    description: str | None = None,
) -> Period:
    """A user founds an empty pool and becomes its first coordinator; period 1 collects.
    ``display_name`` and ``description``: what people read for it (none: its name)."""
    name = check_pool_name(name)
    check_number(max_weight, "max_weight", POOL_MAX_WEIGHT)
    display_name = optional_text(display_name, "display_name", NAME)
    description = optional_text(description, "description", DESCRIPTION)
    with uow:
        account = uow.accounts.user(founder)
        if account is None:
            raise NotFoundError("user", founder)
        require_free_pool_name(uow, name)
        settings = PoolSettings(
            max_weight=max_weight,
            communal_validation=communal_validation,
            admission=admission,
            public=public,
        )
        uow.pools.add(Pool(name, settings, display_name=display_name, description=description))
        uow.pools.add_members(name, [Member(
            founder, role="coordinator", account=founder, display_name=account.display_name
        )])
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
    """A user asks to join: an open pool takes them at once (a new member, never one that
    exists); one that admits on approval files their request for its coordinators. A private
    pool is not found: one comes into it by invitation only."""
    with uow:
        found = lookup.pool(uow, pool, lock=True)
        if uow.accounts.user(user) is None:
            raise NotFoundError("user", user)
        known = {m.id: m for m in uow.pools.members(pool)}
        mine = _claimed_by(known, user)
        if mine is not None and mine.active:
            raise ConflictError(f"{user!r} is a member of pool {pool!r} already")
        if not found.settings.public:
            raise NotFoundError("pool", pool)
        if found.settings.admission == "open":
            member = _welcome(uow, pool, known, user, "member")
            record(uow, pool, "member.join", actor=user, subject=member.id,
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
            mine = _claimed_by(known, user)
            if mine is None or not mine.active:
                _welcome(uow, pool, known, user, "member")
        uow.accounts.put_join_request(decided)
        record(uow, pool, "join.approve" if approve else "join.decline", actor=by, subject=user,
               now=decided.decided_at)
        uow.commit()
    return decided


def invite(
    uow: UnitOfWork,
    pool: str,
    by: str | None,
    role: Role = "member",
    *,
    member: str | None = None,
    days: int = INVITATION_DAYS,
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """A coordinator makes a one-use invitation link into the pool: its record, and the code
    the link carries (shown once, never stored). With ``member``, it is for that member
    (active, not claimed yet) and whoever accepts it claims them, with their role; without,
    it makes a new member with ``role``. An invitation for a member is a
    :class:`~peerconomy.domain.events.MemberInvited` event (mailed to them where their pool
    has their email)."""
    if not 1 <= days <= 365:
        raise InputError("days", "must be between 1 and 365")
    moment = now or datetime.now(UTC)
    with uow:
        lookup.pool(uow, pool)
        invited = None
        if member is not None:
            invited = lookup.member(uow, pool, member)
            _check_claimable(pool, invited)
            role = invited.role
        invitation, code = new_invitation(pool, role, by, moment, days, member=member)
        uow.accounts.add_invitation(invitation)
        record(uow, pool, "invitation.create", actor=by, subject=invitation.id,
               detail={"role": role, "member": member,
                       "expires_at": invitation.expires_at.isoformat()},
               now=moment)
        if invited is not None:
            messagebus.record(uow, MemberInvited(pool, invited, invitation, code))
        messagebus.commit(uow)
    return invitation, code


def new_invitation(
    pool: str,
    role: Role,
    by: str | None,
    now: datetime,
    days: int,
    *,
    member: str | None = None,
) -> tuple[Invitation, str]:
    """A new invitation's record (not stored yet) and the code its link carries: an id to
    find it and a random secret of which only the hash is kept."""
    invitation_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
    invitation = Invitation(
        invitation_id, pool, role, by, now, now + timedelta(days=days), hash_secret(secret),
        member=member,
    )
    return invitation, f"{invitation_id}.{secret}"


def invite_members(
    uow: UnitOfWork,
    pool: str,
    participants: Iterable[str] | None = None,
    *,
    by: str | None = None,
    days: int = INVITATION_DAYS,
    now: datetime | None = None,
) -> list[tuple[Member, Invitation, str]]:
    """One invitation for each of ``participants`` (None: every active member nobody has
    claimed), in one transaction: each member with its invitation's record and code. Each
    is a :class:`~peerconomy.domain.events.MemberInvited` event (mailed to the member where
    their pool has their email)."""
    if not 1 <= days <= 365:
        raise InputError("days", "must be between 1 and 365")
    moment = now or datetime.now(UTC)
    made: list[tuple[Member, Invitation, str]] = []
    with uow:
        lookup.pool(uow, pool, lock=True)
        known = {m.id: m for m in uow.pools.members(pool)}
        wanted = (
            [m.id for m in known.values() if m.active and m.account is None]
            if participants is None else list(participants)
        )
        for participant in wanted:
            member = known.get(participant)
            if member is None:
                raise NotFoundError("participant", participant, pool)
            _check_claimable(pool, member)
            invitation, code = new_invitation(pool, member.role, by, moment, days,
                                              member=member.id)
            uow.accounts.add_invitation(invitation)
            made.append((member, invitation, code))
        record(uow, pool, "invitation.create_many", actor=by, subject=pool,
               detail={"members": [m.id for m, _, _ in made], "days": days}, now=moment)
        for member, invitation, code in made:
            messagebus.record(uow, MemberInvited(pool, member, invitation, code))
        messagebus.commit(uow)
    return made


def find_invitation(
    uow: UnitOfWork, code: str, *, now: datetime | None = None
) -> Invitation:
    """The unused, unexpired invitation whose link carries ``code``, else
    :class:`NotFoundError` (a wrong code) or :class:`ConflictError` (used or expired)."""
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
    return invitation


def accept_invitation(
    uow: UnitOfWork, code: str, user: str, *, now: datetime | None = None
) -> Member:
    """A user follows an invitation link: they claim the member it is for, or join its pool
    as a new member with its role."""
    moment = now or datetime.now(UTC)
    invitation = find_invitation(uow, code, now=moment)
    with uow:
        invitation = uow.accounts.invitation(invitation.id) or invitation
        if invitation.used_by is not None:  # taken meanwhile
            raise ConflictError("this invitation has been used already")
        pool = invitation.pool
        lookup.pool(uow, pool, lock=True)
        account = uow.accounts.user(user)
        if account is None:
            raise NotFoundError("user", user)
        known = {m.id: m for m in uow.pools.members(pool)}
        mine = _claimed_by(known, user)
        if mine is not None and mine.active:
            raise ConflictError(f"{user!r} is a member of pool {pool!r} already")
        if invitation.member is not None:
            invited = known.get(invitation.member)
            if invited is None:
                raise NotFoundError("participant", invitation.member, pool)
            _check_claimable(pool, invited)
            if mine is not None:  # an old membership of theirs gives way to the claimed one
                uow.pools.put_member(pool, replace(mine, account=None, version=mine.version + 1))
            member = replace(invited, account=user, version=invited.version + 1,
                             display_name=invited.display_name or account.display_name)
            uow.pools.put_member(pool, member)
        else:
            member = _welcome(uow, pool, known, user, invitation.role)
        uow.accounts.put_invitation(replace(invitation, used_by=user, used_at=moment))
        request = uow.accounts.join_request(pool, user)
        if request is not None and request.status == "pending":
            uow.accounts.put_join_request(
                replace(request, status="approved", decided_by=invitation.created_by,
                        decided_at=moment)
            )
        record(uow, pool, "invitation.accept", actor=user, subject=invitation.id,
               detail={"role": member.role, "member": member.id}, now=moment)
        uow.commit()
    return member


def link_member(
    uow: UnitOfWork,
    pool: str,
    participant: str,
    user: str,
    *,
    version: int | None = None,
    actor: str | None = None,
) -> Member:
    """A coordinator links an existing account to a member nobody has claimed (someone who
    signed up before being invited); ``version``: the member's version the link was made
    from."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        member = lookup.member(uow, pool, participant)
        check_version(f"member {participant!r}", member.version, version)
        known = {m.id: m for m in uow.pools.members(pool)}
        (linked,) = _link(uow, pool, known, {participant: user})
        record(uow, pool, "member.link", actor=actor, subject=participant,
               detail={"account": user})
        uow.commit()
    return linked


def link_members(
    uow: UnitOfWork, pool: str, links: Mapping[str, str], *, actor: str | None = None
) -> list[Member]:
    """Link existing accounts to members nobody has claimed, many at once in one
    transaction (``links``: participant id to user name), as :func:`link_member` does one;
    an operator's or a seeding script's step. Nothing is linked if one link is refused."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        known = {m.id: m for m in uow.pools.members(pool)}
        linked = _link(uow, pool, known, links)
        record(uow, pool, "member.link_many", actor=actor, subject=pool,
               detail={"links": dict(links)})
        uow.commit()
    return linked


def _link(
    uow: UnitOfWork, pool: str, known: Mapping[str, Member], links: Mapping[str, str]
) -> list[Member]:
    """Link each account to its member (not claimed yet; the account a member of the pool
    nowhere else), in the caller's transaction; the members as linked."""
    claimed = {m.account: m.id for m in known.values() if m.account is not None}
    linked = []
    for participant, user in links.items():
        member = known.get(participant)
        if member is None:
            raise NotFoundError("participant", participant, pool)
        _check_claimable(pool, member)
        account = uow.accounts.user(user)
        if account is None or account.disabled:
            raise NotFoundError("user", user)
        if user in claimed:
            raise ConflictError(f"{user!r} is member {claimed[user]!r} of pool {pool!r}"
                                " already; unlink that first")
        claimed[user] = participant
        new = replace(member, account=user, version=member.version + 1,
                      display_name=member.display_name or account.display_name)
        uow.pools.put_member(pool, new)
        linked.append(new)
    return linked


def unlink_member(
    uow: UnitOfWork,
    pool: str,
    participant: str,
    *,
    version: int | None = None,
    actor: str | None = None,
) -> Member:
    """A coordinator takes a member back from the account that claimed it (claimed by the
    wrong person, or an account given up): the member stays, unclaimed, with its books."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        member = lookup.member(uow, pool, participant)
        check_version(f"member {participant!r}", member.version, version)
        if member.account is None:
            raise ConflictError(f"member {participant!r} is not claimed by any account")
        unlinked = replace(member, account=None, version=member.version + 1)
        uow.pools.put_member(pool, unlinked)
        record(uow, pool, "member.unlink", actor=actor, subject=participant,
               detail={"account": member.account})
        uow.commit()
    return unlinked


def _check_claimable(pool: str, member: Member) -> None:
    if not member.active:
        raise ConflictError(f"member {member.id!r} has left pool {pool!r}")
    if member.account is not None:
        raise ConflictError(f"member {member.id!r} of pool {pool!r} is claimed already")


def _claimed_by(known: Mapping[str, Member], user: str) -> Member | None:
    """The member of the pool that ``user``'s account has claimed, if any."""
    return next((m for m in known.values() if m.account == user), None)


def new_member_id(known: Mapping[str, Member], user: str) -> str:
    """The participant id of an account that joins as a new member: its user name if no
    member has that id, else the name with the first free number (``ana-2``). An existing
    member is never taken over by a name."""
    if user not in known:
        return user
    n = 2
    while f"{user}-{n}" in known:
        n += 1
    return f"{user}-{n}"


def _welcome(
    uow: UnitOfWork, pool: str, known: Mapping[str, Member], user: str, role: Role
) -> Member:
    """Make ``user`` an active member: the member they claimed before, if they left, comes
    back with its settings; else a new member."""
    before = _claimed_by(known, user)
    if before is not None:
        member = replace(before, active=True, role=role, version=before.version + 1)
    else:
        account = uow.accounts.user(user)
        member = Member(new_member_id(known, user), role=role, account=user,
                        display_name=account.display_name if account else "")
    uow.pools.put_member(pool, member)
    return member
