"""Pick-up points and distribution lists over the API: the pool's points (coordinators add,
change and retire them), a member's own choice and what they take home, and a period's
distribution and packing lists as JSON or CSV, for coordinators
(docs/design.md, "Pick-up points and distribution lists")."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, Field

from peerconomy.api.schemas import Body
from peerconomy.domain.distribution import Distribution, Parcel
from peerconomy.domain.pickup import MAX_ADDRESS, MAX_NAME, MAX_OPENING_TIMES, PickupPoint
from peerconomy.http.deps import UowDep, pool_access
from peerconomy.http.idempotency import IdempotentRoute
from peerconomy.http.params import STORED_INT_MAX, PathNumber
from peerconomy.services import distribution, pickup
from peerconomy.services.membership import Access, Level
from peerconomy.services.pools import KEEP

__all__ = ["router"]

router = APIRouter(tags=["pick-up"], route_class=IdempotentRoute)
AccessDep = Annotated[Access, Depends(pool_access)]


class PickupPointOut(BaseModel):
    """A pick-up point of the pool; ``active`` false: retired (nobody may choose it)."""

    id: str
    name: str
    address: str
    opening_times: str
    active: bool
    version: int

    @classmethod
    def of(cls, point: PickupPoint) -> PickupPointOut:
        return cls(id=point.id, name=point.name, address=point.address,
                   opening_times=point.opening_times, active=point.active,
                   version=point.version)


class NewPickupPoint(Body):
    id: str = Field(description="An id: 1 to 100 of a-z A-Z 0-9 . _ -, starting with a"
                                " letter or digit.")
    name: str = Field(description=f"The name people read (any Unicode, 1 to {MAX_NAME}"
                                  " characters, no control characters).")
    address: str = Field("", description=f"Free text, at most {MAX_ADDRESS} characters.")
    opening_times: str = Field("", description="Free text, e.g. 'Sat 14:00-18:00', at most"
                                               f" {MAX_OPENING_TIMES} characters.")


class PickupPointChange(Body):
    name: str | None = None
    address: str | None = None
    opening_times: str | None = None
    active: bool | None = Field(None, description="false: retire the point (the members who"
                                                  " chose it have none then); true: bring"
                                                  " it back.")
    version: int | None = Field(None, ge=1, le=STORED_INT_MAX, description=(
        "The version the change was made from; 409 if it changed since."))


class PickupChoice(Body):
    pickup_point: str | None = Field(description="The id of an active pick-up point of the"
                                                 " pool; null: none.")


class GoodUnits(BaseModel):
    """Units of a good."""

    good: str
    quantity: int


class ParcelOut(BaseModel):
    """What one member takes home from their pick-up point."""

    participant: str
    name: str = Field(description="The member's name as the pool shows it.")
    goods: list[GoodUnits]

    @classmethod
    def of(cls, parcel: Parcel) -> ParcelOut:
        return cls(participant=parcel.participant, name=parcel.name,
                   goods=[GoodUnits(good=g, quantity=q) for g, q in parcel.goods])


class MyPickupOut(BaseModel):
    """Where the caller collects their goods and what they take home this period."""

    participant: str
    pickup_point: PickupPointOut | None = Field(description="Their point (null: none chosen).")
    goods: list[GoodUnits] = Field(description="What the current period's plan gives them"
                                               " (empty before the clearing).")
    choices: list[PickupPointOut] = Field(description="The pool's active points.")


class PointListOut(BaseModel):
    """The distribution list of one pick-up point (``pickup_point`` null: of the members
    who chose none)."""

    pickup_point: PickupPointOut | None
    members: list[ParcelOut]
    totals: list[GoodUnits]


class PointUnits(BaseModel):
    """Units to pack for one pick-up point (null: for the members who chose none)."""

    pickup_point: str | None
    quantity: int


class PackingLineOut(BaseModel):
    good: str
    points: list[PointUnits]
    total: int


class PackingListOut(BaseModel):
    """What one project packs for each pick-up point."""

    project: str
    goods: list[PackingLineOut]


class DistributionOut(BaseModel):
    """A period's distribution lists (one per pick-up point) and packing lists (one per
    project). Only the plan's allocations are listed, never units held from earlier
    periods; the quantities add up to the plan's allocations."""

    pool: str
    period: int
    lists: list[PointListOut]
    packing: list[PackingListOut]

    @classmethod
    def of(cls, pool: str, period: int, found: Distribution) -> DistributionOut:
        keys = [group.point.id if group.point else None for group in found.lists]
        return cls(
            pool=pool, period=period,
            lists=[PointListOut(
                pickup_point=PickupPointOut.of(group.point) if group.point else None,
                members=[ParcelOut.of(p) for p in group.rows],
                totals=[GoodUnits(good=g, quantity=q) for g, q in group.totals])
                for group in found.lists],
            packing=[PackingListOut(project=p.project, goods=[
                PackingLineOut(good=line.good, total=line.total, points=[
                    PointUnits(pickup_point=key, quantity=q)
                    for key, q in zip(keys, line.at, strict=True)])
                for line in p.lines]) for p in found.packing],
        )


