"""Projects in a pool: join with tasks and goods, leave, or fork another project.

A project with its tasks and goods is edited as one: its version counts the changes of its
standing and of its goods' capacities, and an edit made from an older version is refused
(:class:`~peerconomy.services.errors.StaleEditError`).

Forking copies a project's tasks, goods and recipes into a new project, the copies' ids
prefixed with the new project's (``bakery2/knead``), recipes pointing at the copied tasks; the
goods keep their product types, so the fork's bread and the original's are one product type
and wishes for ``bread`` are met by either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from peerconomy.domain.bounds import MAX_UNITS
from peerconomy.domain.ids import check_id
from peerconomy.domain.names import DESCRIPTION, NAME, check_contacts
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import PoolProject
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Good, Task
from peerconomy.domain.scenario_checks import holdings_problem
from peerconomy.domain.text import optional_text
from peerconomy.services import lookup
from peerconomy.services.audit import record
from peerconomy.services.collecting import active_goods, active_tasks, withdraw_everything_of
from peerconomy.services.errors import ConflictError, NotFoundError, check_version
from peerconomy.services.keep import KEEP, Keep
from peerconomy.services.ports import UnitOfWork

__all__ = ["change_good", "fork_project", "join_project", "leave_project", "leave_refusal",
           "plan_production"]


def join_project(
    uow: UnitOfWork,
    pool: str,
    project: str,
    tasks: Sequence[Task] = (),
    goods: Sequence[Good] = (),
    *,
    name: str | None = None,
    description: str | None = None,
    actor: str | None = None,
) -> PoolProject:
    """A project joins the pool with its tasks and goods, and the display name and
    description people read for it (a project that left may rejoin; its earlier tasks and
    goods come back with it, its names kept where none are given)."""
    name = optional_text(name, "name", NAME)
    description = optional_text(description, "description", DESCRIPTION)
    with uow:
        lookup.pool(uow, pool, lock=True)
        known = {p.id: p for p in uow.pools.projects(pool)}
        if project in known and known[project].active:
            raise ConflictError(f"project {project!r} is in pool {pool!r} already")
        _check_new(uow, pool, project, tasks, goods)
        check_contacts([t.contact for t in tasks],
                       {m.id for m in uow.pools.members(pool) if m.active}, pool)
        before = known.get(project)
        if before is not None:
            _check_returning_goods(uow, pool, project)
        joined = (
            PoolProject(project, name=name, description=description) if before is None
            else replace(before, active=True, version=before.version + 1,
                         name=name or before.name,
                         description=description or before.description)
        )
        uow.pools.put_project(pool, joined)
        uow.pools.add_tasks(pool, tasks)
        uow.pools.add_goods(pool, goods)
        record(uow, pool, "project.join", actor=actor, subject=project, detail={
            "tasks": [t.id for t in tasks], "goods": [g.id for g in goods],
            "rejoined": before is not None,
        })
        uow.commit()
    return joined


def leave_refusal(project: str, tasks: Sequence[Task], goods: Sequence[Good]) -> str | None:
    """Why ``project`` may not leave a pool with these ``tasks`` and active ``goods`` (None:
    it may): a good of another project needs one of its tasks. The rule
    :func:`leave_project` enforces, and the projects page asks before it draws the button."""
    own_tasks = {t.id for t in tasks if t.project == project}
    for good in goods:
        needed = own_tasks.intersection(good.recipe)
        if good.project != project and needed:
            return (f"project {project!r} cannot leave: good {good.id!r} of project"
                    f" {good.project!r} needs its task {min(needed)!r}")
    return None


def leave_project(
    uow: UnitOfWork,
    pool: str,
    project: str,
    *,
    version: int | None = None,
    actor: str | None = None,
) -> PoolProject:
    """A project leaves the pool: its tasks and goods are no longer cleared, offers on its
    tasks and wishes only its goods could meet are withdrawn from a collecting period. A
    period already cleared keeps its plan, so the work done for it is still credited.
    ``version``: the project's version the step was taken from (None: whatever is stored)."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        old = _active_project(uow, pool, project)
        check_version(f"project {project!r}", old.version, version)
        tasks = uow.pools.tasks(pool)
        refused = leave_refusal(project, tasks, active_goods(uow, pool))
        if refused is not None:
            raise ConflictError(refused)
        own_tasks = {t.id for t in tasks if t.project == project}
        period = lookup.current_period(uow, pool)
        if period.state is PeriodState.COLLECTING:
            withdraw_everything_of(
                uow,
                period,
                tasks=own_tasks,
                goods={g.id for g in uow.pools.goods(pool) if g.project == project},
            )
        left = replace(old, active=False, version=old.version + 1)
        uow.pools.put_project(pool, left)
        record(uow, pool, "project.leave", actor=actor, subject=project)
        uow.commit()
    return left




