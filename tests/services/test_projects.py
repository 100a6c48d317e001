"""Projects in a pool: a bakery joins the bike workshop's pool, is forked, leaves, rejoins."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from peerconomy.domain.period import IllegalTransitionError, PeriodState
from peerconomy.domain.plan import Allocation, TaskAssignment
from peerconomy.domain.pool import PoolProject
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Alternative, Good, Offer, ScenarioError, Task, Wish
from peerconomy.services import collecting, periods, projects, work
from peerconomy.services.errors import ConflictError, NotFoundError, StaleEditError
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MONTH_END = date(2026, 11, 30)

KNEAD = Task(id="knead", project="bakery")
BAKE = Task(id="bake", project="bakery")
BREAD = Good(
    id="bread", project="bakery", model="effort", capacity=2,
    recipe={"knead": 1.0, "bake": 1.0}, product_type="bread",
)
CART = Good(
    id="bread_cart", project="bakery", model="effort", capacity=1,
    recipe={"assemble": 3.0, "bake": 1.0}, product_type="cart",
)
"""A cart to deliver bread, assembled in the workshop: the bakery's good needs its task."""


def offer(participant: str, task: str, hours: float, min_weight: float = 1.0) -> Offer:
    return Offer(participant=participant, task=task, hours=hours, min_weight=min_weight)


def wish(participant: str, id: str, *alternatives: Alternative, quantity: int = 1) -> Wish:
    return Wish(participant=participant, id=id, quantity=quantity, alternatives=list(alternatives))


def good(id: str) -> Alternative:
    return Alternative(good=id)


def product_type(name: str) -> Alternative:
    return Alternative(product_type=name)


def join_bakery(uow: MemoryUnitOfWork, *goods: Good) -> PoolProject:
    return projects.join_project(uow, "workshop", "bakery", [KNEAD, BAKE], list(goods) or [BREAD])


# --- joining ------------------------------------------------------------------------------


def test_a_project_joins_with_its_tasks_and_goods(uow: MemoryUnitOfWork) -> None:
    joined = join_bakery(uow)
    assert joined == PoolProject("bakery", active=True, forked_from=None)
    with uow:
        assert [p.id for p in uow.pools.projects("workshop")] == ["workshop", "bakery"]
        assert [t.id for t in uow.pools.tasks("workshop")][-2:] == ["knead", "bake"]
        assert uow.pools.goods("workshop")[-1] == BREAD


def test_offers_and_wishes_on_a_joined_project_are_cleared_with_the_pool(
    uow: MemoryUnitOfWork,
) -> None:
    join_bakery(uow)
    collecting.make_offer(uow, "workshop", offer("dario", "knead", 3))
    collecting.make_offer(uow, "workshop", offer("chiara", "bake", 2))
    collecting.make_wish(uow, "workshop", wish("ana", "ana_bread", good("bread"), quantity=2))
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert plan.production["bread"] == 2
    assert TaskAssignment("dario", "knead", 2.0) in plan.assignments
    assert TaskAssignment("chiara", "bake", 2.0) in plan.assignments
    assert Allocation("ana", "ana_bread", "bread", 2, 4.0) in plan.allocations
    assert plan.uncovered["knead"] == plan.uncovered["bake"] == 0.0


def test_a_joining_project_may_use_another_projects_task_in_its_recipes(
    uow: MemoryUnitOfWork,
) -> None:
    join_bakery(uow, BREAD, CART)
    collecting.make_wish(uow, "workshop", wish("dario", "dario_cart", good("bread_cart")))
    collecting.make_offer(uow, "workshop", offer("dario", "bake", 1))
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert plan.production["bread_cart"] == 1
    # the workshop's assemblers (14 hours offered at weight 1) build the cart too
    assert plan.uncovered == {"assemble": 0.0, "paint": 0.0, "bake": 0.0}


