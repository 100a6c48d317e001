"""An in-memory store: the unit of work and repositories of :mod:`peerconomy.services.ports`
kept in dictionaries, for service tests and the simulator.

A transaction works on a copy of the state and swaps it in on commit, so a service that
fails half-way leaves the store as it was, exactly as a database transaction would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Self, TypeVar

from peerconomy.domain.account import ApiToken, Invitation, JoinRequest, User
from peerconomy.domain.audit import AuditEntry
from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.domain.mail import NoticeKind, QueuedMail
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Assignment, Member, Period, Plan, Pool, PoolProject, WorkLog
from peerconomy.domain.privacy import renamed_plan
from peerconomy.domain.scenario import Good, Offer, Task, Wish
from peerconomy.domain.security import ResetToken, Session, SignInLimit
from peerconomy.ledger.journal import Account, Transaction, balances, participant_account

__all__ = ["MemoryStore", "MemoryUnitOfWork"]

PeriodKey = tuple[str, int]
_Record = TypeVar("_Record")


@dataclass
class _State:
    pools: dict[str, Pool] = field(default_factory=dict)
    projects: dict[str, dict[str, PoolProject]] = field(default_factory=dict)
    members: dict[str, dict[str, Member]] = field(default_factory=dict)
    tasks: dict[str, dict[str, Task]] = field(default_factory=dict)
    goods: dict[str, dict[str, Good]] = field(default_factory=dict)
    periods: dict[PeriodKey, Period] = field(default_factory=dict)
    offers: dict[PeriodKey, dict[tuple[str, str], Offer]] = field(default_factory=dict)
    wishes: dict[PeriodKey, dict[str, Wish]] = field(default_factory=dict)
    plans: dict[PeriodKey, Plan] = field(default_factory=dict)
    work_logs: dict[int, WorkLog] = field(default_factory=dict)
    journal: dict[str, list[Transaction]] = field(default_factory=dict)
    last_log_id: int = 0
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    invitations: dict[str, Invitation] = field(default_factory=dict)
    join_requests: dict[tuple[str, str], JoinRequest] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    sign_in_limits: dict[str, SignInLimit] = field(default_factory=dict)
    reset_tokens: dict[str, ResetToken] = field(default_factory=dict)
    audit: dict[int, AuditEntry] = field(default_factory=dict)
    last_audit_id: int = 0
    answers: dict[tuple[str, str], StoredAnswer] = field(default_factory=dict)
    outbox: dict[int, QueuedMail] = field(default_factory=dict)
    last_mail_id: int = 0
    turned_off: dict[str, set[tuple[str, NoticeKind]]] = field(default_factory=dict)

    def copy(self) -> _State:
        """A copy whose containers (two levels deep) are new; the frozen records are shared."""
        copied: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                value = {k: v.copy() if isinstance(v, dict | list) else v for k, v in value.items()}
            copied[f.name] = value
        return _State(**copied)


class MemoryStore:
    """The state that in-memory units of work share (one per simulated or tested pool set).

    A commit replaces the whole state, so two threads that write at once would lose one's
    work: the server drains no outbox from a thread of its own on this store."""

    takes_writers_in_threads = False

    def __init__(self) -> None:
        self.state = _State()

    def unit_of_work(self) -> MemoryUnitOfWork:
        """A new unit of work over this store."""
        return MemoryUnitOfWork(self)

    def ping(self) -> None:
        """Always answers: the state is in this process (for a health check)."""


class _Pools:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add(self, pool: Pool) -> None:
        self._s.pools[pool.name] = pool
        for table in (self._s.projects, self._s.members, self._s.tasks, self._s.goods):
            table[pool.name] = {}
        self._s.journal[pool.name] = []

    def get(self, name: str) -> Pool | None:
        return self._s.pools.get(name)

    lock = get

    def put_settings(self, pool: Pool) -> None:
        self._s.pools[pool.name] = pool

    def names(self) -> list[str]:
        return sorted(self._s.pools)

    def projects(self, pool: str) -> list[PoolProject]:
        return list(self._s.projects[pool].values())

    def put_project(self, pool: str, project: PoolProject) -> None:
        self._s.projects[pool][project.id] = project

    def members(self, pool: str) -> list[Member]:
        return list(self._s.members[pool].values())

    def member(self, pool: str, participant: str) -> Member | None:
        return self._s.members.get(pool, {}).get(participant)

    def standing(self, pool: str, user: str) -> tuple[Pool, User | None, Member | None] | None:
        found = self._s.pools.get(pool)
        if found is None:
            return None
        member = next(
            (m for m in self._s.members.get(pool, {}).values() if m.account == user), None
        )
        return found, self._s.users.get(user), member

    def add_members(self, pool: str, members: Iterable[Member]) -> None:
        self._s.members[pool].update((m.id, m) for m in members)

    def put_member(self, pool: str, member: Member) -> None:
        self._s.members[pool][member.id] = member

    def tasks(self, pool: str) -> list[Task]:
        return list(self._s.tasks[pool].values())

    def add_tasks(self, pool: str, tasks: Iterable[Task]) -> None:
        self._s.tasks[pool].update((t.id, t) for t in tasks)

    def goods(self, pool: str) -> list[Good]:
        return list(self._s.goods[pool].values())

    def add_goods(self, pool: str, goods: Iterable[Good]) -> None:
        self._s.goods[pool].update((g.id, g) for g in goods)

    def rename_participant(self, pool: str, old: str, new: str) -> None:
        s = self._s
        s.members[pool] = {
            (new if k == old else k): replace(m, id=new) if k == old else m
            for k, m in s.members[pool].items()
        }
        for key in [k for k in s.offers if k[0] == pool]:
            s.offers[key] = {
                ((new, task) if who == old else (who, task)):
                    replace(o, participant=new) if who == old else o
                for (who, task), o in s.offers[key].items()
            }
        for key in [k for k in s.wishes if k[0] == pool]:
            s.wishes[key] = {
                i: replace(w, participant=new) if w.participant == old else w
                for i, w in s.wishes[key].items()
            }
        for number, log in s.work_logs.items():
            if log.pool == pool:
                s.work_logs[number] = replace(
                    log,
                    participant=new if log.participant == old else log.participant,
                    confirmed_by=new if log.confirmed_by == old else log.confirmed_by,
                    accepted_by=new if log.accepted_by == old else log.accepted_by,
                    logged_by=new if log.logged_by == old else log.logged_by,
                )
        for code, invitation in s.invitations.items():
            if invitation.pool == pool and invitation.member == old:
                s.invitations[code] = replace(invitation, member=new)
        for key, plan in s.plans.items():
            renamed = renamed_plan(plan.data, old, new)
            if key[0] == pool and renamed != plan.data:
                s.plans[key] = replace(plan, input_hash=f"{plan.input_hash}+{new}", data=renamed)
        was, now = participant_account(old), participant_account(new)
        s.journal[pool] = [
            replace(t, postings=tuple(
                replace(p, account=now) if p.account == was else p for p in t.postings))
            for t in s.journal[pool]
        ]

    def put_good(self, pool: str, good: Good) -> None:
        self._s.goods[pool][good.id] = good


class _Periods:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add(self, period: Period) -> None:
        key = (period.pool, period.number)
        self._s.periods[key] = period
        self._s.offers[key] = {}
        self._s.wishes[key] = {}

    def latest(self, pool: str) -> Period | None:
        numbers = [n for (p, n) in self._s.periods if p == pool]
        return self._s.periods[(pool, max(numbers))] if numbers else None

    def get(self, pool: str, number: int) -> Period | None:
        return self._s.periods.get((pool, number))

    def set_state(self, pool: str, number: int, state: PeriodState) -> None:
        key = (pool, number)
        self._s.periods[key] = self._s.periods[key].moved_to(state)

    def offers(self, pool: str, number: int, *, participant: str | None = None) -> list[Offer]:
        found = self._s.offers[(pool, number)].values()
        return [o for o in found if participant is None or o.participant == participant]

    def offered_hours(self, pool: str, number: int) -> dict[str, float]:
        hours: dict[str, float] = {}
        for o in self._s.offers.get((pool, number), {}).values():
            hours[o.task] = hours.get(o.task, 0.0) + o.hours
        return hours

    def add_offers(self, pool: str, number: int, offers: Iterable[Offer]) -> None:
        self._s.offers[(pool, number)].update(((o.participant, o.task), o) for o in offers)

    def put_offer(self, pool: str, number: int, offer: Offer) -> None:
        self._s.offers[(pool, number)][(offer.participant, offer.task)] = offer

    def remove_offer(self, pool: str, number: int, participant: str, task: str) -> bool:
        return self._s.offers[(pool, number)].pop((participant, task), None) is not None

    def wishes(self, pool: str, number: int, *, participant: str | None = None) -> list[Wish]:
        found = self._s.wishes[(pool, number)].values()
        return [w for w in found if participant is None or w.participant == participant]

    def add_wishes(self, pool: str, number: int, wishes: Iterable[Wish]) -> None:
        self._s.wishes[(pool, number)].update((w.id, w) for w in wishes)

    def put_wish(self, pool: str, number: int, wish: Wish) -> None:
        self._s.wishes[(pool, number)][wish.id] = wish

    def remove_wish(self, pool: str, number: int, wish: str) -> bool:
        return self._s.wishes[(pool, number)].pop(wish, None) is not None

    def carry_over(self, pool: str, source: int, target: int) -> None:
        self._s.offers[(pool, target)].update(self._s.offers[(pool, source)])
        self._s.wishes[(pool, target)].update(self._s.wishes[(pool, source)])

    def add_plan(self, plan: Plan) -> None:
        key = (plan.pool, plan.period)
        if key in self._s.plans:
            raise ValueError(f"period {plan.period} of pool {plan.pool!r} already has a plan")
        self._s.plans[key] = plan

    def plan(self, pool: str, number: int) -> Plan | None:
        return self._s.plans.get((pool, number))

    def remove_plan(self, pool: str, number: int) -> None:
        self._s.plans.pop((pool, number), None)

    def assignments(self, pool: str, number: int) -> list[Assignment]:
        plan = self._s.plans.get((pool, number))
        if plan is None:
            return []
        weights = plan.data.weights
        return [
            Assignment(a.participant, a.task, a.hours, weights[a.task])
            for a in plan.data.assignments
        ]

    def add_work_log(self, log: WorkLog) -> WorkLog:
        self._s.last_log_id += 1
        stored = replace(log, id=self._s.last_log_id)
        self._s.work_logs[stored.id] = stored
        return stored

    def work_log(self, pool: str, log_id: int) -> WorkLog | None:
        log = self._s.work_logs.get(log_id)
        return log if log is not None and log.pool == pool else None

    def work_logs(self, pool: str, number: int) -> list[WorkLog]:
        return [w for w in self._s.work_logs.values() if (w.pool, w.period) == (pool, number)]

    def put_work_log(self, log: WorkLog) -> None:
        self._s.work_logs[log.id] = log


class _Journal:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add(self, pool: str, transactions: Sequence[Transaction]) -> None:
        journal = self._s.journal[pool]
        taken = {t.id for t in journal}
        for t in transactions:
            if t.id in taken:
                raise ValueError(f"transaction {t.id!r} is already in the journal")
            taken.add(t.id)
            journal.append(t)

    def get(self, pool: str, transaction: str) -> Transaction | None:
        return next((t for t in self._s.journal[pool] if t.id == transaction), None)

    def transactions(self, pool: str) -> list[Transaction]:
        return list(self._s.journal[pool])

    def balances(self, pool: str) -> dict[Account, Decimal]:
        return balances(self._s.journal[pool])

    def balance(self, pool: str, account: Account) -> Decimal:
        return sum(
            (p.amount for t in self._s.journal[pool] for p in t.postings if p.account == account),
            Decimal(0),
        )


class _Accounts:
    """Users, tokens, sessions, invitations, requests to join, sign-in counts and reset
    links, each kept in one dictionary in the order first added (a replaced record keeps its
    place, as a dictionary's key does)."""

    def __init__(self, state: _State) -> None:
        self._s = state

    def add_user(self, user: User) -> None:
        self._s.users[user.name] = user

    def user(self, name: str) -> User | None:
        return self._s.users.get(name)

    def user_by_email(self, email: str) -> User | None:
        return next((u for u in self._s.users.values() if u.email == email), None)

    def put_user(self, user: User) -> None:
        _replace(self._s.users, user.name, user, "user")

    def remove_user(self, name: str) -> None:
        s = self._s
        s.tokens = {k: v for k, v in s.tokens.items() if v.user != name}
        s.sessions = {k: v for k, v in s.sessions.items() if v.user != name}
        s.reset_tokens = {k: v for k, v in s.reset_tokens.items() if v.user != name}
        s.join_requests = {
            k: replace(v, decided_by=None) if v.decided_by == name else v
            for k, v in s.join_requests.items() if v.user != name
        }
        s.invitations = {
            k: replace(v, created_by=None if v.created_by == name else v.created_by,
                       used_by=None if v.used_by == name else v.used_by)
            for k, v in s.invitations.items()
        }
        del s.users[name]

    def user_count(self) -> int:
        return len(self._s.users)

    def users(self) -> list[User]:
        return sorted(self._s.users.values(), key=lambda u: u.name)

    def memberships(self, user: str) -> dict[str, Member]:
        return {
            pool: member
            for pool, members in sorted(self._s.members.items())
            for member in members.values()
            if member.account == user
        }

    def add_token(self, token: ApiToken) -> None:
        self._s.tokens[token.id] = token

    def token(self, id: str) -> ApiToken | None:
        return self._s.tokens.get(id)

    def tokens(self, user: str) -> list[ApiToken]:
        return [t for t in self._s.tokens.values() if t.user == user]

    def put_token(self, token: ApiToken) -> None:
        _replace(self._s.tokens, token.id, token, "API token")

    def add_invitation(self, invitation: Invitation) -> None:
        self._s.invitations[invitation.id] = invitation

    def invitation(self, id: str) -> Invitation | None:
        return self._s.invitations.get(id)

    def invitations(self, pool: str) -> list[Invitation]:
        return [i for i in self._s.invitations.values() if i.pool == pool]

    def put_invitation(self, invitation: Invitation) -> None:
        _replace(self._s.invitations, invitation.id, invitation, "invitation")

    def join_request(self, pool: str, user: str) -> JoinRequest | None:
        return self._s.join_requests.get((pool, user))

    def join_requests(self, pool: str) -> list[JoinRequest]:
        return [r for (p, _), r in self._s.join_requests.items() if p == pool]

    def put_join_request(self, request: JoinRequest) -> None:
        self._s.join_requests[(request.pool, request.user)] = request

    def add_session(self, session: Session) -> None:
        self._s.sessions[session.id] = session

    def session(self, id: str) -> Session | None:
        return self._s.sessions.get(id)

    def sessions(self, user: str) -> list[Session]:
        return [s for s in self._s.sessions.values() if s.user == user]

    def put_session(self, session: Session) -> None:
        _replace(self._s.sessions, session.id, session, "session")

    def sign_in_limit(self, key: str) -> SignInLimit | None:
        return self._s.sign_in_limits.get(key)

    def put_sign_in_limit(self, record: SignInLimit) -> None:
        self._s.sign_in_limits[record.key] = record

    def remove_sign_in_limit(self, key: str) -> None:
        self._s.sign_in_limits.pop(key, None)

    def add_reset_token(self, token: ResetToken) -> None:
        self._s.reset_tokens[token.id] = token

    def reset_token(self, id: str) -> ResetToken | None:
        return self._s.reset_tokens.get(id)

    def put_reset_token(self, token: ResetToken) -> None:
        _replace(self._s.reset_tokens, token.id, token, "password-reset link")

    def remove_stale(self, ended: datetime, counted: datetime) -> None:
        def over(*moments: datetime | None) -> bool:
            return any(m is not None and m <= ended for m in moments)

        self._s.sessions = {k: v for k, v in self._s.sessions.items()
                            if not over(v.expires_at, v.revoked_at)}
        self._s.reset_tokens = {k: v for k, v in self._s.reset_tokens.items()
                                if not over(v.expires_at)}
        self._s.sign_in_limits = {
            k: v for k, v in self._s.sign_in_limits.items()
            if (v.locked_until is not None and v.locked_until > ended)
            or (v.window_start is not None and v.window_start > counted)
        }


class _Audit:
    """The audit log, by id in the order added; entries are only ever added."""

    def __init__(self, state: _State) -> None:
        self._s = state

    def add(self, entry: AuditEntry) -> AuditEntry:
        self._s.last_audit_id += 1
        stored = replace(entry, id=self._s.last_audit_id, detail=dict(entry.detail))
        self._s.audit[stored.id] = stored
        return stored

    def entries(
        self, pool: str | None, *, limit: int = 50, before_id: int | None = None
    ) -> list[AuditEntry]:
        found = [
            e for e in reversed(self._s.audit.values())
            if e.pool == pool and (before_id is None or e.id < before_id)
        ]
        return found[:max(limit, 0)]


class _Answers:
    """Answers kept for idempotency keys, by caller and key."""

    def __init__(self, state: _State) -> None:
        self._s = state

    def reserve(self, answer: StoredAnswer) -> StoredAnswer | None:
        found = self._s.answers.get((answer.owner, answer.key))
        if found is None:
            self._s.answers[answer.owner, answer.key] = answer
        return found

    def complete(self, owner: str, key: str, status: int, body: bytes,
                 media_type: str | None) -> None:
        held = self._s.answers.get((owner, key))
        if held is not None:
            self._s.answers[owner, key] = replace(held, status=status, body=body,
                                                  media_type=media_type)

    def release(self, owner: str, key: str) -> None:
        self._s.answers.pop((owner, key), None)

    def purge(self, owner: str, before: datetime) -> None:
        self._s.answers = {
            k: a for k, a in self._s.answers.items() if a.owner != owner or a.created_at >= before
        }


class _Mail:
    """The outbox, by number, and the notices each user has turned off."""

    def __init__(self, state: _State) -> None:
        self._s = state

    def queue(self, mail: QueuedMail) -> QueuedMail:
        self._s.last_mail_id += 1
        numbered = replace(mail, id=self._s.last_mail_id)
        self._s.outbox[numbered.id] = numbered
        return numbered

    def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        waiting = [m for m in self._s.outbox.values()
                   if m.sent_at is None and m.failed_at is None and m.next_try_at <= now]
        return waiting[:max(limit, 0)]

    def claim(self, mail: QueuedMail, until: datetime) -> bool:
        if self._s.outbox.get(mail.id) != mail:
            return False
        self._s.outbox[mail.id] = replace(mail, next_try_at=until)
        return True

    def mail(self, id: int) -> QueuedMail | None:
        return self._s.outbox.get(id)

    def put(self, mail: QueuedMail) -> None:
        if mail.id not in self._s.outbox:
            raise ValueError(f"no queued mail {mail.id!r} to replace")
        self._s.outbox[mail.id] = mail

    def outbox(self) -> list[QueuedMail]:
        return list(self._s.outbox.values())

    def turned_off(self, user: str) -> set[tuple[str, NoticeKind]]:
        return set(self._s.turned_off.get(user, ()))

    def set_wanted(self, user: str, pool: str, kind: NoticeKind, wanted: bool) -> None:
        off = set(self._s.turned_off.get(user, ()))
        if wanted:
            off.discard((pool, kind))
        else:
            off.add((pool, kind))
        self._s.turned_off[user] = off


def _replace(records: dict[str, _Record], key: str, record: _Record, kind: str) -> None:
    """Replace the record under ``key`` in place; ValueError if there is none (as the SQL
    store, whose UPDATE finds no row)."""
    if key not in records:
        raise ValueError(f"no {kind} {key!r} to replace")
    records[key] = record


class MemoryUnitOfWork:
    """A transaction over a :class:`MemoryStore`."""

    pools: _Pools
    periods: _Periods
    journal: _Journal
    accounts: _Accounts
    audit: _Audit
    answers: _Answers
    mail: _Mail

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._work: _State | None = None
        self._depth = 0
        self._thread: int | None = None

    def __enter__(self) -> Self:
        if self._work is not None:
            if self._thread != threading.get_ident():
                raise RuntimeError("this unit of work is in use by another thread")
            self._depth += 1  # a block inside another joins its transaction
            return self
        self._thread = threading.get_ident()
        self._work = self._store.state.copy()
        self.pools, self.periods, self.journal, self.accounts, self.audit = (
            _Pools(self._work),
            _Periods(self._work),
            _Journal(self._work),
            _Accounts(self._work),
            _Audit(self._work),
        )
        self.answers = _Answers(self._work)
        self.mail = _Mail(self._work)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._depth:
            self._depth -= 1
            return
        self._work = None
        self._thread = None

    def commit(self) -> None:
        if self._work is None:
            raise RuntimeError("commit outside a transaction")
        self._store.state = self._work
        self._work = self._work.copy()
        self.pools._s = self.periods._s = self.journal._s = self.accounts._s = self._work
        self.audit._s = self.answers._s = self.mail._s = self._work
