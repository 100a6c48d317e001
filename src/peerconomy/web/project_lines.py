"""A project's tasks and goods written as lines of text, as coordinators type them into the
form of the Projects page.

**Tasks**, one per line: the task's id and, if it needs hours whatever is made (upkeep,
bookkeeping), those fixed hours::

    stairs 4
    laundry

**Goods**, one per line: the good's id, its model, then in any order ``capacity=N`` (at most N
units a period; none: no limit), ``limit=N`` (at most N units for one participant a period;
none: 1 for a ``flat_rate`` good, no limit for others), ``tenure=N`` (a unit won is held for
N periods; none: 1), ``type=NAME`` (its product type) and ``TASK=HOURS`` for each task one
unit takes (its recipe)::

    bread effort limit=3 milking=0.5 baking=1
    sea-view auction capacity=1 limit=1 tenure=12 laundry=1

**Ids** are identifiers: 1 to 100 ASCII letters, digits, ``.``, ``_`` and ``-``, starting
with a letter or digit; a task's or good's may also hold ``/`` (a fork names its copies
``annex/stairs``), a project's not (its id is a segment of the pages' addresses). Anything
else (spaces, markup, quotes, other scripts) is refused, naming the field.

The models are ``flat_rate``, ``flat_allocation``, ``effort`` and ``auction`` (a dash may
stand for the underscore). Numbers may have a decimal comma (``0,5``) and are bounded as
everywhere (:mod:`peerconomy.domain.bounds`). Blank lines and lines starting with ``#`` are
skipped. ``capacity``, ``limit``, ``tenure`` and ``type`` are words of the format, so a
recipe cannot name a task called so.

A mistake is refused with an :class:`~peerconomy.domain.refusal.InputError` that names the
field, the line and the part of it: ``goods, line 2, capacity``; every line's mistake is
listed at once, the tasks' before the goods'. :meth:`ProjectLines.named` says a service's
``goods[1].recipe.milking`` the same way.

>>> lines = parse_project("flats", "stairs 4\\nlaundry", "sea-view auction capacity=1 laundry=1")
>>> [(t.id, t.fixed_hours) for t in lines.tasks]
[('stairs', 4.0), ('laundry', 0.0)]
>>> good = lines.goods[0]
>>> good.id, good.model, good.capacity, good.recipe
('sea-view', 'auction', 1, {'laundry': 1.0})
>>> parse_project("flats", "", "sea-view auction capacity=one")
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: goods, line 1, capacity: must be a whole number, got 'one'
>>> parse_project("flats", "<b>stairs</b> 4\\nlaundry -1", "")
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: tasks, line 1, id: must be 1 to 100 letters (a-z, \
A-Z), digits, '.', '_', '-' or '/', starting with a letter or digit, got '<b>stairs</b>'; \
tasks, line 2, fixed hours: must be >= 0, got '-1'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Final, get_args

from peerconomy.domain.ids import MAX_ID, check_id
from peerconomy.domain.refusal import InputError, Problem, Problems
from peerconomy.domain.scenario import Good, GoodModel, Task, parse_part

__all__ = [
    "MAX_ID",
    "MODELS",
    "ProjectLines",
    "item_id",
    "parse_goods",
    "parse_project",
    "parse_tasks",
    "project_id",
]

MODELS: Final[tuple[str, ...]] = get_args(GoodModel)
"""The models a good may have, as the format writes them."""

_WORDS: Final = ("capacity", "limit", "tenure", "type")
"""The words of a good's line that are not a task of its recipe."""

_REFERENCE: Final = re.compile(r"\b(tasks|goods)\[(\d+)\](?:\.(\S+?))?(?=:|\s|$)")


