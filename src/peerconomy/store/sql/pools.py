"""Pools and what they are made of in SQL: settings, projects, members, tasks and goods
(:class:`~peerconomy.services.ports.PoolRepository`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, and_, bindparam, insert, select, update

from peerconomy.domain.account import User
from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Member, Pool, PoolProject, PoolSettings
from peerconomy.domain.privacy import renamed_plan
from peerconomy.domain.scenario import Good, Task
from peerconomy.domain.schedule import PeriodLength, Schedule
from peerconomy.ledger.journal import participant_account
from peerconomy.store import tables as t
from peerconomy.store.sql.accounts import USER_FIELDS, SqlAccountRepository
from peerconomy.store.sql.bulk import bulk, insert_many, validated
from peerconomy.store.sql.identity_map import SqlRepository, read_key, remembered, writes
from peerconomy.store.sql.rows import (
    MEMBER_COLUMNS,
    MEMBER_FIELDS,
    from_json,
    next_position,
    put,
    to_json,
)

__all__ = ["SqlPoolRepository"]

# The reads every page makes, built once: a statement built anew on each call costs more
# Python than the query costs the database (the values are bound at execution).
_SETTINGS = (
    "max_weight", "seed", "communal_validation", "admission", "public", "period_count",
    "period_unit", "close_days", "close_time", "time_zone", "auto_clear",
)
"""The columns of a pool's settings (:func:`_settings` reads them)."""
_POOL = select(
    *(t.pools.c[name] for name in _SETTINGS),
    t.pools.c.version,
    t.pools.c.display_name,
    t.pools.c.description,
).where(t.pools.c.name == bindparam("pool"))
_POOL_LOCKED = _POOL.with_for_update()
_PROJECTS = (
    select(t.projects.c.id, t.projects.c.active, t.projects.c.forked_from, t.projects.c.version,
           t.projects.c.name, t.projects.c.description)
    .where(t.projects.c.pool == bindparam("pool"))
    .order_by(t.projects.c.position)
)
_MEMBER = select(*MEMBER_COLUMNS).where(
    t.members.c.pool == bindparam("pool"), t.members.c.id == bindparam("participant")
)
_TASKS = (
    select(t.tasks.c.id, t.tasks.c.project, t.tasks.c.fixed_hours, t.tasks.c.name,
           t.tasks.c.description, t.tasks.c.place, t.tasks.c.contact)
    .where(t.tasks.c.pool == bindparam("pool"))
    .order_by(t.tasks.c.position)
)
_STANDING = (
    select(
        *(t.pools.c[name] for name in _SETTINGS),
        t.pools.c.version.label("pool_version"),
        t.pools.c.display_name.label("pool_display_name"),
        t.pools.c.description.label("pool_description"),
        *(t.users.c[f].label(f"user_{f}") for f in USER_FIELDS),
        *(t.members.c[f].label(f"member_{f}") for f in MEMBER_FIELDS),
    )
    .select_from(
        t.pools.outerjoin(t.users, t.users.c.name == bindparam("user")).outerjoin(
            t.members,
            and_(t.members.c.pool == t.pools.c.name, t.members.c.account == bindparam("user")),
        )
    )
    .where(t.pools.c.name == bindparam("pool"))
)


def _pool_values(pool: Pool) -> dict[str, Any]:
    """The columns of a pool's row but its name."""
    s, calendar = pool.settings, pool.settings.schedule
    length = calendar.length
    return {"max_weight": s.max_weight, "seed": s.seed,
            "communal_validation": s.communal_validation, "admission": s.admission,
            "public": s.public, "version": pool.version,
            "period_count": None if length is None else length.count,
            "period_unit": None if length is None else length.unit,
            "close_days": calendar.close_days, "close_time": calendar.close_time,
            "time_zone": calendar.time_zone, "auto_clear": calendar.auto_clear,
            "display_name": pool.display_name, "description": pool.description}


def _settings(row: Any) -> PoolSettings:
    """A pool's settings from a row with the columns of :data:`_SETTINGS`."""
    length = None if row.period_count is None else PeriodLength(row.period_count,
                                                                row.period_unit)
    return PoolSettings(
        max_weight=row.max_weight, seed=row.seed, communal_validation=row.communal_validation,
        admission=row.admission, public=row.public,
        schedule=Schedule(length, row.close_days, row.close_time, row.time_zone,
                          row.auto_clear))


