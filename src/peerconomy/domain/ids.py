"""The identifier rule: what an id in a pool may look like, on every door.

A project's or participant's id is 1 to 100 ASCII letters, digits, ``.``, ``_`` or ``-``,
starting with a letter or digit; a task's, good's, product type's or wish's id may also hold
``/`` (a fork names its copies ``bakery2/knead``). So no id carries a control character, a
terminal escape, a space or a look-alike letter into a plan, a page or the CLI's output.

The rule is written once, as regular expressions for both validating libraries (pydantic's
regex engine knows no ``\\Z``, Python's ``re`` matches ``$`` before a final newline).

>>> check_id("dairy-2", "project")
'dairy-2'
>>> check_id("bakery2/knead", "task", item=True)
'bakery2/knead'
>>> check_id("ana\\x1b[31m", "participant")
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: participant: must be 1 to 100 letters (a-z, A-Z), \
digits, '.', '_' or '-', starting with a letter or digit, got 'ana\\x1b[31m'
"""

from __future__ import annotations

import re
import secrets
from typing import Final

from peerconomy.domain.refusal import InputError

__all__ = [
    "ID_REASON",
    "ITEM_ID_REASON",
    "ITEM_PATTERN",
    "ITEM_PATTERN_PYTHON",
    "MAX_ID",
    "NAME_PATTERN",
    "NAME_PATTERN_PYTHON",
    "check_id",
    "new_wish_id",
]

MAX_ID: Final = 100
"""The longest id."""
_NAME: Final = rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_ID - 1}}}"
_ITEM: Final = rf"[A-Za-z0-9][A-Za-z0-9._/-]{{0,{MAX_ID - 1}}}"
NAME_PATTERN: Final = rf"^{_NAME}$"
"""A project's or participant's id, for pydantic (``$`` is the end of the text there)."""
ITEM_PATTERN: Final = rf"^{_ITEM}$"
"""A task's, good's, product type's or wish's id, for pydantic."""
NAME_PATTERN_PYTHON: Final = rf"^{_NAME}\Z"
""":data:`NAME_PATTERN` for Python's ``re`` (msgspec)."""
ITEM_PATTERN_PYTHON: Final = rf"^{_ITEM}\Z"
""":data:`ITEM_PATTERN` for Python's ``re`` (msgspec)."""
ID_REASON: Final = (f"must be 1 to {MAX_ID} letters (a-z, A-Z), digits, '.', '_' or '-',"
                    " starting with a letter or digit")
ITEM_ID_REASON: Final = (f"must be 1 to {MAX_ID} letters (a-z, A-Z), digits, '.', '_', '-'"
                         " or '/', starting with a letter or digit")
_NAME_RE: Final = re.compile(NAME_PATTERN_PYTHON)
_ITEM_RE: Final = re.compile(ITEM_PATTERN_PYTHON)


def check_id(text: object, field: str, *, item: bool = False) -> str:
    """``text`` if it follows the rule (``item``: a task's, good's or wish's id, ``/``
    allowed); else raise :class:`~peerconomy.domain.refusal.InputError` naming
    ``field``."""
    if not isinstance(text, str):
        raise InputError(field, f"must be a string, got {text!r}")
    if not (_ITEM_RE if item else _NAME_RE).match(text):
        raise InputError(field, f"{ITEM_ID_REASON if item else ID_REASON},"
                                f" got {text[:MAX_ID + 1]!r}")
    return text


def new_wish_id(participant: str) -> str:
    """A fresh id for a wish of ``participant`` made without one (every door makes it so):
    their id, cut to leave room, a dash and 8 random hex digits, so it is an id even for a
    member whose own id is 100 characters long.

    >>> len(new_wish_id("a" * MAX_ID)), new_wish_id("ana")[:4]
    (100, 'ana-')
    """
    return f"{participant[:MAX_ID - 9]}-{secrets.token_hex(4)}"
