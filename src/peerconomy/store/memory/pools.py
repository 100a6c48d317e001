"""Pools and what they are made of, in memory
(:class:`~peerconomy.services.ports.PoolRepository`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from peerconomy.domain.account import User
from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.pool import Member, Pool, PoolProject, WithdrawnPlan
from peerconomy.domain.privacy import renamed_plan
from peerconomy.domain.scenario import Good, Task
from peerconomy.ledger.journal import participant_account
from peerconomy.store.memory.state import Repository

__all__ = ["MemoryPoolRepository"]


class MemoryPoolRepository(Repository):

    def add(self, pool: Pool) -> None:
        self._s.pools[pool.name] = pool
        for table in (self._s.projects, self._s.members, self._s.tasks, self._s.goods):
            table[pool.name] = {}
        self._s.journal[pool.name] = []

    def get(self, name: str) -> Pool | None:
        return self._s.pools.get(name)

    lock = get

    def put_settings(self, pool: Pool) -> None:
        self._s.pools[pool.name] = pool

    def names(self) -> list[str]:
        return sorted(self._s.pools)

    def projects(self, pool: str) -> list[PoolProject]:
        return list(self._s.projects[pool].values())

    def put_project(self, pool: str, project: PoolProject) -> None:
        self._s.projects[pool][project.id] = project

    def members(self, pool: str) -> list[Member]:
        return list(self._s.members[pool].values())

    def member(self, pool: str, participant: str) -> Member | None:
        return self._s.members.get(pool, {}).get(participant)

    def standing(self, pool: str, user: str) -> tuple[Pool, User | None, Member | None] | None:
        found = self._s.pools.get(pool)
        if found is None:
            return None
        member = next(
            (m for m in self._s.members.get(pool, {}).values() if m.account == user), None
        )
        return found, self._s.users.get(user), member

    def add_members(self, pool: str, members: Iterable[Member]) -> None:
        self._s.members[pool].update((m.id, m) for m in members)

    def put_member(self, pool: str, member: Member) -> None:
        self._s.members[pool][member.id] = member

    def tasks(self, pool: str) -> list[Task]:
        return list(self._s.tasks[pool].values())

    def add_tasks(self, pool: str, tasks: Iterable[Task]) -> None:
        self._s.tasks[pool].update((t.id, t) for t in tasks)

    def put_task(self, pool: str, task: Task) -> None:
        self._s.tasks[pool][task.id] = task

    def goods(self, pool: str) -> list[Good]:
        return list(self._s.goods[pool].values())

    def add_goods(self, pool: str, goods: Iterable[Good]) -> None:
        self._s.goods[pool].update((g.id, g) for g in goods)

    def pickup_points(self, pool: str) -> list[PickupPoint]:
        return list(self._s.pickup_points.get(pool, {}).values())

    def put_pickup_point(self, pool: str, point: PickupPoint) -> None:
        self._s.pickup_points.setdefault(pool, {})[point.id] = point

    def rename_participant(self, pool: str, old: str, new: str) -> None:
        s = self._s
        s.members[pool] = {
            (new if k == old else k): replace(m, id=new) if k == old else m
            for k, m in s.members[pool].items()
        }
        for key in [k for k in s.offers if k[0] == pool]:
            s.offers[key] = {
                ((new, task) if who == old else (who, task)):
                    replace(o, participant=new) if who == old else o
                for (who, task), o in s.offers[key].items()
            }
        for key in [k for k in s.wishes if k[0] == pool]:
            s.wishes[key] = {
                i: replace(w, participant=new) if w.participant == old else w
                for i, w in s.wishes[key].items()
            }
        for number, log in s.work_logs.items():
            if log.pool == pool:
                s.work_logs[number] = replace(
                    log,
                    participant=new if log.participant == old else log.participant,
                    confirmed_by=new if log.confirmed_by == old else log.confirmed_by,
                    accepted_by=new if log.accepted_by == old else log.accepted_by,
                    logged_by=new if log.logged_by == old else log.logged_by,
                )
        for key in [k for k in s.offer_shifts if k[0] == pool]:
            s.offer_shifts[key] = {((new if who == old else who), task): named
                                   for (who, task), named in s.offer_shifts[key].items()}
        for key in [k for k in s.placements if k[0] == pool]:
            s.placements[key] = [(shift, new if who == old else who)
                                 for shift, who in s.placements[key]]
        for id, swap in s.swaps.get(pool, {}).items():
            s.swaps[pool][id] = replace(swap, proposer=new if swap.proposer == old
                                        else swap.proposer, to=new if swap.to == old else swap.to)
        s.follows[pool] = [(project, new if who == old else who)
                           for project, who in s.follows.get(pool, [])]
        for key, holding in s.holdings.items():
            if key[0] == pool and holding.participant == old:
                s.holdings[key] = replace(holding, participant=new)
        s.tasks[pool] = {k: replace(x, contact=new) if x.contact == old else x
                         for k, x in s.tasks[pool].items()}
        for code, invitation in s.invitations.items():
            if invitation.pool == pool and invitation.member == old:
                s.invitations[code] = replace(invitation, member=new)
        s.reminders_sent = {
            ((kind, p, new, subject) if (p, who) == (pool, old) else (kind, p, who, subject)):
                replace(sent, member=new) if (p, who) == (pool, old) else sent
            for (kind, p, who, subject), sent in s.reminders_sent.items()
        }
        for key, plan in s.plans.items():
            renamed = renamed_plan(plan.data, old, new)
            if key[0] == pool and renamed != plan.data:
                s.plans[key] = replace(plan, input_hash=f"{plan.input_hash}+{new}", data=renamed)
        for key, history in s.withdrawn_plans.items():
            if key[0] == pool:
                s.withdrawn_plans[key] = [_renamed_withdrawn(w, old, new) for w in history]
        was, now = participant_account(old), participant_account(new)
        s.journal[pool] = [
            replace(t, postings=tuple(
                replace(p, account=now) if p.account == was else p for p in t.postings))
            for t in s.journal[pool]
        ]

    def put_good(self, pool: str, good: Good) -> None:
        self._s.goods[pool][good.id] = good


def _renamed_withdrawn(withdrawn: WithdrawnPlan, old: str, new: str) -> WithdrawnPlan:
    """A withdrawn plan with participant ``old`` called ``new`` (in the plan and as who
    withdrew it); its input hash gains ``+new`` where anything changed."""
    plan = withdrawn.plan
    renamed = renamed_plan(plan.data, old, new)
    if renamed == plan.data and withdrawn.withdrawn_by != old:
        return withdrawn
    return WithdrawnPlan(
        replace(plan, input_hash=f"{plan.input_hash}+{new}", data=renamed),
        withdrawn.withdrawn_at,
        new if withdrawn.withdrawn_by == old else withdrawn.withdrawn_by,
    )
