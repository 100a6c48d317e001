"""The one rule for text people write and others read: display names and descriptions of
pools, projects, tasks and goods, a task's place, a pick-up point's name, address and opening
times, a shift's place and note, a work log's note. Any Unicode (letters that look alike
too), within a bound, and nothing that is not text. Every door takes it from here: the
services and the pages' forms through :func:`check_text` (or :func:`optional_text`), the
scenario's readers and the API's schemas through the patterns below, whose refusals
:func:`text_problem` explains.

A :class:`TextKind` says how long a text may be and whether it may span lines. Refused,
naming the field:

- a value that is no string;
- text longer than its bound (counted as stored: without the spaces around it);
- a NUL or other control character (C0, DEL, C1); text of several lines (``lines``) may hold
  line feeds and tabs, and a carriage return before a line feed (a form's text area), made a
  plain line feed; one line may hold no line break at all, nor the line and paragraph
  separators U+2028 and U+2029;
- a lone surrogate (no UTF-8 text can hold it);
- a character that makes text read in another order than it is stored (the bidirectional
  embeddings, overrides and isolates, U+202A to U+202E and U+2066 to U+2069);
- blank text where it is ``required``.

Spaces around the text are dropped.

>>> check_text("  Hofladen Müller ", "name", TextKind(100))
'Hofladen Müller'
>>> check_text("Sat 14:00\\u201318:00", "opening_times", TextKind(200)) == "Sat 14:00\u201318:00"
True
>>> check_text(" Erst\\r\\ndann\\tdas ", "description", TextKind(4000, lines=True))
'Erst\\ndann\\tdas'
>>> optional_text("  ", "name", TextKind(100)) is None
True
>>> check_text("x" * 101, "name", TextKind(100))
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: name: must be at most 100 characters, got 101
>>> check_text("Stall\\x1b[31m", "place", TextKind(200))
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: place: holds a control character (0x001b)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from peerconomy.domain.refusal import InputError

__all__ = [
    "LINE_PATTERN",
    "LINE_PATTERN_PYTHON",
    "TEXT_PATTERN",
    "TEXT_PATTERN_PYTHON",
    "TextKind",
    "check_text",
    "optional_text",
    "text_problem",
]


@dataclass(frozen=True, slots=True)
class TextKind:
    """A kind of text people read: the most characters it may have, and whether it may span
    lines."""

    most: int
    lines: bool = False


_REORDERING: Final = r"\u202a-\u202e\u2066-\u2069"
"""The bidirectional embeddings, overrides and isolates (as a regular expression's class)."""
_NOT_IN_LINE: Final = rf"\x00-\x1f\x7f-\x9f\u2028\u2029{_REORDERING}"
_NOT_IN_TEXT: Final = rf"\x00-\x08\x0b-\x1f\x7f-\x9f{_REORDERING}"
_LINE: Final = rf"[^{_NOT_IN_LINE}]*"
_TEXT: Final = rf"(?:[^{_NOT_IN_TEXT}]|\r\n)*"
LINE_PATTERN: Final = rf"^{_LINE}$"
"""One line by the rule, for pydantic (``$`` is the end of the text there)."""
TEXT_PATTERN: Final = rf"^{_TEXT}$"
"""Text of several lines by the rule, for pydantic."""
LINE_PATTERN_PYTHON: Final = rf"^{_LINE}\Z"
""":data:`LINE_PATTERN` for Python's ``re`` (msgspec)."""
TEXT_PATTERN_PYTHON: Final = rf"^{_TEXT}\Z"
""":data:`TEXT_PATTERN` for Python's ``re`` (msgspec)."""
_SURROGATES: Final = r"\ud800-\udfff"
# the patterns with lone surrogates refused too: pydantic and msgspec cannot even read them,
# but a Python string may hold them
_LINE_RE: Final = re.compile(rf"^[^{_NOT_IN_LINE}{_SURROGATES}]*\Z")
_TEXT_RE: Final = re.compile(rf"^(?:[^{_NOT_IN_TEXT}{_SURROGATES}]|\r\n)*\Z")
_REORDERING_RE: Final = re.compile(f"[{_REORDERING}]")
_LINE_BREAKS: Final = "\n\r\u2028\u2029"


def text_problem(text: str, lines: bool) -> str | None:
    """Why the characters of ``text`` break the rule (None: they do not), for a text of
    several lines where ``lines``: the reason of the first character at fault. Length and
    blankness are :func:`check_text`'s."""
    if (_TEXT_RE if lines else _LINE_RE).match(text):
        return None
    if lines:
        text = text.replace("\r\n", "\n")
    for character in text:
        code = ord(character)
        if character == "\x00":
            return "holds a NUL character"
        if 0xD800 <= code <= 0xDFFF:
            return "holds a lone surrogate (not valid Unicode)"
        if lines and character in "\n\t":
            continue
        if not lines and character in _LINE_BREAKS:
            return f"holds a line break ({code:#06x}): must be one line"
        if unicodedata.category(character) == "Cc":
            return f"holds a control character ({code:#06x})"
        if _REORDERING_RE.match(character):
            return f"holds a character that reorders text ({code:#06x})"
    return None


def check_text(value: object, field: str, kind: TextKind, *, required: bool = False) -> str:
    """``value`` without the spaces around it (a carriage return before a line feed made a
    line feed, in text of several lines), if it is text of ``kind`` by the rule above (not
    blank where ``required``); else raise :class:`~peerconomy.domain.refusal.InputError`
    naming ``field``."""
    if not isinstance(value, str):
        shown = repr(value)
        raise InputError(field, "must be a string, got"
                                f" {shown if len(shown) <= 60 else shown[:57] + '...'}")
    text = value.replace("\r\n", "\n") if kind.lines else value
    trimmed = text.strip()
    if len(trimmed) > kind.most:
        raise InputError(field, f"must be at most {kind.most} characters, got {len(trimmed)}")
    problem = text_problem(text, kind.lines)  # the spaces too: strip() drops some controls
    if problem is not None:
        raise InputError(field, problem)
    if required and not trimmed:
        raise InputError(field, "must not be empty")
    return trimmed


def optional_text(value: object, field: str, kind: TextKind) -> str | None:
    """:func:`check_text` for a text one may leave out: None for None or blank text
    (nothing named), else the text checked."""
    if value is None:
        return None
    return check_text(value, field, kind) or None