class SqlPoolRepository(SqlRepository):
    """Pools and what they are made of (:class:`~peerconomy.services.ports.PoolRepository`)."""

    @writes
    def add(self, pool: Pool) -> None:
        self._c.execute(insert(t.pools).values(name=pool.name, **_pool_values(pool)))

    @writes
    def put_settings(self, pool: Pool) -> None:
        self._c.execute(
            update(t.pools).where(t.pools.c.name == pool.name).values(**_pool_values(pool))
        )

    @remembered
    def get(self, name: str) -> Pool | None:
        return self._pool(name, lock=False)

    def lock(self, name: str) -> Pool | None:
        self._seen.clear()  # what others committed while we waited for the lock counts
        return self._pool(name, lock=True)

    def _pool(self, name: str, *, lock: bool) -> Pool | None:
        row = self._c.execute(_POOL_LOCKED if lock else _POOL, {"pool": name}).first()
        if row is None:
            return None
        return Pool(name, _settings(row), row.version, row.display_name, row.description)

    def names(self) -> list[str]:
        return sorted(self._c.scalars(select(t.pools.c.name)))

    def projects(self, pool: str) -> list[PoolProject]:
        rows = self._c.execute(_PROJECTS, {"pool": pool})
        return [PoolProject(*row) for row in rows]

    @writes
    def put_project(self, pool: str, project: PoolProject) -> None:
        put(
            self._c,
            t.projects,
            {"pool": pool, "id": project.id},
            {"active": project.active, "forked_from": project.forked_from,
             "version": project.version, "name": project.name,
             "description": project.description},
            scope=("pool",),
        )

    @bulk
    def members(self, pool: str) -> list[Member]:
        m = t.members.c
        rows = self._c.execute(
            select(*MEMBER_COLUMNS).where(m.pool == pool).order_by(m.position)
        )
        return [Member(*row) for row in rows]

    @remembered
    def member(self, pool: str, participant: str) -> Member | None:
        row = self._c.execute(_MEMBER, {"pool": pool, "participant": participant}).first()
        return None if row is None else Member(*row)

    @remembered
    def standing(self, pool: str, user: str) -> tuple[Pool, User | None, Member | None] | None:
        row = self._c.execute(_STANDING, {"pool": pool, "user": user}).first()
        if row is None:
            return None
        found = Pool(pool, _settings(row), row.pool_version, row.pool_display_name,
                     row.pool_description)
        account = None if row.user_name is None else User(
            **{f: getattr(row, f"user_{f}") for f in USER_FIELDS})
        member = None if row.member_id is None else Member(
            row.member_id, *(getattr(row, f"member_{f}") for f in MEMBER_FIELDS[1:]))
        # what the request reads next, answered by this read
        self._seen[read_key(SqlPoolRepository.get.__qualname__, (pool,), {})] = found
        self._seen[read_key(SqlAccountRepository.user.__qualname__, (user,), {})] = account
        if member is not None:
            key = read_key(SqlPoolRepository.member.__qualname__, (pool, member.id), {})
            self._seen[key] = member
        return found, account, member

    @writes
    @bulk
    def add_members(self, pool: str, members: Iterable[Member]) -> None:
        start = next_position(self._c, t.members, t.members.c.pool == pool)
        rows = [
            (pool, m.id, i, m.capacity, m.exempt, m.role, m.active, m.version, m.account,
             m.display_name, m.email, m.phone, m.contact_visible, m.pickup_point)
            for i, m in enumerate(members, start)
        ]
        insert_many(self._c, t.members, rows)

    @writes
    def put_member(self, pool: str, member: Member) -> None:
        put(
            self._c,
            t.members,
            {"pool": pool, "id": member.id},
            {
                "capacity": member.capacity,
                "exempt": member.exempt,
                "role": member.role,
                "active": member.active,
                "version": member.version,
                "account": member.account,
                "display_name": member.display_name,
                "email": member.email,
                "phone": member.phone,
                "contact_visible": member.contact_visible,
                "pickup_point": member.pickup_point,
            },
            scope=("pool",),
        )

    @bulk
    def tasks(self, pool: str) -> list[Task]:
        rows = self._c.execute(_TASKS, {"pool": pool})
        return validated(Task, [
            {"id": id, "project": project, "fixed_hours": h, "name": name,
             "description": description, "place": place, "contact": contact}
            for id, project, h, name, description, place, contact in rows
        ])

    @writes
    @bulk
    def add_tasks(self, pool: str, tasks: Iterable[Task]) -> None:
        start = next_position(self._c, t.tasks, t.tasks.c.pool == pool)
        rows = [(pool, x.id, i, x.project, x.fixed_hours, x.name, x.description, x.place,
                 x.contact) for i, x in enumerate(tasks, start)]
        insert_many(self._c, t.tasks, rows)

    @writes
    def put_task(self, pool: str, task: Task) -> None:
        put(
            self._c,
            t.tasks,
            {"pool": pool, "id": task.id},
            {"project": task.project, "fixed_hours": task.fixed_hours, "name": task.name,
             "description": task.description, "place": task.place, "contact": task.contact},
            scope=("pool",),
        )

    @bulk
    def goods(self, pool: str) -> list[Good]:
        c = t.goods.c
        rows = self._c.execute(
            select(c.id, c.project, c.model, c.capacity, c.recipe, c.product_type, c.limit,
                   c.tenure, c.name, c.description)
            .where(c.pool == pool)
            .order_by(c.position)
        )
        return validated(
            Good,
            [
                {
                    "id": id,
                    "project": project,
                    "model": model,
                    "capacity": capacity,
                    "recipe": from_json(recipe),
                    "product_type": product_type,
                    "limit": limit,
                    "tenure": tenure,
                    "name": name,
                    "description": description,
                }
                for (id, project, model, capacity, recipe, product_type, limit, tenure, name,
                     description) in rows
            ],
        )

    @writes
    @bulk
    def add_goods(self, pool: str, goods: Iterable[Good]) -> None:
        start = next_position(self._c, t.goods, t.goods.c.pool == pool)
        rows = [
            (pool, g.id, i, g.project, g.model, g.capacity, to_json(g.recipe), g.product_type,
             g.limit, g.tenure, g.name, g.description)
            for i, g in enumerate(goods, start)
        ]
        insert_many(self._c, t.goods, rows)

    def pickup_points(self, pool: str) -> list[PickupPoint]:
        p = t.pickup_points.c
        rows = self._c.execute(
            select(p.id, p.name, p.address, p.opening_times, p.active, p.version)
            .where(p.pool == pool).order_by(p.position))
        return [PickupPoint(*row) for row in rows]

    @writes
    def put_pickup_point(self, pool: str, point: PickupPoint) -> None:
        put(
            self._c,
            t.pickup_points,
            {"pool": pool, "id": point.id},
            {"name": point.name, "address": point.address,
             "opening_times": point.opening_times, "active": point.active,
             "version": point.version},
            scope=("pool",),
        )

    @writes
    def rename_participant(self, pool: str, old: str, new: str) -> None:
        renames: list[tuple[Table, str]] = [
            (t.members, "id"), (t.offers, "participant"), (t.wishes, "participant"),
            (t.work_logs, "participant"), (t.work_logs, "confirmed_by"),
            (t.work_logs, "accepted_by"), (t.work_logs, "logged_by"),
            (t.invitations, "member"), (t.assignments, "participant"),
            (t.holdings, "participant"), (t.offer_shifts, "participant"),
            (t.tasks, "contact"),
            (t.shift_placements, "participant"), (t.reminders_sent, "member"),
            (t.shift_swaps, "proposer"), (t.shift_swaps, "recipient"),
            (t.project_follows, "participant"),
        ]
        for table, column in renames:
            self._c.execute(update(table).where(table.c.pool == pool, table.c[column] == old)
                            .values({column: new}))
        p = t.postings.c
        self._c.execute(update(t.postings)
                        .where(p.pool == pool, p.account == participant_account(old))
                        .values(account=participant_account(new)))
        plans = self._c.execute(select(t.plans.c.period, t.plans.c.input_hash, t.plans.c.data)
                                .where(t.plans.c.pool == pool)).all()
        for period, stamp, text in plans:
            data = ClearedPlan.from_json(from_json(text))
            renamed = renamed_plan(data, old, new)
            if renamed != data:
                self._c.execute(
                    update(t.plans).where(t.plans.c.pool == pool, t.plans.c.period == period)
                    .values(input_hash=f"{stamp}+{new}", data=to_json(renamed.to_json())))
        w = t.withdrawn_plans.c
        withdrawn = self._c.execute(select(w.period, w.seq, w.input_hash, w.withdrawn_by, w.data)
                                    .where(w.pool == pool)).all()
        for period, seq, stamp, by, text in withdrawn:
            data = ClearedPlan.from_json(from_json(text))
            renamed = renamed_plan(data, old, new)
            if renamed != data or by == old:
                self._c.execute(
                    update(t.withdrawn_plans)
                    .where(w.pool == pool, w.period == period, w.seq == seq)
                    .values(input_hash=f"{stamp}+{new}", data=to_json(renamed.to_json()),
                            withdrawn_by=new if by == old else by))

    @writes
    def put_good(self, pool: str, good: Good) -> None:
        put(
            self._c,
            t.goods,
            {"pool": pool, "id": good.id},
            {
                "project": good.project,
                "model": good.model,
                "capacity": good.capacity,
                "recipe": to_json(good.recipe),
                "product_type": good.product_type,
                "limit": good.limit,
                "tenure": good.tenure,
                "name": good.name,
                "description": good.description,
            },
            scope=("pool",),
        )

