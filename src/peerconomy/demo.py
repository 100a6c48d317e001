"""``peerconomy demo``'s engine: a sample pool, run period by period and told as a story.

The pool joins three projects: a farm (vegetables, eggs, milk and a wood-oven farmhouse
loaf; milking at dawn is the task nobody wants), a bakery (sourdough: the farm's loaf and the
bakery's are one product type, ``bread``) and a bicycle workshop (repairs, and a cargo bike
and a tandem to borrow for a weekend: scarce, so they go by auction and carry a premium).
Thirty people offer work and make wishes; Rosa, 91, is exempt and the others carry her share.

:func:`run_demo` imports the pool and runs each period end to end through the pool services
only (clear, simulated work and its communal validation, settle), then prints in short
sentences and small tables what the clearing found, what the books say and what the hint
board asks for next. Between periods a few members answer the hint board with new offers.

Everything is seeded: the same seed gives the same pool, the same plans and the same text.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, NamedTuple, TypeVar

import numpy as np
from rich import box
from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Assignment, Member
from peerconomy.domain.scenario import Offer, parse_scenario
from peerconomy.ledger.journal import POOL, Account, participant_of
from peerconomy.services import accounts, books, collecting, hints, membership, pools, work
from peerconomy.services.hints import HintBoard
from peerconomy.services.periods import clear_period, settle_period
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "COORDINATORS",
    "DEMO_SIGN_INS",
    "POOL_NAME",
    "DemoResult",
    "LoggedWork",
    "PeriodFigures",
    "WorkSummary",
    "add_demo_accounts",
    "demo_scenario",
    "run_demo",
    "simulate_work",
]

UnitOfWorkFactory = Callable[[], UnitOfWork]
_T = TypeVar("_T")

POOL_NAME: Final = "demo"
COORDINATORS: Final = ("ana", "kofi")
MAX_WEIGHT: Final = 3.0

# --- the pool ------------------------------------------------------------------------------


class _TaskSpec(NamedTuple):
    id: str
    project: str
    min_weight: float
    """The middle of the min_weights people ask for this task (1: a standard hour)."""
    spread: float
    fixed_hours: float = 0.0


_TASKS: Final = (
    _TaskSpec("weeding", "farm", 1.15, 0.15),
    _TaskSpec("harvesting", "farm", 1.0, 0.1),
    _TaskSpec("milking_at_dawn", "farm", 1.8, 0.4),
    _TaskSpec("hen_care", "farm", 0.9, 0.1),
    _TaskSpec("wood_oven", "farm", 0.95, 0.1),
    _TaskSpec("fence_mending", "farm", 1.5, 0.2, fixed_hours=6.0),
    _TaskSpec("kneading", "bakery", 1.0, 0.1),
    _TaskSpec("baking", "bakery", 0.85, 0.1),
    _TaskSpec("delivery", "bakery", 1.05, 0.1),
    _TaskSpec("repairing", "workshop", 0.9, 0.1),
    _TaskSpec("bike_care", "workshop", 1.0, 0.1),
)

_GOODS: Final[tuple[dict[str, Any], ...]] = (
    {"id": "vegetable_box", "limit": 2, "project": "farm", "model": "flat_rate",
     "recipe": {"harvesting": 1.0, "weeding": 0.7}},
    {"id": "eggs", "limit": 3, "project": "farm", "model": "flat_allocation",
     "recipe": {"hen_care": 0.35}},
    {"id": "milk", "limit": 2, "project": "farm", "model": "effort",
     "recipe": {"milking_at_dawn": 0.8}},
    {"id": "farmhouse_loaf", "limit": 2, "project": "farm", "model": "effort", "capacity": 12,
     "recipe": {"wood_oven": 0.6}, "product_type": "bread"},
    {"id": "sourdough", "limit": 5, "project": "bakery", "model": "effort", "capacity": 100,
     "recipe": {"kneading": 0.25, "baking": 0.2, "delivery": 0.15}, "product_type": "bread"},
    {"id": "bicycle_repair", "limit": 1, "project": "workshop", "model": "effort",
     "recipe": {"repairing": 1.5}},
    {"id": "cargo_bike_weekend", "limit": 1, "project": "workshop", "model": "auction",
     "capacity": 2, "recipe": {"bike_care": 1.5}},
    {"id": "tandem_weekend", "limit": 1, "project": "workshop", "model": "auction", "capacity": 1,
     "recipe": {"bike_care": 1.0}},
)


class _Person(NamedTuple):
    id: str
    capacity: int | None
    """Hours a period, before the seed's jitter; None: no limit."""
    likes: tuple[str, ...]
    """The tasks they offer."""


