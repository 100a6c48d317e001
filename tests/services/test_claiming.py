"""Members are claimed, never matched by name: the seaside flats imported with ana as their
coordinator, before anyone has an account.

A stranger who signs up as ``ana`` is nobody in the pool; the real ana claims her place by
the invitation made for her member, under whatever user name she likes; a coordinator may
link an account that signed up before it was invited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from peerconomy.domain.pool import Member
from peerconomy.domain.scenario import parse_scenario
from peerconomy.services import accounts, membership, password_reset, pools, users
from peerconomy.services.errors import ConflictError, NotFoundError, SignInError
from peerconomy.services.membership import Level
from peerconomy.services.notices import Notice
from peerconomy.store.memory import MemoryStore

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
FLATS = {
    "format": "peerconomy-scenario/1",
    "participants": [{"id": "ana", "capacity": 10}, {"id": "ben"}, {"id": "cleo"}],
    "projects": [{"id": "flats"}],
    "tasks": [{"id": "stairs", "project": "flats"}],
    "goods": [{"id": "sea-view", "project": "flats", "model": "auction", "capacity": 1,
               "recipe": {"stairs": 1}}],
}


@pytest.fixture
def seaside() -> MemoryStore:
    """The seaside flats imported by the operator: ana coordinates; nobody has claimed a
    member yet."""
    store = MemoryStore()
    pools.import_scenario(store.unit_of_work(), "seaside", parse_scenario(FLATS),
                          coordinators=["ana"])
    return store


def sign_up(store: MemoryStore, name: str) -> None:
    accounts.sign_up(store.unit_of_work(), name, f"{name}@example.org", f"{name} by the sea",
                     now=NOW, mode="open")


def member(store: MemoryStore, participant: str) -> Member:
    with store.unit_of_work() as uow:
        found = uow.pools.member("seaside", participant)
    assert found is not None
    return found


def test_signing_up_with_a_members_name_makes_nobody_that_member(seaside: MemoryStore) -> None:
    sign_up(seaside, "ana")
    stranger = membership.access(seaside.unit_of_work(), "seaside", "ana")
    assert (stranger.level, stranger.member) == (Level.NONE, None)
    assert membership.visible_pools(seaside.unit_of_work(), "ana") == []
    assert member(seaside, "ana").account is None


def test_the_invitation_for_a_member_lets_its_person_claim_it_under_any_name(
    seaside: MemoryStore,
) -> None:
    invitation, code = membership.invite(seaside.unit_of_work(), "seaside", None,
                                         member="ana", now=NOW)
    assert (invitation.member, invitation.role) == ("ana", "coordinator")
    sign_up(seaside, "ana.k")
    claimed = membership.accept_invitation(seaside.unit_of_work(), code, "ana.k", now=NOW)
    assert (claimed.id, claimed.account, claimed.role, claimed.capacity) == (
        "ana", "ana.k", "coordinator", 10.0)
    standing = membership.access(seaside.unit_of_work(), "seaside", "ana.k")
    assert standing.level is Level.COORDINATOR and standing.member == claimed
    # once used, the link lets nobody else in, and the member cannot be invited again
    sign_up(seaside, "ana")
    with pytest.raises(ConflictError, match="used"):
        membership.accept_invitation(seaside.unit_of_work(), code, "ana", now=NOW)
    with pytest.raises(ConflictError, match="claimed already"):
        membership.invite(seaside.unit_of_work(), "seaside", "ana.k", member="ana", now=NOW)
    assert membership.access(seaside.unit_of_work(), "seaside", "ana").level is Level.NONE


def test_an_invitation_for_a_member_claimed_meanwhile_is_refused(seaside: MemoryStore) -> None:
    first = membership.invite(seaside.unit_of_work(), "seaside", None, member="ben", now=NOW)
    second = membership.invite(seaside.unit_of_work(), "seaside", None, member="ben", now=NOW)
    for name in ("ben", "bert"):
        sign_up(seaside, name)
    membership.accept_invitation(seaside.unit_of_work(), first[1], "ben", now=NOW)
    with pytest.raises(ConflictError, match="claimed already"):
        membership.accept_invitation(seaside.unit_of_work(), second[1], "bert", now=NOW)
    assert member(seaside, "ben").account == "ben"
    assert membership.access(seaside.unit_of_work(), "seaside", "bert").member is None


def test_joining_an_open_pool_makes_a_new_member_and_never_takes_one_over(
    seaside: MemoryStore,
) -> None:
    pools.update_settings(seaside.unit_of_work(), "seaside", admission="open", public=True)
    sign_up(seaside, "cleo")
    joined = membership.join_pool(seaside.unit_of_work(), "seaside", "cleo", now=NOW)
    assert isinstance(joined, Member)
    assert (joined.id, joined.account, joined.role) == ("cleo-2", "cleo", "member")
    assert member(seaside, "cleo").account is None  # the imported cleo is untouched
    with seaside.unit_of_work() as uow:
        assert [m.id for m in uow.pools.members("seaside")] == ["ana", "ben", "cleo", "cleo-2"]


def test_a_coordinator_links_an_account_to_an_unclaimed_member(seaside: MemoryStore) -> None:
    for name in ("dora", "ben"):
        sign_up(seaside, name)
    linked = membership.link_member(seaside.unit_of_work(), "seaside", "ben", "dora",
                                    version=1, actor="ana")
    assert (linked.account, linked.version) == ("dora", 2)
    assert membership.access(seaside.unit_of_work(), "seaside", "dora").member == linked
    with pytest.raises(ConflictError, match="claimed already"):
        membership.link_member(seaside.unit_of_work(), "seaside", "ben", "ben")
    with pytest.raises(ConflictError, match="is member 'ben'"):
        membership.link_member(seaside.unit_of_work(), "seaside", "cleo", "dora")
    with pytest.raises(NotFoundError, match="no user 'zoe'"):
        membership.link_member(seaside.unit_of_work(), "seaside", "cleo", "zoe")
    unlinked = membership.unlink_member(seaside.unit_of_work(), "seaside", "ben", actor="ana")
    assert unlinked.account is None
    assert membership.access(seaside.unit_of_work(), "seaside", "dora").level is Level.NONE
    with seaside.unit_of_work() as uow:
        actions = [(e.action, e.subject, e.detail) for e in uow.audit.entries("seaside")]
    assert ("member.link", "ben", {"account": "dora"}) in actions
    assert ("member.unlink", "ben", {"account": "dora"}) in actions


def test_invitations_for_every_unclaimed_member_at_once(seaside: MemoryStore) -> None:
    sign_up(seaside, "ben")
    membership.link_member(seaside.unit_of_work(), "seaside", "ben", "ben")
    made = membership.invite_members(seaside.unit_of_work(), "seaside", now=NOW, days=30)
    assert [(m.id, i.member, i.role) for m, i, _ in made] == [
        ("ana", "ana", "coordinator"), ("cleo", "cleo", "member")]
    assert all(i.expires_at == NOW + timedelta(days=30) for _, i, _ in made)
    with pytest.raises(ConflictError, match="claimed already"):
        membership.invite_members(seaside.unit_of_work(), "seaside", ["cleo", "ben"])
    with seaside.unit_of_work() as uow:
        assert len(uow.accounts.invitations("seaside")) == 2  # the refused batch stored none


def test_an_invitation_for_a_member_is_mailed_where_the_pool_has_their_email(
    seaside: MemoryStore,
) -> None:
    dora = Member("dora", display_name="Dora", email="dora@example.org")
    pools.add_member(seaside.unit_of_work(), "seaside", dora, actor="ana")
    _, code = membership.invite(seaside.unit_of_work(), "seaside", "ana", member="dora",
                                now=NOW)
    membership.invite(seaside.unit_of_work(), "seaside", "ana", now=NOW)  # for a new member
    membership.invite(seaside.unit_of_work(), "seaside", "ana", member="ben", now=NOW)
    made = membership.invite_members(seaside.unit_of_work(), "seaside", ["dora", "cleo"],
                                     by="ana", now=NOW, days=7)
    with seaside.unit_of_work() as uow:  # queued with each step, for dora alone
        queued = [(m.recipient, Notice.from_json(m.notice)) for m in uow.mail.outbox()]
    assert [(to, n.subject.written()) for to, n in queued] == [
        ("dora@example.org", "[seaside] You are invited to pool seaside")] * 2
    first, second = (n.written()[1] for _, n in queued)
    assert f"/invitations/{code}" in first and "within 14 days" in first
    assert f"/invitations/{made[0][2]}" in second and "within 7 days" in second


def test_the_sites_admin_is_made_by_the_operator_with_a_link_that_sets_the_password() -> None:
    store = MemoryStore()
    link = users.create_user(store.unit_of_work(), "root", "root@example.org", admin=True,
                             now=NOW)
    assert link.user.site_admin
    assert link.url("https://pool.example/") == f"https://pool.example/reset/{link.code}"
    with pytest.raises(SignInError):  # nobody knows a password before the link is used
        accounts.authenticate(store.unit_of_work(), "root", "anything at all", now=NOW)
    password_reset.reset_password(store.unit_of_work(), link.code, "root's own password",
                                  now=NOW)
    signed_in = accounts.authenticate(store.unit_of_work(), "root", "root's own password",
                                      now=NOW)
    assert signed_in.site_admin
    assert [u.name for u in users.list_users(store.unit_of_work())] == ["root"]
    assert not users.set_admin(store.unit_of_work(), "root", False).site_admin


def test_a_disabled_account_is_nobody_and_its_tokens_stop_working(
    seaside: MemoryStore,
) -> None:
    sign_up(seaside, "ben")
    membership.link_member(seaside.unit_of_work(), "seaside", "ben", "ben")
    _, token = accounts.issue_token(seaside.unit_of_work(), "ben", "scripts")
    users.disable_user(seaside.unit_of_work(), "ben", now=NOW)
    assert membership.access(seaside.unit_of_work(), "seaside", "ben").level is Level.NONE
    with pytest.raises(SignInError):
        accounts.token_user(seaside.unit_of_work(), token)
    with pytest.raises(SignInError):
        accounts.authenticate(seaside.unit_of_work(), "ben", "ben by the sea", now=NOW)
    with pytest.raises(ConflictError, match="disabled"):
        users.password_link(seaside.unit_of_work(), "ben")
    assert member(seaside, "ben").account == "ben"  # the books and the claim stay
    link = users.enable_user(seaside.unit_of_work(), "ben", now=NOW)
    password_reset.reset_password(seaside.unit_of_work(), link.code, "ben back by the sea",
                                  now=NOW)
    assert membership.access(seaside.unit_of_work(), "seaside", "ben").level is Level.MEMBER
