"""Work logged in a cleared period, confirmed by peers, accepted or rejected by a coordinator.

In the workshop's plan ana assembles 8 h, ben assembles 6 h and paints 1 h, chiara paints 6 h;
dario has no assignment. Every weight is 1. In the bakery's plan kneading weighs 1.5, and
nobody was found to deliver (3 h open at the max weight 4.0).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from peerconomy.domain.period import IllegalTransitionError
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Scenario
from peerconomy.ledger.journal import hours, participant_account
from peerconomy.services import books, periods, work
from peerconomy.services.errors import ConflictError, NotAllowedError, NotFoundError
from peerconomy.services.pools import import_scenario
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MONTH_END = date(2026, 11, 30)


@pytest.fixture
def cleared(uow: MemoryUnitOfWork) -> MemoryUnitOfWork:
    """The workshop pool with period 1 cleared."""
    periods.clear_period(uow, "workshop", now=NOW)
    return uow


def credit_of(uow: MemoryUnitOfWork, pool: str, participant: str) -> Decimal:
    """What the participant's account was credited, over all settled periods."""
    return sum(
        (
            line.amount
            for line in books.participant_statement(uow, pool, participant)
            if line.kind == "credit"
        ),
        Decimal(0),
    )


# --- when work may be logged -------------------------------------------------------------