EXEMPT: Final = "rosa"
_PEOPLE: Final = (
    _Person("ana", 12, ("harvesting", "kneading")),
    _Person("ben", 10, ("harvesting", "repairing", "weeding")),
    _Person("chiara", 14, ("weeding", "harvesting")),
    _Person("dario", 8, ("milking_at_dawn", "delivery")),
    _Person("emil", 12, ("baking", "kneading", "harvesting")),
    _Person("fatima", 16, ("repairing", "bike_care")),
    _Person("hugo", 6, ("weeding", "kneading")),
    _Person("ines", 10, ("baking", "delivery", "kneading")),
    _Person("jamal", 12, ("harvesting", "hen_care")),
    _Person("kofi", 14, ("repairing", "fence_mending")),
    _Person("lena", 8, ("kneading", "baking")),
    _Person("mei", 10, ("weeding", "hen_care")),
    _Person("noah", None, ("milking_at_dawn", "harvesting")),
    _Person("olu", 12, ("delivery", "repairing", "wood_oven")),
    _Person("priya", 10, ("weeding", "harvesting")),
    _Person("quentin", 6, ("bike_care", "repairing")),
    _Person("rosa", 4, ("hen_care",)),
    _Person("sven", 14, ("milking_at_dawn", "weeding")),
    _Person("tariq", 10, ("kneading", "delivery", "harvesting")),
    _Person("uma", 8, ("wood_oven", "baking")),
    _Person("valentina", 12, ("harvesting", "weeding")),
    _Person("wen", 10, ("repairing", "bike_care")),
    _Person("xavier", 8, ("wood_oven", "harvesting", "weeding")),
    _Person("yusuf", 12, ("milking_at_dawn", "hen_care")),
    _Person("zoe", 6, ("baking", "hen_care")),
    _Person("amara", 10, ("weeding", "kneading")),
    _Person("bruno", 12, ("harvesting", "kneading")),
    _Person("chen", None, ("kneading", "repairing")),
    _Person("dagny", 8, ("hen_care", "wood_oven")),
    _Person("farah", 10, ("delivery", "baking", "harvesting")),
)
_FIXED_OFFERS: Final = {("rosa", "hen_care"): 2, ("kofi", "fence_mending"): 2}
"""Offers whose hours the story needs as they are: Rosa's two hours with the hens, and the
two of the six hours of fence mending that anyone offers at first."""


def demo_scenario(seed: int = 0) -> dict[str, Any]:
    """The demo pool's first period as a ``peerconomy-scenario/1`` dict.

    Three projects and thirty people; the seed varies capacities, offered hours, min_weights,
    wish quantities, who wishes what and the bids on the weekend bikes, never the shape of the
    story: milking at dawn is short of takers (its weight ends above 1), fence mending is
    short of offers (hours stay open on the hint board), the bikes are wished by more people
    than they can serve (a premium), Rosa is exempt.
    """
    if seed < 0:
        raise ValueError(f"seed: must be >= 0, got {seed}")
    rng = np.random.default_rng(seed)
    spec = {t.id: t for t in _TASKS}
    participants: list[dict[str, Any]] = []
    offers: list[dict[str, Any]] = []
    for person in _PEOPLE:
        entry: dict[str, Any] = {"id": person.id}
        if person.capacity is not None:
            jitter = int(rng.integers(-1, 2)) * 2 if person.id != EXEMPT else 0
            entry["capacity"] = person.capacity + jitter
        if person.id == EXEMPT:
            entry["exempt"] = True
        participants.append(entry)
        for task in person.likes:
            fixed = _FIXED_OFFERS.get((person.id, task))
            if fixed is not None:
                hours = fixed
            elif task == "milking_at_dawn":
                hours = int(rng.integers(3, 6))
            else:
                hours = int(rng.integers(2, 6))
            t = spec[task]
            asked = round(max(0.5, t.min_weight + float(rng.uniform(-t.spread, t.spread))), 1)
            offers.append(
                {"participant": person.id, "task": task, "hours": hours, "min_weight": asked}
            )
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": MAX_WEIGHT, "seed": seed},
        "participants": participants,
        "projects": [{"id": "farm"}, {"id": "bakery"}, {"id": "workshop"}],
        "tasks": [
            {"id": t.id, "project": t.project}
            | ({"fixed_hours": t.fixed_hours} if t.fixed_hours else {})
            for t in _TASKS
        ],
        "goods": [dict(g) for g in _GOODS],
        "offers": offers,
        "wishes": _wishes(rng),
    }


