"""A pool as the service keeps it, period after period: the records next to the scenario's parts.

The scenario format (:mod:`peerconomy.domain.scenario`) describes one period; a pool lives
longer. These frozen records add what the service needs beyond one period: the pool and its
settings, a project's standing in the pool (joined, left, forked from), a participant's role,
each period's state, the cleared plan with the hash of its input, and work logged against
the plan. Tasks, goods, offers and wishes are the scenario's own value objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Final, Literal

from pydantic import TypeAdapter

from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.scenario import Participant
from peerconomy.domain.schedule import PeriodDates, Schedule

__all__ = [
    "Admission",
    "Assignment",
    "Member",
    "Period",
    "Plan",
    "Pool",
    "PoolProject",
    "PoolSettings",
    "Role",
    "WithdrawnPlan",
    "WorkLog",
    "WorkStatus",
    "active_participants",
    "clears_itself",
]

Role = Literal["member", "coordinator"]
Admission = Literal["open", "approval"]
WorkStatus = Literal["pending", "confirmed", "rejected"]


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """How a pool clears and validates work."""

    max_weight: float = 5.0
    """The weight at which uncovered hours go on the hint board (the scenario's setting)."""
    seed: int = 0
    """Seed of period 1's lottery; period n uses ``seed + n - 1``."""
    communal_validation: bool = True
    """Logged work counts only once a second member or a coordinator confirms it."""
    admission: Admission = "approval"
    """Who may join: anyone signed in (``open``), or whom a coordinator approves."""
    public: bool = False
    """Whether people outside the pool may see it (its plans, weights and books)."""
    schedule: Schedule = field(default_factory=Schedule)
    """The pool's calendar: period length, when offers close, whether a period clears
    itself then (:mod:`peerconomy.domain.schedule`; by default undated)."""


@dataclass(frozen=True, slots=True)
class Pool:
    """A distribution pool: several projects and the people who share their work and goods."""

    name: str
    settings: PoolSettings = field(default_factory=PoolSettings)
    version: int = 1
    """Counts the changes of the settings from 1: an edit made from an older version is
    refused (optimistic locking: of two coordinators, the later is told to reload)."""
    display_name: str | None = None
    """What people read for the pool ("Solawi Gartenkoop"; None: its name, which is also
    the pool's address)."""
    description: str | None = None

    @property
    def shown_name(self) -> str:
        """The name to show: the display name, else the pool's name."""
        return self.display_name or self.name


@dataclass(frozen=True, slots=True)
class PoolProject:
    """A project's standing in a pool; only active projects' tasks and goods are cleared."""

    id: str
    active: bool = True
    forked_from: str | None = None
    version: int = 1
    """Counts the changes of the project's standing, of its and its tasks' and goods' names
    and of its goods' capacities from 1 (the project with its tasks and goods is edited as
    one): an edit made from an older version is refused."""
    name: str | None = None
    """What people read for it (None: its id), see :mod:`peerconomy.domain.names`."""
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Member:
    """A participant of a pool with their role; inactive members have left the pool.

    The member record exists apart from accounts: ``id`` is the participant id of the plans
    and books, and ``account`` the user who has claimed it (by an invitation for this
    member, or linked by a coordinator), never matched by name. A member nobody has claimed
    (imported, or added by a coordinator) takes part through the coordinators.
    """

    id: str
    capacity: float | None = None
    exempt: bool = False
    role: Role = "member"
    active: bool = True
    version: int = 1
    """Counts the changes of the member's settings and role from 1: an edit made from an
    older version is refused."""
    account: str | None = None
    """The user name of the account that has claimed this member (None: unclaimed)."""
    display_name: str = ""
    """How the pool calls them (empty: their id)."""
    email: str | None = None
    """Where their invitation and notices go before they have an account of their own."""
    phone: str | None = None
    contact_visible: bool = False
    """Whether the member lets the pool's coordinators see their email and phone (see
    :func:`peerconomy.services.privacy.contact_shown`)."""
    pickup_point: str | None = None
    """The id of the pick-up point where they collect their goods (None: none chosen; see
    :mod:`peerconomy.domain.pickup`)."""

    @property
    def shown_name(self) -> str:
        """The name to show: the display name, else the participant id."""
        return self.display_name or self.id

    def as_participant(self) -> Participant:
        """The member as the scenario format's participant."""
        return Participant(id=self.id, capacity=self.capacity, exempt=self.exempt)


_PARTICIPANTS: Final = TypeAdapter(list[Participant])


def active_participants(members: Iterable[Member]) -> list[Participant]:
    """The active members as the scenario's participants, in their order; validated in one
    call, which for a pool of thousands is many times faster than one member at a time."""
    return _PARTICIPANTS.validate_python(
        [{"id": m.id, "capacity": m.capacity, "exempt": m.exempt} for m in members if m.active]
    )


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a pool, numbered from 1, with the weight estimates its clearing uses."""

    pool: str
    number: int
    state: PeriodState
    weight_estimates: dict[str, float] = field(default_factory=dict)
    starts_on: date | None = None
    """The period's first day (None: an undated period, as every period of a pool without
    a period length is)."""
    ends_on: date | None = None
    """The period's last day (None: undated)."""
    collect_until: datetime | None = None
    """When its offers and wishes close, in UTC (None: they stay open until it is
    cleared)."""

    def moved_to(self, state: PeriodState) -> Period:
        """This period in another state."""
        return replace(self, state=state)

    def dated(self, dates: PeriodDates | None) -> Period:
        """This period with ``dates`` (None: undated)."""
        if dates is None:
            return replace(self, starts_on=None, ends_on=None, collect_until=None)
        return replace(self, starts_on=dates.starts_on, ends_on=dates.ends_on,
                       collect_until=dates.collect_until)

    @property
    def dates(self) -> PeriodDates | None:
        """The period's dates, or None if it is undated."""
        if self.starts_on is None or self.ends_on is None or self.collect_until is None:
            return None
        return PeriodDates(self.starts_on, self.ends_on, self.collect_until)

    def closed_for_offers(self, now: datetime) -> bool:
        """Whether its offers and wishes have closed by ``now`` (its deadline passed)."""
        return self.collect_until is not None and now >= self.collect_until


