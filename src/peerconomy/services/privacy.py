"""Privacy: a person downloads everything the site holds about them, deletes their account,
and decides whether coordinators see their contact.

**Export** (:func:`export_account`): one JSON document of the account (no password hash),
its sessions (no ids), API tokens (no secrets), when its calendar key was made (no secret),
each membership with its member record, the member's offers, wishes, work logs, assignments,
allocations and share, refund and credit in every plan (withdrawn plans too), the postings
of its ledger account, the invitations the account made or used, its requests to join, and
the audit entries where the account or its members are actor or subject. Other people appear
only by their participant ids, never with their contact.

**Deletion** (:func:`delete_account` with the password, :func:`erase_account` for the
operator): in one transaction the account, its sessions, tokens, reset links and calendar
key go; every member it claimed is unlinked, its display name, email and phone erased, it
leaves the pool (its offers and wishes of a collecting period are withdrawn), and its
participant id is replaced by a pseudonym (``gone-`` and 8 hex digits) everywhere the pool
names it, plans and ledger included: amounts are untouched, so every transaction still sums
to zero and every balance is the same under its new name. The audit log records the
deletion; its older entries, append-only, keep the names they were written with. A pool's
last coordinator is refused (a pool always keeps one).

**Contact visibility** (:func:`contact_shown`): coordinators see a member's email and phone
only where the member allowed it (``contact_visible``), or where nobody has claimed the
member yet: that contact is what a coordinator imported, so it shows the pool only what it
gave. Once an account claims the member, the member's own choice counts (default: hidden).
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from pydantic_core import to_jsonable_python

from peerconomy.domain.audit import AuditEntry
from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Member
from peerconomy.domain.privacy import new_pseudonym
from peerconomy.ledger.journal import participant_account
from peerconomy.services import lookup
from peerconomy.services.accounts import account_key, authenticate
from peerconomy.services.audit import record
from peerconomy.services.collecting import withdraw_everything_of
from peerconomy.services.errors import NotFoundError
from peerconomy.services.pools import coordinator_refusal, keep_a_coordinator
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import DEFAULT_POLICY, SecurityPolicy

__all__ = [
    "EXPORT_FORMAT",
    "contact_shown",
    "delete_account",
    "erase_account",
    "export_account",
    "pools_kept_by",
    "set_contact_visible",
]

EXPORT_FORMAT: Final = "peerconomy-export/1"
_AUDIT_PAGE: Final = 500
_LATER: Final = timedelta(days=1)
"""Past the newest answer kept for an idempotency key: purging before it forgets them all."""


def contact_shown(member: Member) -> bool:
    """Whether the pool's coordinators may see the member's email and phone: the member
    allowed it, or nobody has claimed the member (the contact is the coordinators' own
    import)."""
    return member.contact_visible or member.account is None


def set_contact_visible(
    uow: UnitOfWork, pool: str, user: str, visible: bool, *, now: datetime | None = None
) -> Member:
    """The member that ``user`` has claimed in ``pool`` lets coordinators see their contact
    (or no longer does)."""
    with uow:
        standing = uow.pools.standing(pool, user)
        if standing is None or standing[2] is None or not standing[2].active:
            raise NotFoundError("participant", user, pool)
        member = standing[2]
        changed = replace(member, contact_visible=visible, version=member.version + 1)
        uow.pools.put_member(pool, changed)
        record(uow, pool, "member.contact", actor=user, subject=member.id,
               detail={"contact_visible": visible}, now=now)
        uow.commit()
    return changed


def export_account(
    uow: UnitOfWork, user: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the site holds about ``user`` as one JSON-able document (NotFoundError if
    there is no such account)."""
    moment = now or datetime.now(UTC)
    with uow:
        account = uow.accounts.user(user)
        if account is None:
            raise NotFoundError("user", user)
        memberships = uow.accounts.memberships(user)
        pools = uow.pools.names()
        invitations = [i for p in pools for i in uow.accounts.invitations(p)
                       if user in (i.created_by, i.used_by)]
        requests = [r for p in pools if (r := uow.accounts.join_request(p, user)) is not None]
        ids = {(pool, m.id) for pool, m in memberships.items()}
        document: dict[str, Any] = to_jsonable_python({
            "format": EXPORT_FORMAT,
            "exported_at": moment.isoformat(),
            "account": {
                "name": account.name, "email": account.email,
                "display_name": account.display_name, "site_admin": account.site_admin,
                "locale": account.locale, "disabled": account.disabled,
                "created_at": account.created_at.isoformat(),
            },
            "sessions": [
                {"created_at": s.created_at, "last_seen_at": s.last_seen_at,
                 "expires_at": s.expires_at, "revoked_at": s.revoked_at}
                for s in uow.accounts.sessions(user)
            ],
            "api_tokens": [
                {"label": t.label, "scope": t.scope, "created_at": t.created_at,
                 "expires_at": t.expires_at, "revoked_at": t.revoked_at}
                for t in uow.accounts.tokens(user)
            ],
            "calendar_key": (
                {"created_at": key.created_at}
                if (key := uow.accounts.calendar_key(user)) is not None else None),
            "memberships": [_membership(uow, pool, m) for pool, m in memberships.items()],
            "invitations": [
                {"pool": i.pool, "role": i.role, "member": i.member,
                 "made": i.created_by == user, "used": i.used_by == user,
                 "created_at": i.created_at, "expires_at": i.expires_at, "used_at": i.used_at}
                for i in invitations
            ],
            "join_requests": [
                {"pool": r.pool, "status": r.status, "requested_at": r.requested_at,
                 "decided_at": r.decided_at}
                for r in requests
            ],
            "audit": [_entry(e) for e in _audit_about(uow, user, ids, list(memberships))],
        })
    return document


