"""Credits for a period's work: what confirmed work logs earn against the plan.

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
from collections.abc import Iterable, Mapping

from peerconomy.domain.pool import Assignment, WorkLog

__all__ = ["credited_hours", "credits", "done_hours"]


def done_hours(logs: Iterable[WorkLog]) -> dict[tuple[str, str], float]:
    """Confirmed hours per (participant, task)."""
    done: dict[tuple[str, str], float] = defaultdict(float)
    for log in logs:
        if log.status == "confirmed":
            done[(log.participant, log.task)] += log.hours
    return dict(done)


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
