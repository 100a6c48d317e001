"""Coordinator commands: import a pool, run its periods, log and confirm work, read hints."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from peerconomy.cli.common import (
    DbOption,
    JsonOption,
    PoolOption,
    print_json,
    refusals,
    terminal,
)
from peerconomy.cli.common import unit_of_work as open_uow
from peerconomy.cli.members import InvitationsOption, report_invitations
from peerconomy.domain.bounds import STORED_INT_MAX

if TYPE_CHECKING:
    from peerconomy.domain.names import Labels
    from peerconomy.domain.plan import ClearedPlan
    from peerconomy.services.hints import HintBoard
    from peerconomy.services.logged_work import LoggedWork

__all__ = ["hints", "period_app", "pool_app", "work_app"]

pool_app = typer.Typer(help="Create pools; list their tasks and goods.", no_args_is_help=True)
period_app = typer.Typer(help="Run a pool's period: clear, settle, close.", no_args_is_help=True)
work_app = typer.Typer(help="Log work and confirm it.", no_args_is_help=True)

ParticipantOption = Annotated[str, typer.Option("--participant", metavar="P", help="Who.")]


@pool_app.command("import")
def import_(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO.json")],
    pool: PoolOption,
    coordinator: Annotated[
        list[str] | None,
        typer.Option("--coordinator", metavar="P",
                     help="A participant who coordinates (repeat for more); like every"
                     " member, they take their place by their invitation link."),
    ] = None,
    communal_validation: Annotated[
        bool,
        typer.Option(
            "--communal-validation/--no-communal-validation",
            help="Logged work counts once a second member or a coordinator confirms it.",
        ),
    ] = True,
    invitations: InvitationsOption = None,
    db: DbOption = None,
) -> None:
    """Create a pool from a scenario file.

    The pool gets everything in the scenario and period 1, collecting its offers and wishes.
    Its members start unclaimed: each gets an invitation link (printed, or written to
    --invitations FILE) by which its person takes their place; no account becomes a member
    by having the same name."""
    from peerconomy.domain.scenario import load_scenario_file
    from peerconomy.http.settings import base_url_from_environment
    from peerconomy.services import membership, pools
    from peerconomy.services.roster import invitation_link

    with refusals():
        loaded = load_scenario_file(scenario)
    uow = open_uow(db)
    with refusals():
        pools.import_scenario(
            uow(), pool, loaded, coordinators=coordinator or (),
            communal_validation=communal_validation,
        )
        made = membership.invite_members(uow(), pool)
    terminal().print(
        f"[green]✓[/green] pool [bold]{escape(pool)}[/bold]: {len(loaded.participants)}"
        f" participants, {len(loaded.projects)} projects, {len(loaded.tasks)} tasks,"
        f" {len(loaded.goods)} goods; period 1 is collecting {len(loaded.offers)} offers and"
        f" {len(loaded.wishes)} wishes"
    )
    base = base_url_from_environment()
    report_invitations([(m, invitation_link(base, code)) for m, _, code in made], invitations)


def _parts(db: str | None, pool: str, kind: str) -> tuple[Labels, list[tuple[Any, Any]]]:
    """The pool's names, and each of its tasks or goods (``kind``) with its project."""
    from peerconomy.services import labels, views

    uow = open_uow(db)
    with refusals():
        names = labels.labels(uow(), pool)
        found = [(parts.project, part) for parts in views.projects(uow(), pool)
                 for part in getattr(parts, kind)]
    return names, found


@pool_app.command("tasks")
def tasks(pool: PoolOption, json: JsonOption = False, db: DbOption = None) -> None:
    """The pool's tasks: id, display name, project, place and contact (--json: with their
    descriptions and fixed hours)."""
    names, found = _parts(db, pool, "tasks")
    if json:
        print_json([{"id": t.id, "name": t.name, "project": t.project,
                     "description": t.description, "place": t.place, "contact": t.contact,
                     "fixed_hours": t.fixed_hours, "active": p.active} for p, t in found])
        return
    rows = [{"id": t.id, "name": t.name or "", "project": names.project(t.project),
             "place": t.place, "contact": names.member(t.contact) if t.contact else None,
             "fixed_h": t.fixed_hours} for p, t in found if p.active]
    _table(terminal(), f"tasks of {names.pool}", rows,
           ("id", "name", "project", "place", "contact", "fixed_h"))