def test_work_is_logged_only_once_the_period_is_cleared(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(
        IllegalTransitionError,
        match=r"cannot log work in a period that is collecting \(it must be cleared\)",
    ):
        work.log_work(uow, "workshop", "ana", "assemble", 2, now=NOW)
    assert store.state is before


def test_work_is_not_logged_in_a_settled_period_but_in_the_next_once_it_clears(
    cleared: MemoryUnitOfWork,
) -> None:
    periods.settle_period(cleared, "workshop", on=MONTH_END)
    with pytest.raises(IllegalTransitionError, match="period that is collecting"):
        work.log_work(cleared, "workshop", "ana", "assemble", 2, now=NOW)
    periods.clear_period(cleared, "workshop", now=NOW)
    assert work.log_work(cleared, "workshop", "ana", "assemble", 2, now=NOW).period == 2


@pytest.mark.parametrize("hours", [0, -1.5, float("nan"), float("inf"), True, "3"])
def test_logged_hours_must_be_a_finite_number_above_zero(
    store: MemoryStore, cleared: MemoryUnitOfWork, hours: object
) -> None:
    before = store.state
    with pytest.raises(InputError, match="must be a finite number > 0") as refused:
        work.log_work(cleared, "workshop", "ana", "assemble", hours, now=NOW)  # type: ignore[arg-type]
    assert refused.value.path == "hours"
    assert store.state is before


def test_a_work_log_records_who_did_what_and_whether_the_plan_asked_for_it(
    cleared: MemoryUnitOfWork,
) -> None:
    log = work.log_work(cleared, "workshop", "ana", "assemble", 3, now=NOW)
    assert (log.participant, log.task, log.hours, log.logged_at) == ("ana", "assemble", 3.0, NOW)
    assert (log.period, log.assigned, log.status) == (1, True, "pending")
    unplanned = work.log_work(cleared, "workshop", "dario", "paint", 1, now=NOW)
    assert unplanned.assigned is False
    assert unplanned.id != log.id
    with cleared:
        assert cleared.periods.work_logs("workshop", 1) == [log, unplanned]


# --- communal validation -----------------------------------------------------------------


def test_logged_work_stays_pending_until_another_member_confirms_it(
    cleared: MemoryUnitOfWork,
) -> None:
    log = work.log_work(cleared, "workshop", "chiara", "paint", 6, now=NOW)
    assert log.status == "pending"
    confirmed = work.confirm_work(cleared, "workshop", log.id, by="ben")
    assert (confirmed.status, confirmed.confirmed_by, confirmed.accepted_by) == (
        "confirmed", "ben", None,
    )
    with cleared:
        assert cleared.periods.work_log("workshop", log.id) == confirmed


def test_pending_work_earns_nothing_at_settle(cleared: MemoryUnitOfWork) -> None:
    work.log_work(cleared, "workshop", "chiara", "paint", 6, now=NOW)
    work.log_work(cleared, "workshop", "ana", "assemble", 8, confirmed_by="dario", now=NOW)
    periods.settle_period(cleared, "workshop", on=MONTH_END)
    assert credit_of(cleared, "workshop", "chiara") == 0
    assert credit_of(cleared, "workshop", "ana") == Decimal(8)


def test_nobody_confirms_their_own_work(store: MemoryStore, cleared: MemoryUnitOfWork) -> None:
    log = work.log_work(cleared, "workshop", "ben", "assemble", 6, now=NOW)
    before = store.state
    with pytest.raises(NotAllowedError, match="'ben' cannot confirm their own work"):
        work.confirm_work(cleared, "workshop", log.id, by="ben")
    with pytest.raises(NotAllowedError, match="'ben' cannot confirm their own work"):
        work.log_work(cleared, "workshop", "ben", "paint", 1, confirmed_by="ben", now=NOW)
    assert store.state is before


def test_not_even_a_coordinator_accepts_their_own_unassigned_work(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    log = work.log_work(cleared, "workshop", "ana", "paint", 2, now=NOW)
    before = store.state
    with pytest.raises(NotAllowedError, match="'ana' cannot confirm their own work"):
        work.confirm_work(cleared, "workshop", log.id, by="ana")
    assert store.state is before


def test_a_coordinator_does_not_confirm_work_she_logged_for_someone_else(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    """Logging a member's hours and vouching for them are two people's steps: otherwise a
    coordinator could credit anyone, alone."""
    log = work.log_work(cleared, "workshop", "chiara", "paint", 6, logged_by="ana", now=NOW)
    assert (log.logged_by, log.status) == ("ana", "pending")
    before = store.state
    said = "'ana' logged this work for 'chiara' and cannot confirm it too"
    with pytest.raises(NotAllowedError, match=said):
        work.confirm_work(cleared, "workshop", log.id, by="ana")
    with pytest.raises(NotAllowedError, match=said):
        work.log_work(cleared, "workshop", "chiara", "paint", 1, logged_by="ana",
                      confirmed_by="ana", now=NOW)
    assert store.state is before
    assert work.confirm_work(cleared, "workshop", log.id, by="ben").confirmed_by == "ben"
    own = work.log_work(cleared, "workshop", "ben", "paint", 1, logged_by="ben", now=NOW)
    assert own.logged_by is None  # the worker's own log names no other logger


def test_confirmed_work_cannot_be_confirmed_again(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    log = work.log_work(cleared, "workshop", "ana", "assemble", 8, confirmed_by="ben", now=NOW)
    before = store.state
    with pytest.raises(ConflictError, match=f"work log {log.id} is confirmed already"):
        work.confirm_work(cleared, "workshop", log.id, by="chiara")
    assert store.state is before


def test_without_communal_validation_assigned_work_counts_at_once(
    store: MemoryStore, workshop: Scenario
) -> None:
    import_scenario(
        store.unit_of_work(), "trusting", workshop, coordinators=["ana"],
        communal_validation=False,
    )
    uow = store.unit_of_work()
    periods.clear_period(uow, "trusting", now=NOW)
    log = work.log_work(uow, "trusting", "chiara", "paint", 3, now=NOW)  # 3 h assigned
    assert (log.status, log.confirmed_by) == ("confirmed", None)
    periods.settle_period(uow, "trusting", on=MONTH_END)
    assert credit_of(uow, "trusting", "chiara") == Decimal(3)


def test_without_communal_validation_unassigned_work_still_waits_for_a_coordinator(
    store: MemoryStore, workshop: Scenario
) -> None:
    import_scenario(
        store.unit_of_work(), "trusting", workshop, coordinators=["ana"],
        communal_validation=False,
    )
    uow = store.unit_of_work()
    periods.clear_period(uow, "trusting", now=NOW)
    log = work.log_work(uow, "trusting", "dario", "paint", 2, now=NOW)
    assert log.status == "pending"
    assert work.confirm_work(uow, "trusting", log.id, by="ana").status == "confirmed"


# --- unassigned work and the coordinator ---------------------------------------------------


def test_unassigned_work_stays_pending_until_a_coordinator_accepts_it(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    log = work.log_work(cleared, "workshop", "dario", "paint", 2, now=NOW)
    before = store.state
    with pytest.raises(
        NotAllowedError,
        match="'dario' has no assignment on task 'paint': only a coordinator may accept that"
        " work, and 'ben' is not one",
    ):
        work.confirm_work(cleared, "workshop", log.id, by="ben")
    assert store.state is before
    accepted = work.confirm_work(cleared, "workshop", log.id, by="ana")
    assert (accepted.status, accepted.confirmed_by, accepted.accepted_by) == (
        "confirmed", "ana", "ana",
    )


def test_a_coordinator_may_accept_unassigned_work_as_it_is_logged(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(NotAllowedError, match="only a coordinator may accept"):
        work.log_work(cleared, "workshop", "dario", "paint", 2, confirmed_by="ben", now=NOW)
    assert store.state is before
    log = work.log_work(cleared, "workshop", "dario", "paint", 2, confirmed_by="ana", now=NOW)
    assert (log.status, log.accepted_by) == ("confirmed", "ana")


def test_a_coordinator_may_reject_work_and_it_earns_nothing(cleared: MemoryUnitOfWork) -> None:
    log = work.log_work(cleared, "workshop", "ben", "assemble", 6, now=NOW)
    rejected = work.reject_work(cleared, "workshop", log.id, by="ana")
    assert (rejected.status, rejected.confirmed_by) == ("rejected", "ana")
    periods.settle_period(cleared, "workshop", on=MONTH_END)
    assert credit_of(cleared, "workshop", "ben") == 0


def test_only_a_coordinator_rejects_work_and_only_pending_work(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    log = work.log_work(cleared, "workshop", "ben", "assemble", 6, now=NOW)
    before = store.state
    with pytest.raises(NotAllowedError, match="only a coordinator may reject work; 'chiara'"):
        work.reject_work(cleared, "workshop", log.id, by="chiara")
    assert store.state is before
    work.reject_work(cleared, "workshop", log.id, by="ana")
    before = store.state
    with pytest.raises(ConflictError, match=f"work log {log.id} is rejected already"):
        work.reject_work(cleared, "workshop", log.id, by="ana")
    with pytest.raises(ConflictError, match=f"work log {log.id} is rejected already"):
        work.confirm_work(cleared, "workshop", log.id, by="chiara")
    assert store.state is before


# --- what work earns -----------------------------------------------------------------------


def test_confirmed_hours_beyond_the_assignment_earn_nothing(cleared: MemoryUnitOfWork) -> None:
    # ana was assigned 8 hours of assembly; she logs 6 and then 5 more, both confirmed
    work.log_work(cleared, "workshop", "ana", "assemble", 6, confirmed_by="ben", now=NOW)
    work.log_work(cleared, "workshop", "ana", "assemble", 5, confirmed_by="chiara", now=NOW)
    periods.settle_period(cleared, "workshop", on=MONTH_END)
    assert credit_of(cleared, "workshop", "ana") == Decimal(8)


def test_assigned_work_earns_hours_times_the_tasks_weight(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    # ana's 4 hours of kneading at weight 1.5; of ben's 6 hours of baking, 5 done, at 2.0
    work.log_work(bakery_uow, "bakery", "ana", "knead", 4, confirmed_by="ben", now=NOW)
    work.log_work(bakery_uow, "bakery", "ben", "bake", 5, confirmed_by="ana", now=NOW)
    periods.settle_period(bakery_uow, "bakery", on=MONTH_END)
    assert credit_of(bakery_uow, "bakery", "ana") == Decimal(6)
    assert credit_of(bakery_uow, "bakery", "ben") == Decimal(10)


def test_accepted_unassigned_work_earns_hours_times_the_plans_task_weight(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    plan = periods.clear_period(bakery_uow, "bakery", now=NOW)
    assert plan.data.weights["deliver"] == 4.0  # nobody offered: open at the max weight
    assert plan.data.weights["knead"] == 1.5
    log = work.log_work(bakery_uow, "bakery", "dario", "deliver", 3, now=NOW)
    work.confirm_work(bakery_uow, "bakery", log.id, by="ana")
    # chiara helps kneading without an assignment: 2 hours at the plan's weight 1.5
    work.log_work(bakery_uow, "bakery", "chiara", "knead", 2, confirmed_by="ana", now=NOW)
    periods.settle_period(bakery_uow, "bakery", on=MONTH_END)
    assert credit_of(bakery_uow, "bakery", "dario") == Decimal(12)
    assert credit_of(bakery_uow, "bakery", "chiara") == Decimal(3)


def test_accepted_unassigned_work_earns_only_the_hours_the_task_still_needed(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(bakery_uow, "bakery", now=NOW)
    # 3 hours of delivery were open; dario delivers for 5, and ana accepts it all
    work.log_work(bakery_uow, "bakery", "dario", "deliver", 5, confirmed_by="ana", now=NOW)
    # kneading needed 5 hours: ana did her 4; chiara stepped in for ben's 1 h, and kneaded 3
    work.log_work(bakery_uow, "bakery", "ana", "knead", 4, confirmed_by="ben", now=NOW)
    work.log_work(bakery_uow, "bakery", "chiara", "knead", 3, confirmed_by="ana", now=NOW)
    periods.settle_period(bakery_uow, "bakery", on=MONTH_END)
    assert credit_of(bakery_uow, "bakery", "dario") == Decimal(12)  # 3 h at 4.0
    assert credit_of(bakery_uow, "bakery", "chiara") == Decimal("1.5")  # 1 h at 1.5


def test_a_coordinator_does_not_reject_their_own_work(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    log = work.log_work(cleared, "workshop", "ana", "assemble", 2, now=NOW)
    before = store.state
    with pytest.raises(NotAllowedError, match="'ana' cannot reject their own work"):
        work.reject_work(cleared, "workshop", log.id, by="ana")
    assert store.state is before


def test_a_balance_is_credits_minus_the_share_and_the_books_balance(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    plan = periods.clear_period(bakery_uow, "bakery", now=NOW)
    work.log_work(bakery_uow, "bakery", "dario", "deliver", 3, confirmed_by="ana", now=NOW)
    work.log_work(bakery_uow, "bakery", "ana", "knead", 4, confirmed_by="ben", now=NOW)
    periods.settle_period(bakery_uow, "bakery", on=MONTH_END)
    held = books.balances(bakery_uow, "bakery")
    shares = plan.data.shares
    assert held[participant_account("dario")] == hours(12) - hours(shares["dario"])
    assert held[participant_account("ana")] == hours(6) - hours(shares["ana"])
    assert held[participant_account("chiara")] == -hours(shares["chiara"])
    assert sum(held.values()) == 0


# --- settled periods and unknown names -----------------------------------------------------


def test_work_of_a_settled_period_can_no_longer_be_confirmed_or_rejected(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    log = work.log_work(cleared, "workshop", "chiara", "paint", 6, now=NOW)
    periods.settle_period(cleared, "workshop", on=MONTH_END)
    before = store.state
    with pytest.raises(ConflictError, match=f"work log {log.id} is of period 1, which is settled"):
        work.confirm_work(cleared, "workshop", log.id, by="ben")
    with pytest.raises(ConflictError, match="which is settled"):
        work.reject_work(cleared, "workshop", log.id, by="ana")
    assert store.state is before
    periods.clear_period(cleared, "workshop", now=NOW)  # not even once period 2 is cleared
    with pytest.raises(ConflictError, match="which is settled"):
        work.confirm_work(cleared, "workshop", log.id, by="ben")


@pytest.mark.parametrize(
    ("participant", "task", "confirmed_by", "message"),
    [
        ("zoe", "assemble", None, "no participant 'zoe' in pool 'workshop'"),
        ("ana", "weld", None, "no task 'weld' in pool 'workshop'"),
        ("ana", "assemble", "zoe", "no participant 'zoe' in pool 'workshop'"),
    ],
)
def test_logging_work_names_an_unknown_participant_or_task(
    store: MemoryStore,
    cleared: MemoryUnitOfWork,
    participant: str,
    task: str,
    confirmed_by: str | None,
    message: str,
) -> None:
    before = store.state
    with pytest.raises(NotFoundError, match=message):
        work.log_work(cleared, "workshop", participant, task, 2, confirmed_by=confirmed_by,
                      now=NOW)
    assert store.state is before


def test_confirming_names_an_unknown_work_log_or_confirmer(
    store: MemoryStore, cleared: MemoryUnitOfWork
) -> None:
    log = work.log_work(cleared, "workshop", "ana", "assemble", 2, now=NOW)
    before = store.state
    with pytest.raises(NotFoundError, match="no work log 99 in pool 'workshop'"):
        work.confirm_work(cleared, "workshop", 99, by="ben")
    with pytest.raises(NotFoundError, match="no work log 99 in pool 'workshop'"):
        work.reject_work(cleared, "workshop", 99, by="ana")
    with pytest.raises(NotFoundError, match="no participant 'zoe' in pool 'workshop'"):
        work.confirm_work(cleared, "workshop", log.id, by="zoe")
    with pytest.raises(NotFoundError, match="no pool 'bakery'"):
        work.confirm_work(cleared, "bakery", log.id, by="ben")
    assert store.state is before


def test_a_work_log_of_another_pool_is_not_found(
    store: MemoryStore, cleared: MemoryUnitOfWork, workshop: Scenario
) -> None:
    import_scenario(store.unit_of_work(), "garage", workshop, coordinators=["ana"])
    log = work.log_work(cleared, "workshop", "ana", "assemble", 2, now=NOW)
    with pytest.raises(NotFoundError, match=f"no work log {log.id} in pool 'garage'"):
        work.confirm_work(cleared, "garage", log.id, by="ben")


# --- a whole work sheet at once ------------------------------------------------------------


def test_a_work_sheet_logs_and_confirms_every_line_in_one_step(
    cleared: MemoryUnitOfWork,
) -> None:
    sheet = [
        work.DoneWork("ana", "assemble", 8, confirmed_by="ben"),
        work.DoneWork("chiara", "paint", 2.5, confirmed_by="ana"),  # of 3 h assigned
    ]
    logs = work.log_confirmed_work(cleared, "workshop", sheet, now=NOW)
    assert [(g.participant, g.hours, g.status, g.confirmed_by, g.assigned) for g in logs] == [
        ("ana", 8.0, "confirmed", "ben", True),
        ("chiara", 2.5, "confirmed", "ana", True),
    ]
    periods.settle_period(cleared, "workshop", on=MONTH_END)
    assert credit_of(cleared, "workshop", "ana") == hours(8)
    assert credit_of(cleared, "workshop", "chiara") == hours(2.5)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (work.DoneWork("ana", "assemble", 0, "ben"), r"done\[1\]\.hours: must be a finite"),
        (work.DoneWork("zoe", "assemble", 1, "ben"), r"done\[1\]\.participant: no member 'zoe'"),
        (work.DoneWork("ana", "weld", 1, "ben"), r"done\[1\]\.task: no task 'weld'"),
        (work.DoneWork("ben", "paint", 1, "ben"),
         r"done\[1\]\.confirmed_by: 'ben' cannot confirm their own work"),
        (work.DoneWork("dario", "paint", 1, "ben"),
         r"done\[1\]\.confirmed_by: 'dario' has no assignment on task 'paint'"),
    ],
)
def test_a_work_sheet_with_a_bad_line_is_refused_whole(
    store: MemoryStore, cleared: MemoryUnitOfWork, line: work.DoneWork, message: str
) -> None:
    before = store.state
    good_line = work.DoneWork("ana", "assemble", 2, confirmed_by="ben")
    with pytest.raises(InputError, match=message):
        work.log_confirmed_work(cleared, "workshop", [good_line, line], now=NOW)
    assert store.state is before


def test_a_work_sheet_waits_for_the_plan(uow: MemoryUnitOfWork) -> None:
    with pytest.raises(IllegalTransitionError, match="cannot log work in a period that is"):
        work.log_confirmed_work(uow, "workshop", [work.DoneWork("ana", "assemble", 2, "ben")])
