"""What the services need from a store: repositories and a unit of work, as protocols.

Services never see SQLAlchemy. They receive a :class:`UnitOfWork`, open it with ``with``, use
its repositories and call :meth:`UnitOfWork.commit`; leaving the block without a commit
rolls everything back, so a service call is one transaction. Two adapters implement these
protocols: :mod:`peerconomy.store.memory` (in memory, for tests and the simulator) and
:mod:`peerconomy.store.sql` (SQLite and PostgreSQL).

Ordering is part of the contract, because the clearing breaks ties by row order: every
list comes back in the order its items were first added (a changed offer or wish keeps its
place), so a pool imported from a scenario clears exactly as the scenario file does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Protocol, Self

from peerconomy.domain.account import ApiToken, Invitation, JoinRequest, User
from peerconomy.domain.audit import AuditEntry
from peerconomy.domain.events import Event
from peerconomy.domain.holding import Holding
from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.domain.mail import NoticeKind, QueuedMail
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.pool import (
    Assignment,
    Member,
    Period,
    Plan,
    Pool,
    PoolProject,
    WithdrawnPlan,
    WorkLog,
)
from peerconomy.domain.reminders import SentReminder
from peerconomy.domain.scenario import Good, Offer, Task, Wish
from peerconomy.domain.schedule import PeriodDates
from peerconomy.domain.security import CalendarKey, ResetToken, Session, SignInLimit
from peerconomy.domain.shift_exchange import SwapProposal
from peerconomy.domain.shifts import Shift
from peerconomy.ledger.journal import Account, Transaction

__all__ = [
    "AccountRepository",
    "AnswerRepository",
    "AuditRepository",
    "JournalRepository",
    "MailRepository",
    "PeriodRepository",
    "PoolRepository",
    "ShiftRepository",
    "Store",
    "UnitOfWork",
]


class PoolRepository(Protocol):
    """Pools and what they are made of: projects, members, tasks, goods, pick-up points."""

    def add(self, pool: Pool) -> None:
        """Store a new pool (its name is not taken: the service checks)."""

    def get(self, name: str) -> Pool | None:
        """The pool called ``name``, or None."""

    def lock(self, name: str) -> Pool | None:
        """Like :meth:`get`, and hold the pool against other writers until the transaction
        ends (``SELECT ... FOR UPDATE``), so two coordinators' steps on one pool serialise."""

    def put_settings(self, pool: Pool) -> None:
        """Replace a stored pool's settings, display name, description and version."""

    def names(self) -> list[str]:
        """Every pool's name, sorted."""

    def projects(self, pool: str) -> list[PoolProject]:
        """The pool's projects, active or not."""

    def put_project(self, pool: str, project: PoolProject) -> None:
        """Add a project, or replace the one with its id."""

    def members(self, pool: str) -> list[Member]:
        """The pool's members, active or not."""

    def member(self, pool: str, participant: str) -> Member | None:
        """One of the pool's members, active or not (None: no such member)."""

    def standing(self, pool: str, user: str) -> tuple[Pool, User | None, Member | None] | None:
        """The pool, the user and their membership in it (active or not), read together: what
        every request of a signed-in user asks first (None: no such pool)."""

    def add_members(self, pool: str, members: Iterable[Member]) -> None:
        """Add new members (ids not yet in the pool)."""

    def put_member(self, pool: str, member: Member) -> None:
        """Add a member, or replace the one with its id."""

    def tasks(self, pool: str) -> list[Task]:
        """Every task of every project the pool ever had."""

    def add_tasks(self, pool: str, tasks: Iterable[Task]) -> None:
        """Add new tasks (ids not yet in the pool)."""

    def put_task(self, pool: str, task: Task) -> None:
        """Replace the task with its id (its name or place, say), keeping its place."""

    def goods(self, pool: str) -> list[Good]:
        """Every good of every project the pool ever had."""

    def add_goods(self, pool: str, goods: Iterable[Good]) -> None:
        """Add new goods (ids not yet in the pool)."""

    def put_good(self, pool: str, good: Good) -> None:
        """Replace the good with its id (its capacity, say), keeping its place."""

    def pickup_points(self, pool: str) -> list[PickupPoint]:
        """The pool's pick-up points, retired ones included, in the order they were added."""

    def put_pickup_point(self, pool: str, point: PickupPoint) -> None:
        """Add a pick-up point, or replace the one with its id (keeping its place)."""

    def rename_participant(self, pool: str, old: str, new: str) -> None:
        """Call participant ``old`` ``new`` (a pseudonym, not yet taken) everywhere the pool
        names it: its member record, offers, wishes, work logs (as worker, confirmer,
        accepter or logger), invitations, tasks it is the contact of, plans and their
        assignments, and the postings of its ledger account. Amounts, order and everything
        else stay as they are, so the books balance as before; a plan (current or
        withdrawn) that named ``old`` gets ``+new`` added to its input hash (the record of
        the rename), and a withdrawn plan withdrawn by ``old`` names ``new`` as who withdrew
        it. The one change of plans and books allowed: erasing a deleted account's
        participant id (the databases' triggers allow only a rename to a pseudonym)."""