def test_joining_with_taken_ids_is_refused_and_nothing_changes(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(ConflictError, match="project 'workshop' is in pool 'workshop' already"):
        projects.join_project(uow, "workshop", "workshop")
    welding = Task(id="assemble", project="bakery")
    with pytest.raises(ConflictError, match=re.escape("tasks[1].id: 'assemble' is taken in pool")):
        projects.join_project(uow, "workshop", "bakery", [KNEAD, welding])
    bike = Good(id="bicycle", project="bakery", model="effort")
    with pytest.raises(ConflictError, match=re.escape("goods[0].id: 'bicycle' is taken in pool")):
        projects.join_project(uow, "workshop", "bakery", [KNEAD], [bike])
    with pytest.raises(ConflictError, match=re.escape("tasks[1].id: 'knead' is taken")):
        projects.join_project(uow, "workshop", "bakery", [KNEAD, KNEAD])
    assert store.state is before


def test_joining_with_parts_of_another_project_or_unknown_tasks_is_refused(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(InputError, match=re.escape("tasks[0].project: must be 'cafe'")):
        projects.join_project(uow, "workshop", "cafe", [KNEAD])
    with pytest.raises(InputError, match="unknown task 'knead'") as refused:
        projects.join_project(uow, "workshop", "bakery", [BAKE], [BREAD])
    assert refused.value.path == "goods[0].recipe.knead"
    with pytest.raises(InputError, match="project: must be a non-empty id"):
        projects.join_project(uow, "workshop", "")
    with pytest.raises(NotFoundError, match="no pool 'village'"):
        projects.join_project(uow, "village", "bakery", [KNEAD])
    assert store.state is before


# --- forking ------------------------------------------------------------------------------


def test_a_fork_copies_tasks_goods_and_recipes_under_the_new_projects_ids(
    uow: MemoryUnitOfWork,
) -> None:
    join_bakery(uow, BREAD, CART)
    forked = projects.fork_project(uow, "workshop", "bakery", "bakery2")
    assert forked == PoolProject("bakery2", active=True, forked_from="bakery")
    with uow:
        tasks = {t.id: t for t in uow.pools.tasks("workshop") if t.project == "bakery2"}
        goods = {g.id: g for g in uow.pools.goods("workshop") if g.project == "bakery2"}
    assert tasks == {
        "bakery2/knead": Task(id="bakery2/knead", project="bakery2"),
        "bakery2/bake": Task(id="bakery2/bake", project="bakery2"),
    }
    assert goods == {
        "bakery2/bread": Good(
            id="bakery2/bread", project="bakery2", model="effort", capacity=2,
            recipe={"bakery2/knead": 1.0, "bakery2/bake": 1.0}, product_type="bread",
        ),
        # the workshop's task stays the workshop's: only the source's own tasks are copied
        "bakery2/bread_cart": Good(
            id="bakery2/bread_cart", project="bakery2", model="effort", capacity=1,
            recipe={"assemble": 3.0, "bakery2/bake": 1.0}, product_type="cart",
        ),
    }


def test_a_fork_keeps_fixed_hours_and_the_original_stays_as_it_was(
    uow: MemoryUnitOfWork,
) -> None:
    upkeep = Task(id="upkeep", project="bakery", fixed_hours=2.0)
    projects.join_project(uow, "workshop", "bakery", [KNEAD, BAKE, upkeep], [BREAD])
    with uow:
        before = (uow.pools.tasks("workshop"), uow.pools.goods("workshop"))
    projects.fork_project(uow, "workshop", "bakery", "bakery2")
    with uow:
        tasks, goods = uow.pools.tasks("workshop"), uow.pools.goods("workshop")
    assert (tasks[: len(before[0])], goods[: len(before[1])]) == before
    assert Task(id="bakery2/upkeep", project="bakery2", fixed_hours=2.0) in tasks


def test_a_wish_for_a_product_type_is_met_by_the_original_or_the_fork(
    uow: MemoryUnitOfWork,
) -> None:
    join_bakery(uow)  # bread: 2 loaves a period
    projects.fork_project(uow, "workshop", "bakery", "bakery2")  # 2 more
    for task in ("knead", "bake", "bakery2/knead", "bakery2/bake"):
        collecting.make_offer(uow, "workshop", offer("dario", task, 2))
    collecting.make_wish(uow, "workshop", wish("ana", "ana_bread", product_type("bread"),
                                               quantity=3))
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert plan.production["bread"] + plan.production["bakery2/bread"] == 3
    got = {a.good: a.quantity for a in plan.allocations if a.wish == "ana_bread"}
    # the two breads take the same effort: ties go by the goods' ids, not their order
    assert got == {"bakery2/bread": 2, "bread": 1}


def test_forking_is_refused_for_a_taken_id_or_an_unknown_source(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    join_bakery(uow)
    before = store.state
    with pytest.raises(ConflictError, match="project 'workshop' is in pool 'workshop' already"):
        projects.fork_project(uow, "workshop", "bakery", "workshop")
    with pytest.raises(NotFoundError, match="no project 'dairy' in pool 'workshop'"):
        projects.fork_project(uow, "workshop", "dairy", "dairy2")
    assert store.state is before


def test_a_project_that_left_cannot_be_forked_and_its_id_stays_taken(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    join_bakery(uow)
    projects.leave_project(uow, "workshop", "bakery")
    before = store.state
    with pytest.raises(NotFoundError, match="no project 'bakery' in pool 'workshop'"):
        projects.fork_project(uow, "workshop", "bakery", "bakery2")
    with pytest.raises(ConflictError, match="project 'bakery' is in pool 'workshop' already"):
        projects.fork_project(uow, "workshop", "workshop", "bakery")
    assert store.state is before


# --- leaving ------------------------------------------------------------------------------


def test_leaving_withdraws_offers_on_its_tasks_and_wishes_only_its_goods_could_meet(
    uow: MemoryUnitOfWork,
) -> None:
    join_bakery(uow)
    projects.fork_project(uow, "workshop", "bakery", "bakery2")
    collecting.make_offer(uow, "workshop", offer("dario", "knead", 2))
    collecting.make_offer(uow, "workshop", offer("dario", "bakery2/knead", 2))
    collecting.make_offer(uow, "workshop", offer("chiara", "bakery2/bake", 2))
    collecting.make_wish(uow, "workshop", wish("ben", "ben_bread", good("bread")))
    collecting.make_wish(
        uow, "workshop", wish("chiara", "chiara_bread", good("bread"), good("bakery2/bread"))
    )
    collecting.make_wish(uow, "workshop", wish("dario", "dario_bread", product_type("bread")))
    left = projects.leave_project(uow, "workshop", "bakery")
    assert left == PoolProject("bakery", active=False, version=2)
    with uow:
        offers = uow.periods.offers("workshop", 1)
        wishes = {w.id: w for w in uow.periods.wishes("workshop", 1)}
    assert offer("dario", "knead", 2) not in offers
    assert offer("dario", "bakery2/knead", 2) in offers
    assert offer("chiara", "bakery2/bake", 2) in offers
    assert "ben_bread" not in wishes  # only the bakery's bread would do
    assert wishes["chiara_bread"].alternatives == [good("bakery2/bread")]
    assert wishes["dario_bread"].alternatives == [product_type("bread")]  # the fork bakes it
    assert list(wishes) == ["ana_bike", "ben_bikes", "chiara_motorcycle", "dario_bike",
                            "chiara_bread", "dario_bread"]  # a changed wish keeps its place

    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert "knead" not in plan.weights and "bread" not in plan.production
    got = {a.wish: a.good for a in plan.allocations}
    assert got["chiara_bread"] == got["dario_bread"] == "bakery2/bread"


def test_a_project_that_left_takes_no_offers_or_wishes(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    join_bakery(uow)
    projects.leave_project(uow, "workshop", "bakery")
    before = store.state
    with pytest.raises(NotFoundError, match="no task 'knead' in pool 'workshop'"):
        collecting.make_offer(uow, "workshop", offer("dario", "knead", 2))
    with pytest.raises(ScenarioError, match="unknown good 'bread'") as refused:
        collecting.make_wish(uow, "workshop", wish("dario", "dario_bread", good("bread")))
    assert refused.value.path == "wish.alternatives[0].good"
    with pytest.raises(NotFoundError, match="no project 'bakery' in pool 'workshop'"):
        projects.leave_project(uow, "workshop", "bakery")
    assert store.state is before


def test_a_project_cannot_leave_while_another_projects_good_needs_its_task(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    join_bakery(uow, BREAD, CART)
    before = store.state
    with pytest.raises(
        ConflictError,
        match="project 'workshop' cannot leave: good 'bread_cart' of project 'bakery' needs its"
        " task 'assemble'",
    ):
        projects.leave_project(uow, "workshop", "workshop")
    assert store.state is before
    projects.leave_project(uow, "workshop", "bakery")  # once the bakery has left, it may
    assert projects.leave_project(uow, "workshop", "workshop").active is False


def test_a_project_leaving_a_cleared_period_keeps_its_plan_and_the_next_period_clears(
    uow: MemoryUnitOfWork,
) -> None:
    join_bakery(uow)
    collecting.make_offer(uow, "workshop", offer("dario", "knead", 2))
    collecting.make_offer(uow, "workshop", offer("dario", "bake", 2))
    collecting.make_wish(uow, "workshop", wish("chiara", "chiara_bread", good("bread")))
    plan = periods.clear_period(uow, "workshop", now=NOW)
    projects.leave_project(uow, "workshop", "bakery")
    # the work planned before it left is still done and credited
    work.log_work(uow, "workshop", "dario", "knead", 1, confirmed_by="ana", now=NOW)
    periods.settle_period(uow, "workshop", on=MONTH_END)
    with uow:
        assert uow.periods.plan("workshop", 1) == plan
        assert all(o.task not in ("knead", "bake") for o in uow.periods.offers("workshop", 2))
        assert "chiara_bread" not in {w.id for w in uow.periods.wishes("workshop", 2)}
    second = periods.clear_period(uow, "workshop", now=NOW).data
    assert "knead" not in second.weights and "bread" not in second.production


def test_a_project_that_left_may_rejoin_with_its_tasks_and_goods(
    uow: MemoryUnitOfWork,
) -> None:
    join_bakery(uow)
    projects.leave_project(uow, "workshop", "bakery")
    rejoined = projects.join_project(uow, "workshop", "bakery")
    assert rejoined == PoolProject("bakery", active=True, version=3)
    collecting.make_offer(uow, "workshop", offer("dario", "knead", 1))
    collecting.make_offer(uow, "workshop", offer("dario", "bake", 1))
    collecting.make_wish(uow, "workshop", wish("ana", "ana_bread", good("bread")))
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert plan.production["bread"] == 1


def test_a_fork_that_rejoins_is_still_a_fork(uow: MemoryUnitOfWork) -> None:
    join_bakery(uow)
    projects.fork_project(uow, "workshop", "bakery", "bakery2")
    projects.leave_project(uow, "workshop", "bakery2")
    rejoined = projects.join_project(uow, "workshop", "bakery2")
    assert rejoined == PoolProject("bakery2", active=True, forked_from="bakery", version=3)


def test_a_good_that_needs_a_task_of_a_project_that_left_is_refused(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    join_bakery(uow)
    projects.leave_project(uow, "workshop", "bakery")
    sandwich = Good(id="sandwich", project="cafe", model="effort", recipe={"bake": 1.0})
    before = store.state
    with pytest.raises(InputError, match=re.escape("goods[0].recipe.bake: unknown task 'bake'")):
        projects.join_project(uow, "workshop", "cafe", [], [sandwich])
    assert store.state is before


def test_a_project_cannot_rejoin_while_its_goods_need_a_task_of_a_project_that_left(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    # the bakery's cart needs the workshop's assembly; the bakery leaves, then the workshop
    join_bakery(uow, BREAD, CART)
    projects.leave_project(uow, "workshop", "bakery")
    projects.leave_project(uow, "workshop", "workshop")
    before = store.state
    with pytest.raises(
        ConflictError, match="good 'bread_cart' needs task 'assemble' of project 'workshop'"
    ):
        projects.join_project(uow, "workshop", "bakery")
    assert store.state is before
    projects.join_project(uow, "workshop", "workshop")
    projects.join_project(uow, "workshop", "bakery")
    with uow:
        assert uow.periods.get("workshop", 1).state is PeriodState.COLLECTING  # type: ignore[union-attr]
    periods.clear_period(uow, "workshop", now=NOW)


# --- planning production -------------------------------------------------------------------


def test_a_project_plans_fewer_bicycles_and_the_lottery_shares_them_out(
    uow: MemoryUnitOfWork,
) -> None:
    planned, _ = projects.plan_production(uow, "workshop", "bicycle", 2)
    assert planned.capacity == 2
    plan = periods.clear_period(uow, "workshop", now=NOW)
    assert plan.data.production["bicycle"] == 2
    assert plan.data.goods["bicycle"].wished == 4


def test_no_capacity_means_no_limit_again(uow: MemoryUnitOfWork) -> None:
    projects.plan_production(uow, "workshop", "bicycle", 1)
    projects.plan_production(uow, "workshop", "bicycle", None)
    plan = periods.clear_period(uow, "workshop", now=NOW)
    assert plan.data.production["bicycle"] == 4


@pytest.mark.parametrize("capacity", [-1, 2.5, True])
def test_a_planned_capacity_is_a_whole_number_not_below_zero(
    store: MemoryStore, uow: MemoryUnitOfWork, capacity: object
) -> None:
    before = store.state
    with pytest.raises(InputError, match="capacity: must be a whole number >= 0"):
        projects.plan_production(uow, "workshop", "bicycle", capacity)  # type: ignore[arg-type]
    assert store.state is before


def test_production_is_planned_for_a_known_good_while_collecting(uow: MemoryUnitOfWork) -> None:
    with pytest.raises(NotFoundError, match="no good 'sofa' in pool 'workshop'"):
        projects.plan_production(uow, "workshop", "sofa", 1)
    periods.clear_period(uow, "workshop", now=NOW)
    with pytest.raises(IllegalTransitionError, match="cannot plan production in a period that is"):
        projects.plan_production(uow, "workshop", "bicycle", 1)


# --- two coordinators at once (optimistic locking) -------------------------------------------


def test_planning_a_goods_capacity_counts_as_a_change_of_its_project(
    uow: MemoryUnitOfWork,
) -> None:
    _, owner = projects.plan_production(uow, "workshop", "bicycle", 2, version=1)
    assert owner == PoolProject("workshop", version=2)
    with uow:
        assert uow.pools.projects("workshop") == [owner]


def test_a_capacity_planned_from_an_older_version_of_the_project_is_refused(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    projects.plan_production(uow, "workshop", "bicycle", 2, version=1)
    before = store.state
    with pytest.raises(StaleEditError, match="project 'workshop' was changed by someone else"):
        projects.plan_production(uow, "workshop", "bicycle", 3, version=1)
    assert store.state is before


def test_a_project_does_not_leave_on_the_strength_of_an_old_version(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    join_bakery(uow, BREAD)
    projects.plan_production(uow, "workshop", "bread", 10, version=1)
    before = store.state
    with pytest.raises(StaleEditError, match=r"project 'bakery' .* at version 2"):
        projects.leave_project(uow, "workshop", "bakery", version=1)
    assert store.state is before
    assert projects.leave_project(uow, "workshop", "bakery", version=2).active is False
