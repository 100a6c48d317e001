"""Names people read: the display names, descriptions and places of pools, projects, tasks
and goods, checked by the one rule of :mod:`peerconomy.domain.text` on every door.

An id (:mod:`peerconomy.domain.ids`) stays an identifier; a display name is what a page, a
mail, the feed and the command line's tables show in its place (``weeding`` is shown as
"Jäten"), and the id where none is given (:func:`shown_name`). Any Unicode is allowed, also
letters that look alike (two tasks may both be called "Ernte"), within a length, and nothing
that is not text: no control character (no NUL, no terminal escape, no line break in a name
or a place; a description may hold line breaks and tabs), no lone surrogate, no character
that reorders text.

The kinds below (:data:`NAME`, :data:`PLACE`, :data:`DESCRIPTION`) are given to
:func:`~peerconomy.domain.text.optional_text` by the services and the pages' forms, and
written as the types the scenario's parser and the API (pydantic) read them with; the struct
reader (msgspec) writes its own from the same patterns.

>>> from peerconomy.domain.text import optional_text
>>> optional_text("Jäten", "name", NAME)
'Jäten'
>>> optional_text("  ", "name", NAME) is None
True
>>> optional_text("Jäten\\x1b[31m", "tasks[0].name", NAME)
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: tasks[0].name: holds a control character (0x001b)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Final, Protocol

from pydantic import Field, Strict

from peerconomy.domain.refusal import InputError
from peerconomy.domain.text import LINE_PATTERN, TEXT_PATTERN, TextKind

__all__ = [
    "DESCRIPTION",
    "NAME",
    "PLACE",
    "Description",
    "DisplayName",
    "Labels",
    "Named",
    "Place",
    "check_contact",
    "check_contacts",
    "shown_name",
]


NAME: Final = TextKind(100)
"""A display name: one line of at most 100 characters."""
PLACE: Final = TextKind(200)
"""A task's place (an address, "the barn"): one line of at most 200 characters."""
DESCRIPTION: Final = TextKind(4000, lines=True)
"""A description: at most 4,000 characters, with line breaks and tabs."""

DisplayName = Annotated[str, Strict(), Field(min_length=1, max_length=NAME.most,
                                             pattern=LINE_PATTERN)]
"""A display name as the scenario and the API take it: 1 to 100 characters, one line."""
Place = Annotated[str, Strict(), Field(min_length=1, max_length=PLACE.most,
                                       pattern=LINE_PATTERN)]
"""A task's place: 1 to 200 characters, one line."""
Description = Annotated[str, Strict(), Field(min_length=1, max_length=DESCRIPTION.most,
                                             pattern=TEXT_PATTERN)]
"""A description: 1 to 4,000 characters; line breaks and tabs allowed."""


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