@dataclass(frozen=True, slots=True)
class ProjectLines:
    """A project's tasks and goods, each with the number of the line it was written on."""

    tasks: tuple[Task, ...]
    goods: tuple[Good, ...]
    task_lines: tuple[int, ...]
    good_lines: tuple[int, ...]

    def named(self, text: str) -> str:
        """``text`` (a field's path, or a message) with ``tasks[i]`` and ``goods[i]`` said as
        the field and line where the task or good was written.

        >>> lines = parse_project("farm", "# the dairy\\n\\nmilking 2", "cheese effort milk=1")
        >>> lines.named("goods[0].recipe.milk: unknown task 'milk'")
        "goods, line 1, recipe.milk: unknown task 'milk'"
        >>> lines.named("tasks[0].id: 'milking' is taken in pool 'farm'")
        "tasks, line 3, id: 'milking' is taken in pool 'farm'"
        """

        def said(match: re.Match[str]) -> str:
            field, index, rest = match.group(1), int(match.group(2)), match.group(3)
            numbers = self.task_lines if field == "tasks" else self.good_lines
            if index >= len(numbers):
                return match.group(0)
            return f"{field}, line {numbers[index]}" + (f", {rest}" if rest else "")

        return _REFERENCE.sub(said, text)


def project_id(text: str, field: str = "project") -> str:
    """``text`` if it may be a project's id (see the module's docstring); else refused,
    naming ``field``.

    >>> project_id("dairy-2")
    'dairy-2'
    >>> project_id("annex/attic")
    Traceback (most recent call last):
    ...
    peerconomy.domain.refusal.InputError: project: must be 1 to 100 letters (a-z, A-Z), \
digits, '.', '_' or '-', starting with a letter or digit, got 'annex/attic'
    """
    if not text:
        raise InputError(field, "must be a non-empty id")
    return check_id(text, field)


def item_id(text: str, field: str) -> str:
    """``text`` if it may be a task's or good's id (as a project's, and ``/`` too); else
    refused, naming ``field``."""
    return check_id(text, field, item=True)