@pool_app.command("goods")
def goods(pool: PoolOption, json: JsonOption = False, db: DbOption = None) -> None:
    """The pool's goods: id, display name, project, model and capacity (--json: with their
    descriptions)."""
    names, found = _parts(db, pool, "goods")
    if json:
        print_json([{"id": g.id, "name": g.name, "project": g.project,
                     "description": g.description, "model": g.model, "capacity": g.capacity,
                     "active": p.active} for p, g in found])
        return
    rows = [{"id": g.id, "name": g.name or "", "project": names.project(g.project),
             "model": g.model, "capacity": g.capacity} for p, g in found if p.active]
    _table(terminal(), f"goods of {names.pool}", rows,
           ("id", "name", "project", "model", "capacity"))


_OptionalText = Annotated[str | None, typer.Option(metavar="TEXT")]


@pool_app.command("settings")
def settings(
    pool: PoolOption,
    period_length: Annotated[str | None, typer.Option(
        metavar="LENGTH", help="How long each period lasts: '1 week', '14 days', '1 month';"
        " 'none': undated periods.")] = None,
    starts_on: Annotated[str | None, typer.Option(
        metavar="DATE", help="The first day of the collecting period (2026-05-04): its dates"
        " follow from it.")] = None,
    close_days: Annotated[int | None, typer.Option(
        help="Offers and wishes close this many days before a period's last day ...")] = None,
    close_time: Annotated[str | None, typer.Option(
        metavar="HH:MM", help="... at this time of day, in the pool's time zone.")] = None,
    time_zone: Annotated[str | None, typer.Option(
        metavar="ZONE", help="The pool's time zone (Europe/Berlin).")] = None,
    auto_clear: Annotated[bool | None, typer.Option(
        "--auto-clear/--no-auto-clear",
        help="Whether a period clears itself when its offers close.")] = None,
    name: Annotated[str | None, typer.Option(
        help="The pool's name people read ('' for none).")] = None,
    description: Annotated[str | None, typer.Option(
        help="What the pool is ('' for none).")] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show the pool's settings, or change those given: its calendar (period length, when
    offers close, whether a period clears itself then) and the name people read. A calendar
    dates the collecting period."""
    from peerconomy.domain.schedule import PeriodLength, zone
    from peerconomy.domain.shifts import parse_date, parse_time
    from peerconomy.services import lookup, pools

    changes: dict[str, Any] = {}
    with refusals():
        if period_length is not None:
            changes["period_length"] = (None if period_length.strip().lower() == "none"
                                        else PeriodLength.parse(period_length, "--period-length"))
        if starts_on is not None:
            changes["starts_on"] = parse_date(starts_on, "--starts-on")
        if close_time is not None:
            changes["close_time"] = parse_time(close_time, "--close-time")
    for key, value in (("close_days", close_days), ("time_zone", time_zone),
                       ("auto_clear", auto_clear), ("display_name", name),
                       ("description", description)):
        if value is not None:
            changes[key] = value
    uow = open_uow(db)
    with refusals():
        if changes:
            pools.update_settings(uow(), pool, **changes)
        with uow() as read:
            found = lookup.pool(read, pool)
            period = lookup.current_period(read, pool)
    calendar = found.settings.schedule
    shown: dict[str, Any] = {
        "pool": found.name, "name": found.display_name, "description": found.description,
        "period_length": None if calendar.length is None else str(calendar.length),
        "close_days": calendar.close_days, "close_time": calendar.close_time.isoformat("minutes"),
        "time_zone": calendar.time_zone, "auto_clear": calendar.auto_clear,
        "period": {"number": period.number, "state": period.state.value,
                   "starts_on": period.starts_on and period.starts_on.isoformat(),
                   "ends_on": period.ends_on and period.ends_on.isoformat(),
                   "collect_until": period.collect_until and period.collect_until.isoformat()},
    }
    if json:
        print_json(shown)
        return
    console = terminal()
    if changes:
        console.print(f"[green]✓[/green] settings of [bold]{escape(pool)}[/bold] changed:"
                      f" {escape(', '.join(sorted(changes)))}")
    table = Table(title=f"settings of {escape(found.display_name or found.name)}",
                  show_header=False)
    table.add_column("setting")
    table.add_column("value")
    for key, value in shown.items():
        if key == "period":
            closes = period.collect_until and period.collect_until.astimezone(
                zone(calendar.time_zone)).strftime("%Y-%m-%d %H:%M")
            dated = (f"{value['starts_on']} to {value['ends_on']}, offers close {closes}"
                     if value["starts_on"] else "undated")
            value = f"{value['number']} ({value['state']}): {dated}"
        table.add_row(key.replace("_", " "), escape("" if value is None else str(value)))
    console.print(table)


@period_app.command("clear")
def clear(pool: PoolOption, json: JsonOption = False, db: DbOption = None) -> None:
    """Clear the collecting period and keep its plan."""
    from peerconomy.services import labels, periods

    uow = open_uow(db)
    with refusals():
        plan = periods.clear_period(uow(), pool)
        names = labels.labels(uow(), pool)
    if json:
        print_json(plan.data.to_json())
        return
    data = plan.data
    console = terminal()
    console.print(
        f"[green]✓[/green] period {plan.period} of [bold]{escape(pool)}[/bold] cleared:"
        f" {len(data.assignments)} assignments, {len(data.allocations)} allocations,"
        f" weighted effort {data.weighted_effort:.2f} h (input {plan.input_hash[:12]})"
    )
    console.print(_ranked("task weights", ("task", "weight", "uncovered h"), data.weights,
                          [data.uncovered], "{:.3f}", shown=names.task))
    console.print(_shares("shares", data))


def _ranked(title: str, headings: tuple[str, ...], values: Mapping[str, float],
            beside: list[Mapping[str, float]], value_format: str,
            shown: Callable[[str], str] = str) -> Table:
    """The 20 largest of ``values`` (ties by id), each with its entries of ``beside``;
    each id as ``shown`` names it (a task's display name, say)."""
    table = Table(title=title)
    for column in headings:
        table.add_column(column, justify="left" if column == headings[0] else "right")
    for name, value in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:20]:
        table.add_row(escape(shown(name)), value_format.format(value),
                      *(f"{column.get(name, 0.0):.2f}" for column in beside))
    return table


