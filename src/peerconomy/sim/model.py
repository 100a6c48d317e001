"""A distribution pool run period after period by the real engine and services, with
simulated members (a Mesa model).

The model owns one seeded generator (``self.rng``) and passes it down; the members' traits
come from a generator of their own, so every rule compared meets the same people. The pool
lives in the store it is given (the runner's is in memory,
:func:`peerconomy.bootstrap.memory_store`) and each period goes through the services a
coordinator's pool goes through: :func:`~peerconomy.services.collecting.submit_round`
(everyone's offers and wishes), :func:`~peerconomy.services.periods.clear_period`,
:func:`~peerconomy.services.work.log_confirmed_work` (what was done, confirmed by another
member), :func:`~peerconomy.services.periods.settle_period` (into the ledger), and
:func:`~peerconomy.services.projects.plan_production` for projects that adapt their capacity.
Metrics are gathered after each period by the named reporters of
:mod:`peerconomy.sim.metrics`, outside the members' logic.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import mesa
import numpy as np

from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.scenario import Offer, Wish, parse_scenario
from peerconomy.ledger.journal import participant_account
from peerconomy.mechanisms.arrays import FloatArray
from peerconomy.services import books, collecting, lookup, periods, pools, projects, work
from peerconomy.services.ports import Store
from peerconomy.sim.agents import Market, Member, alike, draw_population
from peerconomy.sim.config import SimulationConfig
from peerconomy.sim.metrics import REPORTERS
from peerconomy.sim.misreport import Gains, misreport_gains
from peerconomy.sim.outcome import PeriodOutcome
from peerconomy.sim.rules import AllocationRule

__all__ = ["PoolModel"]

POOL = "simulated"
_PLANNING_WINDOW = 8
_PICK = 0.01
"""Relative spread of the noise that makes a member prefer one producer of a type."""


class PoolModel(mesa.Model):  # type: ignore[misc]
    """One pool under one allocation rule, kept in ``store`` (an empty one); ``step()`` runs a
    period."""

    def __init__(self, config: SimulationConfig, rule: AllocationRule, seed: int | None = None,
                 *, store: Store):
        self.seed = config.seed if seed is None else seed
        super().__init__(rng=np.random.default_rng([self.seed, 1]))
        self.config = config
        self.rule = rule
        self.timings: dict[str, float] = defaultdict(float)
        self.store = store
        self.tasks = [t.id for t in config.tasks]
        self.goods = [g.id for g in config.goods]
        self.scarce = np.array([g.scarce for g in config.goods])
        self.models = [rule.good_model(g.scarce) for g in config.goods]
        self.fixed_weights = np.array([t.fixed_weight for t in config.tasks])
        self.max_weight = (
            float(self.fixed_weights.max()) if rule.tasks == "fixed" else config.max_weight
        )
        people = draw_population(config, np.random.default_rng([self.seed, 0]))
        shade = config.agents.strategies.shade
        self.members = [
            Member(self, f"m{i:04d}", traits, shade) for i, traits in enumerate(people)
        ]
        self.index = {m.name: i for i, m in enumerate(self.members)}
        self.base_values = np.array([m.traits.values for m in self.members])
        self.alike = alike(config.goods)
        self.good_index = {g: i for i, g in enumerate(self.goods)}
        self.task_index = {t: i for i, t in enumerate(self.tasks)}
        self.weights = np.ones(len(self.tasks))
        self.effort = np.array([sum(g.recipe.values()) for g in config.goods])
        self.expected_cost = np.where(
            np.array([m == "flat_rate" for m in self.models]), 0.0, self.effort
        )
        self.capacity: list[int | None] = [g.capacity for g in config.goods]
        self.demand: dict[str, list[int]] = defaultdict(list)
        self.outcome: PeriodOutcome | None = None
        self._found_pool()
        self.datacollector = mesa.DataCollector(model_reporters=dict(REPORTERS))

    # --- the pool ------------------------------------------------------------------------

    def _found_pool(self) -> None:
        config = self.config
        coordinated = config.coordinate_product_types
        scenario = {
            "format": "peerconomy-scenario/1",
            "settings": {"max_weight": self.max_weight, "seed": self.seed},
            "participants": [{"id": m.name, "capacity": m.traits.capacity}
                             for m in self.members],
            "projects": [{"id": p} for p in config.projects],
            "tasks": [{"id": t.id, "project": t.project, "fixed_hours": t.fixed_hours}
                      for t in config.tasks],
            "goods": [
                {"id": g.id, "project": g.project, "model": model, "capacity": g.capacity,
                 "recipe": dict(g.recipe), "limit": g.units,  # a member wishes for <= units
                 **({"product_type": g.product_type} if coordinated and g.product_type else {})}
                for g, model in zip(config.goods, self.models, strict=True)
            ],
        }
        pools.import_scenario(self.store.unit_of_work(), POOL, parse_scenario(scenario),
                              coordinators=[self.members[0].name])

    @contextmanager
    def _timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] += time.perf_counter() - started

    def market(self) -> Market:
        """What the members see this period."""
        fixed = self.rule.tasks == "fixed"
        return Market(
            tasks=self.tasks,
            weights=self.fixed_weights if fixed else self.weights,
            fixed=fixed,
            max_weight=self.max_weight,
            goods=self.goods,
            models=self.models,
            expected_cost=self.expected_cost,
            effort=self.effort,
            units=[g.units for g in self.config.goods],
            product_types=[g.product_type for g in self.config.goods],
            coordinated=self.config.coordinate_product_types,
        )

    def step(self) -> None:
        """One period: offers and wishes, clearing, work, settling, planning, metrics."""
        number = self.steps
        with self._timed("members' offers and wishes"):
            values = self._period_values()
            market = self.market()
            offers: list[Offer] = []
            wishes: list[Wish] = []
            for i, member in enumerate(self.members):
                offers.extend(member.offers(market, self.config.agents.offers))
                wishes.extend(member.wishes(market, values[i]))
        with self._timed("submit round (service)"):
            collecting.submit_round(self.store.unit_of_work(), POOL, offers, wishes)
        with self._timed("clear (service)"):
            plan = periods.clear_period(self.store.unit_of_work(), POOL).data
        gains = Gains()
        if self.config.misreport_samples:
            with self._timed("misreporting (counterfactual clears)"):
                gains = self._misreport(number, plan, values)
        with self._timed("members' work"):
            done = self._work(plan)
        with self._timed("log work, settle (services)"):
            entries = [e for e in done if e.hours > 0]
            work.log_confirmed_work(self.store.unit_of_work(), POOL, entries)
            periods.settle_period(self.store.unit_of_work(), POOL)
            balances = books.balances(self.store.unit_of_work(), POOL)
        with self._timed("planning (service)"):
            self._learn(plan)
            self._plan_production(wishes)
        with self._timed("metrics"):
            self.outcome = self._outcome(number, plan, values, done, balances, wishes, offers,
                                         gains)
            self.datacollector.collect(self)

    def _period_values(self) -> FloatArray:
        """This period's values: each member's own, shaken by lognormal noise (mean kept),
        alike for the goods of one product type but for a hair's breadth (which producer a
        member would pick this period, where members do not coordinate)."""
        base = self.base_values
        sigma = self.config.agents.value_noise
        if sigma == 0:
            return base
        noise = self.rng.lognormal(-sigma * sigma / 2, sigma, size=base.shape)[:, self.alike]
        hair = 1 + _PICK * self.rng.standard_normal(base.shape)
        shaken: FloatArray = base * noise * hair
        return shaken

    def _work(self, plan: ClearedPlan) -> list[work.DoneWork]:
        """What each member does of their assignments, confirmed by the next member."""
        assigned: dict[str, dict[str, float]] = defaultdict(dict)
        for a in plan.assignments:
            assigned[a.participant][a.task] = a.hours
        n = len(self.members)
        done: list[work.DoneWork] = []
        for i, member in enumerate(self.members):
            if member.name not in assigned:
                continue
            did = member.work(assigned[member.name], self.config.agents.shortfall_chance,
                              self.rng)
            peer = self.members[(i + 1) % n].name
            done.extend(work.DoneWork(member.name, task, hours, peer)
                        for task, hours in did.items())
        return done

    def _learn(self, plan: ClearedPlan) -> None:
        """Weights and costs the members expect next period: moved towards this plan's by
        the configured ``learning`` rate."""
        rate = self.config.agents.learning
        for task, weight in plan.weights.items():
            t = self.task_index[task]
            self.weights[t] += rate * (weight - self.weights[t])
        self.effort = np.array([sum(self.weights[self.task_index[t]] * h
                                    for t, h in g.recipe.items()) for g in self.config.goods])
        for g, good in enumerate(self.goods):
            result = plan.goods[good]
            if self.models[g] == "flat_rate":
                seen = 0.0
            elif result.allocated == 0:
                seen = self.effort[g]
            else:
                seen = result.unit_cost
            self.expected_cost[g] += rate * (seen - self.expected_cost[g])

    def _plan_production(self, wishes: Sequence[Wish]) -> None:
        """Adaptive projects plan next period's capacity: mean demand seen lately plus
        ``safety`` standard deviations; the producers of a product type together, where
        members coordinate on it, each its own good otherwise."""
        config = self.config
        wished: dict[str, int] = defaultdict(int)
        for wish in wishes:
            alternative = wish.alternatives[0]
            wished[alternative.good or alternative.product_type or ""] += wish.quantity
        groups: dict[str, list[int]] = defaultdict(list)
        for g, good in enumerate(config.goods):
            if good.planning == "adaptive":
                key = good.product_type if (
                    config.coordinate_product_types and good.product_type) else good.id
                groups[key].append(g)
        if not groups:
            return
        uow = self.store.unit_of_work()
        for key, members in groups.items():
            history = self.demand[key]
            history.append(wished[key])
            recent = np.array(history[-_PLANNING_WINDOW:], dtype=float)
            total = math.ceil(recent.mean() + config.safety * recent.std())
            base, extra = divmod(total, len(members))
            for k, g in enumerate(members):
                self.capacity[g] = base + (1 if k < extra else 0)
                projects.plan_production(uow, POOL, self.goods[g], self.capacity[g])

    def _misreport(self, number: int, plan: ClearedPlan, values: FloatArray) -> Gains:
        """The gain sampled truthful members would have had from misreporting this period."""
        uow = self.store.unit_of_work()
        with uow:
            scenario = periods.period_scenario(uow, lookup.current_period(uow, POOL))
        sampler = np.random.default_rng([self.seed, 2, number])
        return misreport_gains(
            scenario, plan, self.members, values, self.goods,
            self.config.misreport_samples, sampler,
        )

    def _outcome(
        self,
        number: int,
        plan: ClearedPlan,
        values: FloatArray,
        done: Sequence[work.DoneWork],
        balances: dict[str, Any],
        wishes: Sequence[Wish],
        offers: Sequence[Offer],
        gains: Gains,
    ) -> PeriodOutcome:
        n, goods = len(self.members), len(self.goods)
        bundles = np.zeros((n, goods))
        goods_cost = np.zeros(n)
        for a in plan.allocations:
            i = self.index[a.participant]
            bundles[i, self.good_index[a.good]] += a.quantity
            goods_cost[i] += a.cost
        hours = np.zeros(n)
        disutility = np.zeros(n)
        credits = np.zeros(n)
        done_by_task = np.zeros(len(self.tasks))
        assigned = {(a.participant, a.task): a.hours for a in plan.assignments}
        for entry in done:
            i, t = self.index[entry.participant], self.task_index[entry.task]
            hours[i] += entry.hours
            done_by_task[t] += entry.hours
            disutility[i] += entry.hours * self.members[i].traits.disutility[t]
            counted = min(entry.hours, assigned[(entry.participant, entry.task)])
            credits[i] += counted * plan.weights[entry.task]
        needed = np.zeros(len(self.tasks))
        for given in plan.assignments:
            needed[self.task_index[given.task]] += given.hours
        for task, open_hours in plan.uncovered.items():
            needed[self.task_index[task]] += open_hours
        made = np.minimum(1.0, done_by_task / np.where(needed > 0, needed, 1.0))
        delivered = np.array([
            min((made[self.task_index[t]] for t in good.recipe), default=1.0)
            for good in self.config.goods
        ])
        return PeriodOutcome(
            number=number,
            plan=plan,
            values=values,
            bundles=bundles,
            delivered=delivered,
            goods_cost=goods_cost,
            benefit=(values * bundles * delivered).sum(axis=1),
            hours=hours,
            disutility=disutility,
            shares=np.array([plan.shares[m.name] for m in self.members]),
            credits=credits,
            balances=np.array([float(balances.get(participant_account(m.name), 0))
                               for m in self.members]),
            wished_units=sum(w.quantity for w in wishes),
            offers=len(offers),
            gains=gains,
        )
