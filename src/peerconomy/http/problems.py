"""The API's error answers, one shape for all: RFC 9457 *problem details*
(``application/problem+json``).

Every refusal under ``/api`` is a :class:`Problem`: ``type`` (``about:blank``: the status
says it all), ``title`` (the status's phrase), ``status``, ``detail`` (why, in a sentence)
and ``instance`` (the address asked for). Bad input (422, and 413 for a body too large)
lists each mistake in ``errors``, all at once: where (``loc``, as FastAPI names it), what is
wrong (``msg``) and its kind (``type``), never the input itself. A sign-in refused for a
while (429) adds why and for how long (:class:`peerconomy.api.schemas.TooManyFailures`).

>>> problem(404, "no pool 'harbour'").body
b'{"type":"about:blank","title":"Not Found","status":404,"detail":"no pool \\'harbour\\'"}'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, Final

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "FieldProblem",
    "Problem",
    "ProblemResponse",
    "input_problem",
    "problem",
    "title_of",
]

PROBLEM_MEDIA_TYPE: Final = "application/problem+json"


RFC_9110_TITLES: Final = {413: "Content Too Large", 422: "Unprocessable Content"}
"""The statuses' names as HTTP (RFC 9110) has them, where Python before 3.13 has older ones."""


def title_of(status: int) -> str:
    """The phrase of ``status``, e.g. ``Not Found``."""
    return RFC_9110_TITLES.get(status) or HTTPStatus(status).phrase


class FieldProblem(BaseModel):
    """One mistake in the input: where it is, what is wrong, and its kind."""

    loc: list[str | int] = Field(
        description="Where: the part of the request (body, query, path, header) and the"
                    " field's path in it.")
    msg: str = Field(description="What is wrong, in a sentence.")
    type: str = Field(description="The kind of mistake (value_error, missing, too_large,"
                                  " bad_text, ...).")


class Problem(BaseModel):
    """An error answer (RFC 9457)."""

    type: str = Field("about:blank", description="What kind of problem; about:blank: the"
                                                 " status says it.")
    title: str = Field(description="The status's phrase, e.g. Not Found.")
    status: int = Field(description="The HTTP status of the answer.")
    detail: str = Field(description="Why, in a sentence.")
    instance: str | None = Field(None, description="The address that was asked for.")
    errors: list[FieldProblem] | None = Field(
        None, description="Bad input (422, 413): every mistake found, all at once.")


class ProblemResponse(JSONResponse):
    """A JSON answer of the type ``application/problem+json``."""

    media_type = PROBLEM_MEDIA_TYPE


def problem(status: int, detail: str, *, errors: Sequence[Mapping[str, Any]] | None = None,
            instance: str | None = None, headers: Mapping[str, str] | None = None,
            **extensions: Any) -> ProblemResponse:
    """The answer to a refusal with ``status`` (``extensions``: further members, such as
    a 429's ``retry_after``)."""
    body: dict[str, Any] = {"type": "about:blank", "title": title_of(status),
                            "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = list(errors)
    body.update(extensions)
    return ProblemResponse(body, status, headers=dict(headers) if headers else None)


def input_problem(status: int, errors: Sequence[Mapping[str, Any]], *,
                  instance: str | None = None,
                  headers: Mapping[str, str] | None = None) -> ProblemResponse:
    """Bad input: ``detail`` names the mistakes in a line, ``errors`` lists each."""
    detail = "; ".join(
        f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
        for error in errors
    ) or "bad input"
    return problem(status, detail, errors=errors, instance=instance, headers=headers)
