"""Reading a posted form: its CSRF token checked first, then its fields by name.

A field that is missing or malformed is refused like any bad input
(:class:`~peerconomy.domain.refusal.InputError`, naming the field); read inside
:meth:`Form.all_mistakes`, every bad field of the form is refused at once. Numbers may be
written with a decimal comma, as German speakers do (``1,5``).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from starlette.datastructures import FormData

from peerconomy.domain.refusal import InputError, Problems
from peerconomy.http.csrf import check_csrf
from peerconomy.http.params import STORED_INT_MAX

__all__ = ["Form", "FormDep", "local_path"]

_Value = TypeVar("_Value")


class Form:
    """A posted form whose CSRF token has been checked."""

    def __init__(self, data: FormData) -> None:
        self.data = data
        self._problems: Problems | None = None

    @contextmanager
    def all_mistakes(self) -> Iterator[None]:
        """Inside: a bad field is noted and read as a stand-in (nothing, zero) so that the
        other fields are read too; on leaving, every mistake noted is refused at once (one
        :class:`~peerconomy.domain.refusal.InputError` listing them all)."""
        problems = self._problems = Problems()
        try:
            with problems.gathering():
                yield
        finally:
            self._problems = None
        problems.refuse()

    def refuse(self, name: str, reason: str) -> None:
        """Refuse field ``name`` for ``reason``; inside :meth:`all_mistakes`, note it and go
        on reading."""
        self._refused(name, reason, None)

    def _refused(self, name: str, reason: str, stand_in: _Value) -> _Value:
        """Refuse field ``name``; inside :meth:`all_mistakes`, note it and go on with
        ``stand_in``."""
        if self._problems is None:
            raise InputError(name, reason)
        self._problems.note(name, reason)
        return stand_in

    def text(self, name: str, *, default: str | None = None) -> str:
        """The field's text, trimmed; a missing field is refused unless it has a default."""
        value = self.data.get(name)
        if isinstance(value, str):
            return value.strip()
        if default is not None:
            return default
        return self._refused(name, "is missing", "")

    def block(self, name: str) -> str:
        """A multi-line field's text as written, untrimmed, so that its line numbers stay
        (missing: empty)."""
        value = self.data.get(name)
        return value if isinstance(value, str) else ""

    def upload(self, name: str, limit: int) -> str:
        """An uploaded text file's content (empty: no file chosen); refused if it is larger
        than ``limit`` bytes or not UTF-8."""
        value = self.data.get(name)
        if value is None or isinstance(value, str):
            return ""
        data = value.file.read(limit + 1)
        if len(data) > limit:
            return self._refused(name, f"is larger than {limit} bytes", "")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return self._refused(name, f"is not UTF-8 text (byte {error.start})", "")

    def texts(self, name: str) -> list[str]:
        """Every value of a field that may be given several times (checkboxes)."""
        return [v.strip() for v in self.data.getlist(name) if isinstance(v, str) and v.strip()]

    def flag(self, name: str) -> bool:
        """Whether a checkbox is ticked."""
        return self.data.get(name) not in (None, "", "0", "false", "off")

    def number(self, name: str) -> float:
        """The field as a finite number."""
        found = self.optional_number(name)
        if found is not None:
            return found
        if not self.text(name, default=""):
            return self._refused(name, "is missing", 0.0)
        return 0.0  # malformed, and noted already (inside all_mistakes)

    def optional_number(self, name: str) -> float | None:
        """The field as a finite number, None if it is left empty."""
        text = self.text(name, default="")
        if not text:
            return None
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            return self._refused(name, f"must be a number, got {text!r}", None)
        if not math.isfinite(value):
            return self._refused(name, f"must be a finite number, got {text!r}", None)
        return value

    def whole_number(self, name: str, *, default: int | None = None) -> int:
        """The field as a whole number, within what the store holds
        (:data:`~peerconomy.http.params.STORED_INT_MAX`)."""
        stand_in = default or 0
        if default is None and not isinstance(self.data.get(name), str):
            return self._refused(name, "is missing", stand_in)
        text = self.text(name, default="")
        if not text and default is not None:
            return default
        try:
            value = int(text)
        except ValueError:
            return self._refused(name, f"must be a whole number, got {text!r}", stand_in)
        if abs(value) > STORED_INT_MAX:
            return self._refused(name, f"must be at most {STORED_INT_MAX} (either way)",
                                 stand_in)
        return value


async def posted(request: Request) -> AsyncIterator[Form]:
    """The request's form, refused (403) unless it carries the session's CSRF token; its
    uploaded files are closed once the route is done."""
    data = await request.form()
    try:
        token = data.get("csrf_token")
        check_csrf(request, token if isinstance(token, str) else None)
        yield Form(data)
    finally:
        await data.close()


FormDep = Annotated[Form, Depends(posted)]


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` if it is a path on this site (never another site: no open redirects)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default
