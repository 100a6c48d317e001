"""Credits for a period's work: what confirmed work logs earn against the plan; and who may
confirm or reject a work log (:func:`confirm_refusal`, :func:`reject_refusal`), the one rule
the work service enforces and the pages ask before they draw a button.

Work earns credit only where the plan needed it (demand-backed work): confirmed hours on an
assigned task count up to the assigned hours; hours beyond an assignment earn nothing. Work
on a task without an assignment counts once a coordinator accepted it, in the order it was
logged, up to what the task still needs: its uncovered hours plus assigned hours that no
assignee's confirmed work filled (someone stepping in for a member who could not come). All
of it earns the task's weight in the plan.

>>> from datetime import UTC, datetime
>>> now = datetime(2026, 11, 1, tzinfo=UTC)
>>> plan = [Assignment("ana", "weed", 4.0, 2.0)]
>>> logs = [WorkLog(1, "farm", 1, "ana", "weed", 3.0, now, True, "confirmed"),
...         WorkLog(2, "farm", 1, "ana", "weed", 3.0, now, True, "confirmed"),
...         WorkLog(3, "farm", 1, "ben", "weed", 2.0, now, False, "confirmed"),
...         WorkLog(4, "farm", 1, "eva", "weed", 2.0, now, False, "pending")]
>>> credits(plan, {"weed": 2.0}, {"weed": 1.5}, logs)
{'ana': 8.0, 'ben': 3.0}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from peerconomy.domain.pool import Assignment, Member, WorkLog

__all__ = ["awaits", "beyond_assignment", "confirm_refusal", "credited_hours", "credits",
           "done_hours", "may_confirm", "may_reject", "may_withdraw", "reject_refusal",
           "withdraw_refusal"]


def confirm_refusal(log: WorkLog, by: Member) -> str | None:
    """Why ``by`` may not confirm ``log`` (None: they may): never the worker, nor whoever
    logged it for them (a coordinator who logs a member's hours cannot also vouch for them: a
    second member must), and unassigned work only a coordinator accepts. The one rule that
    confirming work enforces and that the pages ask before they draw a *Confirm* button.

    >>> from datetime import UTC, datetime
    >>> log = WorkLog(1, "farm", 1, "ana", "weed", 3.0, datetime.now(UTC), False)
    >>> print(confirm_refusal(log, Member("ben")).split(": ")[1])
    only a coordinator may accept that work, and 'ben' is not one
    >>> may_confirm(log, Member("cleo", role="coordinator"))
    True
    """
    if by.id == log.participant:
        return f"{by.id!r} cannot confirm their own work"
    if by.id == log.logged_by:
        return (f"{by.id!r} logged this work for {log.participant!r} and cannot confirm it too;"
                " another member must")
    if not log.assigned and by.role != "coordinator":
        return (f"{log.participant!r} has no assignment on task {log.task!r}: only a"
                f" coordinator may accept that work, and {by.id!r} is not one")
    return None


def reject_refusal(log: WorkLog, by: Member) -> str | None:
    """Why ``by`` may not reject ``log`` (None: they may): only a coordinator rejects work,
    and never their own."""
    if by.id == log.participant:
        return f"{by.id!r} cannot reject their own work"
    if by.role != "coordinator":
        return f"only a coordinator may reject work; {by.id!r} is not one"
    return None


def withdraw_refusal(log: WorkLog, by: str) -> str | None:
    """Why ``by`` may not withdraw ``log`` (None: they may): only the worker, or whoever
    logged it for them, takes a log back. (That it still awaits confirmation is the other
    condition: confirmed or rejected work stays, see :func:`may_withdraw`.)"""
    if by not in (log.participant, log.logged_by):
        return f"only {log.participant!r} may withdraw their work; {by!r} may not"
    return None


def may_withdraw(log: WorkLog, by: str) -> bool:
    """Whether ``by`` may withdraw ``log`` now: it awaits confirmation and
    :func:`withdraw_refusal` has nothing against it."""
    return log.status == "pending" and withdraw_refusal(log, by) is None


def may_confirm(log: WorkLog, by: Member) -> bool:
    """Whether ``by`` may confirm ``log`` now: it awaits confirmation and
    :func:`confirm_refusal` has nothing against it."""
    return log.status == "pending" and confirm_refusal(log, by) is None


def awaits(log: WorkLog, by: Member, tasks: Collection[str]) -> bool:
    """Whether ``log`` awaits ``by``'s look: it is pending, someone else's, and on one of
    ``tasks`` (the tasks ``by`` is assigned), or ``by`` coordinates. My period lists these
    as work to confirm, the notice of new work goes to the same people, and the reminder of
    waiting logs counts those of them ``by`` may confirm (:func:`may_confirm`)."""
    return (log.status == "pending" and log.participant != by.id
            and (log.task in tasks or by.role == "coordinator"))


def may_reject(log: WorkLog, by: Member) -> bool:
    """Whether ``by`` may reject ``log`` now: it awaits confirmation and
    :func:`reject_refusal` has nothing against it."""
    return log.status == "pending" and reject_refusal(log, by) is None


def done_hours(logs: Iterable[WorkLog]) -> dict[tuple[str, str], float]:
    """Confirmed hours per (participant, task)."""
    done: dict[tuple[str, str], float] = defaultdict(float)
    for log in logs:
        if log.status == "confirmed":
            done[(log.participant, log.task)] += log.hours
    return dict(done)


def beyond_assignment(
    assignments: Iterable[Assignment], logs: Iterable[WorkLog]
) -> dict[tuple[str, str], float]:
    """Hours logged beyond the assignment per (participant, task): the hours of their logs
    on a task they were assigned (pending or confirmed, not rejected) less the hours
    assigned, where that is more than nothing. Shown as such, never credited (see
    :func:`credited_hours`); work on a task without an assignment is not counted here (a
    coordinator accepts it or not).

    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 11, 1, tzinfo=UTC)
    >>> beyond_assignment([Assignment("ana", "weed", 4.0, 2.0)],
    ...                   [WorkLog(1, "farm", 1, "ana", "weed", 3.0, now, True, "confirmed"),
    ...                    WorkLog(2, "farm", 1, "ana", "weed", 3.0, now, True),
    ...                    WorkLog(3, "farm", 1, "ana", "weed", 5.0, now, True, "rejected")])
    {('ana', 'weed'): 2.0}
    """
    assigned: dict[tuple[str, str], float] = defaultdict(float)
    for a in assignments:
        assigned[(a.participant, a.task)] += a.hours
    logged: dict[tuple[str, str], float] = defaultdict(float)
    for log in logs:
        if log.status != "rejected" and (log.participant, log.task) in assigned:
            logged[(log.participant, log.task)] += log.hours
    return {key: round(hours - assigned[key], 9) for key, hours in logged.items()
            if hours - assigned[key] > 1e-9}


def credited_hours(
    assignments: Iterable[Assignment], uncovered: Mapping[str, float], logs: Iterable[WorkLog]
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Hours that earn credit per (participant, task): those of assigned work, and those of
    accepted unassigned work (oldest log first)."""
    logs = list(logs)
    assigned = {(a.participant, a.task): a.hours for a in assignments}
    from_assignments = {
        key: min(hours, assigned[key])
        for key, hours in done_hours(log for log in logs if log.assigned).items()
        if key in assigned
    }
    still_needed: dict[str, float] = defaultdict(float, uncovered)
    for (_, task), hours in assigned.items():
        still_needed[task] += hours
    for (_, task), hours in from_assignments.items():
        still_needed[task] -= hours
    unassigned: dict[tuple[str, str], float] = defaultdict(float)
    for log in sorted(logs, key=lambda log: log.id):
        if log.assigned or log.status != "confirmed":
            continue
        hours = min(log.hours, max(still_needed[log.task], 0.0))
        if hours > 0:
            unassigned[(log.participant, log.task)] += hours
            still_needed[log.task] -= hours
    return from_assignments, dict(unassigned)


def credits(
    assignments: Iterable[Assignment],
    weights: Mapping[str, float],
    uncovered: Mapping[str, float],
    logs: Iterable[WorkLog],
) -> dict[str, float]:
    """Each participant's credit in weighted hours (participants without credit left out)."""
    total: dict[str, float] = defaultdict(float)
    for part in credited_hours(assignments, uncovered, logs):
        for (who, task), hours in part.items():
            total[who] += hours * weights[task]
    return {who: amount for who, amount in total.items() if amount > 0}
