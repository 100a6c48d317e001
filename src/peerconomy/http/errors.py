"""Refusals as HTTP answers: problem details (:mod:`peerconomy.http.problems`) under ``/api``,
a page elsewhere (to htmx, the piece of a page with the reason that
:func:`peerconomy.web.render_refusal` makes).

Any :class:`~peerconomy.domain.refusal.Refusal` is answered by its kind: 422 for bad input
(``errors`` lists each field's path and what is wrong with it, every mistake found, as FastAPI
does for its own validation, but never the input itself), 404 for a path parameter that
cannot name anything (a number beyond what the store holds), 401 without a valid sign-in,
403 for a step the caller may not take, 404 for something that does not exist (or a private
pool the caller may not see), 409 for an illegal period transition, a name already taken or
a stale update. Off the API, the HTTP errors of the framework itself (an address that is no
page, a method a page does not take, a form the parser refuses) are pages too, never JSON.
An error nobody handles is answered by :mod:`peerconomy.http.hardening`: a plain 500, no
stack trace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from peerconomy.domain.refusal import InputError, Problem, Refusal
from peerconomy.http.problems import input_problem, problem
from peerconomy.http.sessions import checked_session
from peerconomy.services.errors import (
    ConflictError,
    NotAllowedError,
    NotFoundError,
    SignInError,
)

__all__ = [
    "HtmlRenderer",
    "NotSignedInError",
    "body_is",
    "field_location",
    "install_error_handlers",
    "validation_problem",
]

HtmlRenderer = Callable[[Request, int, str], Response]
"""Answers a refusal off the API as a page: the request, the status and the reason."""


class NotSignedInError(NotAllowedError):
    """The route needs a signed-in caller (a session or an API token) and has none."""

    def __init__(self, message: str = "sign in first (a session or an API token)") -> None:
        super().__init__(message)


@contextmanager
def body_is(name: str) -> Iterator[None]:
    """Inside: a service's refusal naming field ``name.x`` names the request body's ``x``
    (``make_wish`` says ``wish.alternatives[0]``; the API's body is the wish)."""
    def moved(problem: Problem) -> Problem:
        if problem.path.startswith(name + "."):
            return Problem(problem.path[len(name) + 1 :], problem.reason)
        return problem

    try:
        yield
    except InputError as error:
        raise error.relocated(moved) from None


_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_location(path: str) -> list[str | int]:
    """``alternatives[0].good`` as ``["alternatives", 0, "good"]``."""
    return [int(index) if index else name for name, index in _PART.findall(path)]


def validation_problem(problem: Mapping[str, Any]) -> dict[str, Any]:
    """One problem of FastAPI's 422 as the API shows it: where, what and its kind, never the
    input itself (which may be anything the caller sent)."""
    return {"loc": [part if isinstance(part, int) else str(part)
                    for part in problem.get("loc", ())],
            "msg": str(problem.get("msg", "bad input")),
            "type": str(problem.get("type", "value_error"))}


def _status(error: Exception) -> int:
    """The HTTP status of a refusal, by its kind."""
    if isinstance(error, InputError):
        return 422
    if isinstance(error, NotSignedInError | SignInError):
        return 401
    if isinstance(error, NotAllowedError):
        return 403
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ConflictError):
        return 409
    return 400  # a refusal of no kind above


async def _check_session(request: Request) -> None:
    """Check the request's session before a refusal's page is rendered, if no dependency
    did (an address that is no page): the page shows who is signed in, and the cookie
    carries only the session's id."""
    if not request.url.path.startswith("/api/"):
        await checked_session(request)


def install_error_handlers(app: FastAPI, html: HtmlRenderer | None = None) -> None:
    """Answer each refusal with its status: JSON for the API, ``html`` for the pages."""

    def handler(request: Request, error: Exception) -> Response:
        status = _status(error)
        if html is not None and not request.url.path.startswith("/api/"):
            return html(request, status, str(error))
        where = request.url.path
        if isinstance(error, InputError):
            return input_problem(status, [{"loc": ["body", *field_location(p.path)],
                                           "msg": p.reason, "type": "value_error"}
                                          for p in error.problems],
                                 instance=where)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return problem(status, str(error), instance=where, headers=headers)

    async def async_handler(request: Request, error: Exception) -> Response:
        if html is not None:
            await _check_session(request)
        return handler(request, error)

    app.add_exception_handler(Refusal, async_handler)

    async def validation(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        problems = error.errors()
        api = html is None or request.url.path.startswith("/api/")
        if html is not None and not api:
            await _check_session(request)
        if any(tuple(p.get("loc", ()))[:1] == ("path",) for p in problems):
            # a path that names nothing the store could hold (a number out of range)
            if not api and html is not None:
                return html(request, 404, "Not Found")
            return problem(404, "Not Found", instance=request.url.path)
        if not api and html is not None:
            first = problems[0] if problems else {"msg": "bad input"}
            where = ".".join(str(p) for p in first.get("loc", ())[1:])
            return html(request, 422, f"{where}: {first['msg']}" if where else first["msg"])
        return input_problem(422, [validation_problem(p) for p in problems],
                             instance=request.url.path)

    app.add_exception_handler(RequestValidationError, validation)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if error.status_code < 400:
            return await http_exception_handler(request, error)
        if html is None or request.url.path.startswith("/api/"):
            return problem(error.status_code, str(error.detail), instance=request.url.path,
                           headers=error.headers)
        await _check_session(request)
        answer = html(request, error.status_code, str(error.detail))
        answer.headers.update(error.headers or {})
        return answer

    app.add_exception_handler(HTTPException, http_error)
