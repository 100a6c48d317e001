"""Text no request may bring, checked once for every door (API and pages).

A request is refused whole, before any route sees it, where a string it brings holds a NUL
(``\\u0000``: PostgreSQL cannot store it) or a lone surrogate (``\\ud800``: no UTF-8 text can
hold it), or where its JSON holds ``NaN``, ``Infinity`` or ``-Infinity`` (not JSON, and not a
number anything here may take). Looked at: the path, the query string, the header values,
a JSON body (every key and string, at any depth) and a posted form's fields (urlencoded, or
the text fields of a multipart form; an uploaded file is its reader's to check). The refusal
names where the bad text is, as FastAPI's 422 does, and never repeats the text itself::

    >>> bad_text(b'{"name": "ben\\\\u0000"}', "application/json")
    Refusal(loc=('body', 'name'), msg='holds a NUL character')
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, Final, NamedTuple
from urllib.parse import parse_qsl, unquote_to_bytes

__all__ = ["Refusal", "bad_text", "refused"]

FORM: Final = "application/x-www-form-urlencoded"
MULTIPART: Final = "multipart/form-data"


class Refusal(NamedTuple):
    """Where a request's bad text is (FastAPI's ``loc``) and what is wrong with it."""

    loc: tuple[str | int, ...]
    msg: str


class _Constant:
    """``NaN``, ``Infinity`` or ``-Infinity`` where the JSON had it."""


_CONSTANT: Final = _Constant()


def _reject_constant(_name: str) -> _Constant:
    return _CONSTANT


def problem(text: str) -> str | None:
    """What makes ``text`` unfit to take (None: nothing)."""
    if "\x00" in text:
        return "holds a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a lone surrogate (not valid Unicode)"
    return None


def bad_text(body: bytes, content_type: str) -> Refusal | None:
    """The first bad text of a request body of ``content_type`` (None: none): JSON (also
    where no type is given, as FastAPI reads it) or a posted form. A body that is no JSON
    at all is left to the application's own parser."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return None
    if media == FORM:
        return _bad_pairs(body, ("body",))
    if media == MULTIPART:
        return _bad_parts(body, content_type)
    if media and not (media == "application/json" or media.endswith("+json")):
        return None
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except RecursionError:
        return Refusal(("body",), "is nested too deeply")
    except ValueError:  # not JSON (or not UTF-8): the application says so
        return None
    return next(_bad_json(data), None)


def _bad_json(data: Any) -> Iterator[Refusal]:
    """Each bad string, key or constant in ``data`` (without recursion: depth is the
    sender's choice)."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [(("body",), data)]
    while stack:
        loc, value = stack.pop()
        if value is _CONSTANT:
            yield Refusal(loc, "is not a finite number (NaN and Infinity are not JSON)")
        elif isinstance(value, str):
            if (reason := problem(value)) is not None:
                yield Refusal(loc, reason)
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if (reason := problem(key)) is not None:
                    yield Refusal(loc, f"a key {reason}")
                stack.append(((*loc, key), item))
        elif isinstance(value, list):
            stack.extend(((*loc, i), item) for i, item in reversed(list(enumerate(value))))


def _bad_pairs(encoded: bytes, where: tuple[str, ...]) -> Refusal | None:
    """The first bad name or value of a form or query string (UTF-8 only)."""
    try:
        pairs = parse_qsl(encoded.decode("latin-1"), keep_blank_values=True,
                          encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return Refusal(where, "is not valid UTF-8")
    for name, value in pairs:
        if (reason := problem(name)) is not None:
            return Refusal(where, f"a name {reason}")
        if (reason := problem(value)) is not None:
            return Refusal((*where, name), reason)
    return None


def _bad_parts(body: bytes, content_type: str) -> Refusal | None:
    """The first bad name or text field of a multipart form (files are left to their
    readers)."""
    head = b"Content-Type: " + content_type.encode("latin-1", errors="replace") + b"\r\n\r\n"
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None  # not a form the application could read either
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_filename() is not None:
            continue
        if (reason := problem(name)) is not None:
            return Refusal(("body",), f"a name {reason}")
        payload = part.get_payload(decode=True)
        try:
            text = payload.decode("utf-8") if isinstance(payload, bytes) else ""
        except UnicodeDecodeError:
            return Refusal(("body", name), "is not valid UTF-8")
        if (reason := problem(text)) is not None:
            return Refusal(("body", name), reason)
    return None


def refused(path: str, raw_path: bytes | None, query: bytes,
            headers: Iterable[tuple[bytes, bytes]]) -> Refusal | None:
    """The first bad text in a request's path, query string or header values."""
    if raw_path is not None:
        try:
            path = unquote_to_bytes(raw_path).decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(("path",), "is not valid UTF-8")
    if (reason := problem(path)) is not None:
        return Refusal(("path",), reason)
    if (found := _bad_pairs(query, ("query",))) is not None:
        return found
    for name, value in headers:
        if b"\x00" in value:
            return Refusal(("header", name.decode("latin-1").lower()),
                           "holds a NUL character")
    return None