def _shares(title: str, data: ClearedPlan) -> Table:
    """The 20 largest shares with each one's refund (a plan of format ``/1`` has none, and
    is shown as it was: shares and credits) and credit."""
    from peerconomy.domain.plan import PLAN_FORMAT_V1

    if data.format == PLAN_FORMAT_V1:
        return _ranked(title, ("participant", "share h", "credit h"), data.shares,
                       [data.credits], "{:.2f}")
    return _ranked(title, ("participant", "share h", "refund h", "credit h"), data.shares,
                   [data.refunds, data.credits], "{:.2f}")


@period_app.command("preview")
def preview(pool: PoolOption, json: JsonOption = False, db: DbOption = None) -> None:
    """Show the plan the collecting period would clear to now: provisional, nothing kept
    (weights, shares and the coordinator's warnings; --json: the whole plan)."""
    from peerconomy.services import periods

    uow = open_uow(db)
    with refusals():
        found = periods.preview_period(uow(), pool)
    data = found.plan
    if json:
        print_json({"provisional": True, "period": found.period,
                    "input_hash": found.input_hash, "plan": data.to_json(),
                    "warnings": list(found.warnings)})
        return
    console = terminal()
    console.print(
        f"[yellow]provisional[/yellow]: if period {found.period} of [bold]{escape(pool)}[/bold]"
        f" were cleared now: {len(data.assignments)} assignments, {len(data.allocations)}"
        f" allocations, weighted effort {data.weighted_effort:.2f} h"
        f" (input {found.input_hash[:12]}); nothing is kept"
    )
    console.print(_shares("provisional shares", data))
    if not found.warnings:
        console.print(f"[green]✓[/green] no warnings for [bold]{escape(pool)}[/bold]")
        return
    print_json(list(found.warnings))


@period_app.command("reopen")
def reopen(pool: PoolOption, db: DbOption = None) -> None:
    """Reopen the cleared period for collecting; its plan is withdrawn, kept in the period's
    history (`period plans`), only before any work is logged on it, never once settled."""
    from peerconomy.services import periods

    uow = open_uow(db)
    with refusals():
        period = periods.reopen_period(uow(), pool)
    Console().print(
        f"[green]✓[/green] period {period.number} of [bold]{escape(pool)}[/bold] is collecting"
        " again; its plan is withdrawn (see `period plans`)"
    )


