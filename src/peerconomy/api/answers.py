"""The API's typed answers for what the services read: the plan and its parts, *my period*,
the hint board, the books, work logs, requests to join and the audit log.

The plan's models mirror the plan's JSON (format ``peerconomy-plan/2``, or ``/1`` for a
plan stored before the premium refund, which has no ``refunds``; made by
:func:`peerconomy.domain.clearing.plan_of`) key for key, so the wire format is the stored
one. Hours, weights, costs and book amounts are JSON numbers everywhere (the one rule of the
API); an amount of the books is a multiple of a micro-hour
(:data:`peerconomy.ledger.journal.QUANTUM`), written with at most six decimals: read it
as a decimal to add amounts exactly. Where a service's own value object already is the
answer (a work log, a task's or good's row, an audit entry), it is used as it is.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from peerconomy.api.schemas import Amount, PeriodOut, ProjectOut, ShiftOut
from peerconomy.domain.account import JoinStatus
from peerconomy.domain.audit import AuditEntry
from peerconomy.domain.holding import Holding
from peerconomy.domain.pool import Assignment, WorkStatus
from peerconomy.domain.scenario import Good, Offer, Task, Wish
from peerconomy.ledger.journal import Kind
from peerconomy.services.hints import ToDo

__all__ = [
    "AuditPage",
    "ContactChoice",
    "GoodProduction",
    "GoodResult",
    "HintBoardOut",
    "HistoryOut",
    "HoldingOut",
    "JoinDecision",
    "JoinRequestOut",
    "LargeShareWarning",
    "MyAllocation",
    "MyPeriodOut",
    "NextStep",
    "NonFiniteWarning",
    "OpenSlotOut",
    "PeriodPlans",
    "Plan",
    "PlanAllocation",
    "PlanAssignment",
    "PlanHint",
    "PlanHolding",
    "PlanInHistory",
    "PlanPreview",
    "PlanWarning",
    "PlanWon",
    "PostingOut",
    "ProductTypeProduction",
    "ProjectWithParts",
    "ShareParts",
    "ShiftToLogOut",
    "StatementLineOut",
    "StoredPlan",
    "SubscribedUnits",
    "TransactionOut",
    "UncoveredTask",
    "UnmetWish",
    "WorkLogOut",
]

class Strict(BaseModel):
    """An answer's part that has exactly these fields (it tells the kinds of a list apart)."""

    model_config = ConfigDict(extra="forbid")


# the plan

class PlanAssignment(BaseModel):
    """Hours of a task the plan gives a participant."""

    participant: str
    task: str
    hours: float


class GoodResult(BaseModel):
    """What the plan made of a good: units wished and allocated, its premium and unit cost."""

    wished: int
    allocated: int
    premium: float
    unit_cost: float


class PlanAllocation(BaseModel):
    """Units of a good the plan gives a participant for one wish, and what they cost."""

    participant: str
    wish: str
    good: str
    quantity: int
    cost: float


class PlanHolding(BaseModel):
    """Units of a good a participant holds this period (won earlier), the premium per unit
    locked then, and what they are charged in all (effort at the weights + locked premium)."""

    participant: str
    good: str
    quantity: int
    premium: float
    cost: float


class PlanWon(BaseModel):
    """Units of a good that lasts won this period: held ``tenure`` periods at ``premium``."""

    participant: str
    wish: str
    good: str
    quantity: int
    premium: float
    tenure: int


class HoldingOut(BaseModel):
    """A holding of the pool: units of a good that lasts, won in period ``won_in`` at
    ``premium`` per unit, held ``periods_left`` periods more, the current one included;
    ``notice_given``: it ends after the current period."""

    id: int
    participant: str
    good: str
    quantity: int
    premium: float
    won_in: int
    periods_left: int
    notice_given: bool

    @classmethod
    def of(cls, holding: Holding) -> HoldingOut:
        return cls(id=holding.id, participant=holding.participant, good=holding.good,
                   quantity=holding.quantity, premium=holding.premium,
                   won_in=holding.won_in, periods_left=holding.periods_left,
                   notice_given=holding.notice_given)