def _wishes(rng: np.random.Generator) -> list[dict[str, Any]]:
    people = [p.id for p in _PEOPLE]
    others = [p for p in people if p != EXEMPT]

    def some(k: int, among: Sequence[str] = others) -> list[str]:
        return _pick(rng, among, k)

    wishes: list[dict[str, Any]] = []

    def wish(who: str, name: str, quantity: int, *alternatives: dict[str, Any]) -> None:
        entry: dict[str, Any] = {"participant": who, "id": f"{who}_{name}"}
        if quantity != 1:
            entry["quantity"] = quantity
        entry["alternatives"] = list(alternatives)
        wishes.append(entry)

    families = set(some(5))
    for who in sorted([EXEMPT, *some(25)], key=people.index):
        wish(who, "vegetables", 2 if who in families else 1, {"good": "vegetable_box"})
    for who in sorted([EXEMPT, *some(17)], key=people.index):
        wish(who, "eggs", int(rng.integers(1, 4)), {"good": "eggs"})
    for who in some(12):
        wish(who, "milk", 1, {"good": "milk"})
    bread = sorted([EXEMPT, *some(23)], key=people.index)
    loaf_lovers = set(_pick(rng, bread, 6))
    for i, who in enumerate(bread):
        loaves = int(rng.integers(2, 6))
        if who not in loaf_lovers:
            wish(who, "bread", loaves, {"product_type": "bread"})
        elif i % 3 == 0:  # only the wood-oven loaf will do
            wish(who, "bread", min(loaves, 2), {"good": "farmhouse_loaf"})
        else:  # the farmhouse loaf, or else any bread
            wish(who, "bread", loaves, {"good": "farmhouse_loaf"}, {"product_type": "bread"})
    for who in some(10):
        wish(who, "repair", 1, {"good": "bicycle_repair"})
    riders = some(8)
    for i, who in enumerate(riders):
        bid = round(float(rng.uniform(2.0, 9.0)), 1)
        if i == len(riders) - 1:  # a couple who only want the tandem
            wish(who, "weekend", 1, {"good": "tandem_weekend", "max_cost": round(bid / 2, 1)})
        elif i % 3 == 1:  # the cargo bike, or else the tandem
            wish(who, "weekend", 1, {"good": "cargo_bike_weekend", "max_cost": bid},
                 {"good": "tandem_weekend", "max_cost": round(bid * 0.6, 1)})
        else:
            wish(who, "weekend", 1, {"good": "cargo_bike_weekend", "max_cost": bid})
    return wishes


def _pick(rng: np.random.Generator, items: Sequence[_T], k: int) -> list[_T]:
    """``k`` distinct items drawn by ``rng``, in their order in ``items``."""
    chosen = rng.choice(len(items), size=min(k, len(items)), replace=False)
    return [items[i] for i in sorted(int(c) for c in chosen)]


# --- what the demo reports -----------------------------------------------------------------


class LoggedWork(NamedTuple):
    """Work a member logged in the simulation, and who confirmed (or accepted) it."""

    participant: str
    task: str
    assigned: float
    """The hours the plan assigned (0 for unassigned work)."""
    logged: float
    confirmed_by: str


@dataclass(frozen=True, slots=True)
class WorkSummary:
    """What members did with one period's plan."""

    period: int
    logs: tuple[LoggedWork, ...]
    """Assigned work, logged and confirmed by another member."""
    forgotten: tuple[Assignment, ...]
    """The assignments of the member who forgot to log."""
    unassigned: LoggedWork | None
    """Work done without an assignment, accepted by a coordinator."""

    @property
    def partly(self) -> tuple[LoggedWork, ...]:
        """Logs of less than the assigned hours."""
        return tuple(log for log in self.logs if log.logged < log.assigned)


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """One period of the demo: its estimates, plan, work, balances after settling, hints."""

    number: int
    weight_estimates: Mapping[str, float]
    plan: ClearedPlan
    offers_changed: tuple[Offer, ...]
    """Offers members made or changed before this period cleared."""
    work: WorkSummary
    balances: Mapping[Account, Decimal]
    hint_board: HintBoard


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What :func:`run_demo` did: the pool's name, its scenario, and each period's figures."""

    pool: str
    scenario: Mapping[str, Any]
    periods: tuple[PeriodFigures, ...]

    @property
    def plans(self) -> tuple[ClearedPlan, ...]:
        """Each period's plan (``peerconomy-plan/1``)."""
        return tuple(p.plan for p in self.periods)

    @property
    def balances(self) -> tuple[Mapping[Account, Decimal], ...]:
        """The balances after each settlement (the pool's account last)."""
        return tuple(p.balances for p in self.periods)


# --- the simulation ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """What members can see of the pool's latest period (everything is transparent)."""

    period: int
    members: tuple[Member, ...]
    offers: tuple[Offer, ...]
    assignments: tuple[Assignment, ...]
    plan: ClearedPlan | None