def fork_project(
    uow: UnitOfWork, pool: str, source: str, project: str, *, actor: str | None = None
) -> PoolProject:
    """Copy project ``source``'s tasks, goods and recipes into a new project ``project``
    (an id by the identifier rule of :mod:`peerconomy.domain.ids`)."""
    check_id(project, "project")
    with uow:
        lookup.pool(uow, pool, lock=True)
        _active_project(uow, pool, source)
        if any(p.id == project for p in uow.pools.projects(pool)):
            raise ConflictError(f"project {project!r} is in pool {pool!r} already")
        renamed = {t.id: f"{project}/{t.id}" for t in uow.pools.tasks(pool) if t.project == source}
        tasks = [
            replace(t, id=renamed[t.id], project=project)
            for t in uow.pools.tasks(pool)
            if t.project == source
        ]
        goods = [
            replace(
                g,
                id=f"{project}/{g.id}",
                project=project,
                recipe={renamed.get(k, k): h for k, h in g.recipe.items()},
            )
            for g in uow.pools.goods(pool)
            if g.project == source
        ]
        _check_new(uow, pool, project, tasks, goods)
        forked = PoolProject(project, True, forked_from=source)
        uow.pools.put_project(pool, forked)
        uow.pools.add_tasks(pool, tasks)
        uow.pools.add_goods(pool, goods)
        record(uow, pool, "project.fork", actor=actor, subject=project, detail={
            "source": source, "tasks": len(tasks), "goods": len(goods),
        })
        uow.commit()
    return forked


def plan_production(
    uow: UnitOfWork,
    pool: str,
    good: str,
    capacity: int | None,
    *,
    version: int | None = None,
    actor: str | None = None,
) -> tuple[Good, PoolProject]:
    """A project plans how many units of its good it can make in the collecting period
    (``None``: no limit), as it would after reading the hint board's over- and
    underproduction: the good as planned, and its project at its new version. ``version``:
    the version of the good's project the plan was made from (None: whatever is stored)."""
    return change_good(uow, pool, good, capacity=capacity, version=version, actor=actor)


