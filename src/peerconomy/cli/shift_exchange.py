"""Shifts changing hands on the command line, as a member (``--member``) does on the pages,
for a member without a browser: ``shift mine`` and ``shift open`` list their shifts and the
pool's open slots; ``shift take`` and ``shift hand-back`` take an open slot and give one of
theirs back; ``shift swap propose|list|accept|decline|withdraw`` exchanges shifts with
another member who accepts; ``shift follow|unfollow|following`` is hearing of a project's
new open slots. Each calls one function of :mod:`peerconomy.services.shift_exchange` (where
the rules are); a refusal is one line naming the field and exit code 2, and nothing is
stored. Tables and messages name tasks, projects and members as people read them
(:mod:`peerconomy.services.labels`); ``--json`` keeps the ids beside the names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import (
    DbOption,
    JsonOption,
    PoolOption,
    fail,
    print_json,
    refusals,
    terminal,
)
from peerconomy.cli.common import unit_of_work as open_uow
from peerconomy.domain.bounds import STORED_INT_MAX

if TYPE_CHECKING:
    from peerconomy.domain.names import Labels
    from peerconomy.domain.shift_exchange import SwapState
    from peerconomy.domain.shifts import Shift
    from peerconomy.services.ports import UnitOfWork
    from peerconomy.services.shift_exchange import SwapView

__all__ = ["exchange_app"]

_T = TypeVar("_T")

exchange_app = typer.Typer()
"""The commands merged into ``peerconomy shift`` (:mod:`peerconomy.cli.shifts`)."""
swap_app = typer.Typer(help="Swaps of shifts between two members: propose one, list those"
                            " waiting, accept, decline or withdraw one.",
                       no_args_is_help=True)
exchange_app.add_typer(swap_app, name="swap")


def _text(option: str) -> Callable[[str | None], str | None]:
    """A callback refusing, as one line naming ``option`` and exit code 2, a text no store
    can hold (a NUL, a lone surrogate), as ``--pool`` does."""
    def check(value: str | None) -> str | None:
        from peerconomy.http.inputs import problem

        found = None if value is None else problem(value)
        if found is not None:
            fail(f"{option}: {found}")
        return value
    return check


MemberOption = Annotated[str, typer.Option(
    "--member", metavar="ID", callback=_text("--member"),
    help="Who acts: the member's participant id.")]
ShiftArgument = Annotated[int, typer.Argument(
    metavar="SHIFT", min=1, max=STORED_INT_MAX, help="The shift's id (see shift mine, shift"
                                                      " open).")]
SwapArgument = Annotated[int, typer.Argument(
    metavar="SWAP", min=1, max=STORED_INT_MAX, help="The swap's id (see shift swap list).")]
ProjectArgument = Annotated[str, typer.Argument(
    metavar="PROJECT", callback=_text("project"), help="The project's id.")]


def _named(db: str | None, pool: str, call: Callable[[Callable[[], UnitOfWork]], _T]
           ) -> tuple[_T, Labels]:
    """What every command here does first: open the store, ``call`` the service with its
    units of work (a refusal: one line and exit code 2, nothing stored), and read the pool's
    names people read, to show what it returns by."""
    from peerconomy.services import labels

    uow = open_uow(db)
    with refusals():
        return call(uow), labels.labels(uow(), pool)


def _when(shift: Shift) -> str:
    return f"{shift.start.isoformat('minutes')}-{shift.end.isoformat('minutes')}"


def _said(shift: Shift, names: Labels) -> str:
    """A shift as a message names it: "shift 6, Lackieren on 2026-05-08, 17:00-20:00 at
    Lackierraum"."""
    at = f" at {shift.place}" if shift.place else ""
    return (f"shift {shift.id}, {names.task(shift.task)} on {shift.day.isoformat()},"
            f" {_when(shift)}{at}")


def _shift_json(shift: Shift, names: Labels) -> dict[str, Any]:
    return {"id": shift.id, "task": shift.task, "task_name": names.task(shift.task),
            "date": shift.day.isoformat(), "start": shift.start.isoformat("minutes"),
            "end": shift.end.isoformat("minutes"), "place": shift.place, "note": shift.note}


def _done(text: str) -> None:
    terminal().print(f"[green]✓[/green] {escape(text)}")