def _snapshot(uow_factory: UnitOfWorkFactory, pool: str, number: int | None = None) -> _Snapshot:
    # No service reads a period's plan and offers, so this one read goes to the repositories.
    with uow_factory() as uow:
        latest = uow.periods.latest(pool)
        if latest is None:  # pragma: no cover - every pool has its first period
            raise LookupError(f"pool {pool!r} has no period")
        n = latest.number if number is None else number
        plan = uow.periods.plan(pool, n)
        return _Snapshot(
            n,
            tuple(m for m in uow.pools.members(pool) if m.active),
            tuple(uow.periods.offers(pool, n)),
            tuple(uow.periods.assignments(pool, n)),
            None if plan is None else plan.data,
        )


def _choice(rng: np.random.Generator, items: Sequence[_T]) -> _T:
    return items[int(rng.integers(len(items)))]


def _half_hours(hours: float) -> float:
    return max(0.5, round(hours * 2) / 2)


def simulate_work(
    uow_factory: UnitOfWorkFactory, pool: str, rng: np.random.Generator
) -> WorkSummary:
    """Members work the cleared period's plan, through the work services only.

    Most log their assignments in full, about one in six only partly, and one member forgets
    to log at all. Each log is confirmed by another member (a co-worker on the task where
    there is one: communal validation). One member who has no assignment on the most wanted
    task (open hours first) does two hours of it anyway, and a coordinator accepts that work.
    """
    seen = _snapshot(uow_factory, pool)
    assignments = seen.assignments
    workers = list(dict.fromkeys(a.participant for a in assignments))
    leads = [m.id for m in seen.members if m.role == "coordinator"]
    forgetful = [w for w in workers if w not in leads]
    forgetter = _choice(rng, forgetful) if forgetful else None
    on_task: dict[str, list[str]] = {}
    for a in assignments:
        on_task.setdefault(a.task, []).append(a.participant)
    everyone = [m.id for m in seen.members]

    logs: list[LoggedWork] = []
    for a in assignments:
        if a.participant == forgetter:
            continue
        hours = a.hours
        if rng.random() < 1 / 6 and a.hours > 1:
            hours = min(_half_hours(a.hours * float(rng.uniform(0.4, 0.8))), a.hours)
        logged = work.log_work(uow_factory(), pool, a.participant, a.task, hours)
        peers = [p for p in on_task[a.task] if p != a.participant]
        by = _choice(rng, peers or [p for p in everyone if p != a.participant])
        work.confirm_work(uow_factory(), pool, logged.id, by)
        logs.append(LoggedWork(a.participant, a.task, a.hours, hours, by))

    extra = _unassigned_work(uow_factory, pool, rng, seen, forgetter)
    return WorkSummary(
        seen.period,
        tuple(logs),
        tuple(a for a in assignments if a.participant == forgetter),
        extra,
    )


def _unassigned_work(
    uow_factory: UnitOfWorkFactory,
    pool: str,
    rng: np.random.Generator,
    seen: _Snapshot,
    forgetter: str | None,
) -> LoggedWork | None:
    if seen.plan is None or not seen.plan.weights:
        return None
    weights = seen.plan.weights
    uncovered = seen.plan.uncovered
    task = max(weights, key=lambda t: (uncovered[t] > 0, weights[t], t))
    on_it = {a.participant for a in seen.assignments if a.task == task}
    leads = [m.id for m in seen.members if m.role == "coordinator"]
    helpers = [
        m.id for m in seen.members
        if not m.exempt and m.role != "coordinator" and m.id not in on_it and m.id != forgetter
    ]
    if not helpers or not leads:
        return None
    helper = _choice(rng, helpers)
    lead = _choice(rng, leads)
    hours = 2.0 if uncovered[task] <= 0 else min(2.0, _half_hours(uncovered[task]))
    logged = work.log_work(uow_factory(), pool, helper, task, hours)
    work.confirm_work(uow_factory(), pool, logged.id, lead)
    return LoggedWork(helper, task, 0.0, hours, lead)


def _answer_hint_board(
    uow_factory: UnitOfWorkFactory, pool: str, rng: np.random.Generator, board: HintBoard
) -> tuple[Offer, ...]:
    """Before the next period clears, a few members answer the hint board: someone offers
    each task's open hours, and three more people offer the weightiest covered task."""
    before = _snapshot(uow_factory, pool, board.period)
    now = _snapshot(uow_factory, pool)
    busy: dict[str, float] = {}
    for a in before.assignments:
        busy[a.participant] = busy.get(a.participant, 0.0) + a.hours

    made: list[Offer] = []

    def free(m: Member, task: str, hours: float) -> bool:
        offered = any(o.participant == m.id and o.task == task for o in now.offers)
        spare = math.inf if m.capacity is None else m.capacity - busy.get(m.id, 0.0)
        answered = any(o.participant == m.id for o in made)
        return not m.exempt and not offered and not answered and spare >= hours

    def offer(who: str, task: str, hours: float, min_weight: float) -> None:
        o = Offer(participant=who, task=task, hours=hours, min_weight=min_weight)
        made.append(collecting.make_offer(uow_factory(), pool, o))

    for hint in board.uncovered:
        task, hours = str(hint["task"]), float(math.ceil(hint["hours"]))
        takers = [m for m in now.members if free(m, task, hours)]
        if takers:
            asked = round(float(rng.uniform(1.1, 1.6)), 1)
            offer(_choice(rng, takers).id, task, hours, asked)
    open_tasks = {str(h["task"]) for h in board.uncovered}
    covered = [t for items in board.todo.values() for t in items if t.task not in open_tasks]
    if covered:
        top = max(covered, key=lambda t: (t.weight, t.task))
        if top.weight > 1.2:
            takers = [m for m in now.members if free(m, top.task, 3.0)]
            for m in _pick(rng, takers, 3):
                asked = round(float(rng.uniform(1.1, max(1.1, top.weight - 0.1))), 1)
                offer(m.id, top.task, float(rng.integers(3, 5)), asked)
    return tuple(made)


