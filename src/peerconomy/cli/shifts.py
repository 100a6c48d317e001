"""Shifts on the command line: ``peerconomy shift list|add|repeat|cancel --pool P``; and,
merged in from :mod:`peerconomy.cli.shift_exchange`, a member's shifts changing hands
(``shift mine|open|take|hand-back|swap|follow|unfollow|following``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import DbOption, JsonOption, PoolOption, print_json, refusals, terminal
from peerconomy.cli.common import unit_of_work as open_uow
from peerconomy.cli.shift_exchange import exchange_app

if TYPE_CHECKING:
    from peerconomy.domain.shifts import Shift, ShiftRule

__all__ = ["shift_app"]

shift_app = typer.Typer(help="The tasks' shifts: when and where their hours are worked.",
                        no_args_is_help=True)
shift_app.add_typer(exchange_app)

TaskArgument = Annotated[str, typer.Argument(help="The task's id.")]
StartOption = Annotated[str, typer.Option("--start", help="Start, local time (09:00).")]
EndOption = Annotated[str, typer.Option(
    "--end", help="End, local time (12:00; at or before the start: the next day).")]
PlaceOption = Annotated[str, typer.Option(help="Where (free text).")]
SlotsOption = Annotated[int, typer.Option(help="How many people the shift takes.")]
NoteOption = Annotated[str, typer.Option(help="Anything its people should know.")]


@shift_app.command("list")
def list_shifts(
    pool: PoolOption,
    task: Annotated[str | None, typer.Option(help="Only this task's.")] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List the pool's shifts by date and time, with the places taken and free (the tasks
    named as people read them; --json: by id)."""
    from peerconomy.services import labels, shifts

    uow = open_uow(db)
    with refusals():
        found = shifts.task_shifts(uow(), pool)
        called = labels.labels(uow(), pool)
    rows = sorted((r for t, listed in found.items() if task in (None, t) for r in listed),
                  key=lambda r: (r.shift.day, r.shift.start, r.shift.id))
    if json:
        print_json([{"id": r.shift.id, "task": r.shift.task, "date": r.shift.day.isoformat(),
                     "start": r.shift.start.isoformat("minutes"),
                     "end": r.shift.end.isoformat("minutes"), "place": r.shift.place,
                     "slots": r.shift.slots, "taken": r.taken, "free": r.free,
                     "note": r.shift.note, "cancelled": r.shift.cancelled} for r in rows])
        return
    table = Table(title=f"shifts of {escape(called.pool)}")
    for column in ("id", "task", "date", "time", "place", "taken", "free", ""):
        table.add_column(column, justify="right" if column in ("id", "taken", "free")
                         else "left")
    for r in rows:
        s = r.shift
        table.add_row(str(s.id), escape(called.task(s.task)), s.day.isoformat(),
                      f"{s.start.isoformat('minutes')}-{s.end.isoformat('minutes')}",
                      escape(s.place), str(r.taken), str(r.free),
                      "cancelled" if s.cancelled else "")
    terminal().print(table)


@shift_app.command("add")
def add(
    pool: PoolOption,
    task: TaskArgument,
    on: Annotated[str, typer.Option("--date", help="The day (2026-05-09).")],
    start: StartOption,
    end: EndOption,
    place: PlaceOption = "",
    slots: SlotsOption = 1,
    note: NoteOption = "",
    db: DbOption = None,
) -> None:
    """Add a one-off shift to a task."""
    from peerconomy.domain.shifts import Shift, parse_date

    (made,) = _added(db, pool, lambda: Shift(task, parse_date(on, "--date"),
                                             *_times(start, end), place, slots, note))
    terminal().print(f"[green]✓[/green] shift {made.id} of {escape(made.task)} on"
                     f" {made.day.isoformat()}, {made.start.isoformat('minutes')} to"
                     f" {made.end.isoformat('minutes')}")


@shift_app.command("repeat")
def repeat(
    pool: PoolOption,
    task: TaskArgument,
    every: Annotated[str, typer.Option(help="day or week.")],
    first: Annotated[str, typer.Option("--from", help="The first day (2026-05-02).")],
    until: Annotated[str, typer.Option(help="The last day (2026-10-31).")],
    start: StartOption,
    end: EndOption,
    on: Annotated[str, typer.Option(
        "--on", help="Weekdays of a weekly rule (sat, or mon,thu; default: the first day's).")
    ] = "",
    interval: Annotated[int, typer.Option(help="Every this many days or weeks.")] = 1,
    place: PlaceOption = "",
    slots: SlotsOption = 1,
    note: NoteOption = "",
    db: DbOption = None,
) -> None:
    """Add shifts from a rule: every day, or every week on some weekdays, until a day."""
    from peerconomy.domain.shifts import ShiftRule, parse_date, parse_weekdays

    made = _added(db, pool, lambda: ShiftRule(
        task, every, parse_date(first, "--from"),  # type: ignore[arg-type]
        parse_date(until, "--until"), *_times(start, end), parse_weekdays(on, "--on"),
        interval, place, slots, note))
    terminal().print(f"[green]✓[/green] {len(made)} shifts of {escape(task)}, ids"
                     f" {made[0].id} to {made[-1].id}, {made[0].day.isoformat()} to"
                     f" {made[-1].day.isoformat()}")


def _times(start: str, end: str) -> tuple[time, time]:
    """A shift's ``--start`` and ``--end`` as times of day (a bad one: refused, naming it)."""
    from peerconomy.domain.shifts import parse_time

    return parse_time(start, "--start"), parse_time(end, "--end")


def _added(db: str | None, pool: str, given: Callable[[], Shift | ShiftRule]) -> list[Shift]:
    """What ``add`` and ``repeat`` share: open the store, read the shift or the rule from the
    options (``given``, which parses them in the order they are listed) and add it to
    ``pool``: the shifts made. A refusal (a bad option first) is one line and exit code 2,
    and nothing is stored."""
    from peerconomy.domain.shifts import Shift
    from peerconomy.services import shifts

    uow = open_uow(db)
    with refusals():
        made = given()
        if isinstance(made, Shift):
            return [shifts.add_shift(uow(), pool, made)]
        return shifts.repeat_shifts(uow(), pool, made)


@shift_app.command("cancel")
def cancel(
    pool: PoolOption,
    shift: Annotated[int, typer.Argument(help="The shift's id (see shift list).", min=1,
                                         max=2**31 - 1)],
    db: DbOption = None,
) -> None:
    """Cancel a shift: the people placed on it lose their placement and are told."""
    from peerconomy.services import shifts

    uow = open_uow(db)
    with refusals():
        done = shifts.cancel_shift(uow(), pool, shift)
    terminal().print(f"[green]✓[/green] shift {done.id} of {escape(done.task)} on"
                     f" {done.day.isoformat()} cancelled")
