"""What the program refuses to do, as one tree of exceptions the doors map to an answer.

Every refusal is a :class:`Refusal`; beneath it, by what went wrong:

- :class:`InputError`: bad input, naming each field at fault (``path``) and what is wrong
  with it (``reason``); the API answers 422. A scenario's mistakes are its subclass
  :class:`~peerconomy.domain.refusal.ScenarioError`.
- :class:`ConflictError`: the step clashes with what is stored (a name taken, a plan already
  made, a period in the wrong state); 409.
- :class:`NotFoundError`: something named does not exist; 404.
- :class:`NotAllowedError`: the person may not take this step; 403 (401 for a failed
  sign-in, :class:`~peerconomy.services.errors.SignInError`).

A door catches :class:`Refusal` once and maps it by subclass: the CLI prints it as one line
and exits with code 2, the API answers with the status above, a page shows the reason.
Whatever is refused, the transaction rolls back: nothing is stored.

An input with several mistakes is refused with all of them at once (errors as data, as
beancount collects them): :class:`Problems` gathers them while the input is read.

>>> problems = Problems()
>>> with problems.gathering():
...     raise InputError("hours", "must be a number, got 'x'")
>>> problems.note("min_weight", "is missing")
>>> problems.refuse()
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: hours: must be a number, got 'x'; min_weight: is missing
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Self

__all__ = [
    "ConflictError",
    "InputError",
    "NotAllowedError",
    "NotFoundError",
    "Problem",
    "Problems",
    "Refusal",
    "ScenarioError",
]


class Refusal(Exception):
    """A step the program refuses; nothing is changed."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in an input: the field at fault (``path``) and what is wrong with it."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class InputError(Refusal, ValueError):
    """Bad input: ``path`` names the (first) field at fault, ``reason`` says what is wrong
    with it; ``problems`` holds every mistake found, the first one included.

    >>> str(InputError("days", "must be between 1 and 365"))
    'days: must be between 1 and 365'
    >>> InputError.of([Problem("a", "is missing"), Problem("b", "is missing")]).problems
    (Problem(path='a', reason='is missing'), Problem(path='b', reason='is missing'))
    """

    problems: tuple[Problem, ...]

    def __init__(self, path: str, reason: str, *more: Problem) -> None:
        self.problems = (Problem(path, reason), *more)
        super().__init__("; ".join(map(str, self.problems)))
        self.path = path
        self.reason = reason

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> Self:
        """One refusal listing ``problems`` (at least one), in their order."""
        first, *more = problems
        return cls(first.path, first.reason, *more)

    def relocated(self, move: Callable[[Problem], Problem]) -> Self:
        """The same refusal with each problem moved by ``move`` (e.g. its path put under a
        part's name)."""
        return type(self).of(map(move, self.problems))

    def __reduce__(self) -> tuple[Callable[..., Self], tuple[object, ...]]:
        return type(self), (self.path, self.reason, *self.problems[1:])  # it pickles


class ConflictError(Refusal):
    """The step clashes with what is stored: a name already taken, a plan already made."""


class NotFoundError(Refusal):
    """Something named does not exist, e.g. ``no participant 'zoe' in pool 'farm'``."""

    def __init__(self, kind: str, name: object, pool: str | None = None) -> None:
        self.kind, self.name, self.pool = kind, name, pool
        where = f" in pool {pool!r}" if pool is not None else ""
        super().__init__(f"no {kind} {name!r}{where}")

    def __reduce__(self) -> tuple[Callable[..., Self], tuple[object, ...]]:
        return type(self), (self.kind, self.name, self.pool)


class NotAllowedError(Refusal):
    """The person named may not take this step, e.g. confirm their own work."""


class Problems:
    """The mistakes found so far in one input, to refuse them all at once."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def note(self, path: str, reason: str) -> None:
        """Record one mistake and go on reading."""
        self.found.append(Problem(path, reason))

    @contextmanager
    def gathering(self) -> Iterator[None]:
        """Inside: an :class:`InputError` is recorded instead of raised (the block ends, the
        reading goes on after it)."""
        try:
            yield
        except InputError as error:
            self.found.extend(error.problems)

    def refuse(self) -> None:
        """Raise an :class:`InputError` listing every mistake found, if there is any."""
        if self.found:
            raise InputError.of(self.found)


class ScenarioError(InputError):
    """Bad input in the scenario format (:mod:`peerconomy.domain.scenario`): ``path`` names
    the field, ``reason`` says what is wrong with it. It pickles, for worker processes.
    Declared here, beside its base, so that the scenario's readers and the modules they use
    (:mod:`~peerconomy.domain.files`, :mod:`~peerconomy.domain.scenario_checks`) share it
    without importing each other."""