# --- the story -----------------------------------------------------------------------------


def run_demo(
    uow_factory: UnitOfWorkFactory, console: Console, periods: int = 2, seed: int = 0
) -> DemoResult:
    """Import the demo pool (coordinated by Ana and Kofi) into a fresh store and run
    ``periods`` periods end to end (clear, simulated work, settle), printing what each
    period shows. From period 2 on, a few members first answer the hint board with offers."""
    if periods < 1:
        raise ValueError(f"periods: must be >= 1, got {periods}")
    data = demo_scenario(seed)
    scenario = parse_scenario(data)
    rng = np.random.default_rng([seed, 1])
    pools.import_scenario(uow_factory(), POOL_NAME, scenario, coordinators=COORDINATORS)
    _intro(console, data)

    figures: list[PeriodFigures] = []
    for number in range(1, periods + 1):
        console.print()
        console.print(Rule(f"[bold]Period {number}[/bold]"))
        changed: tuple[Offer, ...] = ()
        if figures:
            changed = _answer_hint_board(uow_factory, POOL_NAME, rng, figures[-1].hint_board)
            _show_changes(console, changed, figures[-1])
        estimates = dict(_period_estimates(uow_factory, POOL_NAME))
        plan = clear_period(uow_factory(), POOL_NAME).data
        _show_weights(console, data, plan, estimates, number)
        _show_goods(console, data, plan)
        _show_shares(console, plan)
        done = simulate_work(uow_factory, POOL_NAME, rng)
        _show_work(console, done)
        settle_period(uow_factory(), POOL_NAME)
        held = books.balances(uow_factory(), POOL_NAME)
        _show_balances(console, held, number)
        board = hints.hint_board(uow_factory(), POOL_NAME)
        _show_board(console, board)
        figures.append(PeriodFigures(number, estimates, plan, changed, done, held, board))

    _epilogue(console, figures)
    return DemoResult(POOL_NAME, data, tuple(figures))


DEMO_SIGN_INS: Final = (("ana", "coordinator"), ("ben", "member"), ("chiara", "member"))


def add_demo_accounts(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str, str]]:
    """Accounts for three of the demo's people, so the pool can be tried in the browser:
    (name, password, role) each, each account linked to its member as a coordinator would
    (the demo's other people stay unclaimed). The passwords are made up on the spot, not
    kept anywhere but in the fresh demo database (as argon2 hashes)."""
    made = []
    for name, role in DEMO_SIGN_INS:
        password = f"{name}-{secrets.token_hex(4)}"
        accounts.sign_up(uow_factory(), name, f"{name}@demo.example", password,
                         display_name=name.capitalize(), mode="open")
        membership.link_member(uow_factory(), POOL_NAME, name, name)
        made.append((name, password, role))
    return made


def _period_estimates(uow_factory: UnitOfWorkFactory, pool: str) -> Mapping[str, float]:
    with uow_factory() as uow:
        latest = uow.periods.latest(pool)
        return {} if latest is None else dict(latest.weight_estimates)


# --- printing ------------------------------------------------------------------------------

_TOP_ROWS: Final = 8
_LISTED: Final = 4


def _name(item: str) -> str:
    """An id in words: ``milking_at_dawn`` -> ``milking at dawn``."""
    return item.replace("_", " ")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _hours(value: float) -> str:
    return f"{value:.1f}"


def _times(weight: float) -> str:
    return f"{weight:.2f}\N{MULTIPLICATION SIGN}"


def _listing(items: Sequence[str], limit: int | None = None) -> str:
    """``a, b and c``; beyond ``limit`` items, ``a, b and 3 more``."""
    items = list(items)
    if limit is not None and len(items) > limit:
        items = [*items[:limit], f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _table(*columns: str, numeric_from: int = 1, footer: Sequence[str] = ()) -> Table:
    table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False, show_footer=bool(footer))
    for i, column in enumerate(columns):
        table.add_column(
            column,
            justify="right" if i >= numeric_from else "left",
            footer=footer[i] if footer else "",
        )
    return table