@period_app.command("plans")
def plans(
    pool: PoolOption,
    number: Annotated[int | None, typer.Option(
        "--period", metavar="N", min=1, max=STORED_INT_MAX,
        help="The period (default: the current one).")] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List a period's plans: those withdrawn by reopening it, then the current one, each
    with the hash of its input."""
    from peerconomy.services import views

    uow = open_uow(db)
    with refusals():
        found = views.plan_history(uow(), pool, number)
    rows: list[dict[str, Any]] = [
        {"state": "withdrawn", "format": w.plan.data.format, "input_hash": w.plan.input_hash,
         "cleared_at": w.plan.cleared_at.isoformat(),
         "withdrawn_at": w.withdrawn_at.isoformat(), "withdrawn_by": w.withdrawn_by,
         "weighted_effort": w.plan.data.weighted_effort}
        for w in found.withdrawn
    ]
    if found.current is not None:
        now = found.current
        rows.append({"state": "current", "format": now.data.format,
                     "input_hash": now.input_hash, "cleared_at": now.cleared_at.isoformat(),
                     "withdrawn_at": None, "withdrawn_by": None,
                     "weighted_effort": now.data.weighted_effort})
    if json:
        print_json({"pool": pool, "period": found.period.number,
                    "state": found.period.state.value, "plans": rows})
        return
    table = Table(title=f"plans of period {found.period.number} ({found.period.state.value})")
    for column in ("state", "input", "cleared", "withdrawn", "by", "weighted effort h"):
        table.add_column(column, justify="right" if column.endswith(" h") else "left")
    for row in rows:
        table.add_row(row["state"], row["input_hash"][:12], row["cleared_at"][:19],
                      (row["withdrawn_at"] or "")[:19], escape(row["withdrawn_by"] or ""),
                      f"{row['weighted_effort']:.2f}")
    terminal().print(table if rows else
                     f"period {found.period.number} of [bold]{escape(pool)}[/bold] has no plan")


@period_app.command("settle")
def settle(pool: PoolOption, db: DbOption = None) -> None:
    """Post the cleared period to the ledger and open the next period."""
    from peerconomy.services import periods

    uow = open_uow(db)
    with refusals():
        following = periods.settle_period(uow(), pool)
    terminal().print(
        f"[green]✓[/green] period {following.number - 1} of [bold]{escape(pool)}[/bold] settled;"
        f" period {following.number} is collecting (standing offers and wishes carried over)"
    )


@period_app.command("close")
def close(
    pool: PoolOption,
    number: Annotated[int, typer.Option("--period", metavar="N", help="The settled period.")],
    db: DbOption = None,
) -> None:
    """Close a settled period."""
    from peerconomy.services import periods

    uow = open_uow(db)
    with refusals():
        periods.close_period(uow(), pool, number)
    terminal().print(f"[green]✓[/green] period {number} of [bold]{escape(pool)}[/bold] closed")


@work_app.command("log")
def log(
    pool: PoolOption,
    participant: ParticipantOption,
    task: Annotated[str | None, typer.Option(
        "--task", metavar="T", help="The task worked on (with --shift: the shift's).")] = None,
    hours: Annotated[float | None, typer.Option(
        "--hours", metavar="H", help="Hours worked (with --shift: default its length).")
    ] = None,
    shift: Annotated[int | None, typer.Option(
        "--shift", metavar="ID", min=1, max=STORED_INT_MAX,
        help="A shift the participant was placed on, ended: its task, date and length fill"
             " the log (see shift list).")] = None,
    on: Annotated[str | None, typer.Option(
        "--date", metavar="D", help="The day the work was done (default: today in the pool's"
                                    " time zone).")] = None,
    note: Annotated[str, typer.Option(
        "--note", metavar="TEXT", help="What those who confirm it should know.")] = "",
    confirmed_by: Annotated[
        str | None,
        typer.Option("--confirmed-by", metavar="Q", help="Another member who confirms it."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Log work done in the cleared period: hours on a task, or a shift once it has ended."""
    from peerconomy.domain.refusal import InputError
    from peerconomy.domain.shifts import parse_date
    from peerconomy.services import work

    uow = open_uow(db)
    with refusals():
        worked_on = None if on is None else parse_date(on, "--date")
        if shift is not None:
            if confirmed_by is not None:
                raise InputError("--confirmed-by", "must be left out with --shift (confirm"
                                                   " the log with work confirm)")
            logged = work.log_shift(uow(), pool, participant, shift, hours=hours, note=note,
                                    task=task, worked_on=worked_on)
        else:
            if task is None:
                raise InputError("--task", "must name the task worked on (or give --shift)")
            if hours is None:
                raise InputError("--hours", "must say the hours worked (or give --shift)")
            logged = work.log_work(uow(), pool, participant, task, hours, worked_on=worked_on,
                                   note=note, confirmed_by=confirmed_by)
    on_shift = f", shift {logged.shift}" if logged.shift is not None else ""
    _print_log(logged.id, logged.status, f"{participant} {logged.hours:g} h on {logged.task}"
                                         f" on {logged.worked_on}{on_shift}")


@work_app.command("list")
def list_work(
    pool: PoolOption,
    participant: Annotated[str | None, typer.Option(
        "--participant", metavar="P", help="Only this participant's.")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", metavar="S", help="Only work that is pending, confirmed or rejected.")
    ] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The current period's work logs: task, date, shift (time and place), hours, note,
    status, and the hours beyond the worker's assignment."""
    from peerconomy.domain.refusal import InputError
    from peerconomy.services import logged_work

    uow = open_uow(db)
    with refusals():
        if status not in (None, "pending", "confirmed", "rejected"):
            raise InputError("--status", f"must be pending, confirmed or rejected, got"
                                         f" {status!r}"[:200])
        lines = logged_work.logged_work(uow(), pool, participant=participant,
                                        status=status)  # type: ignore[arg-type]
    rows = [_work_row(line) for line in lines]
    if json:
        print_json(rows)
        return
    table = Table(title=f"work logged in {escape(pool)}", title_justify="left",
                  caption="beyond: hours logged beyond the worker's assignment (no credit)")
    for column in ("id", "who", "task", "date", "shift", "h", "status", "note"):
        table.add_column(column, justify="right" if column in ("id", "h") else "left",
                         overflow="fold", min_width=11 if column == "shift" else None)
    for row, line in zip(rows, lines, strict=True):
        shift = line.shift
        beyond = (f"\n{row['beyond_assignment']:g} h beyond" if row["beyond_assignment"]
                  else "")
        table.add_row(str(row["id"]), escape(str(row["participant"])),
                      escape(str(row["task_name"])), row["worked_on"] or "",
                      "" if shift is None else escape(
                          f"{shift.start.isoformat('minutes')}-"
                          f"{shift.end.isoformat('minutes')} {shift.place}".strip()),
                      f"{row['hours']:g}", str(row["status"]) + beyond,
                      escape(str(row["note"])))
    terminal().print(table)


def _work_row(line: LoggedWork) -> dict[str, Any]:
    """A work log as ``work list`` shows it (and writes it with ``--json``)."""
    log, shift = line.log, line.shift
    shift_at = None if shift is None else (
        f"{shift.day.isoformat()} {shift.start.isoformat('minutes')}-"
        f"{shift.end.isoformat('minutes')}" + (f" {shift.place}" if shift.place else ""))
    return {"id": log.id, "participant": log.participant, "task": log.task,
            "task_name": line.task_name,
            "worked_on": None if log.worked_on is None else log.worked_on.isoformat(),
            "shift": log.shift, "shift_at": shift_at, "hours": log.hours,
            "note": log.note, "status": log.status, "beyond_assignment": line.beyond,
            "assigned": log.assigned, "confirmed_by": log.confirmed_by}


@work_app.command("withdraw")
def withdraw(
    pool: PoolOption,
    log_id: Annotated[int, typer.Option("--log", metavar="ID", help="The work log's id.")],
    by: Annotated[str, typer.Option("--by", metavar="P",
                                    help="Who withdraws it: its worker (or who logged it).")],
    db: DbOption = None,
) -> None:
    """Withdraw a work log that awaits confirmation (confirmed work stays)."""
    from peerconomy.services import work

    uow = open_uow(db)
    with refusals():
        withdrawn = work.withdraw_work(uow(), pool, log_id, by)
    terminal().print(f"[green]✓[/green] work log {withdrawn.id} withdrawn:"
                     f" {escape(withdrawn.participant)} {withdrawn.hours:g} h on"
                     f" {escape(withdrawn.task)}")


@work_app.command("confirm")
def confirm(
    pool: PoolOption,
    log_id: Annotated[int, typer.Option("--log", metavar="ID", help="The work log's id.")],
    by: Annotated[str, typer.Option("--by", metavar="Q", help="Who confirms.")],
    db: DbOption = None,
) -> None:
    """Confirm logged work (a coordinator's confirmation accepts unassigned work)."""
    from peerconomy.services import work

    uow = open_uow(db)
    with refusals():
        confirmed = work.confirm_work(uow(), pool, log_id, by)
    _print_log(confirmed.id, confirmed.status, f"confirmed by {by}")


@work_app.command("reject")
def reject(
    pool: PoolOption,
    log_id: Annotated[int, typer.Option("--log", metavar="ID", help="The work log's id.")],
    by: Annotated[str, typer.Option("--by", metavar="Q", help="The coordinator.")],
    db: DbOption = None,
) -> None:
    """Reject logged work (coordinators only): it earns nothing."""
    from peerconomy.services import work

    uow = open_uow(db)
    with refusals():
        rejected = work.reject_work(uow(), pool, log_id, by)
    _print_log(rejected.id, rejected.status, f"rejected by {by}")


def _print_log(log_id: int, status: str, what: str) -> None:
    terminal().print(f"[green]✓[/green] work log {log_id}: {escape(what)} ({status})")


def hints(pool: PoolOption, json: JsonOption = False, db: DbOption = None) -> None:
    """The hint board: what the pool needs most."""
    from peerconomy.services import hints as hint_service
    from peerconomy.services import labels

    uow = open_uow(db)
    with refusals():
        board = hint_service.hint_board(uow(), pool)
        names = labels.labels(uow(), pool)
    if json:
        print_json(board.as_json())
        return
    print_hint_board(terminal(), board, names)


def print_hint_board(console: Console, board: HintBoard, names: Labels | None = None) -> None:
    """The hint board as tables (and the subscribed units, plan or not); tasks, goods and
    projects by the names people read (``names``; None: by id)."""
    if names is not None:
        board = _named_board(board, names)
    if board.period is None:
        console.print(f"No plan yet in pool {escape(board.pool)}: clear a period first.")
        _print_subscribed(console, board)
        return
    console.print(f"[bold]Hint board of {escape(board.pool)}, period {board.period}[/bold]")
    _table(console, "uncovered task hours, most wanted first", board.uncovered,
           ("task", "project", "hours", "weight"))
    _table(console, "unmet wishes", board.unmet_wishes, ("good", "units"))
    _table(console, "overproduction (idle capacity)", board.overproduction,
           ("project", "good", "product_type", "units"))
    _table(console, "underproduction (at capacity, wished for more)", board.underproduction,
           ("project", "good", "product_type", "units"))
    for project, items in board.todo.items():
        rows = [
            {"task": t.task, "weight": t.weight, "planned": t.planned, "done": t.done,
             "open": t.open, "uncovered": t.uncovered}
            for t in items
        ]
        _table(console, f"to-do of {project}", rows,
               ("task", "weight", "planned", "done", "open", "uncovered"))
    _print_subscribed(console, board)


def _print_subscribed(console: Console, board: HintBoard) -> None:
    """Per project, the units subscriptions ask for in the coming periods."""
    start = board.subscribed_from or 1
    for project, subscribed in board.subscribed.items():
        span = max(len(s.units) for s in subscribed)
        periods = tuple(f"period {start + i}" for i in range(span))
        rows = [{"good": s.good or f"any {s.product_type}",
                 **{p: (s.units[i] if i < len(s.units) else 0) for i, p in enumerate(periods)}}
                for s in subscribed]
        _table(console, f"subscribed units of {project}", rows, ("good", *periods))


def _named_board(board: HintBoard, names: Labels) -> HintBoard:
    """The board with its tasks, goods and projects called by their display names."""
    from dataclasses import replace

    def named(hint: Mapping[str, Any]) -> dict[str, Any]:
        kinds: dict[str, Callable[[str], str]] = {
            "task": names.task, "good": names.good, "project": names.project}
        return {k: kinds[k](v) if k in kinds and isinstance(v, str) else v
                for k, v in hint.items()}

    return replace(
        board, pool=names.pool,
        uncovered=[named(h) for h in board.uncovered],
        unmet_wishes=[named(h) for h in board.unmet_wishes],
        overproduction=[named(h) for h in board.overproduction],
        underproduction=[named(h) for h in board.underproduction],
        todo={names.project(p): [replace(t, task=names.task(t.task)) for t in items]
              for p, items in board.todo.items()},
        subscribed={names.project(p): [replace(s, good=names.good(s.good)) if s.good else s
                                       for s in items]
                    for p, items in board.subscribed.items()},
    )


def _table(
    console: Console, title: str, rows: list[dict[str, Any]], columns: tuple[str, ...]
) -> None:
    if not rows:
        console.print(f"{escape(title)}: none")
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column.replace("_", " "))
    for row in rows:
        table.add_row(*(_cell(row.get(column)) for column in columns))
    console.print(table)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return escape(str(value))
