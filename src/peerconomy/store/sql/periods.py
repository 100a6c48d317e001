"""Periods and what is collected and decided in them, in SQL: offers, wishes, plans and work
logs (:class:`~peerconomy.services.ports.PeriodRepository`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Row,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from peerconomy.domain.holding import Holding
from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Assignment, Period, Plan, WithdrawnPlan, WorkLog
from peerconomy.domain.scenario import Offer, Wish
from peerconomy.domain.schedule import PeriodDates
from peerconomy.store import tables as t
from peerconomy.store.sql.bulk import bulk, insert_many, validated
from peerconomy.store.sql.identity_map import Seen, SqlRepository, remembered, writes
from peerconomy.store.sql.plan_cache import PlanCache
from peerconomy.store.sql.rows import (
    ALTERNATIVE_LISTS,
    alternatives_json,
    dialect_insert,
    from_json,
    next_position,
    put,
    to_json,
)

__all__ = ["SqlPeriodRepository"]


def _of_period(table: Table) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The rows of one period of one pool (bound as ``pool`` and ``number``)."""
    return table.c.pool == bindparam("pool"), table.c.period == bindparam("number")


# The reads every page makes, built once: a statement built anew on each call costs more
# Python than the query costs the database (the values are bound at execution).
_LATEST_PERIOD = (
    select(t.periods)
    .where(t.periods.c.pool == bindparam("pool"))
    .order_by(t.periods.c.number.desc())
    .limit(1)
)

_PLAN_KEY = _of_period(t.plans)
_PLAN_STAMP = select(t.plans.c.input_hash, t.plans.c.cleared_at).where(*_PLAN_KEY)
_PLAN = select(t.plans.c.input_hash, t.plans.c.cleared_at, t.plans.c.data).where(*_PLAN_KEY)
_WITHDRAWN = (
    select(t.withdrawn_plans)
    .where(*_of_period(t.withdrawn_plans))
    .order_by(t.withdrawn_plans.c.seq)
)
_OFFERS = (
    select(t.offers.c.participant, t.offers.c.task, t.offers.c.hours, t.offers.c.min_weight)
    .where(*_of_period(t.offers))
    .order_by(t.offers.c.position)
)
_OFFERS_OF = _OFFERS.where(t.offers.c.participant == bindparam("participant"))
_OFFERED_HOURS = (
    select(t.offers.c.task, func.sum(t.offers.c.hours))
    .where(*_of_period(t.offers))
    .group_by(t.offers.c.task)
)
_WISHES = (
    select(t.wishes.c.participant, t.wishes.c.id, t.wishes.c.quantity, t.wishes.c.alternatives,
           t.wishes.c.term)
    .where(*_of_period(t.wishes))
    .order_by(t.wishes.c.position)
)
_PERIODS_LEFT = (
    select(t.wishes.c.id, t.wishes.c.periods_left)
    .where(*_of_period(t.wishes), t.wishes.c.periods_left.is_not(None))
    .order_by(t.wishes.c.position)
)
_WISHES_OF = _WISHES.where(t.wishes.c.participant == bindparam("participant"))
_ASSIGNMENTS = (
    select(t.assignments.c.participant, t.assignments.c.task, t.assignments.c.hours,
           t.assignments.c.weight)
    .where(*_of_period(t.assignments))
    .order_by(t.assignments.c.position)
)
_WORK_LOGS = (
    select(t.work_logs)
    .where(*_of_period(t.work_logs))
    .order_by(t.work_logs.c.id)
)


def _period_record(row: Row[Any]) -> Period:
    return Period(row.pool, row.number, PeriodState(row.state), from_json(row.weight_estimates),
                  row.starts_on, row.ends_on, row.collect_until)


def _date_values(period: Period) -> dict[str, Any]:
    """The columns of a period's dates (a naive deadline is refused, with a ValueError)."""
    until = period.collect_until
    return {"starts_on": period.starts_on, "ends_on": period.ends_on,
            "collect_until": None if until is None else t.utc(until)}


def _work_log(row: Row[Any]) -> WorkLog:
    return WorkLog(**row._asdict())


def _work_log_values(log: WorkLog) -> dict[str, Any]:
    """The log's columns but its id (a naive time is refused here, with a plain ValueError)."""
    values = {c.name: getattr(log, c.name) for c in t.work_logs.columns if c.name != "id"}
    values["logged_at"] = t.utc(log.logged_at)
    return values