@router.get("/pools/{pool}/pickup-points")
def list_pickup_points(
    pool: str, access: AccessDep, uow: UowDep,
    active: Annotated[bool | None, Query(description="Only active (true) or retired (false)"
                                                     " points.")] = None,
) -> list[PickupPointOut]:
    """The pool's pick-up points, in their order."""
    access.require(Level.MEMBER, "see the pick-up points")
    return [PickupPointOut.of(p) for p in pickup.pickup_points(uow, pool, active=active)]


@router.post("/pools/{pool}/pickup-points", status_code=status.HTTP_201_CREATED)
def add_pickup_point(pool: str, body: NewPickupPoint, access: AccessDep,
                     uow: UowDep) -> PickupPointOut:
    """Add a pick-up point (coordinators)."""
    access.require(Level.COORDINATOR, "add pick-up points")
    point = PickupPoint(body.id, body.name, body.address, body.opening_times)
    return PickupPointOut.of(pickup.add_point(uow, pool, point, actor=access.user))


@router.patch("/pools/{pool}/pickup-points/{point}")
def change_pickup_point(pool: str, point: str, body: PickupPointChange, access: AccessDep,
                        uow: UowDep) -> PickupPointOut:
    """Change a pick-up point, retire it or bring it back (coordinators); fields left out
    stay as they are."""
    access.require(Level.COORDINATOR, "change pick-up points")
    return PickupPointOut.of(pickup.change_point(
        uow, pool, point,
        name=KEEP if body.name is None else body.name,
        address=KEEP if body.address is None else body.address,
        opening_times=KEEP if body.opening_times is None else body.opening_times,
        active=KEEP if body.active is None else body.active,
        version=body.version, actor=access.user))


def _my_pickup(pool: str, access: Access, uow: UowDep) -> MyPickupOut:
    me = access.member.id if access.member else ""
    mine = distribution.my_pickup(uow, pool, me)
    return MyPickupOut(
        participant=me,
        pickup_point=PickupPointOut.of(mine.point) if mine.point else None,
        goods=ParcelOut.of(mine.parcel).goods if mine.parcel else [],
        choices=[PickupPointOut.of(p) for p in mine.points])


@router.get("/pools/{pool}/me/pickup")
def my_pickup(pool: str, access: AccessDep, uow: UowDep) -> MyPickupOut:
    """The caller's pick-up point and what they take home this period."""
    access.require(Level.MEMBER, "have a pick-up point")
    return _my_pickup(pool, access, uow)


@router.put("/pools/{pool}/me/pickup")
def choose_pickup(pool: str, body: PickupChoice, access: AccessDep,
                  uow: UowDep) -> MyPickupOut:
    """Choose where to collect your goods (an active pick-up point, or null: none)."""
    access.require(Level.MEMBER, "choose a pick-up point")
    pickup.choose_point(uow, pool, access.member.id if access.member else "",
                        body.pickup_point, actor=access.user)
    return _my_pickup(pool, access, uow)


@router.get(
    "/pools/{pool}/periods/{number}/distribution",
    response_model=DistributionOut,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                     "description": "The lists as JSON, or (format=csv) as CSV with a"
                                    " header row: pickup_point, pickup_point_name,"
                                    " participant, name, good, quantity, picked_up (empty,"
                                    " to tick)."}},
)
def period_distribution(
    pool: str, number: PathNumber, access: AccessDep, uow: UowDep,
    format: Annotated[Literal["json", "csv"], Query(description="json or csv.")] = "json",
) -> DistributionOut | Response:
    """A period's distribution list per pick-up point and packing list per project
    (coordinators); 404 for a period without a plan."""
    access.require(Level.COORDINATOR, "see the distribution lists")
    _, found = distribution.period_distribution(uow, pool, number)
    if format == "csv":
        return Response(distribution.to_csv(found), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment;"
                                 f' filename="distribution-{number}.csv"'})
    return DistributionOut.of(pool, number, found)
