"""Free text people write for others to read (a shift's place and note): any Unicode, within
a length, and nothing that would garble a page, a terminal or a mail.

Such text is trimmed of surrounding spaces and refused, naming its field, where it holds a
control character (NUL, an escape; a line break only where ``lines`` allows one), a lone
surrogate (half of a UTF-16 pair, which no encoder writes) or more than ``most`` characters.

>>> check_text("  Hof Sonnenwiese, Scheune ", "place", 200)
'Hof Sonnenwiese, Scheune'
>>> check_text("Stall\\x1b[31m", "place", 200)
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: place: must not hold a control character, got \
'Stall\\x1b[31m'
"""

from __future__ import annotations

import unicodedata

from peerconomy.domain.refusal import InputError

__all__ = ["check_text"]


def check_text(value: object, path: str, most: int, *, lines: bool = False) -> str:
    """``value`` trimmed, where it is a string of at most ``most`` characters without control
    characters (``lines``: line breaks allowed) or lone surrogates; else
    :class:`InputError` naming ``path``."""
    if not isinstance(value, str):
        raise InputError(path, f"must be text, got {value!r}"[:200])
    text = value.strip()
    if len(text) > most:
        raise InputError(path, f"must be at most {most} characters, got {len(text)}")
    for char in text:
        kind = unicodedata.category(char)
        if kind == "Cs":
            raise InputError(path, "must be valid Unicode (it holds a lone surrogate)")
        if kind == "Cc" and not (lines and char in "\n\t"):
            raise InputError(path, f"must not hold a control character, got {text[:60]!r}")
    return text
