"""The whole of a memory store's state, in dictionaries, and the base of the repositories
that work on it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from peerconomy.domain.account import ApiToken, Invitation, JoinRequest, User
from peerconomy.domain.audit import AuditEntry
from peerconomy.domain.holding import Holding
from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.domain.mail import NoticeKind, QueuedMail
from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.pool import (
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
from peerconomy.domain.security import CalendarKey, ResetToken, Session, SignInLimit
from peerconomy.domain.shift_exchange import SwapProposal
from peerconomy.domain.shifts import Shift
from peerconomy.ledger.journal import Transaction

__all__ = ["PeriodKey", "Repository", "State"]

PeriodKey = tuple[str, int]
"""A period of a pool: the pool's name and the period's number."""


@dataclass
class State:
    """Everything a memory store holds, each kind of record in a dictionary by its key (those
    of a pool or period under its name or key first); a unit of work works on a copy."""

    pools: dict[str, Pool] = field(default_factory=dict)
    projects: dict[str, dict[str, PoolProject]] = field(default_factory=dict)
    members: dict[str, dict[str, Member]] = field(default_factory=dict)
    tasks: dict[str, dict[str, Task]] = field(default_factory=dict)
    goods: dict[str, dict[str, Good]] = field(default_factory=dict)
    pickup_points: dict[str, dict[str, PickupPoint]] = field(default_factory=dict)
    periods: dict[PeriodKey, Period] = field(default_factory=dict)
    offers: dict[PeriodKey, dict[tuple[str, str], Offer]] = field(default_factory=dict)
    wishes: dict[PeriodKey, dict[str, Wish]] = field(default_factory=dict)
    periods_left: dict[PeriodKey, dict[str, int]] = field(default_factory=dict)
    """Of each period's subscriptions (wishes with a term): the periods they still stand."""
    plans: dict[PeriodKey, Plan] = field(default_factory=dict)
    withdrawn_plans: dict[PeriodKey, list[WithdrawnPlan]] = field(default_factory=dict)
    work_logs: dict[int, WorkLog] = field(default_factory=dict)
    journal: dict[str, list[Transaction]] = field(default_factory=dict)
    last_log_id: int = 0
    holdings: dict[tuple[str, int], Holding] = field(default_factory=dict)
    shifts: dict[str, dict[int, Shift]] = field(default_factory=dict)
    offer_shifts: dict[PeriodKey, dict[tuple[str, str], tuple[int, ...]]] = field(
        default_factory=dict)
    """The shifts each offer names, by (participant, task)."""
    placements: dict[PeriodKey, list[tuple[int, str]]] = field(default_factory=dict)
    """Who each cleared period's plan placed on which shift: (shift id, participant)."""
    swaps: dict[str, dict[int, SwapProposal]] = field(default_factory=dict)
    follows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Who follows which project of a pool: (project, participant)."""
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    invitations: dict[str, Invitation] = field(default_factory=dict)
    join_requests: dict[tuple[str, str], JoinRequest] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    sign_in_limits: dict[str, SignInLimit] = field(default_factory=dict)
    reset_tokens: dict[str, ResetToken] = field(default_factory=dict)
    calendar_keys: dict[str, CalendarKey] = field(default_factory=dict)
    """Each account's calendar key, by the account's name."""
    audit: dict[int, AuditEntry] = field(default_factory=dict)
    last_audit_id: int = 0
    answers: dict[tuple[str, str], StoredAnswer] = field(default_factory=dict)
    outbox: dict[int, QueuedMail] = field(default_factory=dict)
    last_mail_id: int = 0
    turned_off: dict[str, set[tuple[str, NoticeKind]]] = field(default_factory=dict)
    reminders_sent: dict[tuple[str, str, str, str], SentReminder] = field(default_factory=dict)
    """The reminders sent, by kind, pool, member and subject."""

    def copy(self) -> State:
        """A copy whose containers (two levels deep) are new; the frozen records are shared."""
        copied: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                value = {k: v.copy() if isinstance(v, dict | list) else v for k, v in value.items()}
            copied[f.name] = value
        return State(**copied)


class Repository:
    """What each repository of a memory unit of work holds: the state it works on (swapped
    for a fresh copy when the unit of work commits)."""

    def __init__(self, state: State) -> None:
        self._s = state