@exchange_app.command("mine")
def mine(pool: PoolOption, member: MemberOption, json: JsonOption = False,
         db: DbOption = None) -> None:
    """List the shifts a member is placed on (this period's and the last), by date."""
    from peerconomy.services import shifts

    found, names = _named(db, pool, lambda uow: shifts.my_shifts(uow(), pool, member))
    if json:
        print_json([{"period": m.period, **_shift_json(m.shift, names)}
                    for m in found.shifts])
        return
    table = Table(title=f"shifts of {escape(names.member(member))} in {escape(names.pool)}")
    for column in ("id", "period", "task", "date", "time", "place"):
        table.add_column(column, justify="right" if column in ("id", "period") else "left")
    for m in found.shifts:
        s = m.shift
        table.add_row(str(s.id), str(m.period), escape(names.task(s.task)), s.day.isoformat(),
                      _when(s), escape(s.place))
    terminal().print(table)


@exchange_app.command("open")
def open_slots(
    pool: PoolOption,
    project: Annotated[str | None, typer.Option(
        "--project", metavar="ID", callback=_text("--project"),
        help="Only this project's.")] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List the open slots: places on shifts ahead that nobody fills, by date."""
    from peerconomy.services import shift_exchange

    found, names = _named(db, pool, lambda uow: shift_exchange.open_slots(uow(), pool,
                                                                          project=project))
    if json:
        print_json([{**_shift_json(o.shift, names), "period": o.period, "project": o.project,
                     "project_name": names.project(o.project), "free": o.free}
                    for o in found])
        return
    table = Table(title=f"open slots of {escape(names.pool)}")
    for column in ("id", "task", "project", "date", "time", "place", "free"):
        table.add_column(column, justify="right" if column in ("id", "free") else "left")
    for o in found:
        s = o.shift
        table.add_row(str(s.id), escape(names.task(s.task)), escape(names.project(o.project)),
                      s.day.isoformat(), _when(s), escape(s.place), str(o.free))
    terminal().print(table)


@exchange_app.command("take")
def take(pool: PoolOption, member: MemberOption, shift: ShiftArgument,
         db: DbOption = None) -> None:
    """Take an open slot: a free place on a shift ahead (see shift open)."""
    from peerconomy.services import shift_exchange

    taken, names = _named(db, pool, lambda uow: shift_exchange.take_slot(uow(), pool, member,
                                                                         shift))
    _done(f"{names.member(member)} is on {_said(taken, names)}")


@exchange_app.command("hand-back")
def hand_back(pool: PoolOption, member: MemberOption, shift: ShiftArgument,
              db: DbOption = None) -> None:
    """Hand one of a member's shifts back before it begins: its place is an open slot again
    (the plan stays as cleared)."""
    from peerconomy.services import shift_exchange

    given, names = _named(db, pool, lambda uow: shift_exchange.hand_back(uow(), pool, member,
                                                                         shift))
    _done(f"{names.member(member)} handed back {_said(given, names)}: an open slot now")


@swap_app.command("propose")
def propose(
    pool: PoolOption,
    member: MemberOption,
    shift: ShiftArgument,
    to: Annotated[str, typer.Option(
        "--to", metavar="ID", callback=_text("--to"),
        help="The member the shift is offered to.")],
    their_shift: Annotated[int | None, typer.Option(
        "--their-shift", metavar="SHIFT", min=1, max=STORED_INT_MAX,
        help="One of theirs of the same task and period, taken in exchange (left out: they"
             " take the shift outright).")] = None,
    db: DbOption = None,
) -> None:
    """Propose to hand a member's shift to another member, for one of theirs or outright:
    they are told, and the shifts change hands when they accept."""
    from peerconomy.services import shift_exchange

    def propose(uow: Callable[[], UnitOfWork]) -> SwapView:
        made = shift_exchange.propose_swap(uow(), pool, member, shift, to, their_shift)
        return shift_exchange.swap_view(uow(), pool, made)

    view, names = _named(db, pool, propose)
    _done(f"swap {view.swap.id} proposed to {names.member(to)}: {_offered(view, names)}")


def _offered(view: SwapView, names: Labels) -> str:
    """What a swap exchanges: "shift 2, ... for shift 3, ..." or "shift 2, ... outright"."""
    theirs = view.their_shift
    return _said(view.shift, names) + (" outright" if theirs is None
                                       else f" for {_said(theirs, names)}")


@swap_app.command("list")
def list_swaps(pool: PoolOption, member: MemberOption, json: JsonOption = False,
               db: DbOption = None) -> None:
    """List the swaps waiting for an answer: proposed to a member, and by them."""
    from peerconomy.services import shift_exchange

    found, names = _named(db, pool, lambda uow: shift_exchange.my_swaps(uow(), pool, member))
    if json:
        print_json({"incoming": [_swap_json(v, names) for v in found.incoming],
                    "outgoing": [_swap_json(v, names) for v in found.outgoing]})
        return
    table = Table(title=f"swaps waiting, of {escape(names.member(member))}")
    for column in ("id", "", "from", "to", "gives", "for"):
        table.add_column(column, justify="right" if column == "id" else "left",
                         overflow="fold")
    for way, views in (("to answer", found.incoming), ("proposed", found.outgoing)):
        for v in views:
            theirs = v.their_shift
            table.add_row(str(v.swap.id), way, escape(names.member(v.swap.proposer)),
                          escape(names.member(v.swap.to)), escape(_said(v.shift, names)),
                          "outright" if theirs is None else escape(_said(theirs, names)))
    terminal().print(table)


def _swap_json(view: SwapView, names: Labels) -> dict[str, Any]:
    swap, theirs = view.swap, view.their_shift
    return {"id": swap.id, "period": swap.period, "proposer": swap.proposer,
            "proposer_name": names.member(swap.proposer), "to": swap.to,
            "to_name": names.member(swap.to), "shift": _shift_json(view.shift, names),
            "their_shift": None if theirs is None else _shift_json(theirs, names),
            "created_at": swap.created_at.isoformat()}


def _answer(pool: str, member: str, swap: int, answer: SwapState, db: str | None) -> None:
    """Answer swap ``swap`` as ``member``; say what it did."""
    from peerconomy.services import shift_exchange

    def answered(uow: Callable[[], UnitOfWork]) -> SwapView:
        done = shift_exchange.answer_swap(uow(), pool, member, swap, answer)
        return shift_exchange.swap_view(uow(), pool, done)

    view, names = _named(db, pool, answered)
    _done(f"swap {swap} {answer} by {names.member(member)}: {_offered(view, names)}")


@swap_app.command("accept")
def accept(pool: PoolOption, member: MemberOption, swap: SwapArgument,
           db: DbOption = None) -> None:
    """Accept a swap proposed to a member: the shifts change hands at once."""
    _answer(pool, member, swap, "accepted", db)


@swap_app.command("decline")
def decline(pool: PoolOption, member: MemberOption, swap: SwapArgument,
            db: DbOption = None) -> None:
    """Decline a swap proposed to a member: both keep their shifts."""
    _answer(pool, member, swap, "declined", db)


@swap_app.command("withdraw")
def withdraw(pool: PoolOption, member: MemberOption, swap: SwapArgument,
             db: DbOption = None) -> None:
    """Withdraw a swap a member proposed, while it waits for an answer."""
    _answer(pool, member, swap, "withdrawn", db)


def _follow(pool: str, member: str, project: str, following: bool, db: str | None) -> None:
    from peerconomy.services import shift_exchange

    _, names = _named(db, pool, lambda uow: shift_exchange.follow(uow(), pool, member, project,
                                                                  following))
    _done(f"{names.member(member)} {'follows' if following else 'no longer follows'}"
          f" {names.project(project)}" + (": told of its new open slots" if following else ""))


@exchange_app.command("follow")
def follow(pool: PoolOption, member: MemberOption, project: ProjectArgument,
           db: DbOption = None) -> None:
    """Follow a project: the member is told of its new open slots."""
    _follow(pool, member, project, True, db)


@exchange_app.command("unfollow")
def unfollow(pool: PoolOption, member: MemberOption, project: ProjectArgument,
             db: DbOption = None) -> None:
    """Stop following a project."""
    _follow(pool, member, project, False, db)


@exchange_app.command("following")
def following(pool: PoolOption, member: MemberOption, json: JsonOption = False,
              db: DbOption = None) -> None:
    """List the projects a member follows."""
    from peerconomy.services import shift_exchange

    found, names = _named(db, pool, lambda uow: shift_exchange.followed(uow(), pool, member))
    if json:
        print_json([{"id": p, "name": names.project(p)} for p in found])
        return
    shown = ", ".join(names.project(p) for p in found) or "no project"
    terminal().print(f"{escape(names.member(member))} follows {escape(shown)}")
