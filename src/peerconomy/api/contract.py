"""The API's published contract (``/api/v1/openapi.json``): what FastAPI derives from the
routes, with how to sign in, every error status and short operation ids.

- **Signing in**: ``bearer``, a personal API token (``Authorization: Bearer <token>``,
  from ``POST /api/v1/auth/tokens`` or the account page), or ``session``, a browser's
  session cookie (a change then needs the session's CSRF token in ``X-CSRF-Token``). Each
  operation says which it takes: both (needs a sign-in), both or none (looks at who asks),
  none (signing up, a token, a password reset, a mailed link).
- **Errors**: every operation lists the statuses it may refuse with, each answered as
  problem details (:class:`~peerconomy.http.problems.Problem`, ``application/problem+json``).
- **Operation ids**: the route function's name, or a clearer one from
  :data:`OPERATION_IDS` (a generated client names its functions so).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Final

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from peerconomy.http.csrf import SAFE_METHODS
from peerconomy.http.deps import API_PREFIX, caller, signed_in
from peerconomy.http.problems import PROBLEM_MEDIA_TYPE, Problem, title_of

__all__ = ["ERROR_STATUSES", "OPERATION_IDS", "document_contract", "operation_id"]

OPERATION_IDS: Final[dict[str, str]] = {
    "me": "get_me",
    "change_me": "update_me",
    "revoke": "revoke_token",
    "reset": "reset_password",
    "unsubscribe_page": "open_unsubscribe_link",
    "get_pool": "get_pool",
    "change_pool": "update_pool",
    "join": "join_pool",
    "join_requests": "list_join_requests",
    "decide": "decide_join_request",
    "invite": "invite_to_pool",
    "accept": "accept_invitation",
    "members": "list_members",
    "change_member": "update_member",
    "current_period": "get_current_period",
    "clear": "clear_period",
    "preview": "preview_period",
    "reopen": "reopen_period",
    "settle": "settle_period",
    "close": "close_period",
    "plan": "get_plan",
    "plans": "list_period_plans",
    "offers": "list_offers",
    "wishes": "list_wishes",
    "work_logs": "list_work",
    "confirm": "confirm_work",
    "reject": "reject_work",
    "give_notice": "give_notice_on_holding",
    "hint_board": "get_hints",
    "my_period": "get_my_period",
    "change_my_membership": "update_my_membership",
    "tasks": "list_tasks",
    "goods": "list_goods",
    "my_tokens": "list_my_tokens",
    "audit_log": "get_audit_log",
    "balances": "get_balances",
    "statement": "get_statement",
    "history": "get_history",
    "export": "export_ledger",
    "correct": "correct_transaction",
    "change_pickup_point": "update_pickup_point",
    "my_pickup": "get_my_pickup",
    "choose_pickup": "choose_my_pickup",
    "my_notices": "get_my_notices",
    "choose_notices": "choose_my_notices",
    "period_distribution": "get_distribution",
}
"""Operation ids where the route function's own name would say too little."""

ERROR_STATUSES: Final[dict[int, str]] = {
    400: "The body could not be read as JSON.",
    401: "Not signed in, the API token is unknown, expired or revoked, or a sign-in's"
         " password is wrong.",
    403: "Not allowed: the caller's role does not permit the step, a read-only token made a"
         " change, or a change on the session cookie lacks its X-CSRF-Token.",
    404: "Not found (or a private pool the caller may not see).",
    409: "A conflict with what is stored: a step the period's state does not allow, a name"
         " or id taken, an edit made from an older version, an idempotency key in use.",
    413: "The request body is larger than the site's limit.",
    422: "Bad input: errors lists every mistake found.",
    503: "The database cannot be reached just now; try again after Retry-After seconds.",
}
"""What each error status means, as the contract says it."""

_SECURITY_SCHEMES: Final = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "A personal API token: POST /api/v1/auth/tokens, or the"
                              " account page."},
}


def operation_id(route: APIRoute) -> str:
    """The operation id of a route (FastAPI's ``generate_unique_id_function``)."""
    return OPERATION_IDS.get(route.name, route.name)


def document_contract(app: FastAPI, *, session_cookie: str) -> None:
    """Have ``app.openapi()`` publish the contract: the schema FastAPI derives, with the
    sign-in schemes, the problem details and each operation's error statuses."""
    derive = app.openapi
    schemes = {**_SECURITY_SCHEMES, "session": {
        "type": "apiKey", "in": "cookie", "name": session_cookie,
        "description": "A browser's session; a change needs the session's CSRF token in"
                       " the X-CSRF-Token header."}}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = derive()
            components = schema.setdefault("components", {})
            components["securitySchemes"] = schemes
            _add_problem(components.setdefault("schemas", {}))
            for path, route, method in _api_operations(app.routes):
                _document(schema["paths"][path][method.lower()], route, path, method)
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def _add_problem(schemas: dict[str, Any]) -> None:
    found = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(found.pop("$defs", {}))
    schemas["Problem"] = found
    for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's own 422
        schemas.pop(unused, None)


def _api_operations(routes: Sequence[BaseRoute]) -> Iterator[tuple[str, APIRoute, str]]:
    """Each operation of the API: its path, its route and its method."""
    for path, route in _flat_routes(routes):
        if isinstance(route, APIRoute) and route.include_in_schema and path.startswith(
                API_PREFIX):
            for method in sorted(route.methods or ()):
                yield path, route, method


def _flat_routes(routes: Sequence[BaseRoute]) -> Iterator[tuple[str, BaseRoute]]:
    """Each route with its full path (FastAPI 0.16x keeps an included router's routes
    inside it, and says where with ``iter_route_contexts``; earlier, they are all here)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - an older FastAPI
        yield from ((getattr(route, "path_format", ""), route) for route in routes)
        return
    for context in iter_route_contexts(routes):
        yield context.path_format or "", context.original_route


def _calls(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def _document(operation: dict[str, Any], route: APIRoute, path: str, method: str) -> None:
    """An operation's sign-in schemes and error statuses."""
    calls = set(_calls(route.dependant))
    asks_who = caller in calls
    statuses = {401, 422, 503}
    if asks_who:  # a pool's reads may depend on its period's state, too (409)
        statuses |= {403, 404, 409}
        signed_in_or_not: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]
        operation["security"] = signed_in_or_not if signed_in in calls else [
            *signed_in_or_not, {}]
    else:
        operation["security"] = []
    if method not in SAFE_METHODS:
        statuses |= {403, 409}
    if "{" in path:
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413}
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in statuses:
        responses[str(status)] = {"description": ERROR_STATUSES[status], "content": {
            PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for code, response in responses.items():  # the routes' own (429)
        if code[0] in "45" and "application/json" in response.get("content", {}):
            response["content"] = {
                PROBLEM_MEDIA_TYPE: response["content"].pop("application/json")}
            response.setdefault("description", title_of(int(code)))
    operation["responses"] = dict(sorted(responses.items()))