def delete_account(
    uow: UnitOfWork,
    user: str,
    password: str,
    *,
    client: str | None = None,
    policy: SecurityPolicy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> dict[str, str]:
    """The account's owner deletes it, confirming with their password (a wrong one counts
    as a failed sign-in: :class:`~peerconomy.services.errors.SignInError`); see
    :func:`erase_account`."""
    authenticate(uow, user, password, client=client, policy=policy, now=now)
    return erase_account(uow, user, actor=user, now=now)


def erase_account(
    uow: UnitOfWork, user: str, *, actor: str | None = None, now: datetime | None = None
) -> dict[str, str]:
    """Delete the account ``user`` and erase it from every pool (see the module's text), in
    one transaction; the pseudonym each pool now knows its member by, by pool. ConflictError
    (nothing changed) if it is a pool's last coordinator."""
    moment = now or datetime.now(UTC)
    with uow:
        account = uow.accounts.user(user)
        if account is None:
            raise NotFoundError("user", user)
        pseudonyms: dict[str, str] = {}
        for pool, member in uow.accounts.memberships(user).items():
            lookup.pool(uow, pool, lock=True)
            erased = _erased(member)
            keep_a_coordinator(uow, pool, member, erased)
            period = lookup.current_period(uow, pool)
            if member.active and period.state is PeriodState.COLLECTING:
                withdraw_everything_of(uow, period, participants={member.id})
            uow.pools.put_member(pool, erased)
            known = {m.id for m in uow.pools.members(pool)}
            pseudonym = new_pseudonym(known)
            uow.pools.rename_participant(pool, member.id, pseudonym)
            pseudonyms[pool] = pseudonym
            record(uow, pool, "member.erase", actor=None, subject=pseudonym, now=moment)
        uow.accounts.remove_user(user)
        uow.accounts.remove_sign_in_limit(account_key(account, user))
        for mail in uow.mail.outbox():  # the address is contact data; unsent mail is not sent
            if mail.recipient == account.email:
                unsent = mail.sent_at is None and mail.failed_at is None
                uow.mail.put(replace(
                    mail, recipient="", notice="",
                    failed_at=moment if unsent else mail.failed_at,
                    last_error="the account was deleted" if unsent else mail.last_error,
                ))
        uow.answers.purge(user, moment + _LATER)  # answers kept for its idempotency keys
        record(uow, None, "account.delete", actor=actor, subject=user,
               detail={"pools": len(pseudonyms)}, now=moment)
        uow.commit()
    return pseudonyms


def pools_kept_by(uow: UnitOfWork, user: str) -> list[str]:
    """The pools ``user`` is the last coordinator of: :func:`erase_account` refuses to
    delete their account while there are any (the account page asks before it offers to)."""
    with uow:
        return sorted(
            pool for pool, member in uow.accounts.memberships(user).items()
            if coordinator_refusal(pool, member, _erased(member), uow.pools.members(pool))
            is not None
        )


def _erased(member: Member) -> Member:
    """The member of an account that is deleted: unclaimed, nameless, without contact data,
    gone from the pool."""
    return replace(member, account=None, display_name="", email=None, phone=None,
                   contact_visible=False, active=False, version=member.version + 1)


def _mine_in(plan: ClearedPlan, me: str) -> dict[str, Any]:
    """What a plan gives participant ``me``: assignments, allocations, holdings, units won,
    share, refund, credit."""
    return {
        "assignments": [a.to_json() for a in plan.assignments if a.participant == me],
        "allocations": [a.to_json() for a in plan.allocations if a.participant == me],
        "holdings": [h.to_json() for h in plan.holdings if h.participant == me],
        "won": [w.to_json() for w in plan.won if w.participant == me],
        "share": plan.shares.get(me),
        "refund": plan.refunds.get(me),
        "credit": plan.credits.get(me),
    }


def _membership(uow: UnitOfWork, pool: str, member: Member) -> dict[str, Any]:
    """One membership: the member record, and what the pool holds of the member."""
    me = member.id
    periods = []
    number = 1
    while (period := uow.periods.get(pool, number)) is not None:
        plan = uow.periods.plan(pool, number)
        periods.append({
            "number": number,
            "state": period.state.value,
            "offers": uow.periods.offers(pool, number, participant=me),
            "wishes": uow.periods.wishes(pool, number, participant=me),
            "work_logs": [
                {k: v for k, v in asdict(log).items() if k != "pool"}
                for log in uow.periods.work_logs(pool, number)
                if me in (log.participant, log.confirmed_by, log.accepted_by, log.logged_by)
            ],
            "plan": None if plan is None else _mine_in(plan.data, me),
            "withdrawn_plans": [
                {"input_hash": w.plan.input_hash, "cleared_at": w.plan.cleared_at.isoformat(),
                 "withdrawn_at": w.withdrawn_at.isoformat(), "withdrawn_by": w.withdrawn_by,
                 **_mine_in(w.plan.data, me)}
                for w in uow.periods.withdrawn_plans(pool, number)
            ],
        })
        number += 1
    mine = participant_account(me)
    postings = [
        {"transaction": t.id, "period": t.period, "date": t.date.isoformat(), "kind": t.kind,
         "narration": t.narration, "amount": str(p.amount)}
        for t in uow.journal.transactions(pool) for p in t.postings if p.account == mine
    ]
    return {
        "pool": pool,
        "member": {k: v for k, v in asdict(member).items() if k != "version"},
        "periods": periods,
        "holdings": [{k: v for k, v in asdict(h).items() if k != "pool"}
                     for h in uow.periods.holdings(pool) if h.participant == me],
        "ledger": {"account": mine, "balance": str(uow.journal.balance(pool, mine)),
                   "postings": postings},
    }


def _audit_about(
    uow: UnitOfWork, user: str, ids: set[tuple[str, str]], pools: list[str]
) -> list[AuditEntry]:
    """The audit entries (site-wide and in the user's pools) whose actor or subject is the
    user or one of their members, oldest first."""
    found: list[AuditEntry] = []
    for pool in [None, *pools]:
        before: int | None = None
        while page := uow.audit.entries(pool, limit=_AUDIT_PAGE, before_id=before):
            found.extend(
                e for e in page
                if user in (e.actor, e.subject)
                or (pool is not None and ((pool, e.subject) in ids or (pool, e.actor) in ids))
            )
            before = page[-1].id
    return sorted(found, key=lambda e: e.id)


def _entry(entry: AuditEntry) -> dict[str, Any]:
    return {"id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor,
            "pool": entry.pool, "action": entry.action, "subject": entry.subject,
            "detail": entry.detail}
