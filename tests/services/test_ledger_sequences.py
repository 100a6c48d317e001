"""Random sequences of service calls on a small bakery pool keep the books in order.

A hypothesis state machine offers and withdraws work, makes and withdraws wishes, clears,
logs and confirms work, settles and corrects, in any order, period after period. It knows what
each call should do (go through or be refused, and with which error), and after every step
checks the invariants the pool promises:

- the balances sum to exactly zero, and every transaction does;
- the journal is append-only, and the CSV, JSON and Beancount exports agree with the balances;
- a period's plan, once made, never changes;
- a refused call changes nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from readback import posted, totals_from_beancount, totals_from_csv, totals_from_json

from peerconomy.domain.period import IllegalTransitionError
from peerconomy.domain.pool import Plan
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Alternative, Offer, Wish, parse_scenario
from peerconomy.ledger.journal import Transaction
from peerconomy.services import books, collecting, periods, work
from peerconomy.services.errors import ConflictError, NotAllowedError, NotFoundError
from peerconomy.services.pools import import_scenario
from peerconomy.store.memory import MemoryStore

POOL_NAME = "village"
PARTICIPANTS = ["ana", "ben", "chiara", "dario", "emil"]
COORDINATORS = ["ana", "ben"]
TASKS = ["knead", "bake", "serve"]
VILLAGE = parse_scenario({
    "format": "peerconomy-scenario/1",
    "settings": {"max_weight": 3.0, "seed": 7},
    "participants": [
        {"id": "ana"}, {"id": "ben"}, {"id": "chiara"}, {"id": "dario", "capacity": 6},
        {"id": "emil", "exempt": True},
    ],
    "projects": [{"id": "bakery"}, {"id": "cafe"}],
    "tasks": [
        {"id": "knead", "project": "bakery"},
        {"id": "bake", "project": "bakery"},
        {"id": "serve", "project": "cafe", "fixed_hours": 1},
    ],
    "goods": [
        {"id": "bread", "project": "bakery", "model": "effort",
         "recipe": {"knead": 1, "bake": 0.5}, "product_type": "bread"},
        {"id": "bun", "project": "bakery", "model": "flat_allocation", "capacity": 3,
         "recipe": {"knead": 0.25, "bake": 0.25}},
        {"id": "cake", "project": "bakery", "model": "auction", "capacity": 1,
         "recipe": {"bake": 2}},
        {"id": "coffee", "project": "cafe", "model": "flat_rate", "recipe": {"serve": 0.2},
         "limit": 3},
    ],
    "offers": [
        {"participant": "ana", "task": "knead", "hours": 4, "min_weight": 1.0},
        {"participant": "ben", "task": "bake", "hours": 4, "min_weight": 1.25},
        {"participant": "chiara", "task": "serve", "hours": 3, "min_weight": 1.0},
        {"participant": "dario", "task": "knead", "hours": 2, "min_weight": 2.0},
    ],
    "wishes": [
        {"participant": "ana", "id": "ana_wish", "quantity": 2,
         "alternatives": [{"product_type": "bread"}]},
        {"participant": "ben", "id": "ben_wish", "alternatives": [{"good": "cake", "max_cost": 4}]},
        {"participant": "chiara", "id": "chiara_wish", "quantity": 3,
         "alternatives": [{"good": "coffee"}]},
        {"participant": "emil", "id": "emil_wish", "quantity": 2,
         "alternatives": [{"good": "bun"}, {"good": "bread"}]},
    ],
})
"""A village bakery and cafe with every kind of good, and standing offers and wishes to
begin with; emil is exempt, dario has 6 hours."""

ALTERNATIVES: list[list[Alternative]] = [
    [Alternative(good="bread")],
    [Alternative(product_type="bread")],
    [Alternative(good="bun"), Alternative(good="bread")],
    [Alternative(good="cake", max_cost=4.5)],
    [Alternative(good="cake")],
    [Alternative(good="coffee")],
]
"""Wishable alternatives (never mixing auction and non-auction goods)."""
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FIRST_DAY = date(2026, 11, 30)

participants = st.sampled_from(PARTICIPANTS)
tasks = st.sampled_from(TASKS)
amounts = st.sampled_from([0.5, 1.0, 2.0, 2.5, 4.0, 7.0])
weights = st.sampled_from([0.5, 1.0, 1.25, 2.0, 3.5])


class PoolSequences(RuleBasedStateMachine):
    """The model: the current period's number and phase, who holds which offer and wish,
    each work log's worker, assignment, period and status, and every plan as first made."""

    def __init__(self) -> None:
        super().__init__()
        self.store = MemoryStore()
        import_scenario(self.store.unit_of_work(), POOL_NAME, VILLAGE,
                        coordinators=COORDINATORS)
        self.uow = self.store.unit_of_work()
        self.period, self.cleared = 1, False
        self.offers = {(o.participant, o.task) for o in VILLAGE.offers}
        self.wishes = {w.id: w.participant for w in VILLAGE.wishes}
        self.logs: dict[int, dict[str, Any]] = {}
        self.plans: dict[int, Plan] = {}
        self.journal: list[Transaction] = []
        self.exports_checked_at = -1
        self.days = 0

    # --- running a call against the model ------------------------------------------------

    def expect(self, call: Callable[[], object], refused: type[Exception] | None) -> Any:
        """Run ``call``: it goes through when ``refused`` is None, else it raises that error
        and the store is left exactly as it was."""
        if refused is None:
            return call()
        before = self.store.state
        with pytest.raises(refused):
            call()
        assert self.store.state is before
        return None

    def next_day(self) -> date:
        self.days += 1
        return FIRST_DAY + timedelta(days=self.days)

    # --- offers and wishes, while the period collects ------------------------------------

    @precondition(lambda self: not self.cleared)
    @rule(who=participants, task=tasks, hours=amounts, min_weight=weights)
    def make_offer(self, who: str, task: str, hours: float, min_weight: float) -> None:
        offer = Offer(participant=who, task=task, hours=hours, min_weight=min_weight)
        self.expect(lambda: collecting.make_offer(self.uow, POOL_NAME, offer), None)
        self.offers.add((who, task))

    @precondition(lambda self: not self.cleared)
    @rule(data=st.data())
    def withdraw_offer(self, data: st.DataObject) -> None:
        """Withdraw a standing offer (mostly), or one nobody made."""
        anyone = st.tuples(participants, tasks)
        standing = sorted(self.offers)
        who, task = data.draw(st.sampled_from(standing) | anyone if standing else anyone,
                              label="offer")
        known = (who, task) in self.offers
        self.expect(lambda: collecting.withdraw_offer(self.uow, POOL_NAME, who, task),
                    None if known else NotFoundError)
        self.offers.discard((who, task))

    @precondition(lambda self: not self.cleared)
    @rule(who=participants, owner=st.none() | participants,
          alternatives=st.sampled_from(ALTERNATIVES), quantity=st.integers(1, 3))
    def make_wish(self, who: str, owner: str | None, alternatives: list[Alternative],
                  quantity: int) -> None:
        """A participant makes or changes their wish, ``<who>_wish``; naming an ``owner``'s
        wish instead, which is refused once that is another participant's."""
        wish_id = f"{owner or who}_wish"
        wish = Wish(participant=who, id=wish_id, quantity=quantity, alternatives=alternatives)
        holder = self.wishes.get(wish_id, who)
        self.expect(lambda: collecting.make_wish(self.uow, POOL_NAME, wish),
                    None if holder == who else InputError)
        self.wishes[wish_id] = holder

    @precondition(lambda self: not self.cleared)
    @rule(data=st.data())
    def withdraw_wish(self, data: st.DataObject) -> None:
        known = sorted(self.wishes)
        wish_id = data.draw(st.sampled_from([*known, "nobodys_wish"]), label="wish")
        self.expect(lambda: collecting.withdraw_wish(self.uow, POOL_NAME, wish_id),
                    None if wish_id in self.wishes else NotFoundError)
        self.wishes.pop(wish_id, None)

    # --- the period ----------------------------------------------------------------------

    @rule()
    def clear_or_settle(self) -> None:
        """The period's next step: clear it while it collects, settle it once cleared."""
        if not self.cleared:
            plan = self.expect(lambda: periods.clear_period(self.uow, POOL_NAME, now=NOW), None)
            assert plan.period == self.period
            self.plans[self.period] = plan
            self.cleared = True
        else:
            following = self.expect(
                lambda: periods.settle_period(self.uow, POOL_NAME, on=self.next_day()), None
            )
            self.period, self.cleared = self.period + 1, False
            assert following.number == self.period

    @rule(data=st.data())
    def a_step_out_of_turn_is_refused(self, data: st.DataObject) -> None:
        """Clearing twice, settling before clearing, offering or wishing once cleared,
        logging work before: each is refused, saying where the period stands."""
        calls: dict[str, Callable[[], object]] = {
            "clear": lambda: periods.clear_period(self.uow, POOL_NAME, now=NOW),
            "settle": lambda: periods.settle_period(self.uow, POOL_NAME, on=FIRST_DAY),
            "offer": lambda: collecting.make_offer(self.uow, POOL_NAME, Offer(
                participant="ben", task="bake", hours=1.0, min_weight=1.0)),
            "wish": lambda: collecting.withdraw_wish(self.uow, POOL_NAME, "ben_wish"),
            "log work": lambda: work.log_work(self.uow, POOL_NAME, "ben", "bake", 1.0, now=NOW),
        }
        out_of_turn = ["clear", "offer", "wish"] if self.cleared else ["settle", "log work"]
        step = data.draw(st.sampled_from(out_of_turn), label="step")
        self.expect(calls[step], IllegalTransitionError)

    # --- work, while the period is cleared -----------------------------------------------

    @precondition(lambda self: self.cleared)
    @rule(data=st.data(), count=st.integers(1, 3))
    def log_work(self, data: st.DataObject, count: int) -> None:
        """Log a few pieces of work, on assignments (mostly) or on any task; most wait for a
        confirmation, some are confirmed at once by ``by``."""
        plan = self.plans[self.period].data
        assignments = sorted((a.participant, a.task) for a in plan.assignments)
        anyone = st.tuples(participants, tasks)
        for _ in range(count):
            who, task = data.draw(
                st.sampled_from(assignments) | anyone if assignments else anyone, label="work"
            )
            hours = data.draw(amounts, label="hours")
            by = data.draw(st.sampled_from([None, None, *PARTICIPANTS]), label="by")
            self.log_one(who, task, hours, by, assigned=(who, task) in assignments)

    def log_one(self, who: str, task: str, hours: float, by: str | None, assigned: bool) -> None:
        refused = None if by is None or self.may_confirm(who, assigned, by) else NotAllowedError
        log = self.expect(
            lambda: work.log_work(self.uow, POOL_NAME, who, task, hours, confirmed_by=by,
                                  now=NOW),
            refused,
        )
        if log is not None:
            assert (log.assigned, log.period) == (assigned, self.period)
            status = "confirmed" if by is not None else "pending"
            assert log.status == status
            self.logs[log.id] = {"who": who, "assigned": assigned, "period": self.period,
                                 "status": status}

    @staticmethod
    def may_confirm(worker: str, assigned: bool, by: str) -> bool:
        return by != worker and (assigned or by in COORDINATORS)

    def pending(self) -> list[int]:
        """The logs of the cleared period still waiting for a confirmation."""
        return sorted(i for i, log in self.logs.items()
                      if log["period"] == self.period and log["status"] == "pending")

    @precondition(lambda self: self.cleared and bool(self.pending()))
    @rule(data=st.data())
    def confirm_or_reject(self, data: st.DataObject) -> None:
        """Members confirm (or coordinators reject) some of the pending logs."""
        chosen = data.draw(st.lists(st.sampled_from(self.pending()), min_size=1, max_size=3,
                                    unique=True), label="logs")
        for log_id in chosen:
            by = data.draw(st.sampled_from(COORDINATORS) | participants, label="by")
            reject = data.draw(st.sampled_from([False, False, True]), label="reject")
            log = self.logs[log_id]
            # a coordinator rejects others' work, never their own
            allowed = (by in COORDINATORS and by != log["who"]) if reject else self.may_confirm(
                log["who"], log["assigned"], by
            )
            step = work.reject_work if reject else work.confirm_work
            done = self.expect(lambda: step(self.uow, POOL_NAME, log_id, by),  # noqa: B023
                               None if allowed else NotAllowedError)
            if done is not None:
                log["status"] = "rejected" if reject else "confirmed"
                assert done.status == log["status"]

    @precondition(lambda self: any(log["period"] != self.period or log["status"] != "pending"
                                   for log in self.logs.values()))
    @rule(data=st.data(), by=participants)
    def a_settled_or_decided_log_is_not_confirmed_again(
        self, data: st.DataObject, by: str
    ) -> None:
        done = sorted(i for i, log in self.logs.items()
                      if log["period"] != self.period or log["status"] != "pending")
        log_id = data.draw(st.sampled_from(done), label="log")
        self.expect(lambda: work.confirm_work(self.uow, POOL_NAME, log_id, by), ConflictError)

    # --- corrections ---------------------------------------------------------------------

    @precondition(lambda self: bool(self.journal))
    @rule(data=st.data())
    def correct(self, data: st.DataObject) -> None:
        original = data.draw(st.sampled_from(self.journal), label="transaction")
        reversed_already = any(t.reverses == original.id for t in self.journal)
        refused = ConflictError if original.kind == "correction" or reversed_already else None
        undo = self.expect(
            lambda: books.correct(self.uow, POOL_NAME, original.id, "correction",
                                  on=self.next_day()),
            refused,
        )
        if undo is not None:
            assert undo.reverses == original.id

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def the_books_balance_and_the_journal_only_grows(self) -> None:
        with self.uow:
            journal = self.uow.journal.transactions(POOL_NAME)
        assert journal[: len(self.journal)] == self.journal
        self.journal = journal
        for transaction in journal:
            assert sum((p.amount for p in transaction.postings), Decimal(0)) == 0
        assert sum(books.balances(self.uow, POOL_NAME).values(), Decimal(0)) == 0

    @invariant()
    def the_exports_agree_with_the_balances(self) -> None:
        if self.exports_checked_at == len(self.journal):
            return  # the exports are made from the journal alone, and it has not changed
        self.exports_checked_at = len(self.journal)
        expected = posted(books.balances(self.uow, POOL_NAME))
        assert posted(totals_from_csv(books.export(self.uow, POOL_NAME, "csv"))) == expected
        assert posted(totals_from_json(books.export(self.uow, POOL_NAME, "json"))) == expected
        beancount = books.export(self.uow, POOL_NAME, "beancount")
        assert posted(totals_from_beancount(beancount)) == expected

    @invariant()
    def a_plan_never_changes_once_made(self) -> None:
        with self.uow:
            for number, plan in self.plans.items():
                assert self.uow.periods.plan(POOL_NAME, number) == plan

    @invariant()
    def the_store_holds_the_offers_and_wishes_the_model_expects(self) -> None:
        with self.uow:
            offers = self.uow.periods.offers(POOL_NAME, self.period)
            wishes = self.uow.periods.wishes(POOL_NAME, self.period)
        assert {(o.participant, o.task) for o in offers} == self.offers
        assert {w.id: w.participant for w in wishes} == self.wishes


PoolSequences.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestPoolSequences = PoolSequences.TestCase