def change_good(
    uow: UnitOfWork,
    pool: str,
    good: str,
    *,
    capacity: int | Keep | None = KEEP,
    name: str | Keep | None = KEEP,
    description: str | Keep | None = KEEP,
    version: int | None = None,
    actor: str | None = None,
) -> tuple[Good, PoolProject]:
    """Change a good in one step: plan its capacity in the collecting period (see
    :func:`plan_production`), give it a display name or a description (None or blank: none;
    :mod:`peerconomy.domain.names`); what is left out (:data:`KEEP`) is kept. The good
    and its project at its new version."""
    planning = not isinstance(capacity, Keep)
    units = None if isinstance(capacity, Keep) else capacity
    if units is not None and (
        isinstance(units, bool) or not isinstance(units, int) or units < 0
    ):
        raise InputError("capacity", f"must be a whole number >= 0, got {units!r}")
    if units is not None and units > MAX_UNITS:
        raise InputError("capacity", f"must be <= {MAX_UNITS}, got {units!r}")
    texts: dict[str, Any] = {field: optional_text(value, field, kind) for field, value, kind in (
        ("name", name, NAME), ("description", description, DESCRIPTION))
        if not isinstance(value, Keep)}
    with uow:
        lookup.pool(uow, pool, lock=True)
        if planning:
            period = lookup.current_period(uow, pool)
            lookup.require_state(period, PeriodState.COLLECTING, "plan production in")
            found = next((g for g in active_goods(uow, pool) if g.id == good), None)
        else:  # a good of a project that left may be named still
            found = next((g for g in uow.pools.goods(pool) if g.id == good), None)
        if found is None:
            raise NotFoundError("good", good, pool)
        owner = _project(uow, pool, found.project, active=planning)
        check_version(f"project {owner.id!r}", owner.version, version)
        changed = replace(found, **texts)
        if planning:
            changed = replace(changed, capacity=units)
            held = [h.in_scenario() for h in uow.periods.holdings(pool) if h.good == good]
            if holdings_problem(held, {h.participant for h in held}, [changed]) is not None:
                least = sum(h.quantity for h in held)
                raise InputError("capacity", f"must be at least {least}, the units of"
                                             f" {good!r} held, got {capacity!r}")
        uow.pools.put_good(pool, changed)
        owner = replace(owner, version=owner.version + 1)
        uow.pools.put_project(pool, owner)
        if planning:
            record(uow, pool, "good.capacity", actor=actor, subject=good,
                   detail={"before": found.capacity, "capacity": capacity})
        named = {k: {"before": getattr(found, k), "after": v} for k, v in texts.items()
                 if getattr(found, k) != v}
        if named:
            record(uow, pool, "good.names", actor=actor, subject=good, detail=named)
        uow.commit()
    return changed, owner


def _active_project(uow: UnitOfWork, pool: str, project: str) -> PoolProject:
    return _project(uow, pool, project)


def _project(uow: UnitOfWork, pool: str, project: str, *, active: bool = True) -> PoolProject:
    """The pool's project ``project`` (``active``: only while it is in the pool)."""
    found = next((p for p in uow.pools.projects(pool)
                  if p.id == project and (p.active or not active)), None)
    if found is None:
        raise NotFoundError("project", project, pool)
    return found


def _check_new(
    uow: UnitOfWork, pool: str, project: str, tasks: Sequence[Task], goods: Sequence[Good]
) -> None:
    """New tasks and goods belong to ``project``, have new ids, and recipes name known tasks."""
    if not project:
        raise InputError("project", "must be a non-empty id")
    check_id(project, "project")
    task_ids = {t.id for t in uow.pools.tasks(pool)}
    good_ids = {g.id for g in uow.pools.goods(pool)}
    usable = _usable_tasks(uow, pool, project) | {t.id for t in tasks}
    parts: tuple[tuple[str, Sequence[Task | Good], set[str]], ...] = (
        ("tasks", tasks, task_ids),
        ("goods", goods, good_ids),
    )
    for kind, items, taken in parts:
        for i, item in enumerate(items):
            if item.project != project:
                raise InputError(f"{kind}[{i}].project", f"must be {project!r}")
            if item.id in taken:
                raise ConflictError(f"{kind}[{i}].id: {item.id!r} is taken in pool {pool!r}")
            taken.add(item.id)
    for i, good in enumerate(goods):
        for key in good.recipe:
            if key not in usable:
                raise InputError(f"goods[{i}].recipe.{key}", f"unknown task {key!r}")


def _usable_tasks(uow: UnitOfWork, pool: str, project: str) -> set[str]:
    """Tasks a good of ``project`` may need: those of active projects and the project's own."""
    return {t.id for t in active_tasks(uow, pool)} | {
        t.id for t in uow.pools.tasks(pool) if t.project == project
    }


def _check_returning_goods(uow: UnitOfWork, pool: str, project: str) -> None:
    """A rejoining project's goods come back only if the tasks they need are still there."""
    usable = _usable_tasks(uow, pool, project)
    owner = {t.id: t.project for t in uow.pools.tasks(pool)}
    for good in uow.pools.goods(pool):
        missing = sorted(k for k in good.recipe if k not in usable)
        if good.project == project and missing:
            raise ConflictError(
                f"project {project!r} cannot rejoin: good {good.id!r} needs task {missing[0]!r}"
                f" of project {owner[missing[0]]!r}, which left pool {pool!r}"
            )
