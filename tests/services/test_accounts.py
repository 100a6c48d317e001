"""Accounts and pool membership on the in-memory store: the seaside flats, where ana founds
the pool, ben is invited and cleo asks to join."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from peerconomy.domain.account import JoinRequest
from peerconomy.domain.pool import Member
from peerconomy.domain.refusal import InputError
from peerconomy.services import accounts, membership, pools, users
from peerconomy.services.errors import ConflictError, NotAllowedError, NotFoundError, SignInError
from peerconomy.services.membership import Level
from peerconomy.services.notices import Link, Notice
from peerconomy.store.memory import MemoryStore

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def seaside() -> MemoryStore:
    """Ana (the site's admin, made so by the operator), ben and cleo; ben's private pool."""
    store = MemoryStore()
    for name in ("ana", "ben", "cleo"):
        accounts.sign_up(store.unit_of_work(), name, f"{name.upper()}@Seaside.example",
                         f"{name} by the sea", now=NOW, mode="open")
    users.set_admin(store.unit_of_work(), "ana", True)
    membership.found_pool(store.unit_of_work(), "seaside", "ben")
    return store


def test_signing_up_first_makes_nobody_the_admin_and_emails_are_kept_lower_case() -> None:
    store = MemoryStore()
    first = accounts.sign_up(store.unit_of_work(), "ana", "ANA@Seaside.example", "ana by the sea",
                             mode="open")
    assert not first.site_admin


def test_the_admin_is_made_by_the_operator_and_emails_are_kept_lower_case(
    seaside: MemoryStore,
) -> None:
    with seaside.unit_of_work() as uow:
        ana, ben = uow.accounts.user("ana"), uow.accounts.user("ben")
    assert ana is not None and ana.site_admin
    assert ben is not None and not ben.site_admin
    assert ben.email == "ben@seaside.example"
    assert ben.password_hash.startswith("$argon2id$")
    assert "ben by the sea" not in ben.password_hash


def test_sign_in_by_name_or_email_and_a_wrong_password_tells_nothing(
    seaside: MemoryStore,
) -> None:
    assert accounts.authenticate(seaside.unit_of_work(), "ben", "ben by the sea").name == "ben"
    assert accounts.authenticate(
        seaside.unit_of_work(), " BEN@seaside.example ", "ben by the sea").name == "ben"
    with pytest.raises(SignInError) as wrong:
        accounts.authenticate(seaside.unit_of_work(), "ben", "ben by the lake")
    with pytest.raises(SignInError) as unknown:
        accounts.authenticate(seaside.unit_of_work(), "zoe", "ben by the sea")
    assert str(wrong.value) == str(unknown.value)


@pytest.mark.parametrize(
    ("name", "email", "password", "field"),
    [
        ("Ben", "b@x.example", "long enough", "name"),
        ("b", "b@x.example", "long enough", "name"),
        ("dora", "not an email", "long enough", "email"),
        ("dora", "d@x.example", "short", "password"),
    ],
)
def test_sign_up_names_the_bad_field_and_stores_nothing(
    seaside: MemoryStore, name: str, email: str, password: str, field: str
) -> None:
    with pytest.raises(InputError) as refused:
        accounts.sign_up(seaside.unit_of_work(), name, email, password, mode="open")
    assert refused.value.path == field
    with seaside.unit_of_work() as uow:
        assert uow.accounts.user_count() == 3


def _outbox(store: MemoryStore) -> list[Notice]:
    with store.unit_of_work() as uow:
        return [Notice.from_json(m.notice) for m in uow.mail.outbox()]


def test_a_user_name_is_taken_once(seaside: MemoryStore) -> None:
    with pytest.raises(ConflictError, match="taken"):
        accounts.sign_up(seaside.unit_of_work(), "ben", "other@x.example", "long enough",
                         mode="open")


def test_a_known_email_is_answered_as_a_new_one_and_its_owner_is_told(
    seaside: MemoryStore,
) -> None:
    # Before, this was refused with a ConflictError naming the email: who has an account
    # could be found out by signing up.
    before = len(_outbox(seaside))
    known = accounts.sign_up(seaside.unit_of_work(), "dora", " Ben@Seaside.example",
                             "long enough", display_name="Dora", mode="open", now=NOW)
    fresh = accounts.sign_up(seaside.unit_of_work(), "emil", "emil@seaside.example",
                             "long enough", display_name="Dora", mode="open", now=NOW)
    shape = ("name", "email", "display_name", "site_admin", "locale", "email_verified_at")
    assert [getattr(known, f) for f in shape] == [
        "dora", "ben@seaside.example", "Dora", False, None, None]
    assert [getattr(fresh, f) for f in shape[2:]] == [getattr(known, f) for f in shape[2:]]
    with seaside.unit_of_work() as uow:
        assert uow.accounts.user("dora") is None  # nothing made for the known email
        ben = uow.accounts.user("ben")
    assert ben is not None and ben.password_hash != known.password_hash  # ben's is untouched
    told, verify = _outbox(seaside)[before:]
    assert (told.to, told.written()[0]) == (
        "ben@seaside.example", "Someone tried to sign up with your email address")
    assert "Your user name is ben" in told.written()[1]
    assert (verify.to, verify.written()[0]) == ("emil@seaside.example",
                                                "Confirm your email address")


def test_a_new_account_is_mailed_a_link_to_verify_its_email(seaside: MemoryStore) -> None:
    with seaside.unit_of_work() as uow:
        ben = uow.accounts.user("ben")
    assert ben is not None and ben.email_verified_at is None
    mailed = [n for n in _outbox(seaside) if n.to == "ben@seaside.example"]
    (link,) = [part for line in mailed[0].body for part in line if isinstance(part, Link)]
    assert (link.path, link.purpose, link.payload) == (
        "/verify", "verify-email", ("ben", "ben@seaside.example"))


@pytest.mark.parametrize("mode", ["closed", "invite-only"])
def test_signing_up_without_an_invitation_is_refused_where_the_site_says_so(
    seaside: MemoryStore, mode: accounts.SignUpMode
) -> None:
    with pytest.raises(NotAllowedError):
        accounts.sign_up(seaside.unit_of_work(), "dora", "dora@x.example", "long enough",
                         mode=mode)
    with seaside.unit_of_work() as uow:
        assert uow.accounts.user_count() == 3


def test_invite_only_sign_up_needs_a_valid_unused_unexpired_invitation(
    seaside: MemoryStore,
) -> None:
    _, code = membership.invite(seaside.unit_of_work(), "seaside", "ben", now=NOW)
    _, used = membership.invite(seaside.unit_of_work(), "seaside", "ben", now=NOW)
    membership.accept_invitation(seaside.unit_of_work(), used, "ana", now=NOW)
    later = NOW + timedelta(days=membership.INVITATION_DAYS, seconds=1)
    forged = code[:-1] + ("x" if code[-1] != "x" else "y")
    for bad, when in [(forged, NOW), ("nothing", NOW), (used, NOW), (code, later)]:
        with pytest.raises(InputError) as refused:
            accounts.sign_up(seaside.unit_of_work(), "dora", "dora@x.example", "long enough",
                             invitation=bad, now=when)
        assert refused.value.path == "invitation"
    dora = accounts.sign_up(seaside.unit_of_work(), "dora", "dora@x.example", "long enough",
                            invitation=code, now=NOW)
    assert dora.name == "dora"
    membership.accept_invitation(seaside.unit_of_work(), code, "dora", now=NOW)  # still open


def test_a_password_is_changed_only_with_the_old_one(seaside: MemoryStore) -> None:
    with pytest.raises(SignInError):
        accounts.change_password(seaside.unit_of_work(), "ben", "guess", "a new password")
    accounts.change_password(seaside.unit_of_work(), "ben", "ben by the sea", "a new password")
    assert accounts.authenticate(seaside.unit_of_work(), "ben", "a new password").name == "ben"


def test_an_api_token_is_kept_hashed_and_stops_working_when_revoked(
    seaside: MemoryStore,
) -> None:
    record, token = accounts.issue_token(seaside.unit_of_work(), "ben", "laptop", now=NOW)
    assert token.startswith("pct_" + record.id + "_")
    assert token.split("_", 2)[2] not in record.secret_hash
    assert accounts.token_user(seaside.unit_of_work(), token, now=NOW).name == "ben"
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(SignInError):
        accounts.token_user(seaside.unit_of_work(), forged, now=NOW)
    with pytest.raises(NotFoundError):  # another user's token is not theirs to revoke
        accounts.revoke_token(seaside.unit_of_work(), "cleo", record.id)
    accounts.revoke_token(seaside.unit_of_work(), "ben", record.id, now=NOW)
    with pytest.raises(SignInError):
        accounts.token_user(seaside.unit_of_work(), token, now=NOW)


def test_an_api_token_works_until_it_expires_and_a_read_token_changes_nothing(
    seaside: MemoryStore,
) -> None:
    record, token = accounts.issue_token(seaside.unit_of_work(), "ben", "cron", scope="read",
                                         days=30, now=NOW)
    assert (record.scope, record.expires_at) == ("read", NOW + timedelta(days=30))
    assert accounts.check_token(seaside.unit_of_work(), token, now=NOW).user == "ben"
    with pytest.raises(NotAllowedError, match="may only read"):
        accounts.check_token(seaside.unit_of_work(), token, changing=True, now=NOW)
    with pytest.raises(SignInError, match="expired"):
        accounts.check_token(seaside.unit_of_work(), token, now=NOW + timedelta(days=30))
    default, _ = accounts.issue_token(seaside.unit_of_work(), "ben", "laptop", now=NOW)
    assert (default.scope, default.expires_at) == ("write", NOW + timedelta(days=90))


@pytest.mark.parametrize(("field", "choice"), [
    ("scope", {"scope": "admin"}), ("days", {"days": 0}), ("days", {"days": 366}),
])
def test_a_token_s_scope_and_lifetime_are_bounded(
    seaside: MemoryStore, field: str, choice: dict[str, Any]
) -> None:
    with pytest.raises(InputError, match=field):
        accounts.issue_token(seaside.unit_of_work(), "ben", "cron", now=NOW, **choice)
    with seaside.unit_of_work() as uow:
        assert uow.accounts.tokens("ben") == []


def test_the_founder_coordinates_and_outsiders_do_not_see_a_private_pool(
    seaside: MemoryStore,
) -> None:
    assert membership.access(seaside.unit_of_work(), "seaside", "ben").level is Level.COORDINATOR
    cleo = membership.access(seaside.unit_of_work(), "seaside", "cleo")
    assert cleo.level is Level.NONE
    with pytest.raises(NotFoundError, match="no pool 'seaside'"):
        cleo.require(Level.VIEWER, "see this pool")
    assert membership.visible_pools(seaside.unit_of_work(), "cleo") == []
    # the site admin sees and manages every pool
    admin = membership.access(seaside.unit_of_work(), "seaside", "ana")
    assert admin.level is Level.COORDINATOR and admin.member is None


def test_a_private_pool_is_not_found_by_whoever_asks_to_join_it(seaside: MemoryStore) -> None:
    with pytest.raises(NotFoundError, match="no pool 'seaside'"):
        membership.join_pool(seaside.unit_of_work(), "seaside", "cleo", now=NOW)
    with seaside.unit_of_work() as uow:
        assert uow.accounts.join_request("seaside", "cleo") is None


def test_a_request_to_join_waits_for_a_coordinator(seaside: MemoryStore) -> None:
    pools.update_settings(seaside.unit_of_work(), "seaside", public=True)
    request = membership.join_pool(seaside.unit_of_work(), "seaside", "cleo", now=NOW)
    assert isinstance(request, JoinRequest) and request.status == "pending"
    with pytest.raises(ConflictError, match="already"):
        membership.join_pool(seaside.unit_of_work(), "seaside", "cleo", now=NOW)
    assert membership.access(seaside.unit_of_work(), "seaside", "cleo").level is Level.VIEWER
    decided = membership.decide_request(seaside.unit_of_work(), "seaside", "cleo", "ben",
                                        approve=True, now=NOW)
    assert (decided.status, decided.decided_by) == ("approved", "ben")
    assert membership.access(seaside.unit_of_work(), "seaside", "cleo").level is Level.MEMBER


def test_an_invitation_is_used_once_and_not_after_it_expires(seaside: MemoryStore) -> None:
    invitation, code = membership.invite(seaside.unit_of_work(), "seaside", "ben",
                                         "coordinator", days=1, now=NOW)
    assert code.split(".")[1] not in invitation.secret_hash
    with pytest.raises(NotFoundError):
        membership.accept_invitation(seaside.unit_of_work(), code + "x", "cleo", now=NOW)
    late = NOW + timedelta(days=2)
    with pytest.raises(ConflictError, match="expired"):
        membership.accept_invitation(seaside.unit_of_work(), code, "cleo", now=late)
    member = membership.accept_invitation(seaside.unit_of_work(), code, "cleo", now=NOW)
    assert member.role == "coordinator"
    with pytest.raises(ConflictError, match="used"):
        membership.accept_invitation(seaside.unit_of_work(), code, "ana", now=NOW)


def test_a_member_is_refused_a_coordinators_step(seaside: MemoryStore) -> None:
    membership.found_pool(seaside.unit_of_work(), "harbour", "ben", admission="open",
                          public=True)
    joined = membership.join_pool(seaside.unit_of_work(), "harbour", "cleo")
    assert isinstance(joined, Member) and joined.role == "member"
    cleo = membership.access(seaside.unit_of_work(), "harbour", "cleo")
    with pytest.raises(NotAllowedError, match="only a coordinator of pool 'harbour'"):
        cleo.require(Level.COORDINATOR, "clear a period")
    assert [(p.name, role) for p, role in membership.visible_pools(
        seaside.unit_of_work(), "cleo")] == [("harbour", "member")]
