"""Periods, offers, wishes, plans and work logs, in memory
(:class:`~peerconomy.services.ports.PeriodRepository`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from peerconomy.domain.holding import Holding
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Assignment, Period, Plan, WithdrawnPlan, WorkLog
from peerconomy.domain.scenario import Offer, Wish
from peerconomy.domain.schedule import PeriodDates
from peerconomy.store.memory.state import Repository

__all__ = ["MemoryPeriodRepository"]


class MemoryPeriodRepository(Repository):
    def add(self, period: Period) -> None:
        key = (period.pool, period.number)
        self._s.periods[key] = period
        self._s.offers[key] = {}
        self._s.wishes[key] = {}
        self._s.periods_left[key] = {}

    def latest(self, pool: str) -> Period | None:
        numbers = [n for (p, n) in self._s.periods if p == pool]
        return self._s.periods[(pool, max(numbers))] if numbers else None

    def get(self, pool: str, number: int) -> Period | None:
        return self._s.periods.get((pool, number))

    def set_state(self, pool: str, number: int, state: PeriodState) -> None:
        key = (pool, number)
        self._s.periods[key] = self._s.periods[key].moved_to(state)

    def set_dates(self, pool: str, number: int, dates: PeriodDates | None) -> None:
        key = (pool, number)
        self._s.periods[key] = self._s.periods[key].dated(dates)

    def closed_for_offers(self, now: datetime) -> list[Period]:
        return sorted(
            (p for p in self._s.periods.values()
             if p.state is PeriodState.COLLECTING and p.closed_for_offers(now)),
            key=lambda p: (p.pool, p.number))

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
        for wish in wishes:
            self.put_wish(pool, number, wish)

    def put_wish(
        self, pool: str, number: int, wish: Wish, *, periods_left: int | None = None
    ) -> None:
        key = (pool, number)
        self._s.wishes[key][wish.id] = wish
        self._s.periods_left[key].pop(wish.id, None)
        if wish.term is not None:
            self._s.periods_left[key][wish.id] = (
                wish.term if periods_left is None else periods_left)

    def remove_wish(self, pool: str, number: int, wish: str) -> bool:
        self._s.periods_left[(pool, number)].pop(wish, None)
        return self._s.wishes[(pool, number)].pop(wish, None) is not None

    def periods_left(self, pool: str, number: int) -> dict[str, int]:
        return dict(self._s.periods_left.get((pool, number), {}))

    def carry_over(self, pool: str, source: int, target: int) -> None:
        self._s.offers[(pool, target)].update(self._s.offers[(pool, source)])
        left = self._s.periods_left[(pool, source)]
        for wish in self._s.wishes[(pool, source)].values():
            if wish.id not in left:
                self.put_wish(pool, target, wish)
            elif left[wish.id] > 1:  # a subscription in its last period ends here
                self.put_wish(pool, target, wish, periods_left=left[wish.id] - 1)

    def add_plan(self, plan: Plan) -> None:
        key = (plan.pool, plan.period)
        if key in self._s.plans:
            raise ValueError(f"period {plan.period} of pool {plan.pool!r} already has a plan")
        self._s.plans[key] = plan

    def plan(self, pool: str, number: int) -> Plan | None:
        return self._s.plans.get((pool, number))

    def withdraw_plan(
        self, pool: str, number: int, *, at: datetime, by: str | None
    ) -> WithdrawnPlan | None:
        plan = self._s.plans.pop((pool, number), None)
        if plan is None:
            return None
        withdrawn = WithdrawnPlan(plan, at, by)
        self._s.withdrawn_plans.setdefault((pool, number), []).append(withdrawn)
        return withdrawn

    def withdrawn_plans(self, pool: str, number: int) -> list[WithdrawnPlan]:
        return list(self._s.withdrawn_plans.get((pool, number), []))

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
        if log.shift is not None and any(
                (w.pool, w.participant, w.shift) == (log.pool, log.participant, log.shift)
                for w in self._s.work_logs.values()):
            raise ValueError(f"{log.participant!r} logged shift {log.shift} of pool"
                             f" {log.pool!r} already")
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

    def work_awaiting(self, logged_before: datetime) -> list[WorkLog]:
        periods = self._s.periods
        return [w for _, w in sorted(self._s.work_logs.items())
                if w.status == "pending" and w.logged_at <= logged_before
                and (found := periods.get((w.pool, w.period))) is not None
                and found.state is PeriodState.CLEARED]

    def remove_work_log(self, pool: str, log_id: int) -> bool:
        if self.work_log(pool, log_id) is None:
            return False
        del self._s.work_logs[log_id]
        return True

    # holdings

    def holdings(self, pool: str) -> list[Holding]:
        return [h for (p, _), h in sorted(self._s.holdings.items()) if p == pool]

    def add_holding(self, holding: Holding) -> Holding:
        taken = [n for (p, n) in self._s.holdings if p == holding.pool]
        stored = replace(holding, id=max(taken, default=0) + 1)
        self._s.holdings[(stored.pool, stored.id)] = stored
        return stored

    def put_holding(self, holding: Holding) -> None:
        if (holding.pool, holding.id) not in self._s.holdings:
            raise ValueError(f"no holding {holding.id} to replace")
        self._s.holdings[(holding.pool, holding.id)] = holding

    def remove_holding(self, pool: str, id: int) -> None:
        self._s.holdings.pop((pool, id), None)
