"""The sign-in limits and session lifetimes a site sets in its environment reach the
services: a site that allows two wrong passwords locks the third attempt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from seaside import sign_up

from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
from peerconomy.services.security import DEFAULT_POLICY
from peerconomy.store.memory import MemoryStore


def test_the_defaults_are_the_policys_defaults() -> None:
    assert AppSettings(signup="open", secret_key="k").security_policy() == DEFAULT_POLICY


def test_the_environment_sets_the_limits(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    for name, value in (("SESSION_DAYS", "3"), ("SESSION_IDLE_HOURS", "6"),
                        ("SIGN_IN_LIMIT", "2"), ("CLIENT_SIGN_IN_LIMIT", "9"),
                        ("SIGN_IN_LOCK_MINUTES", "30"), ("RESET_LINK_MINUTES", "20")):
        monkeypatch.setenv(f"PEERCONOMY_{name}", value)
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "seaside test key")
    policy = AppSettings.from_environment(tmp_path).security_policy()
    assert (policy.account_limit.limit, policy.client_limit.limit) == (2, 9)
    assert policy.account_limit.lockout == policy.client_limit.window == timedelta(minutes=30)
    assert policy.session_max_age == timedelta(days=3)
    assert policy.session_idle == timedelta(hours=6)
    assert policy.reset_link_age == timedelta(minutes=20)


@pytest.mark.parametrize("value", ["two", "0", "-1"])
def test_a_bad_limit_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                              value: str) -> None:
    monkeypatch.setenv("PEERCONOMY_SIGN_IN_LIMIT", value)
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "seaside test key")
    with pytest.raises(ValueError, match=r"^PEERCONOMY_SIGN_IN_LIMIT must be a .* of failures"):
        AppSettings.from_environment(tmp_path)


def test_the_environment_names_the_trusted_proxies_and_the_sign_up_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "seaside test key")
    assert AppSettings.from_environment(tmp_path).trusted_proxies == ()  # none by default
    monkeypatch.setenv("PEERCONOMY_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8 ::1")
    monkeypatch.setenv("PEERCONOMY_SIGN_UP_LIMIT", "5")
    settings = AppSettings.from_environment(tmp_path)
    assert [str(n) for n in settings.trusted_proxies] == ["127.0.0.1/32", "10.0.0.0/8",
                                                          "::1/128"]
    assert settings.security_policy().sign_up_limit.limit == 5


def test_a_bad_proxy_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "seaside test key")
    monkeypatch.setenv("PEERCONOMY_TRUSTED_PROXIES", "127.0.0.1,localhost")
    with pytest.raises(ValueError, match=r"^PEERCONOMY_TRUSTED_PROXIES must list IP addresses"
                                         r" or networks, got 'localhost'"):
        AppSettings.from_environment(tmp_path)


def test_a_site_allowing_two_failures_locks_the_third_attempt() -> None:
    settings = AppSettings(signup="open", secret_key="seaside test key", sign_in_limit=2)
    with TestClient(create_app(MemoryStore(), settings, pages=False)) as client:
        sign_up(client, "ana")
        wrong = {"login": "ana", "password": "not hers", "label": "x"}
        statuses = [client.post("/api/v1/auth/tokens", json=wrong).status_code
                    for _ in range(3)]
        right = client.post("/api/v1/auth/tokens", json={
            "login": "ana", "password": "ana by the sea", "label": "x"})
    assert statuses == [401, 401, 429]
    assert right.status_code == 429  # locked, whatever the password


@pytest.mark.parametrize(("value", "mode"), [(None, "invite-only"), ("", "invite-only"),
                                             ("open", "open"), (" Closed ", "closed"),
                                             ("invite-only", "invite-only")])
def test_sign_up_is_by_invitation_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str | None, mode: str
) -> None:
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "seaside test key")
    if value is None:
        monkeypatch.delenv("PEERCONOMY_SIGNUP", raising=False)
    else:
        monkeypatch.setenv("PEERCONOMY_SIGNUP", value)
    assert AppSettings.from_environment(tmp_path).signup == mode


def test_a_sign_up_setting_that_is_none_of_the_three_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "seaside test key")
    monkeypatch.setenv("PEERCONOMY_SIGNUP", "everyone")
    with pytest.raises(ValueError, match=r"^PEERCONOMY_SIGNUP must be one of open,"
                                         r" invite-only, closed, got 'everyone'"):
        AppSettings.from_environment(tmp_path)
