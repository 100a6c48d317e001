"""The demo told as a story: what each period's clearing found, what the books say and what
the hint board asks for next, in short sentences and small tables that fit a 100-column
terminal. :func:`run_demo` runs the demo (:mod:`.run`) and tells it (:func:`tell`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final

from rich import box
from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from peerconomy.demo.data import EXEMPT, PICKUP_POINTS
from peerconomy.demo.result import DemoResult, PeriodFigures, WorkSummary
from peerconomy.demo.run import UnitOfWorkFactory, run_periods
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.scenario import Offer
from peerconomy.ledger.journal import POOL, Account, participant_of
from peerconomy.services.hints import HintBoard

__all__ = ["run_demo", "tell"]


def run_demo(
    uow_factory: UnitOfWorkFactory, console: Console, periods: int = 2, seed: int = 0,
    today: date | None = None,
) -> DemoResult:
    """Import the demo pool into a fresh store, run ``periods`` periods end to end, the last
    ending the day before ``today`` (:func:`~.run.run_periods`), and print what each period
    shows (:func:`tell`)."""
    result = run_periods(uow_factory, periods, seed, today)
    tell(console, result)
    return result


def tell(console: Console, result: DemoResult) -> None:
    """Print the story of a run: the pool, then each period (the offers answering the hint
    board, the weights, goods and shares of its plan, the work, the balances and the board),
    then what the periods show together."""
    data = result.scenario
    called = _called(data)
    _intro(console, data, called)
    previous: PeriodFigures | None = None
    for figures in result.periods:
        console.print()
        console.print(Rule(f"[bold]Period {figures.number}{_dates(figures)}[/bold]"))
        if previous is not None:
            _show_changes(console, figures.offers_changed, previous)
        _show_weights(console, data, called, figures.plan, figures.weight_estimates,
                      figures.number)
        _show_goods(console, data, called, figures.plan)
        _show_shares(console, figures.plan)
        _show_work(console, figures.work)
        _show_balances(console, figures.balances, figures.number)
        _show_board(console, figures.hint_board, called)
        previous = figures
    _epilogue(console, result.periods)


# --- printing ------------------------------------------------------------------------------

_TOP_ROWS: Final = 8
_LISTED: Final = 4


def _name(item: str) -> str:
    """An id in words: ``milking_at_dawn`` -> ``milking at dawn``."""
    return item.replace("_", " ")


def _called(data: Mapping[str, Any]) -> dict[str, str]:
    """The names people read of the pool's projects, tasks and goods, by id (the tables show
    them; the sentences say the ids in words)."""
    return {part["id"]: part.get("name") or _name(part["id"])
            for kind in ("projects", "tasks", "goods") for part in data[kind]}


def _dates(figures: PeriodFigures) -> str:
    """``: Mon 23 Nov to Sun 29 Nov 2026``, for a dated period; nothing for one undated."""
    period = figures.period
    if period is None or period.starts_on is None or period.ends_on is None:
        return ""
    return f": {period.starts_on:%a %d %b} to {period.ends_on:%a %d %b %Y}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _hours(value: float) -> str:
    return f"{value:.1f}"


def _times(weight: float) -> str:
    return f"{weight:.2f}\N{MULTIPLICATION SIGN}"


def _listing(items: Sequence[str], limit: int | None = None) -> str:
    """``a, b and c``; beyond ``limit`` items, ``a, b and 3 more``."""
    items = list(items)
    if limit is not None and len(items) > limit:
        items = [*items[:limit], f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _table(*columns: str, numeric_from: int = 1, footer: Sequence[str] = ()) -> Table:
    table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False, show_footer=bool(footer))
    for i, column in enumerate(columns):
        table.add_column(
            column,
            justify="right" if i >= numeric_from else "left",
            footer=footer[i] if footer else "",
        )
    return table


def _say(console: Console, *sentences: str) -> None:
    console.print()
    console.print(" ".join(s for s in sentences if s))


def _bullets(console: Console, lines: Sequence[str]) -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column()
    for line in lines:
        grid.add_row("•", line)
    console.print(grid)


def _intro(console: Console, data: Mapping[str, Any], called: Mapping[str, str]) -> None:
    people = data["participants"]
    console.print(Rule("[bold]peerconomy demo: a distribution pool, period by period[/bold]"))
    console.print(
        f"{len(people)} people and three projects share out their work and goods by"
        " contributions, not exchange. Each period everyone offers hours on tasks, naming the"
        " lowest weight (credit per hour) they would do them at, and wishes for goods; the pool"
        " clears the period, members do the work and confirm each other's, and the books are"
        " settled. Rosa, 91, is exempt: she cannot contribute, so the others carry her share."
        " Ana and Kofi coordinate."
    )
    points = " or ".join(p.name for p in PICKUP_POINTS)
    console.print(
        "Periods run a week, in Berlin time; offers and wishes close two days before a"
        " period's last day at 18:00, when the period clears itself. The farm works in shifts"
        " (milking at dawn and the hens every day, weeding on Tuesday and Thursday evenings,"
        " the harvest on Saturday morning): the clearing places everyone's hours on them, and"
        f" they log their work shift by shift. Each member collects their goods at one of"
        f" {len(PICKUP_POINTS)} pick-up points, {points}."
    )
    table = _table("Project", "Tasks", "Goods (model)", numeric_from=3)
    for project in data["projects"]:
        pid = project["id"]
        tasks = [called[t["id"]] for t in data["tasks"] if t["project"] == pid]
        goods = [
            f"{called[g['id']]} ({_name(g['model'])})" for g in data["goods"] if g["project"] == pid
        ]
        table.add_row(called[pid], ", ".join(tasks), ", ".join(goods))
    _say(console, "The projects, their tasks and their goods:")
    console.print(table)


def _show_changes(console: Console, changed: Sequence[Offer], before: PeriodFigures) -> None:
    if not changed:
        _say(console, f"Nobody changed their offers after period {before.number}.")
        return
    open_hours = {str(h["task"]): h for h in before.hint_board.uncovered}
    weights = before.plan.weights
    lines: list[str] = []
    for task in dict.fromkeys(o.task for o in changed):
        offers = [o for o in changed if o.task == task]
        who = _listing([f"{o.participant} ({_hours(o.hours)} h at {_times(o.min_weight)} or"
                        " more)" for o in offers])
        if task in open_hours:
            hint = open_hours[task]
            why = (f"The hint board showed {_hours(hint['hours'])} h of {_name(task)} open at"
                   f" {_times(hint['weight'])}")
        else:
            why = f"{_cap(_name(task))} weighed {_times(weights[task])} in period {before.number}"
        lines.append(f"{why}: {who} now offer{'s' if len(offers) == 1 else ''} it.")
    _say(console, "Members read the hint board and made new offers; everything else they"
                  " offered and wished stands:")
    _bullets(console, lines)


def _show_weights(
    console: Console,
    data: Mapping[str, Any],
    called: Mapping[str, str],
    plan: ClearedPlan,
    estimates: Mapping[str, float],
    number: int,
) -> None:
    weights = plan.weights
    uncovered = plan.uncovered
    assigned: dict[str, float] = {}
    for a in plan.assignments:
        assigned[a.task] = assigned.get(a.task, 0.0) + a.hours
    covered = sorted((t for t in weights if uncovered[t] <= 0), key=lambda t: (weights[t], t))
    story = ["Task weights, credit per hour: each is the lowest at which enough people take the"
             " task on, the same for everyone doing it; a standard hour weighs 1."]
    fell: list[str] = []
    if number > 1:
        fell = [t for t in covered if estimates.get(t, 1.0) - weights[t] > 1e-9]
        if fell:
            story.append("New offers brought weights down: " + _listing([
                f"{_name(t)} from {_times(estimates.get(t, 1.0))} to {_times(weights[t])}"
                for t in fell]) + ".")
    if covered:
        top, low = covered[-1], covered[0]
        if weights[top] > 1:
            story.append(
                f"{_cap(_name(top))} now weighs the most, {_times(weights[top])}."
                if top in fell else
                f"{_cap(_name(top))} finds the fewest takers, so its hours weigh"
                f" {_times(weights[top])}."
            )
        if weights[low] < 1:
            story.append(f"{_cap(_name(low))} is popular and weighs {_times(weights[low])}.")
    for task in sorted((t for t in weights if uncovered[t] > 0), key=lambda t: -uncovered[t]):
        story.append(f"Nobody offered enough {_name(task)}: {_hours(uncovered[task])} h stay"
                     f" open at the pool's max weight, {_times(weights[task])}.")
    if number > 1:
        story.append(f"The estimates, which set this period's effort costs, are the weights"
                     f" period {number - 1} found.")
    _say(console, *story)
    table = _table("Project", "Task", "Needed h", "Assigned h", "Open h", "Estimate", "Weight",
                   numeric_from=2)
    for task in data["tasks"]:
        tid = task["id"]
        if tid not in weights:
            continue
        done = assigned.get(tid, 0.0)
        table.add_row(
            called[task["project"]], called[tid], _hours(done + uncovered[tid]), _hours(done),
            _hours(uncovered[tid]) if uncovered[tid] > 0 else "",
            _times(estimates.get(tid, 1.0)), f"[bold]{_times(weights[tid])}[/bold]",
        )
    console.print(table)


def _show_goods(console: Console, data: Mapping[str, Any], called: Mapping[str, str],
                plan: ClearedPlan) -> None:
    goods = plan.goods
    story = ["Goods: how often each was wished, how many are made, and what a unit asks of"
             " whoever takes it (its unit cost, in weighted hours)."]
    scarce = [g for g in data["goods"] if g["model"] == "auction" and goods[g["id"]].premium]
    if scarce:
        story.append(
            _cap(_listing([f"the {_name(g['id'])} ({goods[g['id']].wished} wishes for"
                           f" {g['capacity']})" for g in scarce]))
            + f" {'is' if len(scarce) == 1 else 'are'} scarce:"
            f" {'a premium' if len(scarce) == 1 else 'premiums'} of "
            + _listing([f"{_hours(goods[g['id']].premium)} h" for g in scarce])
            + " on top of the effort made the lowest bids step back. A premium rewards no one;"
            " it lowers every other unit's cost."
        )
    by_type: dict[str, list[Mapping[str, Any]]] = {}
    for g in data["goods"]:
        if g.get("product_type"):
            by_type.setdefault(g["product_type"], []).append(g)
    for product, makers in by_type.items():
        if len(makers) > 1:
            made = _listing([f"the {m['project']}'s {_name(m['id'])}"
                             f" ({goods[m['id']].allocated} made)" for m in makers])
            story.append(f"Wishes for {product} name the product type, so {made} both meet"
                         " them.")
    flat = [_name(g["id"]) for g in data["goods"] if g["model"] == "flat_rate"]
    if flat:
        one = len(flat) == 1
        verb, its = ("is", "its") if one else ("are", "their")
        story.append(f"The {_listing(flat)} {verb} flat rate: {its} effort is shared evenly, so"
                     " taking one costs nothing extra.")
    _say(console, *story)
    table = _table("Good", "Project", "Model", "Wished", "Made", "Premium", "Unit cost",
                   numeric_from=3)
    for g in data["goods"]:
        figures = goods[g["id"]]
        table.add_row(
            called[g["id"]], called[g["project"]], _name(g["model"]), str(figures.wished),
            str(figures.allocated), _hours(figures.premium) if figures.premium else "",
            f"{figures.unit_cost:.2f}",
        )
    console.print(table)


def _show_shares(console: Console, plan: ClearedPlan) -> None:
    shares = plan.shares
    credits = plan.credits
    effort = float(plan.weighted_effort)
    open_effort = math.fsum(plan.weights[t] * h for t, h in plan.uncovered.items())
    ranked = sorted(shares, key=lambda p: (-shares[p], p))
    top = ranked[0]
    taken = [a for a in plan.allocations if a.participant == top]
    goods_cost = math.fsum(a.cost for a in taken)
    biggest = max(taken, key=lambda a: a.cost) if taken else None
    story = [
        "Shares are what each member is expected to contribute this period; they add up to"
        f" the period's weighted effort, {effort:.2f} h. Credits are the weighted hours of the"
        " work each member is assigned"
        + (f"; they fall short of that by the open hours, {open_effort:.2f} h." if open_effort
           else "."),
    ]
    if biggest is not None:
        rest = goods_cost - biggest.cost
        story.append(
            f"{_cap(top)}'s share, the largest, is {biggest.cost:.2f} h for the"
            f" {_name(biggest.good)}"
            + (f", {rest:.2f} h for other goods" if rest > 0 else "")
            + f" and {shares[top] - goods_cost:.2f} h of what all carry together (flat-rate"
            " goods, fixed hours, Rosa's charges)."
        )
    story.append(f"{_cap(EXEMPT)} is exempt: her share is {shares.get(EXEMPT, 0.0):.2f}.")
    _say(console, *story)
    total_share, total_credit = math.fsum(shares.values()), math.fsum(credits.values())
    table = _table(
        "Member", "Share", "Credit", "Credit - share",
        footer=(f"all {len(shares)}", f"{total_share:.2f}", f"{total_credit:.2f}",
                f"{total_credit - total_share:+.2f}"),
    )
    for who in ranked[:_TOP_ROWS]:
        credit = credits.get(who, 0.0)
        table.add_row(who, f"{shares[who]:.2f}", f"{credit:.2f}", f"{credit - shares[who]:+.2f}")
    if len(ranked) > _TOP_ROWS:
        table.add_row(f"… {len(ranked) - _TOP_ROWS} more", "", "", "")
    console.print(table)


def _show_work(console: Console, done: WorkSummary) -> None:
    partly = done.partly
    story = [f"Work: {len(done.logs) - len(partly)} assignments were logged in full and"
             f" {len(partly)} in part"
             + (" (" + _listing([f"{log.participant} {_hours(log.logged)} of"
                                 f" {_hours(log.assigned)} h {_name(log.task)}"
                                 for log in partly], _LISTED) + ")" if partly else "")
             + "."]
    if done.forgotten:
        who = done.forgotten[0].participant
        hours = math.fsum(a.hours for a in done.forgotten)
        story.append(f"{_cap(who)} forgot to log {_hours(hours)} h, which earn nothing.")
    story.append("Another member confirmed each log, a co-worker on the same task where there"
                 " was one (communal validation).")
    extra = done.unassigned
    if extra is not None:
        story.append(f"{_cap(extra.participant)} saw {_name(extra.task)} on the hint board and"
                     f" did {_hours(extra.logged)} h of it without an assignment;"
                     f" {extra.confirmed_by}, a coordinator, accepted the work.")
    _say(console, *story)


def _show_balances(console: Console, held: Mapping[Account, Decimal], number: int) -> None:
    members = {str(participant_of(a)): b for a, b in held.items() if a != POOL}
    ranked = sorted(members, key=lambda p: (-members[p], p))
    total = sum(held.values(), Decimal(0))
    _say(
        console,
        f"Balances after settling period {number}: confirmed credits minus shares, carried"
        " into the next period (positive: contributed more than their share so far). The"
        " pool's account holds the other side: work planned but not done, less work done"
        f" beyond the plan. The books always balance: all balances sum to {total}.",
    )
    half = _TOP_ROWS // 2
    table = _table("Account", "Balance", footer=("sum of all balances", str(total)))
    if len(ranked) <= 2 * half:
        shown: list[str | None] = list(ranked)
    else:
        shown = [*ranked[:half], None, *ranked[-half:]]
    for who in shown:
        if who is None:
            table.add_row(f"… {len(ranked) - 2 * half} more", "")
        else:
            table.add_row(who, f"{members[who]:+.2f}")
    table.add_section()
    table.add_row("pool", f"{held.get(POOL, Decimal(0)):+.2f}")
    console.print(table)


def _show_board(console: Console, board: HintBoard, called: Mapping[str, str]) -> None:
    _say(
        console,
        f"The hint board after period {board.period} shows what the pool needs most"
        " (stigmergy, not orders): open task hours by weight, unmet wishes, spare and short"
        " capacity, and each project's to-do list (assigned hours still to do, and open"
        " hours nobody was assigned).",
    )
    lines = [
        "Open hours: "
        + (_listing([f"{_name(h['task'])} ({h['project']}), {_hours(h['hours'])} h at"
                     f" {_times(h['weight'])}" for h in board.uncovered]) + "."
           if board.uncovered else "none; every needed hour found someone.")
    ]
    if board.unmet_wishes:
        lines.append("Unmet wishes: " + _listing([
            f"{_name(h['good'])} ({h['units']} units)" for h in board.unmet_wishes]) + ".")
    for title, hints_of_kind in (
        ("Spare capacity (overproduction)", board.overproduction),
        ("At capacity, wished for more (underproduction)", board.underproduction),
    ):
        if hints_of_kind:
            lines.append(f"{title}: " + _listing([
                f"{_name(str(h.get('product_type') or h.get('good')))} at {h['project']}"
                f" ({h['units']} units)" for h in hints_of_kind]) + ".")
    _bullets(console, lines)
    table = _table("Project", "Task", "Weight", "Assigned h", "Done h", "Still to do h",
                   "Open h", numeric_from=2)
    for project, items in board.todo.items():
        for item in items:
            table.add_row(called.get(project, project), called.get(item.task, item.task),
                          _times(item.weight), _hours(item.planned),
                          _hours(item.done), _hours(item.open) if item.open else "",
                          _hours(item.uncovered) if item.uncovered else "")
    console.print(table)


def _epilogue(console: Console, figures: Sequence[PeriodFigures]) -> None:
    console.print()
    console.print(Rule("[bold]What changed[/bold]"))
    if len(figures) > 1:
        first, last = figures[0].plan.weights, figures[-1].plan.weights
        moved = [t for t in first if t in last and abs(first[t] - last[t]) > 1e-9]
        if moved:
            console.print(
                f"Weights from period 1 to period {figures[-1].number}: "
                + _listing([f"{_name(t)} {_times(first[t])} → {_times(last[t])}"
                            for t in moved])
                + ". A high weight draws offers where work is needed, and falls once they come."
            )
    sums = ", ".join(str(sum(f.balances.values(), Decimal(0))) for f in figures)
    console.print(f"All balances summed to zero after every settlement: {sums}.")