class PeriodRepository(Protocol):
    """Periods, the offers and wishes collected in them, their plans and the work logged."""

    def add(self, period: Period) -> None:
        """Store a new period."""

    def latest(self, pool: str) -> Period | None:
        """The pool's period with the highest number, or None."""

    def get(self, pool: str, number: int) -> Period | None:
        """One period, or None."""

    def set_state(self, pool: str, number: int, state: PeriodState) -> None:
        """Move a period to ``state`` (the service has checked the step is allowed)."""

    def set_dates(self, pool: str, number: int, dates: PeriodDates | None) -> None:
        """Give a period its dates (None: undated)."""

    def closed_for_offers(self, now: datetime) -> list[Period]:
        """Every pool's collecting periods whose offers closed at or before ``now``, by pool
        and number (what the scheduler's deadline clears look at)."""

    def offers(self, pool: str, number: int, *, participant: str | None = None) -> list[Offer]:
        """The period's offers (only ``participant``'s, if given)."""

    def offered_hours(self, pool: str, number: int) -> dict[str, float]:
        """The hours offered on each task this period (tasks nobody offered on left out)."""

    def add_offers(self, pool: str, number: int, offers: Iterable[Offer]) -> None:
        """Add new offers (no offer yet for their participant and task)."""

    def put_offer(self, pool: str, number: int, offer: Offer) -> None:
        """Add an offer, or replace the one for its participant and task (keeping its place)."""

    def remove_offer(self, pool: str, number: int, participant: str, task: str) -> bool:
        """Withdraw an offer; False if there was none."""

    def wishes(self, pool: str, number: int, *, participant: str | None = None) -> list[Wish]:
        """The period's wishes (only ``participant``'s, if given)."""

    def add_wishes(self, pool: str, number: int, wishes: Iterable[Wish]) -> None:
        """Add new wishes (ids not yet in the period); a subscription among them stands for
        its whole term."""

    def put_wish(
        self, pool: str, number: int, wish: Wish, *, periods_left: int | None = None
    ) -> None:
        """Add a wish, or replace the one with its id (keeping its place). A subscription (a
        wish with a term) stands ``periods_left`` periods more, this one included (None: its
        whole term, as a new one does)."""

    def periods_left(self, pool: str, number: int) -> dict[str, int]:
        """The period's subscriptions: each one's wish id and the periods it still stands,
        this one included (1: it ends when this period is settled)."""

    def remove_wish(self, pool: str, number: int, wish: str) -> bool:
        """Withdraw a wish; False if there was none."""

    def carry_over(self, pool: str, source: int, target: int) -> None:
        """Copy period ``source``'s offers and wishes into period ``target`` (standing
        offers and wishes: members change what differs); a subscription with one period
        less to stand, and not one that ``source`` was the last period of."""

    def add_plan(self, plan: Plan) -> None:
        """Store a period's plan; a period has at most one, and it is never changed."""

    def plan(self, pool: str, number: int) -> Plan | None:
        """The period's plan, or None if it was not cleared."""

    def withdraw_plan(
        self, pool: str, number: int, *, at: datetime, by: str | None
    ) -> WithdrawnPlan | None:
        """Withdraw the plan of a cleared period on which no work is logged: it moves, as it
        was, to the period's withdrawn plans (withdrawn ``at``, ``by`` whom), and its
        assignments are discarded (the one change of a plan allowed: reopening its period).
        None if the period had no plan."""

    def withdrawn_plans(self, pool: str, number: int) -> list[WithdrawnPlan]:
        """The period's withdrawn plans, the first withdrawn first."""

    def assignments(self, pool: str, number: int) -> list[Assignment]:
        """The plan's assignments with their tasks' weights (empty if not cleared)."""

    def add_work_log(self, log: WorkLog) -> WorkLog:
        """Store a work log (its ``id`` is ignored) and return it with its new id."""

    def work_log(self, pool: str, log_id: int) -> WorkLog | None:
        """One work log of the pool, or None."""

    def work_logs(self, pool: str, number: int) -> list[WorkLog]:
        """The period's work logs, oldest first."""

    def put_work_log(self, log: WorkLog) -> None:
        """Replace a work log (a confirmation, an acceptance, a rejection)."""

    def work_awaiting(self, logged_before: datetime) -> list[WorkLog]:
        """Every pool's work logs still pending that were logged at or before
        ``logged_before``, in periods that are cleared (those whose work may still be
        confirmed), by id (what the reminder of waiting logs looks at)."""

    def remove_work_log(self, pool: str, log_id: int) -> bool:
        """Remove a work log (its worker withdrew it); whether there was one. Its id is never
        given again."""

    # holdings (goods that last), the pool's, from period to period

    def holdings(self, pool: str) -> list[Holding]:
        """The pool's holdings, by id (the order they were made in)."""

    def add_holding(self, holding: Holding) -> Holding:
        """Store a new holding; return it with its id (the pool's next)."""

    def put_holding(self, holding: Holding) -> None:
        """Replace a holding (counted down, notice given)."""

    def remove_holding(self, pool: str, id: int) -> None:
        """End a holding."""


