"""The API door maps each kind of refusal to its status, and bad input to a 422 that lists
every mistake found."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from peerconomy.domain.period import IllegalTransitionError, PeriodState
from peerconomy.domain.refusal import (
    ConflictError,
    InputError,
    NotAllowedError,
    NotFoundError,
    Problem,
    Refusal,
)
from peerconomy.domain.scenario import ScenarioError
from peerconomy.http.errors import NotSignedInError, body_is, install_error_handlers
from peerconomy.services.errors import SignInError, StaleEditError

REFUSALS: dict[str, tuple[Refusal, int]] = {
    "input": (InputError("days", "must be between 1 and 365"), 422),
    "scenario": (ScenarioError("offer.hours", "must be >= 0, got -1"), 422),
    "conflict": (ConflictError("the user name 'ana' is taken"), 409),
    "transition": (IllegalTransitionError(PeriodState.OPEN, "settle", PeriodState.CLEARED),
                   409),
    "stale": (StaleEditError("pool 'farm'", 3, 2), 409),
    "not-found": (NotFoundError("task", "knead", "farm"), 404),
    "not-allowed": (NotAllowedError("ana may not confirm her own work"), 403),
    "sign-in": (SignInError("wrong user name or password"), 401),
    "not-signed-in": (NotSignedInError(), 401),
    "other": (Refusal("no"), 400),
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/api/refused/{kind}")
    def refused(kind: str) -> None:
        raise REFUSALS[kind][0]

    @app.post("/api/wishes")
    def wish() -> None:
        with body_is("wish"):
            raise InputError("wish.quantity", "must be >= 1, got 0",
                             Problem("wish.alternatives[0].good", "is missing"),
                             Problem("period", "must be a whole number"))

    return TestClient(app)


@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_each_refusal_is_answered_with_its_status(client: TestClient, kind: str) -> None:
    error, status = REFUSALS[kind]
    answer = client.get(f"/api/refused/{kind}")
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status and body["instance"] == f"/api/refused/{kind}"
    if status == 422:
        assert isinstance(error, InputError)
        assert body["errors"] == [{"loc": ["body", *error.path.split(".")],
                                   "msg": error.reason, "type": "value_error"}]
    else:
        assert body["detail"] == str(error) and "errors" not in body
    assert (answer.headers.get("WWW-Authenticate") == "Bearer") == (status == 401)


def test_a_422_lists_every_mistake_each_under_the_body(client: TestClient) -> None:
    answer = client.post("/api/wishes")
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"loc": ["body", "quantity"], "msg": "must be >= 1, got 0", "type": "value_error"},
        {"loc": ["body", "alternatives", 0, "good"], "msg": "is missing",
         "type": "value_error"},
        {"loc": ["body", "period"], "msg": "must be a whole number", "type": "value_error"},
    ]