def _say(console: Console, *sentences: str) -> None:
    console.print()
    console.print(" ".join(s for s in sentences if s))


def _bullets(console: Console, lines: Sequence[str]) -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column()
    for line in lines:
        grid.add_row("•", line)
    console.print(grid)


def _intro(console: Console, data: Mapping[str, Any]) -> None:
    people = data["participants"]
    console.print(Rule("[bold]peerconomy demo: a distribution pool, period by period[/bold]"))
    console.print(
        f"{len(people)} people and three projects share out their work and goods by"
        " contributions, not exchange. Each period everyone offers hours on tasks, naming the"
        " lowest weight (credit per hour) they would do them at, and wishes for goods; the pool"
        " clears the period, members do the work and confirm each other's, and the books are"
        " settled. Rosa, 91, is exempt: she cannot contribute, so the others carry her share."
        " Ana and Kofi coordinate."
    )
    table = _table("Project", "Tasks", "Goods (model)", numeric_from=3)
    for project in data["projects"]:
        pid = project["id"]
        tasks = [_name(t["id"]) for t in data["tasks"] if t["project"] == pid]
        goods = [
            f"{_name(g['id'])} ({_name(g['model'])})" for g in data["goods"] if g["project"] == pid
        ]
        table.add_row(pid, ", ".join(tasks), ", ".join(goods))
    _say(console, "The projects, their tasks and their goods:")
    console.print(table)


def _show_changes(console: Console, changed: Sequence[Offer], before: PeriodFigures) -> None:
    if not changed:
        _say(console, f"Nobody changed their offers after period {before.number}.")
        return
    open_hours = {str(h["task"]): h for h in before.hint_board.uncovered}
    weights = before.plan.weights
    lines: list[str] = []
    for task in dict.fromkeys(o.task for o in changed):
        offers = [o for o in changed if o.task == task]
        who = _listing([f"{o.participant} ({_hours(o.hours)} h at {_times(o.min_weight)} or"
                        " more)" for o in offers])
        if task in open_hours:
            hint = open_hours[task]
            why = (f"The hint board showed {_hours(hint['hours'])} h of {_name(task)} open at"
                   f" {_times(hint['weight'])}")
        else:
            why = f"{_cap(_name(task))} weighed {_times(weights[task])} in period {before.number}"
        lines.append(f"{why}: {who} now offer{'s' if len(offers) == 1 else ''} it.")
    _say(console, "Members read the hint board and made new offers; everything else they"
                  " offered and wished stands:")
    _bullets(console, lines)


def _show_weights(
    console: Console,
    data: Mapping[str, Any],
    plan: ClearedPlan,
    estimates: Mapping[str, float],
    number: int,
) -> None:
    weights = plan.weights
    uncovered = plan.uncovered
    assigned: dict[str, float] = {}
    for a in plan.assignments:
        assigned[a.task] = assigned.get(a.task, 0.0) + a.hours
    covered = sorted((t for t in weights if uncovered[t] <= 0), key=lambda t: (weights[t], t))
    story = ["Task weights, credit per hour: each is the lowest at which enough people take the"
             " task on, the same for everyone doing it; a standard hour weighs 1."]
    fell: list[str] = []
    if number > 1:
        fell = [t for t in covered if estimates.get(t, 1.0) - weights[t] > 1e-9]
        if fell:
            story.append("New offers brought weights down: " + _listing([
                f"{_name(t)} from {_times(estimates.get(t, 1.0))} to {_times(weights[t])}"
                for t in fell]) + ".")
    if covered:
        top, low = covered[-1], covered[0]
        if weights[top] > 1:
            story.append(
                f"{_cap(_name(top))} now weighs the most, {_times(weights[top])}."
                if top in fell else
                f"{_cap(_name(top))} finds the fewest takers, so its hours weigh"
                f" {_times(weights[top])}."
            )
        if weights[low] < 1:
            story.append(f"{_cap(_name(low))} is popular and weighs {_times(weights[low])}.")
    for task in sorted((t for t in weights if uncovered[t] > 0), key=lambda t: -uncovered[t]):
        story.append(f"Nobody offered enough {_name(task)}: {_hours(uncovered[task])} h stay"
                     f" open at the pool's max weight, {_times(weights[task])}.")
    if number > 1:
        story.append(f"The estimates, which set this period's effort costs, are the weights"
                     f" period {number - 1} found.")
    _say(console, *story)
    table = _table("Project", "Task", "Needed h", "Assigned h", "Open h", "Estimate", "Weight",
                   numeric_from=2)
    for task in data["tasks"]:
        tid = task["id"]
        if tid not in weights:
            continue
        done = assigned.get(tid, 0.0)
        table.add_row(
            task["project"], _name(tid), _hours(done + uncovered[tid]), _hours(done),
            _hours(uncovered[tid]) if uncovered[tid] > 0 else "",
            _times(estimates.get(tid, 1.0)), f"[bold]{_times(weights[tid])}[/bold]",
        )
    console.print(table)