class ShiftRepository(Protocol):
    """A pool's shifts, the shifts each offer names as the ones its participant can do, and
    who a cleared period placed on which shift."""

    def add(self, pool: str, shifts: Sequence[Shift]) -> list[Shift]:
        """Store new shifts (their ``id`` is ignored); return them numbered, in order, with
        the pool's next ids."""

    def get(self, pool: str, id: int) -> Shift | None:
        """One shift of the pool, or None."""

    def of_pool(self, pool: str, *, task: str | None = None) -> list[Shift]:
        """The pool's shifts (only ``task``'s, if given), cancelled ones included, by day,
        start and id."""

    def put(self, pool: str, shift: Shift) -> None:
        """Replace a stored shift (cancelled, say)."""

    def availability(self, pool: str, number: int) -> dict[tuple[str, str], tuple[int, ...]]:
        """The shifts each offer of the period names, by (participant, task), ids sorted
        (an offer naming none is left out: any of its task's shifts will do)."""

    def set_availability(self, pool: str, number: int, participant: str, task: str,
                         shifts: Sequence[int] | None) -> None:
        """Name the shifts ``participant``'s offer on ``task`` can do (None: any)."""

    def placements(self, pool: str, number: int) -> list[tuple[int, str]]:
        """Who the period's plan placed on which shift: (shift id, participant), sorted."""

    def placed_pools(self, first: date, last: date) -> list[str]:
        """Every pool with someone placed on a shift that is not cancelled and begins on a
        day from ``first`` to ``last``, by name (where the shift reminders look)."""

    def add_placements(self, pool: str, number: int, placed: Sequence[tuple[int, str]]) -> None:
        """Store the placements of the period's plan (none stored for it yet)."""

    def remove_placements(self, pool: str, number: int, *, shift: int | None = None,
                          participant: str | None = None) -> list[tuple[int, str]]:
        """Remove the period's placements (only on ``shift``, only ``participant``'s, if
        given); return those removed, sorted."""

    def add_swap(self, pool: str, swap: SwapProposal) -> SwapProposal:
        """Store a new swap proposal (its ``id`` is ignored); return it numbered."""

    def get_swap(self, pool: str, id: int) -> SwapProposal | None:
        """One swap proposal of the pool, or None."""

    def swaps(self, pool: str, *, participant: str | None = None) -> list[SwapProposal]:
        """The pool's swap proposals (only those ``participant`` made or was made), by id."""

    def put_swap(self, pool: str, swap: SwapProposal) -> None:
        """Replace a stored swap proposal (answered, say)."""

    def followers(self, pool: str, project: str) -> list[str]:
        """The members following ``project``, sorted."""

    def followed(self, pool: str, participant: str) -> list[str]:
        """The projects ``participant`` follows, sorted."""

    def set_following(self, pool: str, project: str, participant: str,
                      following: bool) -> None:
        """Start (``following``) or stop ``participant`` following ``project``."""


class JournalRepository(Protocol):
    """The pool's books: append-only; there is no way to change or delete a transaction."""

    def add(self, pool: str, transactions: Sequence[Transaction]) -> None:
        """Append transactions to the pool's journal (ids are new within the pool)."""

    def get(self, pool: str, transaction: str) -> Transaction | None:
        """One transaction, or None."""

    def transactions(self, pool: str) -> list[Transaction]:
        """The pool's journal in the order it was written."""

    def balances(self, pool: str) -> dict[Account, Decimal]:
        """Every account's balance (accounts never posted to are left out)."""

    def balance(self, pool: str, account: Account) -> Decimal:
        """One account's balance (0 if it was never posted to)."""


