"""Names people read: give a project or a task a display name and a description (a task
also a place and a contact person; a good's are changed with its capacity,
:func:`peerconomy.services.projects.change_good`), and read a pool's names for a page, a
mail or a table.

A project with its tasks and goods is edited as one (:mod:`peerconomy.services.projects`):
naming any of them counts as a change of the project, whose version the edit may name. The
texts follow the one rule of :mod:`peerconomy.domain.names`; an empty text takes the name
away (the id is shown again). Ids never change here: they stay what plans and books name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from peerconomy.domain.names import (
    DESCRIPTION,
    NAME,
    PLACE,
    Labels,
    check_contact,
)
from peerconomy.domain.pool import Member, PoolProject
from peerconomy.domain.scenario import Task
from peerconomy.domain.text import optional_text
from peerconomy.services import lookup
from peerconomy.services.audit import record
from peerconomy.services.errors import NotFoundError, check_version
from peerconomy.services.keep import KEEP, Keep
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "active_ids",
    "labels",
    "name_project",
    "name_task",
]

Text = str | None | Keep
"""A new text (None or blank: none), or :data:`~peerconomy.services.keep.KEEP`."""


def labels(uow: UnitOfWork, pool: str) -> Labels:
    """The pool's names as people read them (see :class:`Labels`): read in the caller's
    transaction, or in one of its own."""
    with uow:
        found = lookup.pool(uow, pool)
        return Labels.of(found.shown_name, uow.pools.projects(pool), uow.pools.tasks(pool),
                         uow.pools.goods(pool),
                         {m.id: m.display_name for m in uow.pools.members(pool)})


def active_ids(members: Iterable[Member]) -> set[str]:
    """The participant ids of the members who have not left: who may be a task's
    contact."""
    return {m.id for m in members if m.active}


def name_project(
    uow: UnitOfWork, pool: str, project: str, *, name: Text = KEEP, description: Text = KEEP,
    version: int | None = None, actor: str | None = None,
) -> PoolProject:
    """Give a project a display name or a description (either left out: kept);
    ``version``: the project's version the edit was made from."""
    texts = _texts(name=(name, NAME), description=(description, DESCRIPTION))
    with uow:
        lookup.pool(uow, pool, lock=True)
        old = _project(uow, pool, project, version)
        new = replace(old, **texts, version=old.version + 1)
        uow.pools.put_project(pool, new)
        _record(uow, pool, "project.names", project, old, texts, actor)
        uow.commit()
    return new


def name_task(
    uow: UnitOfWork, pool: str, task: str, *, name: Text = KEEP, description: Text = KEEP,
    place: Text = KEEP, contact: Text = KEEP, version: int | None = None,
    actor: str | None = None,
) -> tuple[Task, PoolProject]:
    """Give a task a display name, a description, a place or a contact (a member of the
    pool; None or blank: none); what is left out is kept. The task and its project at its
    new version; ``version``: the project's version the edit was made from."""
    texts = _texts(name=(name, NAME), description=(description, DESCRIPTION),
                   place=(place, PLACE))
    if not isinstance(contact, Keep):
        contact = optional_text(contact, "contact", NAME)
    with uow:
        lookup.pool(uow, pool, lock=True)
        old = lookup.task(uow, pool, task)
        owner = _project(uow, pool, old.project, version)
        if not isinstance(contact, Keep):
            texts["contact"] = contact
        new = replace(old, **texts)
        if not isinstance(contact, Keep):
            check_contact(contact, active_ids(uow.pools.members(pool)), pool)
        uow.pools.put_task(pool, new)
        owner = replace(owner, version=owner.version + 1)
        uow.pools.put_project(pool, owner)
        _record(uow, pool, "task.names", task, old, texts, actor)
        uow.commit()
    return new, owner


def _texts(**given: tuple[Text, Any]) -> dict[str, Any]:
    """The texts given (not :data:`KEEP`), each checked by its rule and named by its
    field."""
    return {field: optional_text(value, field, kind) for field, (value, kind) in given.items()
            if not isinstance(value, Keep)}


def _project(uow: UnitOfWork, pool: str, project: str, version: int | None) -> PoolProject:
    """The pool's project ``project`` (active or not: a project that left keeps its names),
    at ``version`` if one is named."""
    found = next((p for p in uow.pools.projects(pool) if p.id == project), None)
    if found is None:
        raise NotFoundError("project", project, pool)
    check_version(f"project {project!r}", found.version, version)
    return found


def _record(uow: UnitOfWork, pool: str, action: str, subject: str, old: object,
            texts: dict[str, Any], actor: str | None) -> None:
    """The audit entry of a naming: what changed, before and after."""
    changed = {k: {"before": getattr(old, k), "after": v} for k, v in texts.items()
               if getattr(old, k) != v}
    record(uow, pool, action, actor=actor, subject=subject, detail=changed)
