"""Pools and their members: import a pool from a scenario, change its settings, add, change
and remove members.

An edit may name the version it was made from (``version``); if the pool's settings or the
member changed since, it is refused with :class:`~peerconomy.services.errors.StaleEditError`
(optimistic locking), so two coordinators editing at once never undo each other unawares.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, time
from typing import Any

from peerconomy.domain.bounds import HOURS, POOL_MAX_WEIGHT, check_number
from peerconomy.domain.collection import paused_collection
from peerconomy.domain.holding import Holding
from peerconomy.domain.names import DESCRIPTION, NAME, check_contacts
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import (
    Admission,
    Member,
    Period,
    Pool,
    PoolProject,
    PoolSettings,
    Role,
)
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Scenario, ScenarioError
from peerconomy.domain.schedule import PeriodLength, Schedule, check_schedule
from peerconomy.domain.text import optional_text
from peerconomy.services import lookup
from peerconomy.services.audit import record
from peerconomy.services.collecting import withdraw_everything_of
from peerconomy.services.errors import ConflictError, check_version
from peerconomy.services.keep import KEEP, Keep
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "KEEP",
    "Keep",
    "add_member",
    "check_pool_name",
    "coordinator_refusal",
    "import_scenario",
    "keep_a_coordinator",
    "pool_name_key",
    "remove_member",
    "require_free_pool_name",
    "update_member",
    "update_settings",
]

MAX_NAME_LENGTH = 100



def check_pool_name(name: str) -> str:
    """A pool name in its normal form (Unicode NFKC: full-width and other compatibility
    look-alikes become the plain characters they look like): 1 to 100 printable characters,
    no leading or trailing space, no slash, and not ``.`` or ``..`` (the name is one segment
    of the pool's web address). InputError naming ``pool`` otherwise."""
    name = unicodedata.normalize("NFKC", name)
    if not name or name != name.strip():
        raise InputError(
            "pool", f"must be a non-empty name without surrounding space, got {name!r}"
        )
    if len(name) > MAX_NAME_LENGTH or not name.isprintable():
        raise InputError("pool", f"must be at most {MAX_NAME_LENGTH} printable characters")
    if "/" in name or "\\" in name:
        raise InputError("pool", f"must not contain a slash, got {name!r}")
    if name in {".", ".."}:
        raise InputError("pool", f"must not be '.' or '..', got {name!r}")
    return name


def pool_name_key(name: str) -> str:
    """What two pool names must not share: their NFKC form with case folded, so that
    ``Demo`` beside ``demo``, or ``demo`` written in full-width letters, is the same name."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def require_free_pool_name(uow: UnitOfWork, name: str) -> None:
    """ConflictError if a pool's name is ``name`` but for case or Unicode look-alikes
    (:func:`pool_name_key`); the caller's transaction is open. The answer names the name
    asked for, never the spelling of the one that exists, and is the same whether that pool
    is private or public (it does not tell that a private pool exists)."""
    key = pool_name_key(name)
    if uow.pools.get(name) is not None or any(
        pool_name_key(existing) == key for existing in uow.pools.names()
    ):
        raise ConflictError(f"the name {name!r} cannot be used; choose another")


def import_scenario(
    uow: UnitOfWork,
    name: str,
    scenario: Scenario,
    *,
    coordinators: Iterable[str] = (),
    communal_validation: bool = True,
    actor: str | None = None,
) -> Period:
    """Create pool ``name`` with everything in ``scenario`` and period 1 collecting its offers
    and wishes, so that clearing it gives the scenario's plan.

    ``coordinators`` are participants who may accept unassigned work and run the periods.
    """
    name = check_pool_name(name)
    leads = list(coordinators)
    ids = {p.id for p in scenario.participants}
    for i, who in enumerate(leads):
        if who not in ids:
            raise ScenarioError(f"coordinators[{i}]", f"no participant {who!r} in the scenario")
    try:  # a task's contact is someone of the pool
        check_contacts([t.contact for t in scenario.tasks], ids, name)
    except InputError as error:
        raise ScenarioError(error.path, error.reason) from None
    settings = scenario.settings
    with uow, paused_collection():
        require_free_pool_name(uow, name)
        uow.pools.add(
            Pool(name, PoolSettings(settings.max_weight, settings.seed, communal_validation))
        )
        for project in scenario.projects:
            uow.pools.put_project(name, PoolProject(
                project.id, name=project.name, description=project.description))
        role: dict[str, Role] = {who: "coordinator" for who in leads}
        uow.pools.add_members(
            name,
            (
                Member(p.id, p.capacity, p.exempt, role.get(p.id, "member"))
                for p in scenario.participants
            ),
        )
        uow.pools.add_tasks(name, scenario.tasks)
        uow.pools.add_goods(name, scenario.goods)
        period = Period(name, 1, PeriodState.COLLECTING, dict(settings.weight_estimates))
        uow.periods.add(period)
        uow.periods.add_offers(name, 1, scenario.offers)
        uow.periods.add_wishes(name, 1, scenario.wishes)
        tenure = {g.id: g.tenure for g in scenario.goods}
        for held in scenario.holdings:  # held from now on for their good's tenure
            uow.periods.add_holding(Holding(
                name, 0, held.participant, held.good, held.quantity, held.premium, won_in=0,
                periods_left=tenure[held.good]))
        record(uow, name, "pool.import", actor=actor, subject=name, detail={
            "participants": len(scenario.participants), "projects": len(scenario.projects),
            "tasks": len(scenario.tasks), "goods": len(scenario.goods),
            "offers": len(scenario.offers), "wishes": len(scenario.wishes),
            "coordinators": leads,
        })
        uow.commit()
    return period


def add_member(
    uow: UnitOfWork, pool: str, member: Member, *, actor: str | None = None
) -> Member:
    """Add someone to the pool, unclaimed (or welcome back someone who left, with these
    settings: whoever had claimed them still has)."""
    _check_member(member)
    with uow:
        lookup.pool(uow, pool, lock=True)
        known = {m.id: m for m in uow.pools.members(pool)}
        if member.id in known and known[member.id].active:
            raise ConflictError(f"{member.id!r} is a member of pool {pool!r} already")
        if member.id in known:  # back after leaving: the count of changes and the claim go on
            before = known[member.id]
            member = replace(member, version=before.version + 1, account=before.account)
        uow.pools.put_member(pool, member)
        record(uow, pool, "member.add", actor=actor, subject=member.id, detail=_settings(member))
        uow.commit()
    return member


def update_member(
    uow: UnitOfWork,
    pool: str,
    participant: str,
    *,
    capacity: float | Keep | None = KEEP,
    exempt: bool | Keep = KEEP,
    role: Role | Keep = KEEP,
    version: int | None = None,
    actor: str | None = None,
) -> Member:
    """Change a member's capacity (None: no limit), exempt flag or role; ``version``: the
    member's version the change was made from (None: whatever is stored)."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        old = lookup.member(uow, pool, participant)
        check_version(f"member {participant!r}", old.version, version)
        new = replace(
            old,
            capacity=old.capacity if isinstance(capacity, Keep) else capacity,
            exempt=old.exempt if isinstance(exempt, Keep) else exempt,
            role=old.role if isinstance(role, Keep) else role,
            version=old.version + 1,
        )
        _check_member(new)
        keep_a_coordinator(uow, pool, old, new)
        uow.pools.put_member(pool, new)
        before, after = _settings(old), _settings(new)
        changed = {k: v for k, v in after.items() if before[k] != v}
        record(uow, pool, "member.role" if "role" in changed else "member.update",
               actor=actor, subject=participant, detail=changed)
        uow.commit()
    return new


def remove_member(
    uow: UnitOfWork,
    pool: str,
    participant: str,
    *,
    version: int | None = None,
    actor: str | None = None,
) -> Member:
    """A member leaves the pool: their offers and wishes in a collecting period are withdrawn;
    their account and its history stay in the books."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        old = lookup.member(uow, pool, participant)
        check_version(f"member {participant!r}", old.version, version)
        period = lookup.current_period(uow, pool)
        if period.state is PeriodState.COLLECTING:
            withdraw_everything_of(uow, period, participants={participant})
        gone = replace(old, active=False, version=old.version + 1)
        keep_a_coordinator(uow, pool, old, gone)
        uow.pools.put_member(pool, gone)
        record(uow, pool, "member.remove", actor=actor, subject=participant)
        uow.commit()
    return gone


def keep_a_coordinator(uow: UnitOfWork, pool: str, old: Member, new: Member) -> None:
    """ConflictError if changing ``old`` into ``new`` (stepping down, being demoted, leaving
    or being removed) would leave the pool without an active coordinator: nobody could then
    clear or settle its periods, or name a new coordinator. The caller's transaction is open
    (and holds the pool's lock)."""
    refused = coordinator_refusal(pool, old, new, uow.pools.members(pool))
    if refused is not None:
        raise ConflictError(refused)


def coordinator_refusal(pool: str, old: Member, new: Member, members: Sequence[Member]
                        ) -> str | None:
    """Why changing ``old`` into ``new`` is refused among the pool's ``members`` (None: it
    is not): it would leave the pool without an active coordinator (see
    :func:`keep_a_coordinator`, which enforces it)."""
    if not (old.active and old.role == "coordinator"):
        return None
    if new.active and new.role == "coordinator":
        return None
    if any(m.id != old.id and m.active and m.role == "coordinator" for m in members):
        return None
    return (f"{old.id!r} is the last coordinator of pool {pool!r}, and a pool always keeps"
            " one: make another member a coordinator first")


def update_settings(
    uow: UnitOfWork,
    pool: str,
    *,
    max_weight: float | Keep = KEEP,
    communal_validation: bool | Keep = KEEP,
    admission: Admission | Keep = KEEP,
    public: bool | Keep = KEEP,
    display_name: str | Keep | None = KEEP,
    description: str | Keep | None = KEEP,
    period_length: PeriodLength | Keep | None = KEEP,
    close_days: int | Keep = KEEP,
    close_time: time | Keep = KEEP,
    time_zone: str | Keep = KEEP,
    auto_clear: bool | Keep = KEEP,
    starts_on: date | Keep = KEEP,
    version: int | None = None,
    actor: str | None = None,
) -> Pool:
    """Change the pool's settings (the lottery's seed is fixed when the pool is made, so
    that a period's plan can always be cleared again from its input), its display name or
    description (None or blank: none; see :mod:`peerconomy.domain.names`); ``version``: the
    pool's version the change was made from (None: whatever is stored).

    The calendar (:class:`~peerconomy.domain.schedule.Schedule`: ``period_length``, None
    for undated periods, ``close_days``, ``close_time``, ``time_zone``, ``auto_clear``) also
    dates the current period while it collects: from ``starts_on`` where given, else from
    the first day it has (an undated one needs ``starts_on``); see :func:`_redate`."""
    texts: dict[str, Any] = {field: optional_text(value, field, kind) for field, value, kind in (
        ("display_name", display_name, NAME), ("description", description, DESCRIPTION))
        if not isinstance(value, Keep)}
    with uow:
        old = lookup.pool(uow, pool, lock=True)
        check_version(f"the settings of pool {pool!r}", old.version, version)
        before = old.settings
        calendar = before.schedule
        schedule = Schedule(
            calendar.length if isinstance(period_length, Keep) else period_length,
            calendar.close_days if isinstance(close_days, Keep) else close_days,
            calendar.close_time if isinstance(close_time, Keep) else close_time,
            calendar.time_zone if isinstance(time_zone, Keep) else time_zone,
            calendar.auto_clear if isinstance(auto_clear, Keep) else auto_clear,
        )
        settings = replace(
            before,
            max_weight=before.max_weight if isinstance(max_weight, Keep) else max_weight,
            communal_validation=before.communal_validation
            if isinstance(communal_validation, Keep) else communal_validation,
            admission=before.admission if isinstance(admission, Keep) else admission,
            public=before.public if isinstance(public, Keep) else public,
            schedule=schedule,
        )
        _check_settings(settings)
        new = replace(old, settings=settings, version=old.version + 1, **texts)
        uow.pools.put_settings(new)
        changed = {
            name: getattr(settings, name)
            for name in ("max_weight", "communal_validation", "admission", "public")
            if getattr(settings, name) != getattr(before, name)
        } | {name: text for name, text in texts.items() if getattr(old, name) != text}
        changed |= _schedule_changes(calendar, schedule)
        dated = _redate(uow, pool, schedule, None if isinstance(starts_on, Keep) else starts_on)
        if dated is not None:
            changed["period"] = {"number": dated.number, "starts_on": _iso(dated.starts_on),
                                 "ends_on": _iso(dated.ends_on),
                                 "collect_until": _iso(dated.collect_until)}
        record(uow, pool, "pool.settings", actor=actor, subject=pool, detail=changed)
        uow.commit()
    return new


def _schedule_changes(before: Schedule, after: Schedule) -> dict[str, object]:
    """The calendar settings that changed, as an audit entry's detail."""
    old, new = _schedule_detail(before), _schedule_detail(after)
    return {name: value for name, value in new.items() if old[name] != value}


def _schedule_detail(schedule: Schedule) -> dict[str, object]:
    return {"period_length": None if schedule.length is None else str(schedule.length),
            "close_days": schedule.close_days,
            "close_time": schedule.close_time.isoformat("minutes"),
            "time_zone": schedule.time_zone, "auto_clear": schedule.auto_clear}


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _redate(uow: UnitOfWork, pool: str, schedule: Schedule, starts_on: date | None
            ) -> Period | None:
    """Inside the settings' transaction: the current period dated as ``schedule`` says, if
    it is open or collecting and its dates change (None: they stay). A period already
    cleared keeps its dates (its offers closed), and ``starts_on`` for it is refused; an
    undated schedule undates the collecting period."""
    period = lookup.current_period(uow, pool)
    if period.state not in (PeriodState.OPEN, PeriodState.COLLECTING):
        if starts_on is not None:
            raise ConflictError(f"period {period.number} of pool {pool!r} is"
                                f" {period.state.value}: its dates stay as they are")
        return None
    if schedule.length is None:
        if starts_on is not None:
            raise InputError("starts_on", "needs a period_length: periods without a length"
                                          " are undated")
        dates = None
    else:
        first = starts_on if starts_on is not None else period.starts_on
        if first is None:
            raise InputError("starts_on", f"give the first day of period {period.number},"
                                          " which has no dates yet")
        dates = schedule.dates(first)
    if dates == period.dates:
        return None
    uow.periods.set_dates(pool, period.number, dates)
    return period.dated(dates)


def _check_settings(settings: PoolSettings) -> None:
    check_number(settings.max_weight, "max_weight", POOL_MAX_WEIGHT)
    check_schedule(settings.schedule)
    for name in ("communal_validation", "public"):
        if not isinstance(getattr(settings, name), bool):
            raise InputError(name, f"must be true or false, got {getattr(settings, name)!r}")
    if settings.admission not in ("open", "approval"):
        raise InputError(
            "admission", f"must be 'open' or 'approval', got {settings.admission!r}"
        )


def _settings(member: Member) -> dict[str, object]:
    """A member's settings as an audit entry's detail."""
    return {"capacity": member.capacity, "exempt": member.exempt, "role": member.role}


def _check_member(member: Member) -> None:
    if not isinstance(member.id, str) or not member.id:
        raise InputError("participant", "must be a non-empty id")
    if member.capacity is not None:
        check_number(member.capacity, "capacity", HOURS)
    if not isinstance(member.exempt, bool):
        raise InputError("exempt", f"must be true or false, got {member.exempt!r}")
    if member.role not in ("member", "coordinator"):
        raise InputError("role", f"must be 'member' or 'coordinator', got {member.role!r}")