class AccountRepository(Protocol):
    """Users, their API tokens and sessions, invitations into pools and requests to join
    them; the failed sign-ins counted against accounts and clients, and password-reset
    links."""

    def add_user(self, user: User) -> None:
        """Store a new user (name and email not taken: the service checks)."""

    def user(self, name: str) -> User | None:
        """The user called ``name``, or None."""

    def user_by_email(self, email: str) -> User | None:
        """The user with this (lower-case) email, or None."""

    def put_user(self, user: User) -> None:
        """Replace a user's record (a new password, display name, locale or admin flag)."""

    def remove_user(self, name: str) -> None:
        """Delete a user for good: their tokens, sessions, reset links, calendar key and
        requests to join go with the account; invitations they made or used stay, naming nobody."""

    def user_count(self) -> int:
        """How many users there are."""

    def users(self) -> list[User]:
        """Every user, sorted by name."""

    def memberships(self, user: str) -> dict[str, Member]:
        """The user's membership of each pool they are a member of (active or not), by pool
        name, sorted by name."""

    def add_token(self, token: ApiToken) -> None:
        """Store a new API token."""

    def token(self, id: str) -> ApiToken | None:
        """One API token, or None."""

    def tokens(self, user: str) -> list[ApiToken]:
        """The user's tokens, oldest first, revoked ones included."""

    def put_token(self, token: ApiToken) -> None:
        """Replace a token's record (its revocation)."""

    def add_invitation(self, invitation: Invitation) -> None:
        """Store a new invitation."""

    def invitation(self, id: str) -> Invitation | None:
        """One invitation, or None."""

    def invitations(self, pool: str) -> list[Invitation]:
        """The pool's invitations, oldest first."""

    def put_invitation(self, invitation: Invitation) -> None:
        """Replace an invitation's record (its use)."""

    def join_request(self, pool: str, user: str) -> JoinRequest | None:
        """The user's request to join the pool, or None."""

    def join_requests(self, pool: str) -> list[JoinRequest]:
        """The pool's requests to join, oldest first, decided ones included."""

    def put_join_request(self, request: JoinRequest) -> None:
        """Add a request, or replace the one for its pool and user (keeping its place)."""

    def add_session(self, session: Session) -> None:
        """Store a new session (its id is new)."""

    def session(self, id: str) -> Session | None:
        """The session whose id hash is ``id``, or None."""

    def sessions(self, user: str) -> list[Session]:
        """The user's sessions, oldest first, ended ones included."""

    def put_session(self, session: Session) -> None:
        """Replace a session's record (seen again, or revoked)."""

    def sign_in_limit(self, key: str) -> SignInLimit | None:
        """The failed sign-ins counted against ``key``, or None."""

    def put_sign_in_limit(self, record: SignInLimit) -> None:
        """Add or replace the count of its key."""

    def remove_sign_in_limit(self, key: str) -> None:
        """Forget the count of ``key`` (a successful sign-in); nothing if there is none."""

    def add_reset_token(self, token: ResetToken) -> None:
        """Store a new password-reset link."""

    def reset_token(self, id: str) -> ResetToken | None:
        """One password-reset link, or None."""

    def put_reset_token(self, token: ResetToken) -> None:
        """Replace a reset link's record (its use)."""

    def calendar_key(self, user: str) -> CalendarKey | None:
        """The secret of the user's calendar and feed addresses, or None (none made yet)."""

    def calendar_key_by_id(self, id: str) -> CalendarKey | None:
        """The calendar key with this id, or None (unknown, or renewed since)."""

    def add_calendar_key(self, key: CalendarKey) -> CalendarKey:
        """Keep ``key`` as its user's calendar key if they have none, and return the key they
        have now (the one made by whoever came first, where two make one at once)."""

    def put_calendar_key(self, key: CalendarKey) -> None:
        """Make ``key`` its user's calendar key, in place of the one they had (renewal:
        the old id is forgotten at once)."""

    def remove_stale(self, ended: datetime, counted: datetime) -> None:
        """Forget what no longer matters: sessions that expired or ended at or before
        ``ended``, reset links that expired by then (a used one is kept until it expires, so
        that a second use is told it was used), and counts of failed sign-ins neither locked
        after ``ended`` nor begun after ``counted``."""