class UncoveredTask(Strict):
    """Hours of a task the plan needs that no offer covers, at the task's weight."""

    task: str
    hours: float
    weight: float


class OpenTask(UncoveredTask):
    """Hours of a task the plan needs that no offer covers (or that are still open), on the
    hint board: with the project whose task it is."""

    project: str | None


class UnmetWish(Strict):
    """Units of a good wished for that nobody could be given."""

    good: str
    units: int


class GoodProduction(Strict):
    """Units of a good its project makes beyond (or short of) what was wished."""

    good: str
    project: str
    units: int


class ProductTypeProduction(Strict):
    """Units of a product type a project makes beyond (or short of) what was wished."""

    product_type: str
    project: str
    units: int


class UncoveredTaskHint(UncoveredTask):
    kind: Literal["uncovered_task"]


class UnmetWishHint(UnmetWish):
    kind: Literal["unmet_wish"]


class GoodProductionHint(GoodProduction):
    kind: Literal["overproduction", "underproduction"]


class ProductTypeProductionHint(ProductTypeProduction):
    kind: Literal["overproduction", "underproduction"]


PlanHint = UncoveredTaskHint | UnmetWishHint | GoodProductionHint | ProductTypeProductionHint
"""One entry of the plan's hint board, told apart by ``kind`` (and, for production, by
whether it names a ``good`` or a ``product_type``)."""


class Plan(BaseModel):
    """A period's plan (``format`` ``peerconomy-plan/2``): task weights, assignments, the
    goods' results and allocations, every participant's share, premium refund and credit,
    and hints. A plan stored as ``peerconomy-plan/1`` has no ``refunds``."""

    format: str
    weights: dict[str, float] = Field(description="Each needed task's weight.")
    assignments: list[PlanAssignment]
    uncovered: dict[str, float] = Field(
        description="Each needed task's hours no offer covers.")
    production: dict[str, int] = Field(description="Units of each good to make.")
    goods: dict[str, GoodResult]
    allocations: list[PlanAllocation]
    holdings: list[PlanHolding] | None = Field(
        default=None, description="Units held this period and their charge (absent from"
                                  " plans of format peerconomy-plan/1).")
    won: list[PlanWon] | None = Field(
        default=None, description="Units of goods that last won this period (absent from"
                                  " plans of format peerconomy-plan/1).")
    shares: dict[str, float] = Field(
        description="Each participant's share of the period's work, in weighted hours"
                    " (net of their refund).")
    refunds: dict[str, float] | None = Field(
        default=None,
        description="Each participant's part of the period's premiums, taken off their share"
                    " (absent from plans of format peerconomy-plan/1).")
    credits: dict[str, float] = Field(
        description="Each participant's credit for the work assigned, in weighted hours.")
    weighted_effort: float = Field(description="The period's work in weighted hours; the"
                                               " shares sum to it.")
    hints: list[PlanHint]


class StoredPlan(Plan):
    """A cleared period's plan as kept, with the SHA-256 of the scenario it was cleared from
    and when."""

    input_hash: str
    cleared_at: datetime


class PlanInHistory(BaseModel):
    """One plan of a period's history: the current plan, or one withdrawn by reopening the
    period (the plan itself: ``GET .../periods/{n}/plan`` while current)."""

    state: Literal["current", "withdrawn"]
    format: str = Field(description="The plan's format (peerconomy-plan/1 or /2).")
    input_hash: str = Field(description="SHA-256 of the scenario it was cleared from.")
    cleared_at: datetime
    withdrawn_at: datetime | None = Field(description="When it was withdrawn (null: current).")
    withdrawn_by: str | None = Field(
        description="Who withdrew it (null: current, or withdrawn from the command line).")
    weighted_effort: float


class PeriodPlans(BaseModel):
    """A period's plans: those withdrawn, the first withdrawn first, then the current one
    (if the period is cleared now)."""

    pool: str
    period: int
    state: str = Field(description="Where the period stands.")
    plans: list[PlanInHistory]