def _show_goods(console: Console, data: Mapping[str, Any], plan: ClearedPlan) -> None:
    goods = plan.goods
    story = ["Goods: how often each was wished, how many are made, and what a unit asks of"
             " whoever takes it (its unit cost, in weighted hours)."]
    scarce = [g for g in data["goods"] if g["model"] == "auction" and goods[g["id"]].premium]
    if scarce:
        story.append(
            _cap(_listing([f"the {_name(g['id'])} ({goods[g['id']].wished} wishes for"
                           f" {g['capacity']})" for g in scarce]))
            + f" {'is' if len(scarce) == 1 else 'are'} scarce:"
            f" {'a premium' if len(scarce) == 1 else 'premiums'} of "
            + _listing([f"{_hours(goods[g['id']].premium)} h" for g in scarce])
            + " on top of the effort made the lowest bids step back. A premium rewards no one;"
            " it lowers every other unit's cost."
        )
    by_type: dict[str, list[Mapping[str, Any]]] = {}
    for g in data["goods"]:
        if g.get("product_type"):
            by_type.setdefault(g["product_type"], []).append(g)
    for product, makers in by_type.items():
        if len(makers) > 1:
            made = _listing([f"the {m['project']}'s {_name(m['id'])}"
                             f" ({goods[m['id']].allocated} made)" for m in makers])
            story.append(f"Wishes for {product} name the product type, so {made} both meet"
                         " them.")
    flat = [_name(g["id"]) for g in data["goods"] if g["model"] == "flat_rate"]
    if flat:
        one = len(flat) == 1
        verb, its = ("is", "its") if one else ("are", "their")
        story.append(f"The {_listing(flat)} {verb} flat rate: {its} effort is shared evenly, so"
                     " taking one costs nothing extra.")
    _say(console, *story)
    table = _table("Good", "Project", "Model", "Wished", "Made", "Premium", "Unit cost",
                   numeric_from=3)
    for g in data["goods"]:
        figures = goods[g["id"]]
        table.add_row(
            _name(g["id"]), g["project"], _name(g["model"]), str(figures.wished),
            str(figures.allocated), _hours(figures.premium) if figures.premium else "",
            f"{figures.unit_cost:.2f}",
        )
    console.print(table)


def _show_shares(console: Console, plan: ClearedPlan) -> None:
    shares = plan.shares
    credits = plan.credits
    effort = float(plan.weighted_effort)
    open_effort = math.fsum(plan.weights[t] * h for t, h in plan.uncovered.items())
    ranked = sorted(shares, key=lambda p: (-shares[p], p))
    top = ranked[0]
    taken = [a for a in plan.allocations if a.participant == top]
    goods_cost = math.fsum(a.cost for a in taken)
    biggest = max(taken, key=lambda a: a.cost) if taken else None
    story = [
        "Shares are what each member is expected to contribute this period; they add up to"
        f" the period's weighted effort, {effort:.2f} h. Credits are the weighted hours of the"
        " work each member is assigned"
        + (f"; they fall short of that by the open hours, {open_effort:.2f} h." if open_effort
           else "."),
    ]
    if biggest is not None:
        rest = goods_cost - biggest.cost
        story.append(
            f"{_cap(top)}'s share, the largest, is {biggest.cost:.2f} h for the"
            f" {_name(biggest.good)}"
            + (f", {rest:.2f} h for other goods" if rest > 0 else "")
            + f" and {shares[top] - goods_cost:.2f} h of what all carry together (flat-rate"
            " goods, fixed hours, Rosa's charges)."
        )
    story.append(f"{_cap(EXEMPT)} is exempt: her share is {shares.get(EXEMPT, 0.0):.2f}.")
    _say(console, *story)
    total_share, total_credit = math.fsum(shares.values()), math.fsum(credits.values())
    table = _table(
        "Member", "Share", "Credit", "Credit - share",
        footer=(f"all {len(shares)}", f"{total_share:.2f}", f"{total_credit:.2f}",
                f"{total_credit - total_share:+.2f}"),
    )
    for who in ranked[:_TOP_ROWS]:
        credit = credits.get(who, 0.0)
        table.add_row(who, f"{shares[who]:.2f}", f"{credit:.2f}", f"{credit - shares[who]:+.2f}")
    if len(ranked) > _TOP_ROWS:
        table.add_row(f"… {len(ranked) - _TOP_ROWS} more", "", "", "")
    console.print(table)