class AuditRepository(Protocol):
    """The audit log: append-only; there is no way to change or delete an entry."""

    def add(self, entry: AuditEntry) -> AuditEntry:
        """Append an entry (its ``id`` is ignored) and return it with its new id, which is
        higher than every earlier entry's."""

    def entries(
        self, pool: str | None, *, limit: int = 50, before_id: int | None = None
    ) -> list[AuditEntry]:
        """The pool's entries (``pool`` None: the site-wide ones), newest first, at most
        ``limit`` of them, only those with an id below ``before_id`` if given (the next
        page)."""


class AnswerRepository(Protocol):
    """Answers kept for idempotency keys, one per caller and key."""

    def reserve(self, answer: StoredAnswer) -> StoredAnswer | None:
        """Store ``answer`` (its request being handled) unless its caller has an answer for
        its key already: that answer then, else None."""

    def complete(self, owner: str, key: str, status: int, body: bytes,
                 media_type: str | None) -> None:
        """Keep the answer given to the request reserved under ``key``."""

    def release(self, owner: str, key: str) -> None:
        """Forget the key (its request did nothing: a retry may run)."""

    def purge(self, owner: str, before: datetime) -> None:
        """Forget the caller's keys made before ``before``."""


class MailRepository(Protocol):
    """The outbox, and which pool notices each user has turned off."""

    def queue(self, mail: QueuedMail) -> QueuedMail:
        """Add a message to the outbox; it comes back numbered."""

    def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        """Up to ``limit`` messages neither sent nor given up on whose next try is due at
        ``now``, oldest first."""

    def claim(self, mail: QueuedMail, until: datetime) -> bool:
        """Put off the message's next try to ``until`` if it is still as ``mail`` found it
        (no other sender claimed it meanwhile); whether it was."""

    def mail(self, id: int) -> QueuedMail | None:
        """One message of the outbox."""

    def put(self, mail: QueuedMail) -> None:
        """Replace a message (after a try)."""

    def outbox(self) -> list[QueuedMail]:
        """Every message, oldest first."""

    def turned_off(self, user: str) -> set[tuple[str, NoticeKind]]:
        """The (pool, kind) notices the user does not want."""

    def set_wanted(self, user: str, pool: str, kind: NoticeKind, wanted: bool) -> None:
        """Turn one kind of the pool's notices on or off for the user."""

    def claim_reminder(self, sent: SentReminder) -> bool:
        """Keep ``sent`` unless a reminder with its key (kind, pool, member, subject) is kept
        already; whether it was kept. Two transactions claiming one key at once: the second
        waits for the first and finds the key taken."""

    def sent_reminders(self, pool: str, kind: NoticeKind, since: datetime
                       ) -> list[SentReminder]:
        """The pool's reminders of ``kind`` sent at or after ``since``, oldest first."""


class UnitOfWork(Protocol):
    """One transaction over the store: ``with uow: ...; uow.commit()``.

    Leaving the ``with`` block without :meth:`commit` (or by an exception) rolls back. A
    ``with uow:`` inside another one (in the same thread) joins the transaction around it:
    a page that calls several services reads them all in one transaction, and only the
    outermost block ends it. Another thread may not enter a unit of work in use.
    """

    events: list[Event]
    """What happened in this transaction, not yet handed to the message bus
    (:mod:`peerconomy.services.messagebus`); emptied when the outermost block ends."""

    @property
    def pools(self) -> PoolRepository:
        """Pools, projects, members, tasks and goods."""

    @property
    def periods(self) -> PeriodRepository:
        """Periods, offers, wishes, plans and work logs."""

    @property
    def shifts(self) -> ShiftRepository:
        """Shifts, the shifts offers name, and placements."""

    @property
    def journal(self) -> JournalRepository:
        """The books."""

    @property
    def accounts(self) -> AccountRepository:
        """Users, tokens, invitations and requests to join."""

    @property
    def audit(self) -> AuditRepository:
        """The audit log of every change."""

    @property
    def answers(self) -> AnswerRepository:
        """Answers kept for idempotency keys."""

    @property
    def mail(self) -> MailRepository:
        """The outbox and the notices each user wants."""

    def __enter__(self) -> Self:
        """Begin the transaction."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """End it: roll back whatever was not committed."""

    def commit(self) -> None:
        """Make everything done in this transaction durable."""


class Store(Protocol):
    """Where units of work come from: a store in memory or on a database, as the composition
    root (:mod:`peerconomy.bootstrap`) made it."""

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work on the store (entered with ``with``)."""
