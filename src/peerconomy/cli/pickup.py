"""Pick-up points and distribution lists on the command line: ``peerconomy pickup
list|add|change|retire|choose --pool P`` and ``peerconomy period distribution --pool P``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import (
    DbOption,
    JsonOption,
    PoolOption,
    print_json,
    refusals,
    terminal,
    write_text,
)
from peerconomy.cli.common import unit_of_work as open_uow

if TYPE_CHECKING:
    from peerconomy.domain.distribution import Distribution
    from peerconomy.domain.names import Labels
    from peerconomy.domain.pickup import PickupPoint

__all__ = ["distribution", "pickup_app"]

pickup_app = typer.Typer(help="Pick-up points: where members collect their goods.",
                         no_args_is_help=True)
PointArgument = Annotated[str, typer.Argument(metavar="POINT", help="The pick-up point's id.")]
AddressOption = Annotated[str | None, typer.Option(help="Its address (free text).")]
TimesOption = Annotated[str | None, typer.Option(
    "--opening-times", help="When it is open (free text, e.g. 'Sat 14:00-18:00').")]


def _point_json(p: PickupPoint) -> dict[str, object]:
    return {"id": p.id, "name": p.name, "address": p.address,
            "opening_times": p.opening_times, "active": p.active, "version": p.version}


@pickup_app.command("list")
def list_points(pool: PoolOption, json: JsonOption = False, db: DbOption = None) -> None:
    """List the pool's pick-up points, retired ones included."""
    from peerconomy.services import pickup

    uow = open_uow(db)
    with refusals():
        found = pickup.pickup_points(uow(), pool)
    if json:
        print_json([_point_json(p) for p in found])
        return
    table = Table(title=f"pick-up points of {escape(pool)}")
    for column in ("id", "name", "address", "opening times", "active"):
        table.add_column(column)
    for p in found:
        table.add_row(escape(p.id), escape(p.name), escape(p.address),
                      escape(p.opening_times), "yes" if p.active else "retired")
    terminal().print(table)


@pickup_app.command("add")
def add(
    pool: PoolOption, point: PointArgument,
    name: Annotated[str, typer.Argument(help="The name people read.")],
    address: AddressOption = None, opening_times: TimesOption = None, db: DbOption = None,
) -> None:
    """Add a pick-up point to the pool."""
    from peerconomy.domain.pickup import PickupPoint
    from peerconomy.services import pickup

    uow = open_uow(db)
    with refusals():
        added = pickup.add_point(uow(), pool, PickupPoint(point, name, address or "",
                                                          opening_times or ""))
    terminal().print(f"[green]✓[/green] pick-up point {escape(added.id)} ({escape(added.name)})"
                     f" added to [bold]{escape(pool)}[/bold]")


@pickup_app.command("change")
def change(
    pool: PoolOption, point: PointArgument,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    address: AddressOption = None, opening_times: TimesOption = None,
    restore: Annotated[bool, typer.Option("--restore", help="Bring a retired point back.")]
    = False,
    db: DbOption = None,
) -> None:
    """Change a pick-up point's name, address or opening times (or bring it back)."""
    from peerconomy.services import pickup
    from peerconomy.services.pools import KEEP

    uow = open_uow(db)
    with refusals():
        changed = pickup.change_point(
            uow(), pool, point, name=KEEP if name is None else name,
            address=KEEP if address is None else address,
            opening_times=KEEP if opening_times is None else opening_times,
            active=True if restore else KEEP)
    terminal().print(f"[green]✓[/green] pick-up point {escape(changed.id)} changed"
                     f" (version {changed.version})")


@pickup_app.command("retire")
def retire(pool: PoolOption, point: PointArgument, db: DbOption = None) -> None:
    """Retire a pick-up point: nobody may choose it, and those who had have none."""
    from peerconomy.services import pickup

    uow = open_uow(db)
    with refusals():
        pickup.change_point(uow(), pool, point, active=False)
    terminal().print(f"[green]✓[/green] pick-up point {escape(point)} retired")


@pickup_app.command("choose")
def choose(
    pool: PoolOption,
    member: Annotated[str, typer.Option("--member", help="The member's participant id.")],
    point: Annotated[str | None, typer.Argument(
        metavar="[POINT]", help="The point's id (left out: none).")] = None,
    db: DbOption = None,
) -> None:
    """Choose where a member collects their goods."""
    from peerconomy.services import pickup

    uow = open_uow(db)
    with refusals():
        chosen = pickup.choose_point(uow(), pool, member, point)
    where = escape(chosen.pickup_point) if chosen.pickup_point else "no pick-up point"
    terminal().print(f"[green]✓[/green] {escape(member)} collects at {where}")


def distribution(
    pool: PoolOption,
    period: Annotated[int | None, typer.Option(
        help="The period (default: the latest with a plan).", min=1, max=2**31 - 1)] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of tables.")] = False,
    db: DbOption = None,
) -> None:
    """Print a period's distribution list per pick-up point and packing list per project."""
    from peerconomy.services import distribution as lists
    from peerconomy.services import labels

    uow = open_uow(db)
    with refusals():
        number, found = lists.period_distribution(uow(), pool, period)
    if csv:
        write_text(lists.to_csv(found))
        return
    _print_lists(labels.labels(uow(), pool), number, found)


def _print_lists(called: Labels, number: int, found: Distribution) -> None:
    """The lists as tables, goods, projects and the pool named as people read them."""
    console = terminal()
    pool = called.pool
    names = []
    for group in found.lists:
        point = group.point
        title = (f"{escape(point.name)} ({escape(point.id)})" if point
                 else "no pick-up point chosen")
        names.append(point.id if point else "none")
        table = Table(title=f"period {number} of {escape(pool)}: {title}",
                      caption=escape(", ".join(filter(None, (
                          point.address, point.opening_times)))) if point else None)
        for column in ("member", "goods", "picked up"):
            table.add_column(column)
        for parcel in group.rows:
            table.add_row(escape(parcel.name), escape(", ".join(
                f"{units} x {called.good(good)}" for good, units in parcel.goods)), "[ ]")
        console.print(table)
    for packing in found.packing:
        project = called.project(packing.project) if packing.project else "-"
        table = Table(title=f"packing list of {escape(project)}")
        for column in ("good", *names, "total"):
            table.add_column(escape(column), justify="left" if column == "good" else "right")
        for line in packing.lines:
            table.add_row(escape(called.good(line.good)), *map(str, line.at),
                          str(line.total))
        console.print(table)
