"""The seaside flats through the API: their project and how a person signs up and gets a
token (shared by the API tests)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

__all__ = ["FLATS", "Headers", "sign_up"]

Headers = dict[str, str]

FLATS: dict[str, Any] = {
    "id": "flats",
    "tasks": [
        {"id": "stairs", "project": "flats", "fixed_hours": 4},
        {"id": "garden", "project": "flats", "fixed_hours": 2},
        {"id": "laundry", "project": "flats"},
    ],
    "goods": [
        {"id": "sea-view", "project": "flats", "model": "auction", "capacity": 1,
         "recipe": {"laundry": 1}},
        {"id": "guest-bed", "project": "flats", "model": "effort",
         "recipe": {"laundry": 0.5}},
    ],
}


def sign_up(client: TestClient, name: str) -> Headers:
    """Make an account and a token for it; the headers that sign its requests in."""
    answer = client.post(
        "/api/v1/auth/signup",
        json={"name": name, "email": f"{name}@seaside.example", "password": f"{name} by the sea"},
    )
    assert answer.status_code == 201, answer.text
    token = client.post(
        "/api/v1/auth/tokens",
        json={"login": name, "password": f"{name} by the sea", "label": "tests"},
    )
    assert token.status_code == 201, token.text
    return {"Authorization": f"Bearer {token.json()['token']}"}