class LargeShareWarning(Strict):
    """A share above ten times the pool's median capacity."""

    kind: Literal["large_share"]
    participant: str
    share: float
    median_capacity: float


class NonFiniteWarning(Strict):
    """A number of the plan that is not finite (the plan could not be kept)."""

    kind: Literal["non_finite"]
    field: str


PlanWarning = NonFiniteWarning | LargeShareWarning


class PlanPreview(BaseModel):
    """The plan the collecting period would clear to now, marked provisional and never
    stored: the plan a clear would keep for the same offers and wishes (same input hash),
    and the coordinator's warnings about it."""

    provisional: Literal[True] = True
    period: int
    input_hash: str = Field(description="SHA-256 of the scenario the preview was cleared from;"
                                        " a clear of the same input keeps the same plan.")
    plan: Plan
    warnings: list[PlanWarning]


# what a member and the pool see of the period

NextStep = Literal["offer", "wish", "wait_for_clearing", "log_work", "confirm_work",
                   "wait_for_settlement"]


class MyAllocation(BaseModel):
    """Units of a good the plan gives the caller, and what they cost."""

    good: str
    quantity: int
    cost: float


class ShareParts(BaseModel):
    """What a share is made of: share = goods + premiums + overhead - refund."""

    goods: float = Field(description="The effort charged for their goods (without premiums).")
    premiums: float = Field(description="The premiums charged for auction goods they won.")
    overhead: float = Field(
        description="Their part of the overhead (flat-rate goods, fixed hours) and of exempt"
                    " members' charges (for an exempt member: less what others carry).")
    refund: float = Field(description="Their part of the period's premiums, given back.")


class WorkLogOut(BaseModel):
    """A work log as those who confirm it read it: the task (and its name), the day, the
    shift it came from with its time and place, the hours, the note, and the hours its worker
    logged on the task beyond their assignment."""

    model_config = ConfigDict(extra="forbid")  # every field of a work log, and no other

    id: int
    pool: str
    period: int
    participant: str
    task: str
    task_name: str = Field(description="The task as people read it.")
    hours: float
    logged_at: datetime
    worked_on: date | None = Field(
        description="The day the work was done, in the pool's time zone (null: logged"
                    " before logs carried a day).")
    note: str = Field(description="What the worker tells those who confirm it.")
    shift: int | None = Field(description="The shift it was logged from (null: by hand).")
    on_shift: ShiftOut | None = Field(
        description="That shift: its date, start, end and place (null: by hand).")
    assigned: bool = Field(description="Whether the plan gave the worker this task"
                                       " (unassigned work counts once a coordinator accepts"
                                       " it).")
    beyond_assignment: float = Field(
        description="Hours the worker logged on this task beyond their assignment, all their"
                    " logs of it together (0: none, or no assignment on it). Shown as such:"
                    " they earn nothing.")
    status: WorkStatus
    confirmed_by: str | None
    accepted_by: str | None
    logged_by: str | None


class ShiftToLogOut(BaseModel):
    """A shift the caller was placed on that has ended and is not logged yet: post its id as
    ``shift`` to ``/pools/{pool}/work`` to log it with these hours."""

    shift: ShiftOut
    task_name: str
    hours: float = Field(description="How long it lasted: the hours a log from it carries.")


