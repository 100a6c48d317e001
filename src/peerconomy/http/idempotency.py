"""``Idempotency-Key`` on the API's POSTs: a client that did not get the answer to a POST
(its connection broke) sends it again with the same key and gets the first answer again,
marked ``Idempotent-Replayed: true``, instead of the step being done twice.

The key (1 to 255 visible ASCII characters, a random UUID say) belongs to the signed-in
caller and is kept a day (:mod:`peerconomy.services.idempotency`). Reused for another
request it answers 422; sent again while the first request is still being handled (or was
cut off after its step), 409. A request that was refused did nothing, so its key may be
used again; one that failed otherwise may have done its step, so its key stays reserved.
Anonymous requests, and those whose answer holds a secret shown only once (an
API token, an invitation code: no such answer is kept in the database), take no key: it is
ignored there, and the API's schema declares it only where it counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any, Final

import anyio
import anyio.to_thread
from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from peerconomy.domain.refusal import Refusal
from peerconomy.http.deps import caller
from peerconomy.http.problems import input_problem, problem
from peerconomy.http.state import Store, time_of
from peerconomy.services import idempotency

__all__ = ["HEADER", "REPLAYED", "IdempotentRoute"]

HEADER: Final = "Idempotency-Key"
REPLAYED: Final = "Idempotent-Replayed"
MAX_KEY: Final = 255
UNKEPT: Final = ("/auth/signup", "/auth/tokens", "/auth/password-reset",
                 "/auth/password-reset/{code}", "/me/tokens", "/invitations")
"""The ends of the POST routes that take no key: anonymous ones, and those whose answer
holds a secret shown once."""
PARAMETER: Final = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY},
    "description": "A key of your choice (1 to 255 visible ASCII characters, e.g. a UUID):"
    " a retry of this request with the same key within a day gets the first answer again"
    f" (with `{REPLAYED}: true`) instead of being done twice. Reused for another request:"
    " 422; while the first is still being handled: 409.",
}

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
REFUSALS: Final = (Refusal, HTTPException, RequestValidationError)
"""What a route raises when it refuses a request, having changed nothing."""


class IdempotentRoute(APIRoute):
    """An API route whose POSTs take an ``Idempotency-Key``."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # set before the route is made: making it asks for the handler
        self.kept = "POST" in (kwargs.get("methods") or ()) and not path.endswith(UNKEPT)
        if self.kept:
            extra = dict(kwargs.get("openapi_extra") or {})
            extra["parameters"] = [*extra.get("parameters", []), PARAMETER]
            kwargs["openapi_extra"] = extra
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()
        if not self.kept:
            return handle

        async def handler(request: Request) -> Response:
            key = request.headers.get(HEADER)
            if key is None:
                return await handle(request)
            if not (1 <= len(key) <= MAX_KEY and key.isascii() and key.isprintable()
                    and key.strip() == key):
                return _refused(f"must be 1 to {MAX_KEY} visible ASCII characters",
                                request.url.path)
            owner = await anyio.to_thread.run_sync(_owner, request)
            if owner is None:  # nobody signed in: the route refuses it, or takes no key
                return await handle(request)
            return await _once(handle, request, owner, key)

        return handler


async def _once(handle: Handler, request: Request, owner: str, key: str) -> Response:
    """Run the request unless its key has an answer; keep the answer it gets."""
    store: Store = request.app.state.store
    digest = hashlib.sha256()
    for part in (request.method, request.url.path, request.url.query):
        digest.update(part.encode() + b"\0")
    digest.update(await request.body())
    try:
        found = await anyio.to_thread.run_sync(
            idempotency.reserve, store.unit_of_work(), owner, key, digest.hexdigest(),
            time_of(request))
    except idempotency.Reused as error:
        return _refused(str(error).removeprefix(f"{HEADER} "), request.url.path)
    if found is not None:
        if found.status is None:
            return problem(
                409, f"a request with this {HEADER} is still being handled, or was cut off"
                " after its step; look at what is stored before making it again with a new"
                " key", instance=request.url.path)
        return Response(found.body, found.status, media_type=found.media_type,
                        headers={REPLAYED: "true"})
    release = partial(idempotency.release, store.unit_of_work(), owner, key)
    try:
        response = await handle(request)
    except REFUSALS:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(release)  # refused: nothing was done
        raise
    # anything else (a bug, the client gone while the step ran on) keeps the key reserved:
    # the step may have been done, so it is never run again under this key
    with anyio.CancelScope(shield=True):
        if 200 <= response.status_code < 300:
            await anyio.to_thread.run_sync(
                idempotency.complete, store.unit_of_work(), owner, key, response.status_code,
                bytes(response.body), response.media_type)
        else:
            await anyio.to_thread.run_sync(release)
    return response


def _owner(request: Request) -> str | None:
    """The signed-in caller, or None (a bad token or a missing CSRF token: the route's own
    dependencies refuse the request then)."""
    store: Store = request.app.state.store
    try:
        return caller(request, store.unit_of_work()).user
    except Refusal:
        return None


def _refused(reason: str, path: str) -> Response:
    """422, as the API answers any bad input: the header named, and why."""
    return input_problem(422, [{"loc": ["header", HEADER], "msg": reason,
                                "type": "value_error"}], instance=path)
