"""Onboarding a real membership list: a pool's members added from a CSV list, each with an
invitation by which its person claims their place (mailed, through the outbox, to those the
list gives an email: each is a :class:`~peerconomy.domain.events.MemberInvited` event).

The list is checked whole before anything is stored (:func:`peerconomy.domain.roster.read_roster`
names the line and column of a bad cell); a member already in the pool refuses the list too,
naming its line. Members, invitations and their audit entries are written in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from peerconomy.domain.account import Invitation
from peerconomy.domain.events import MemberInvited
from peerconomy.domain.pool import Member
from peerconomy.domain.refusal import InputError, Problem
from peerconomy.domain.roster import RosterRow, read_roster
from peerconomy.services import lookup, messagebus, notices
from peerconomy.services.audit import record
from peerconomy.services.membership import INVITATION_DAYS, new_invitation
from peerconomy.services.ports import UnitOfWork

__all__ = ["Invited", "import_members", "invitation_link"]


@dataclass(frozen=True, slots=True)
class Invited:
    """A member added from the list, with the code of their invitation (shown once)."""

    member: Member
    invitation: Invitation
    code: str

    def link(self, base_url: str) -> str:
        """The invitation's link on the site at ``base_url``."""
        return invitation_link(base_url, self.code)

    def notice(self, pool: str) -> notices.Notice | None:
        """The invitation as an email to the member (None: the list gave no email)."""
        return notices.invitation(self.member, pool, self.invitation, self.code)


def invitation_link(base_url: str, code: str) -> str:
    """Where an invitation's code is followed on the site."""
    return f"{base_url.rstrip('/')}/invitations/{code}"


def import_members(
    uow: UnitOfWork,
    pool: str,
    members_csv: str | list[RosterRow],
    *,
    actor: str | None = None,
    days: int = INVITATION_DAYS,
    now: datetime | None = None,
) -> list[Invited]:
    """Add the members of a CSV list (or rows read from one) to ``pool``, unclaimed, each
    with an invitation for them; nothing is stored if any row is refused."""
    if not 1 <= days <= 365:
        raise InputError("days", "must be between 1 and 365")
    rows = read_roster(members_csv) if isinstance(members_csv, str) else members_csv
    moment = now or datetime.now(UTC)
    with uow:
        lookup.pool(uow, pool, lock=True)
        known = {m.id for m in uow.pools.members(pool)}
        taken = [Problem(f"line {row.line}, id", f"{row.member.id!r} is in pool {pool!r} already")
                 for row in rows if row.member.id in known]
        if taken:  # every member who is in the pool already, named at once
            raise InputError.of(taken)
        uow.pools.add_members(pool, [row.member for row in rows])
        invited = []
        for row in rows:
            invitation, code = new_invitation(pool, row.member.role, actor, moment, days,
                                              member=row.member.id)
            uow.accounts.add_invitation(invitation)
            invited.append(Invited(row.member, invitation, code))
        record(uow, pool, "member.import", actor=actor, subject=pool, detail={
            "members": [row.member.id for row in rows], "days": days,
        }, now=moment)
        for i in invited:
            messagebus.record(uow, MemberInvited(pool, i.member, i.invitation, i.code))
        messagebus.commit(uow)
    return invited
