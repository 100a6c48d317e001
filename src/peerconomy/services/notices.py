"""Who should hear of a step, and what to tell them: the email notices of a pool.

A period opens (everyone may make offers and wishes), a plan is cleared (each member hears
their own assignments and share), work awaits someone's confirmation (the co-workers on the
task and the coordinators). Only members with an account get notices; composing them is a
read of the store, sending them is the mailer's job (:mod:`peerconomy.api.mail`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from peerconomy.domain.pool import Plan, WorkLog
from peerconomy.services.ports import UnitOfWork

__all__ = ["Notice", "period_opened", "plan_cleared", "work_awaits_confirmation"]


@dataclass(frozen=True, slots=True)
class Notice:
    """One email to one person."""

    to: str
    subject: str
    body: str


def _addresses(uow: UnitOfWork, pool: str, people: set[str] | None = None) -> dict[str, str]:
    """Email addresses of the pool's active members with accounts (of ``people`` only)."""
    found: dict[str, str] = {}
    for member in uow.pools.members(pool):
        if not member.active or (people is not None and member.id not in people):
            continue
        user = uow.accounts.user(member.id)
        if user is not None:
            found[member.id] = user.email
    return found


def _link(base_url: str, pool: str, page: str = "") -> str:
    return f"{base_url}/pools/{quote(pool, safe='')}{page}"


def period_opened(uow: UnitOfWork, pool: str, number: int, base_url: str) -> list[Notice]:
    """Everyone: period ``number`` collects offers and wishes."""
    with uow:
        to = _addresses(uow, pool)
    body = (
        f"Period {number} of pool {pool} is open: offer the hours you can give and wish for"
        f" what you need.\n\nTasks: {_link(base_url, pool, '/tasks')}\n"
        f"Goods: {_link(base_url, pool, '/goods')}\n"
    )
    return [Notice(email, f"[{pool}] Period {number} is open", body) for email in to.values()]


def plan_cleared(uow: UnitOfWork, plan: Plan, base_url: str) -> list[Notice]:
    """Each member: the plan is made, with their assignments and share."""
    with uow:
        to = _addresses(uow, plan.pool)
    assignments: dict[str, list[str]] = {}
    for a in plan.data["assignments"]:
        weight = plan.data["weights"].get(a["task"], 1.0)
        assignments.setdefault(a["participant"], []).append(
            f"  - {a['task']}: {a['hours']:.2f} h at weight {weight:.2f}"
        )
    notices = []
    for who, email in to.items():
        mine = assignments.get(who) or ["  (no work assigned to you this period)"]
        share = plan.data["shares"].get(who, 0.0)
        body = (
            f"Period {plan.period} of pool {plan.pool} is cleared.\n\nYour assignments:\n"
            + "\n".join(mine)
            + f"\n\nYour share of the period's work: {share:.2f} weighted hours.\n"
            f"My period: {_link(base_url, plan.pool)}\n"
        )
        notices.append(Notice(email, f"[{plan.pool}] Period {plan.period} is cleared", body))
    return notices


def work_awaits_confirmation(uow: UnitOfWork, log: WorkLog, base_url: str) -> list[Notice]:
    """Those who may confirm a pending work log: co-workers on its task and coordinators."""
    if log.status != "pending":
        return []
    with uow:
        coworkers = {
            a.participant
            for a in uow.periods.assignments(log.pool, log.period)
            if a.task == log.task
        }
        coordinators = {m.id for m in uow.pools.members(log.pool) if m.role == "coordinator"}
        people = (coworkers | coordinators) - {log.participant}
        to = _addresses(uow, log.pool, people)
    body = (
        f"{log.participant} logged {log.hours:.2f} h of {log.task} in pool {log.pool}."
        f" It counts once someone confirms it.\n\nConfirm: {_link(base_url, log.pool)}\n"
    )
    subject = f"[{log.pool}] {log.participant}'s work awaits confirmation"
    return [Notice(email, subject, body) for email in to.values()]