def _show_work(console: Console, done: WorkSummary) -> None:
    partly = done.partly
    story = [f"Work: {len(done.logs) - len(partly)} assignments were logged in full and"
             f" {len(partly)} in part"
             + (" (" + _listing([f"{log.participant} {_hours(log.logged)} of"
                                 f" {_hours(log.assigned)} h {_name(log.task)}"
                                 for log in partly], _LISTED) + ")" if partly else "")
             + "."]
    if done.forgotten:
        who = done.forgotten[0].participant
        hours = math.fsum(a.hours for a in done.forgotten)
        story.append(f"{_cap(who)} forgot to log {_hours(hours)} h, which earn nothing.")
    story.append("Another member confirmed each log, a co-worker on the same task where there"
                 " was one (communal validation).")
    extra = done.unassigned
    if extra is not None:
        story.append(f"{_cap(extra.participant)} saw {_name(extra.task)} on the hint board and"
                     f" did {_hours(extra.logged)} h of it without an assignment;"
                     f" {extra.confirmed_by}, a coordinator, accepted the work.")
    _say(console, *story)


def _show_balances(console: Console, held: Mapping[Account, Decimal], number: int) -> None:
    members = {str(participant_of(a)): b for a, b in held.items() if a != POOL}
    ranked = sorted(members, key=lambda p: (-members[p], p))
    total = sum(held.values(), Decimal(0))
    _say(
        console,
        f"Balances after settling period {number}: confirmed credits minus shares, carried"
        " into the next period (positive: contributed more than their share so far). The"
        " pool's account holds the other side: work planned but not done, less work done"
        f" beyond the plan. The books always balance: all balances sum to {total}.",
    )
    half = _TOP_ROWS // 2
    table = _table("Account", "Balance", footer=("sum of all balances", str(total)))
    if len(ranked) <= 2 * half:
        shown: list[str | None] = list(ranked)
    else:
        shown = [*ranked[:half], None, *ranked[-half:]]
    for who in shown:
        if who is None:
            table.add_row(f"… {len(ranked) - 2 * half} more", "")
        else:
            table.add_row(who, f"{members[who]:+.2f}")
    table.add_section()
    table.add_row("pool", f"{held.get(POOL, Decimal(0)):+.2f}")
    console.print(table)


def _show_board(console: Console, board: HintBoard) -> None:
    _say(
        console,
        f"The hint board after period {board.period} shows what the pool needs most"
        " (stigmergy, not orders): open task hours by weight, unmet wishes, spare and short"
        " capacity, and each project's to-do list (assigned hours still to do, and open"
        " hours nobody was assigned).",
    )
    lines = [
        "Open hours: "
        + (_listing([f"{_name(h['task'])} ({h['project']}), {_hours(h['hours'])} h at"
                     f" {_times(h['weight'])}" for h in board.uncovered]) + "."
           if board.uncovered else "none; every needed hour found someone.")
    ]
    if board.unmet_wishes:
        lines.append("Unmet wishes: " + _listing([
            f"{_name(h['good'])} ({h['units']} units)" for h in board.unmet_wishes]) + ".")
    for title, hints_of_kind in (
        ("Spare capacity (overproduction)", board.overproduction),
        ("At capacity, wished for more (underproduction)", board.underproduction),
    ):
        if hints_of_kind:
            lines.append(f"{title}: " + _listing([
                f"{_name(str(h.get('product_type') or h.get('good')))} at {h['project']}"
                f" ({h['units']} units)" for h in hints_of_kind]) + ".")
    _bullets(console, lines)
    table = _table("Project", "Task", "Weight", "Assigned h", "Done h", "Still to do h",
                   "Open h", numeric_from=2)
    for project, items in board.todo.items():
        for item in items:
            table.add_row(project, _name(item.task), _times(item.weight), _hours(item.planned),
                          _hours(item.done), _hours(item.open) if item.open else "",
                          _hours(item.uncovered) if item.uncovered else "")
    console.print(table)


def _epilogue(console: Console, figures: Sequence[PeriodFigures]) -> None:
    console.print()
    console.print(Rule("[bold]What changed[/bold]"))
    if len(figures) > 1:
        first, last = figures[0].plan.weights, figures[-1].plan.weights
        moved = [t for t in first if t in last and abs(first[t] - last[t]) > 1e-9]
        if moved:
            console.print(
                f"Weights from period 1 to period {figures[-1].number}: "
                + _listing([f"{_name(t)} {_times(first[t])} → {_times(last[t])}"
                            for t in moved])
                + ". A high weight draws offers where work is needed, and falls once they come."
            )
    sums = ", ".join(str(sum(f.balances.values(), Decimal(0))) for f in figures)
    console.print(f"All balances summed to zero after every settlement: {sums}.")