def clears_itself(settings: PoolSettings, period: Period, now: datetime) -> bool:
    """Whether ``period`` is due to clear itself at ``now``: it is collecting, its offers
    have closed, and its pool asks for it (``auto_clear``)."""
    return (settings.schedule.auto_clear and period.state is PeriodState.COLLECTING
            and period.closed_for_offers(now))


@dataclass(frozen=True, slots=True)
class Plan:
    """A cleared period's plan (``peerconomy-plan/2``; ``/1`` if older), kept as cleared,
    never changed.

    ``input_hash`` is the SHA-256 of the scenario it was cleared from, so anyone can check that
    the plan belongs to the offers and wishes on record. ``data`` is the plan itself, frozen:
    a store may hand the same plan to every reader.
    """

    pool: str
    period: int
    input_hash: str
    cleared_at: datetime
    data: ClearedPlan


@dataclass(frozen=True, slots=True)
class WithdrawnPlan:
    """A plan a coordinator withdrew by reopening its period, kept in the period's history:
    the plan as it was cleared (input hash and time included), when it was withdrawn and by
    whom (None: the operator's command line). A later clear keeps a new current plan."""

    plan: Plan
    withdrawn_at: datetime
    withdrawn_by: str | None


@dataclass(frozen=True, slots=True)
class Assignment:
    """Hours of a task the plan gives a participant, at the task's weight."""

    participant: str
    task: str
    hours: float
    weight: float


@dataclass(frozen=True, slots=True)
class WorkLog:
    """Hours a participant reports on a task in a cleared period.

    ``assigned`` tells whether the plan gave them that task; unassigned work counts only
    once a coordinator accepts it (``accepted_by``). Where the pool asks for communal
    validation, work counts only once ``confirmed_by`` (another member or a coordinator).
    """

    id: int
    pool: str
    period: int
    participant: str
    task: str
    hours: float
    logged_at: datetime
    assigned: bool
    status: WorkStatus = "pending"
    confirmed_by: str | None = None
    accepted_by: str | None = None
    logged_by: str | None = None
    """The member who logged it, where that was someone else (a coordinator logging a
    member's hours): they may not confirm it too (None: the worker, or the operator's CLI)."""
    worked_on: date | None = None
    """The day the work was done, in the pool's time zone (None: a log from before logs
    carried a day; :func:`peerconomy.domain.work_log.check_worked_on` holds its bounds)."""
    note: str = ""
    """What the worker tells those who confirm it (free text, line breaks allowed)."""
    shift: int | None = None
    """The shift it was logged from (None: logged by hand): one log per person and shift."""
