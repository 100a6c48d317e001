"""Names people read: the display names, descriptions and places of pools, projects, tasks
and goods, checked by one rule on every door.

An id (:mod:`peerconomy.domain.ids`) stays an identifier; a display name is what a page, a
mail, the feed and the command line's tables show in its place (``weeding`` is shown as
"Jäten"), and the id where none is given (:func:`shown_name`). Any Unicode is allowed, also
letters that look alike (two tasks may both be called "Ernte"), within a length, and without
control characters: no NUL, no terminal escape, no line break in a name or a place (a
description may hold line breaks and tabs). A lone surrogate is no Unicode text at all; both
validating libraries refuse it as they read a string.

The rule is written once, as regular expressions for both libraries (the scenario's parser
and the API use pydantic, the struct reader msgspec) and as :func:`check_text` for the
services, the pages' forms and the command line.

>>> check_text("Jäten", "name", NAME)
'Jäten'
>>> check_text("  ", "name", NAME) is None
True
>>> check_text("Jäten\\x1b[31m", "tasks[0].name", NAME)
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: tasks[0].name: must not contain control characters, \
got 'Jäten\\x1b[31m'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Final, Protocol

from pydantic import Field, Strict

from peerconomy.domain.refusal import InputError

__all__ = [
    "DESCRIPTION",
    "LINE_PATTERN",
    "LINE_PATTERN_PYTHON",
    "NAME",
    "PLACE",
    "TEXT_PATTERN",
    "TEXT_PATTERN_PYTHON",
    "Description",
    "DisplayName",
    "Labels",
    "Named",
    "Place",
    "TextKind",
    "check_contact",
    "check_contacts",
    "check_text",
    "control_reason",
    "shown_name",
]


@dataclass(frozen=True, slots=True)
class TextKind:
    """A kind of text people read: the most characters it may have, and whether it may span
    lines."""

    most: int
    lines: bool = False


NAME: Final = TextKind(100)
"""A display name: one line of at most 100 characters."""
PLACE: Final = TextKind(200)
"""A task's place (an address, "the barn"): one line of at most 200 characters."""
DESCRIPTION: Final = TextKind(4000, lines=True)
"""A description: at most 4,000 characters, with line breaks and tabs."""

_LINE: Final = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]*"
_TEXT: Final = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*"
LINE_PATTERN: Final = rf"^{_LINE}$"
"""One line without control characters, for pydantic (``$`` is the end of the text there)."""
TEXT_PATTERN: Final = rf"^{_TEXT}$"
"""Text without control characters but tab, line feed and carriage return, for pydantic."""
LINE_PATTERN_PYTHON: Final = rf"^{_LINE}\Z"
""":data:`LINE_PATTERN` for Python's ``re`` (msgspec)."""
TEXT_PATTERN_PYTHON: Final = rf"^{_TEXT}\Z"
""":data:`TEXT_PATTERN` for Python's ``re`` (msgspec)."""
_LINE_RE: Final = re.compile(LINE_PATTERN_PYTHON)
_TEXT_RE: Final = re.compile(TEXT_PATTERN_PYTHON)

DisplayName = Annotated[str, Strict(), Field(min_length=1, max_length=NAME.most,
                                             pattern=LINE_PATTERN)]
"""A display name as the scenario and the API take it: 1 to 100 characters, one line."""
Place = Annotated[str, Strict(), Field(min_length=1, max_length=PLACE.most,
                                       pattern=LINE_PATTERN)]
"""A task's place: 1 to 200 characters, one line."""
Description = Annotated[str, Strict(), Field(min_length=1, max_length=DESCRIPTION.most,
                                             pattern=TEXT_PATTERN)]
"""A description: 1 to 4,000 characters; line breaks and tabs allowed."""


def control_reason(lines: bool) -> str:
    """Why a text with a control character is refused (``lines``: a text of several lines,
    which may hold line breaks and tabs)."""
    allowed = " but line breaks and tabs" if lines else ""
    return f"must not contain control characters{allowed}"


def check_text(value: object, field: str, kind: TextKind) -> str | None:
    """``value`` without surrounding space (None for None or a blank text: no name), if it
    follows the rule of ``kind``; a carriage return before a line feed (a form's text area)
    is dropped. Else raise :class:`~peerconomy.domain.refusal.InputError` naming
    ``field``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(field, f"must be a string, got {value!r}"[:120])
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(field, "must be Unicode text, got a lone surrogate") from None
    text = value.replace("\r\n", "\n").strip() if kind.lines else value.strip()
    if len(text) > kind.most:
        raise InputError(field, f"must be at most {kind.most} characters,"
                                f" got {len(text)}")
    if not (_TEXT_RE if kind.lines else _LINE_RE).match(text):
        raise InputError(field, f"{control_reason(kind.lines)}, got {text[:60]!r}")
    return text or None


def check_contacts(contacts: Sequence[str | None], members: Collection[str], pool: str,
                   path: str = "tasks") -> None:
    """InputError naming ``{path}[i].contact`` for the first task's contact (in the order
    of ``contacts``, None: none) that is not among ``members``, the participant ids of the
    pool ``pool``: a task's contact is someone of the pool."""
    for i, contact in enumerate(contacts):
        check_contact(contact, members, pool, f"{path}[{i}].contact")


def check_contact(contact: str | None, members: Collection[str], pool: str,
                  field: str = "contact") -> None:
    """InputError naming ``field`` if ``contact`` (None: none) is not among ``members``,
    the participant ids of the pool ``pool``."""
    if contact is not None and contact not in members:
        raise InputError(field, f"must be a member of pool {pool!r}, got {contact!r}")


class Named(Protocol):
    """A thing with an id and, perhaps, a display name (a project, a task, a good)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str | None: ...


def shown_name(thing: Named) -> str:
    """What people read for ``thing``: its display name, else its id."""
    return thing.name or thing.id


@dataclass(frozen=True, slots=True)
class Labels:
    """A pool's names as people read them, looked up by id: the pool, its projects, tasks,
    goods and members. An id the pool does not name (a task since removed) is shown as it
    is.

    >>> labels = Labels("farm", tasks={"weeding": "Jäten"})
    >>> labels.task("weeding"), labels.task("milking"), labels.pool
    ('Jäten', 'milking', 'farm')
    """

    pool: str
    """The pool's display name, else its name."""
    projects: Mapping[str, str] = field(default_factory=dict)
    tasks: Mapping[str, str] = field(default_factory=dict)
    goods: Mapping[str, str] = field(default_factory=dict)
    members: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, pool: str, projects: Iterable[Named] = (), tasks: Iterable[Named] = (),
           goods: Iterable[Named] = (), members: Mapping[str, str] | None = None) -> Labels:
        """The labels of a pool shown as ``pool``, from its parts (only those named are
        kept: the others are shown by id)."""
        def names(things: Iterable[Named]) -> dict[str, str]:
            return {t.id: t.name for t in things if t.name}

        return cls(pool, names(projects), names(tasks), names(goods),
                   {k: v for k, v in (members or {}).items() if v})

    def project(self, ident: str) -> str:
        """The project's display name, else its id."""
        return self.projects.get(ident, ident)

    def task(self, ident: str) -> str:
        """The task's display name, else its id."""
        return self.tasks.get(ident, ident)

    def good(self, ident: str) -> str:
        """The good's display name, else its id."""
        return self.goods.get(ident, ident)

    def member(self, ident: str) -> str:
        """The member's display name, else their participant id."""
        return self.members.get(ident, ident)