def parse_project(project: str, tasks: str, goods: str) -> ProjectLines:
    """The tasks and goods of ``project`` from the text of the form's two fields (a bad
    project id refused first; then every bad line of both fields, all at once)."""
    project_id(project)
    problems = Problems()
    numbered_tasks: list[tuple[int, Task]] = []
    numbered_goods: list[tuple[int, Good]] = []
    with problems.gathering():
        numbered_tasks = parse_tasks(project, tasks)
    with problems.gathering():
        numbered_goods = parse_goods(project, goods)
    problems.refuse()
    return ProjectLines(
        tasks=tuple(task for _, task in numbered_tasks),
        goods=tuple(good for _, good in numbered_goods),
        task_lines=tuple(number for number, _ in numbered_tasks),
        good_lines=tuple(number for number, _ in numbered_goods),
    )


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """The words of each line that says something, with its number (counted from 1)."""
    return [
        (number, line.split())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _number(text: str, where: str, *, whole: bool = False) -> float:
    """``text`` as a finite number >= 0 (a decimal comma allowed)."""
    kind = "a whole number" if whole else "a number"
    try:
        value = int(text) if whole else float(text.replace(",", "."))
    except ValueError:
        raise InputError(where, f"must be {kind}, got {text!r}") from None
    if not math.isfinite(value):
        raise InputError(where, f"must be a finite number, got {text!r}")
    if value < 0:
        raise InputError(where, f"must be >= 0, got {text!r}")
    return value


def _validated(kind: type[Any], data: dict[str, Any], where: str) -> Any:
    try:
        return parse_part(kind, data)
    except InputError as error:
        raise InputError.of(Problem(f"{where}, {p.path}", p.reason)
                            for p in error.problems) from None


def _first_time(seen: dict[str, int], name: str, number: int, where: str) -> None:
    if name in seen:
        raise InputError(where, f"{name!r} is on line {seen[name]} already")
    seen[name] = number


def parse_tasks(project: str, text: str) -> list[tuple[int, Task]]:
    """Each task line of ``text`` with its number: ``id`` or ``id fixed-hours``.

    >>> [(n, t.id, t.fixed_hours) for n, t in parse_tasks("flats", "stairs 4\\n\\ngarden 1,5")]
    [(1, 'stairs', 4.0), (3, 'garden', 1.5)]
    >>> parse_tasks("flats", "stairs four hours")
    Traceback (most recent call last):
    ...
    peerconomy.domain.refusal.InputError: tasks, line 1: one task per line: its id and, \
if it needs them whatever is made, its fixed hours (stairs 4)
    """
    found: list[tuple[int, Task]] = []
    seen: dict[str, int] = {}
    problems = Problems()
    for number, words in _lines(text):
        with problems.gathering():
            found.append((number, _task(project, number, words, seen)))
    problems.refuse()
    return found


def _task(project: str, number: int, words: list[str], seen: dict[str, int]) -> Task:
    """The task written on line ``number``."""
    where = f"tasks, line {number}"
    if len(words) > 2:
        raise InputError(where, "one task per line: its id and, if it needs them"
                                " whatever is made, its fixed hours (stairs 4)")
    item_id(words[0], f"{where}, id")
    _first_time(seen, words[0], number, f"{where}, id")
    data: dict[str, Any] = {"id": words[0], "project": project}
    if len(words) == 2:
        data["fixed_hours"] = _number(words[1], f"{where}, fixed hours")
    task: Task = _validated(Task, data, where)
    return task


def parse_goods(project: str, text: str) -> list[tuple[int, Good]]:
    """Each good line of ``text`` with its number: ``id model [capacity=N] [limit=N]
    [tenure=N] [type=NAME] [TASK=HOURS ...]``.

    >>> [(n, g.id, g.model, g.product_type, g.recipe) for n, g in parse_goods(
    ...     "dairy", "# id model ...\\nbread flat-allocation type=bread baking=1 milling=0,25")]
    [(2, 'bread', 'flat_allocation', 'bread', {'baking': 1.0, 'milling': 0.25})]
    >>> parse_goods("dairy", "bread baking=1")
    Traceback (most recent call last):
    ...
    peerconomy.domain.refusal.InputError: goods, line 1, model: must be one of flat_rate, \
flat_allocation, effort, auction, got 'baking=1'
    """
    found: list[tuple[int, Good]] = []
    seen: dict[str, int] = {}
    problems = Problems()
    for number, words in _lines(text):
        with problems.gathering():
            found.append((number, _good(project, number, words, seen)))
    problems.refuse()
    return found


def _good(project: str, number: int, words: list[str], seen: dict[str, int]) -> Good:
    """The good written on line ``number``."""
    where = f"goods, line {number}"
    good, *rest = words
    item_id(good, f"{where}, id")
    _first_time(seen, good, number, f"{where}, id")
    if not rest:
        raise InputError(f"{where}, model",
                         f"is missing: after the id, say one of {', '.join(MODELS)}")
    model = rest[0].replace("-", "_")
    if model not in MODELS:
        raise InputError(f"{where}, model",
                         f"must be one of {', '.join(MODELS)}, got {rest[0]!r}")
    data: dict[str, Any] = {"id": good, "project": project, "model": model}
    recipe: dict[str, float] = {}
    given: set[str] = set()
    for word in rest[1:]:
        name, equals, value = word.partition("=")
        if not (equals and name and value):
            raise InputError(where, f"{word!r} is not NAME=VALUE (capacity=1, limit=2,"
                                    " tenure=12, type=bread or a task's hours per unit:"
                                    " baking=0.5)")
        part = name if name in _WORDS else f"recipe.{name}"
        if part in given:
            raise InputError(f"{where}, {part}", "is given twice")
        given.add(part)
        if name in ("capacity", "limit", "tenure"):
            data[name] = int(_number(value, f"{where}, {name}", whole=True))
        elif name == "type":
            data["product_type"] = value
        else:
            recipe[name] = _number(value, f"{where}, {part}")
    data["recipe"] = recipe
    made: Good = _validated(Good, data, where)
    return made