class SqlPeriodRepository(SqlRepository):
    """Periods, offers, wishes, plans and work logs
    (:class:`~peerconomy.services.ports.PeriodRepository`)."""

    def __init__(self, connection: Connection, seen: Seen | None = None,
                 plans: PlanCache | None = None) -> None:
        super().__init__(connection, seen)
        self._plans = plans if plans is not None else PlanCache(0)

    # periods

    @writes
    def add(self, period: Period) -> None:
        self._c.execute(
            insert(t.periods).values(
                pool=period.pool,
                number=period.number,
                state=period.state.value,
                weight_estimates=to_json(period.weight_estimates),
                **_date_values(period),
            )
        )

    @remembered
    def latest(self, pool: str) -> Period | None:
        row = self._c.execute(_LATEST_PERIOD, {"pool": pool}).first()
        return None if row is None else _period_record(row)

    def get(self, pool: str, number: int) -> Period | None:
        p = t.periods.c
        row = self._c.execute(select(t.periods).where(p.pool == pool, p.number == number)).first()
        return None if row is None else _period_record(row)

    @writes
    def set_state(self, pool: str, number: int, state: PeriodState) -> None:
        p = t.periods.c
        self._c.execute(
            update(t.periods).where(p.pool == pool, p.number == number).values(state=state.value)
        )

    @writes
    def set_dates(self, pool: str, number: int, dates: PeriodDates | None) -> None:
        p = t.periods.c
        values = _date_values(Period(pool, number, PeriodState.OPEN).dated(dates))
        self._c.execute(update(t.periods).where(p.pool == pool, p.number == number)
                        .values(**values))

    def closed_for_offers(self, now: datetime) -> list[Period]:
        p = t.periods.c
        rows = self._c.execute(
            select(t.periods)
            .where(p.collect_until <= t.utc(now), p.state == PeriodState.COLLECTING.value)
            .order_by(p.pool, p.number)
        )
        return [_period_record(row) for row in rows]

    # offers

    @bulk
    def offers(self, pool: str, number: int, *, participant: str | None = None) -> list[Offer]:
        key = {"pool": pool, "number": number, "participant": participant}
        rows = self._c.execute(_OFFERS if participant is None else _OFFERS_OF, key).all()
        return validated(
            Offer,
            [
                {"participant": who, "task": task, "hours": h, "min_weight": w}
                for who, task, h, w in rows
            ],
        )

    @writes
    @bulk
    def add_offers(self, pool: str, number: int, offers: Iterable[Offer]) -> None:
        o = t.offers.c
        start = next_position(self._c, t.offers, o.pool == pool, o.period == number)
        rows = [
            (pool, number, x.participant, x.task, i, x.hours, x.min_weight)
            for i, x in enumerate(offers, start)
        ]
        insert_many(self._c, t.offers, rows)

    def offered_hours(self, pool: str, number: int) -> dict[str, float]:
        rows = self._c.execute(_OFFERED_HOURS, {"pool": pool, "number": number})
        return {task: float(hours) for task, hours in rows}

    @writes
    def put_offer(self, pool: str, number: int, offer: Offer) -> None:
        put(
            self._c,
            t.offers,
            {"pool": pool, "period": number, "participant": offer.participant, "task": offer.task},
            {"hours": offer.hours, "min_weight": offer.min_weight},
            scope=("pool", "period"),
        )

    @writes
    def remove_offer(self, pool: str, number: int, participant: str, task: str) -> bool:
        o = t.offers.c
        result = self._c.execute(
            delete(t.offers).where(
                o.pool == pool, o.period == number, o.participant == participant, o.task == task
            )
        )
        return result.rowcount > 0

    # wishes

    @bulk
    def wishes(self, pool: str, number: int, *, participant: str | None = None) -> list[Wish]:
        key = {"pool": pool, "number": number, "participant": participant}
        rows = self._c.execute(_WISHES if participant is None else _WISHES_OF, key).all()
        # one JSON document for all wishes' alternatives: one call into pydantic, not 50,000
        alternatives = ALTERNATIVE_LISTS.validate_json(
            "[" + ",".join(row.alternatives for row in rows) + "]"
        )
        return validated(
            Wish,
            [
                {"participant": who, "id": id, "quantity": n, "alternatives": alts, "term": term}
                for (who, id, n, _, term), alts in zip(rows, alternatives, strict=True)
            ],
        )

    @writes
    @bulk
    def add_wishes(self, pool: str, number: int, wishes: Iterable[Wish]) -> None:
        w = t.wishes.c
        start = next_position(self._c, t.wishes, w.pool == pool, w.period == number)
        rows = [
            (
                pool,
                number,
                x.id,
                i,
                x.participant,
                x.quantity,
                alternatives_json(x.alternatives),
                x.term,
                x.term,  # a new subscription stands for its whole term
            )
            for i, x in enumerate(wishes, start)
        ]
        insert_many(self._c, t.wishes, rows)

    @writes
    def put_wish(
        self, pool: str, number: int, wish: Wish, *, periods_left: int | None = None
    ) -> None:
        put(
            self._c,
            t.wishes,
            {"pool": pool, "period": number, "id": wish.id},
            {
                "participant": wish.participant,
                "quantity": wish.quantity,
                "alternatives": alternatives_json(wish.alternatives),
                "term": wish.term,
                "periods_left": None if wish.term is None else (
                    wish.term if periods_left is None else periods_left),
            },
            scope=("pool", "period"),
        )

    def periods_left(self, pool: str, number: int) -> dict[str, int]:
        rows = self._c.execute(_PERIODS_LEFT, {"pool": pool, "number": number}).all()
        return {wish: int(left) for wish, left in rows}

    @writes
    def remove_wish(self, pool: str, number: int, wish: str) -> bool:
        w = t.wishes.c
        result = self._c.execute(
            delete(t.wishes).where(w.pool == pool, w.period == number, w.id == wish)
        )
        return result.rowcount > 0

    @writes
    def carry_over(self, pool: str, source: int, target: int) -> None:
        self._carry_over(t.offers, ("participant", "task"), pool, source, target)
        # a subscription stands one period less; one in its last period ends here
        w = t.wishes.c
        self._carry_over(t.wishes, ("id",), pool, source, target,
                         where=(w.periods_left.is_(None) | (w.periods_left > 1)),
                         computed={"periods_left": w.periods_left - 1})

    def _carry_over(
        self, table: Table, keys: Sequence[str], pool: str, source: int, target: int, *,
        where: ColumnElement[bool] | None = None, computed: dict[str, Any] | None = None,
    ) -> None:
        """INSERT ... SELECT the source period's rows into the target period: a row the
        target has already is updated in place, a new one goes after the target's last (the
        upsert only where the target has rows: into an empty period a plain insert is
        faster). Only the rows ``where`` holds, if given; ``computed`` columns take the
        expressions given (of the source row) instead of being copied."""
        c = table.c
        computed = computed or {}
        offset = next_position(self._c, table, c.pool == pool, c.period == target) - 1
        values = [
            column.name
            for column in table.columns
            if column.name not in (*keys, "pool", "period", "position")
        ]
        rows = (
            select(
                c.pool,
                literal(target, Integer).label("period"),
                *(c[k] for k in keys),
                (c.position + offset).label("position"),
                *(computed[v].label(v) if v in computed else c[v] for v in values),
            )
            .where(c.pool == pool, c.period == source,
                   *(() if where is None else (where,)))
            .order_by(c.position)
        )
        statement = dialect_insert(self._c.dialect.name)(table).from_select(
            ["pool", "period", *keys, "position", *values], rows
        )
        if offset:
            statement = statement.on_conflict_do_update(
                index_elements=["pool", "period", *keys],
                set_={name: statement.excluded[name] for name in values},
            )
        self._c.execute(statement)

    # plans

    @writes
    @bulk
    def add_plan(self, plan: Plan) -> None:
        if self._has_plan(plan.pool, plan.period):
            raise ValueError(f"period {plan.period} of pool {plan.pool!r} already has a plan")
        cleared_at = t.utc(plan.cleared_at)  # a naive time is refused before anything is written
        self._c.execute(
            insert(t.plans).values(
                pool=plan.pool,
                period=plan.period,
                input_hash=plan.input_hash,
                cleared_at=cleared_at,
                data=to_json(plan.data.to_json()),
            )
        )
        weights = plan.data.weights
        rows = [
            (plan.pool, plan.period, i, a.participant, a.task, a.hours, weights[a.task])
            for i, a in enumerate(plan.data.assignments, 1)
        ]
        insert_many(self._c, t.assignments, rows)

    @writes
    def withdraw_plan(
        self, pool: str, number: int, *, at: datetime, by: str | None
    ) -> WithdrawnPlan | None:
        plan = self.plan(pool, number)
        if plan is None:
            return None
        withdrawn = WithdrawnPlan(plan, at, by)
        w = t.withdrawn_plans.c
        seq = self._c.scalar(select(func.coalesce(func.max(w.seq), 0) + 1)
                             .where(w.pool == pool, w.period == number))
        self._c.execute(
            insert(t.withdrawn_plans).values(
                pool=pool, period=number, seq=seq, input_hash=plan.input_hash,
                cleared_at=t.utc(plan.cleared_at), withdrawn_at=t.utc(at), withdrawn_by=by,
                data=to_json(plan.data.to_json()),
            )
        )
        for table in (t.assignments, t.plans):  # the triggers allow it only for a reopening
            self._c.execute(
                delete(table).where(table.c.pool == pool, table.c.period == number))
        return withdrawn

    @bulk
    def withdrawn_plans(self, pool: str, number: int) -> list[WithdrawnPlan]:
        rows = self._c.execute(_WITHDRAWN, {"pool": pool, "number": number}).all()
        return [
            WithdrawnPlan(
                Plan(pool, number, row.input_hash, row.cleared_at,
                     ClearedPlan.from_json(from_json(row.data))),
                row.withdrawn_at,
                row.withdrawn_by,
            )
            for row in rows
        ]

    def _has_plan(self, pool: str, number: int) -> bool:
        p = t.plans.c
        found = self._c.scalar(select(p.period).where(p.pool == pool, p.period == number))
        return found is not None

    @bulk
    def plan(self, pool: str, number: int) -> Plan | None:
        key = {"pool": pool, "number": number}
        stamp = self._c.execute(_PLAN_STAMP, key).first()
        if stamp is None:
            return None
        kept = self._plans.get(pool, number, stamp.input_hash, stamp.cleared_at)
        if kept is not None:
            return kept
        row = self._c.execute(_PLAN, key).first()
        if row is None:  # pragma: no cover - a plan is never deleted
            return None
        plan = Plan(pool, number, row.input_hash, row.cleared_at,
                    ClearedPlan.from_json(from_json(row.data)))
        self._plans.put(plan, len(row.data))
        return plan

    @bulk
    def assignments(self, pool: str, number: int) -> list[Assignment]:
        rows = self._c.execute(_ASSIGNMENTS, {"pool": pool, "number": number}).all()
        return [Assignment(who, task, h, w) for who, task, h, w in rows]

    # work logs

    @writes
    def add_work_log(self, log: WorkLog) -> WorkLog:
        w = t.work_logs.c
        if log.shift is not None and self._c.execute(select(w.id).where(
                w.pool == log.pool, w.participant == log.participant, w.shift == log.shift)
                ).first() is not None:
            raise ValueError(f"{log.participant!r} logged shift {log.shift} of pool"
                             f" {log.pool!r} already")
        values = _work_log_values(log)
        result = self._c.execute(insert(t.work_logs).values(**values))
        key = result.inserted_primary_key
        assert key is not None
        return replace(log, id=int(key[0]))

    def work_log(self, pool: str, log_id: int) -> WorkLog | None:
        w = t.work_logs.c
        row = self._c.execute(select(t.work_logs).where(w.id == log_id, w.pool == pool)).first()
        return None if row is None else _work_log(row)

    def work_logs(self, pool: str, number: int) -> list[WorkLog]:
        rows = self._c.execute(_WORK_LOGS, {"pool": pool, "number": number})
        return [_work_log(row) for row in rows]

    @writes
    def put_work_log(self, log: WorkLog) -> None:
        values = _work_log_values(log)
        result = self._c.execute(
            update(t.work_logs).where(t.work_logs.c.id == log.id).values(**values)
        )
        if result.rowcount == 0:
            raise ValueError(f"no work log {log.id} to replace")

    def work_awaiting(self, logged_before: datetime) -> list[WorkLog]:
        w, p = t.work_logs.c, t.periods.c
        rows = self._c.execute(
            select(t.work_logs)
            .join(t.periods, (p.pool == w.pool) & (p.number == w.period))
            .where(w.status == "pending", w.logged_at <= t.utc(logged_before),
                   p.state == PeriodState.CLEARED.value)
            .order_by(w.id)
        )
        return [_work_log(row) for row in rows]

    @writes
    def remove_work_log(self, pool: str, log_id: int) -> bool:
        w = t.work_logs.c
        result = self._c.execute(delete(t.work_logs).where(w.id == log_id, w.pool == pool))
        return bool(result.rowcount)

    # holdings

    def holdings(self, pool: str) -> list[Holding]:
        h = t.holdings.c
        rows = self._c.execute(select(t.holdings).where(h.pool == pool).order_by(h.id))
        return [Holding(**row._asdict()) for row in rows]

    @writes
    def add_holding(self, holding: Holding) -> Holding:
        h = t.holdings.c
        last = self._c.execute(
            select(func.max(h.id)).where(h.pool == holding.pool)).scalar()
        stored = replace(holding, id=(last or 0) + 1)
        self._c.execute(insert(t.holdings).values(**_holding_values(stored)))
        return stored

    @writes
    def put_holding(self, holding: Holding) -> None:
        h = t.holdings.c
        result = self._c.execute(update(t.holdings)
                                 .where(h.pool == holding.pool, h.id == holding.id)
                                 .values(**_holding_values(holding)))
        if result.rowcount == 0:
            raise ValueError(f"no holding {holding.id} to replace")

    @writes
    def remove_holding(self, pool: str, id: int) -> None:
        h = t.holdings.c
        self._c.execute(delete(t.holdings).where(h.pool == pool, h.id == id))


def _holding_values(holding: Holding) -> dict[str, Any]:
    return {c.name: getattr(holding, c.name) for c in t.holdings.columns}
