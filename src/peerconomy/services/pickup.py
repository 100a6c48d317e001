"""Pick-up points in a running pool: coordinators add, change and retire them, each member
chooses one (docs/design.md, "Pick-up points and distribution lists").

Every door calls these steps, and each checks its input through
:func:`peerconomy.domain.pickup.checked` (the text rules) and
:func:`~peerconomy.domain.pickup.refuse_choice` (a member's choice names an active point),
so a name or choice one door refuses no other accepts. Retiring a point clears the choice of
the members who had it, in the same transaction: a member's choice always names an active
point, and they are asked on *My period* to choose again.
"""

from __future__ import annotations

from dataclasses import replace

from peerconomy.domain.pickup import PickupPoint, checked, refuse_choice
from peerconomy.domain.pool import Member
from peerconomy.services import lookup
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, check_version
from peerconomy.services.keep import KEEP, Keep
from peerconomy.services.ports import UnitOfWork

__all__ = ["add_point", "change_point", "choose_point", "pickup_points"]


def pickup_points(uow: UnitOfWork, pool: str, *, active: bool | None = None
                  ) -> list[PickupPoint]:
    """The pool's pick-up points in their order (``active``: only the active ones, or only
    the retired ones)."""
    with uow:
        lookup.pool(uow, pool)
        points = uow.pools.pickup_points(pool)
    return [p for p in points if active in (None, p.active)]


def add_point(uow: UnitOfWork, pool: str, point: PickupPoint, *,
              actor: str | None = None) -> PickupPoint:
    """Add a pick-up point to the pool (its id not yet taken, retired points included)."""
    new = replace(checked(point), active=True, version=1)
    with uow:
        lookup.pool(uow, pool, lock=True)
        if any(p.id == new.id for p in uow.pools.pickup_points(pool)):
            raise ConflictError(f"pool {pool!r} has a pick-up point {new.id!r} already")
        uow.pools.put_pickup_point(pool, new)
        record(uow, pool, "pickup.add", actor=actor, subject=new.id, detail=_detail(new))
        uow.commit()
    return new


def change_point(
    uow: UnitOfWork, pool: str, point: str, *,
    name: str | Keep = KEEP, address: str | Keep = KEEP, opening_times: str | Keep = KEEP,
    active: bool | Keep = KEEP, version: int | None = None, actor: str | None = None,
) -> PickupPoint:
    """Change a pick-up point's name, address or opening times, retire it (``active``
    False: the members who chose it have none then) or bring it back; ``version``: the
    point's version the change was made from (None: whatever is stored)."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        old = lookup.pickup_point(uow, pool, point)
        check_version(f"pick-up point {point!r}", old.version, version)
        new = checked(replace(
            old,
            name=old.name if isinstance(name, Keep) else name,
            address=old.address if isinstance(address, Keep) else address,
            opening_times=old.opening_times if isinstance(opening_times, Keep)
            else opening_times,
            active=old.active if isinstance(active, Keep) else active,
        ))
        new = replace(new, version=old.version + 1)
        uow.pools.put_pickup_point(pool, new)
        cleared: list[str] = []
        if old.active and not new.active:
            for member in uow.pools.members(pool):
                if member.pickup_point == point:
                    uow.pools.put_member(pool, _with_point(member, None))
                    cleared.append(member.id)
        before, after = _detail(old), _detail(new)
        changed: dict[str, object] = {k: v for k, v in after.items() if before[k] != v}
        if cleared:
            changed["choices_cleared"] = cleared
        record(uow, pool, "pickup.retire" if old.active and not new.active else "pickup.change",
               actor=actor, subject=point, detail=changed)
        uow.commit()
    return new


def choose_point(uow: UnitOfWork, pool: str, participant: str, point: str | None, *,
                 actor: str | None = None) -> Member:
    """``participant`` collects their goods at ``point`` from now on (None: at none); a
    point that is not one of the pool's active ones is refused, naming ``pickup_point``."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        member = lookup.member(uow, pool, participant)
        if point is not None:
            refuse_choice(point, uow.pools.pickup_points(pool))
        if member.pickup_point == point:
            return member
        changed = _with_point(member, point)
        uow.pools.put_member(pool, changed)
        record(uow, pool, "member.pickup", actor=actor, subject=participant,
               detail={"pickup_point": point})
        uow.commit()
    return changed


def _with_point(member: Member, point: str | None) -> Member:
    return replace(member, pickup_point=point, version=member.version + 1)


def _detail(point: PickupPoint) -> dict[str, object]:
    return {"name": point.name, "address": point.address,
            "opening_times": point.opening_times, "active": point.active}
