"""The rule for text people write and others read (a pick-up point's name, address and
opening times; a shift's place and note): any Unicode, within a bound, and nothing that is
not text.

Refused, naming the field: a value that is no string, a NUL or other control character (a
line break too, unless ``lines`` allows line breaks and tabs: a name is one line on a page,
a list or the command line), a lone surrogate (no UTF-8 text can hold it), a character that
makes text read in another order than it is stored (the bidirectional overrides and
isolates), and text longer than its bound. Spaces around the text are dropped; ``required``
text must hold something else.

>>> check_text("  Hofladen Müller ", "name", max_length=100)
'Hofladen Müller'
>>> check_text("Sat 14:00\\u201318:00", "opening_times", max_length=200) == "Sat 14:00\u201318:00"
True
>>> check_text("x" * 101, "name", max_length=100)
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: name: must be at most 100 characters, got 101
>>> check_text("Stall\\x1b[31m", "place", max_length=200)
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: place: holds a control character (0x001b)
"""

from __future__ import annotations

import unicodedata
from typing import Final

from peerconomy.domain.refusal import InputError

__all__ = ["check_text"]

_BIDI: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""The bidirectional embeddings, overrides and isolates."""


def check_text(
    value: object, field: str, *, max_length: int, required: bool = False, lines: bool = False
) -> str:
    """``value`` without the spaces around it, if it is text by the rule above; else raise
    :class:`~peerconomy.domain.refusal.InputError` naming ``field``."""
    if not isinstance(value, str):
        raise InputError(field, f"must be text, got {type(value).__name__}")
    if len(value) > max_length:
        raise InputError(field, f"must be at most {max_length} characters, got {len(value)}")
    for character in value:
        category = unicodedata.category(character)
        if character == "\x00":
            raise InputError(field, "holds a NUL character")
        if category == "Cs":
            raise InputError(field, "holds a lone surrogate (not valid Unicode)")
        if category == "Cc" and not (lines and character in "\n\t"):
            raise InputError(field, f"holds a control character ({ord(character):#06x})")
        if character in _BIDI:
            raise InputError(field, "holds a character that reorders text"
                                    f" ({ord(character):#06x})")
    text = value.strip()
    if required and not text:
        raise InputError(field, "must not be empty")
    return text