class MyPeriodOut(BaseModel):
    """A member's view of the current period."""

    pool: str
    participant: str
    period: PeriodOut
    offers: list[Offer]
    wishes: list[Wish]
    periods_left: dict[str, int] = Field(
        description="Of their subscriptions (wishes with a term), by wish id: the periods each"
                    " still stands, this one included.")
    assignments: list[Assignment]
    allocations: list[MyAllocation]
    share: float | None = Field(description="Their share in weighted hours (null before"
                                            " the clearing).")
    share_parts: ShareParts | None = Field(
        default=None,
        description="What their share is made of (null before the clearing, and for a plan"
                    " of format peerconomy-plan/1, made before the premium refund).")
    credits: float = Field(description="Credit of their confirmed work so far.")
    balance: Amount
    logs: list[WorkLogOut] = Field(description="Work they logged in the current period.")
    to_confirm: list[WorkLogOut] = Field(description="Others' pending work on their tasks.")
    confirmable: list[int] = Field(description="The logs of to_confirm they may confirm.")
    rejectable: list[int] = Field(description="The logs of to_confirm they may reject.")
    withdrawable: list[int] = Field(
        description="The logs of logs they may withdraw (those awaiting confirmation).")
    beyond_assignment: dict[str, float] = Field(
        description="The hours they logged beyond their assignment, by task (tasks without"
                    " excess left out): they earn nothing.")
    shifts_to_log: list[ShiftToLogOut] = Field(
        description="Their shifts of the cleared period that have ended and are not logged.")
    next_steps: list[NextStep]


class SubscribedUnits(BaseModel):
    """The units subscriptions ask for of one good (or of a product type, where that is a
    subscription's first choice) in the coming periods: ``units[0]`` in
    ``subscribed_from``, then one a period, up to the longest term left."""

    good: str | None
    product_type: str | None
    units: list[int]


class OpenSlotOut(BaseModel):
    """A shift still ahead with places nobody fills (handed back, or never filled)."""

    shift: int = Field(description="The shift's id (take a place: POST .../shifts/{shift}/take).")
    task: str
    project: str
    period: int
    date: date
    start: time = Field(description="Local time in the pool's time zone.")
    end: time = Field(description="Local time; at or before the start: the next day.")
    place: str
    slots: int
    free: int = Field(description="Places free.")


class HintBoardOut(BaseModel):
    """What the pool needs most, from its latest plan (``period`` null: none yet)."""

    pool: str
    period: int | None
    uncovered: list[OpenTask]
    unmet_wishes: list[UnmetWish]
    overproduction: list[GoodProduction | ProductTypeProduction]
    underproduction: list[GoodProduction | ProductTypeProduction]
    todo: dict[str, list[ToDo]] = Field(description="Each project's to-do list.")
    subscribed_from: int | None = Field(
        description="The period the subscribed units start from (the current one).")
    subscribed: dict[str, list[SubscribedUnits]] = Field(
        description="Per project, the units subscriptions ask for of its goods in the coming"
                    " periods.")
    open_slots: list[OpenSlotOut] = Field(
        description="Free places on shifts still ahead, by date and time.")


class ContactChoice(BaseModel):
    """Whether a member lets the pool's coordinators see their email and phone."""

    participant: str
    contact_visible: bool
    version: int


class ProjectWithParts(ProjectOut):
    """A project with its tasks and goods."""

    tasks: list[Task]
    goods: list[Good]


class JoinRequestOut(BaseModel):
    """A user's request to join the pool."""

    user: str
    requested_at: datetime
    status: JoinStatus
    decided_by: str | None


class JoinDecision(BaseModel):
    """A request to join, decided."""

    user: str
    status: JoinStatus


class AuditPage(BaseModel):
    """Entries of the audit log, newest first; ``next``: the ``before`` of the next page
    (null: no older entries)."""

    entries: list[AuditEntry]
    next: int | None


# the books

class StatementLineOut(BaseModel):
    """One posting to a participant's account, with the balance after it."""

    transaction: str
    period: int
    date: date
    kind: Kind
    narration: str
    amount: Amount
    balance: Amount


class HistoryOut(BaseModel):
    """Balances (of a participant), weights and premiums, period by period."""

    periods: list[int]
    balances: dict[int, Amount] = Field(description="The balance after each period.")
    weights: dict[str, dict[int, float]] = Field(description="Each task's weight by period.")
    premiums: dict[str, dict[int, float]] = Field(
        description="Each good's premium by period.")


class PostingOut(BaseModel):
    """An amount booked to one account."""

    account: str
    amount: Amount


class TransactionOut(BaseModel):
    """One entry of the journal; its postings sum to zero."""

    id: str
    period: int
    date: date
    kind: Kind
    narration: str
    postings: list[PostingOut]
    reverses: str | None = None
