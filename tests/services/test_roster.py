"""Onboarding the Solawi's 80 households from their list: members and invitations in one go,
or nothing at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from peerconomy.domain.refusal import InputError
from peerconomy.services import accounts, membership, roster
from peerconomy.services.notices import Notice
from peerconomy.store.memory import MemoryStore

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
LIST = "".join(
    ["id,display_name,email\n"]
    + [f"h{i:02d},Household {i},h{i:02d}@farm.example\n" for i in range(1, 80)]
    + ["h80,Household 80,\n"]
)


@pytest.fixture
def farm() -> MemoryStore:
    store = MemoryStore()
    accounts.sign_up(store.unit_of_work(), "maria", "maria@farm.example", "maria's password",
                     mode="open")
    membership.found_pool(store.unit_of_work(), "farm", "maria")
    return store


def test_every_household_is_added_with_an_invitation_for_its_member(farm: MemoryStore) -> None:
    invited = roster.import_members(farm.unit_of_work(), "farm", LIST, actor="maria", days=30,
                                    now=NOW)
    assert len(invited) == 80
    first, last = invited[0], invited[-1]
    assert (first.member.id, first.invitation.member, first.invitation.created_by) == (
        "h01", "h01", "maria")
    assert first.invitation.expires_at == NOW + timedelta(days=30)
    assert first.link("https://farm.example") == (
        f"https://farm.example/invitations/{first.code}")
    with farm.unit_of_work() as uow:  # mailed through the outbox, with the import
        queued = [Notice.from_json(m.notice) for m in uow.mail.outbox()
                  if m.recipient.endswith("@farm.example") and m.recipient != "maria@farm.example"]
    assert [n.to for n in queued] == [f"h{i:02d}@farm.example" for i in range(1, 80)]
    assert f"/invitations/{first.code}" in queued[0].written()[1]
    assert last.notice("farm") is None  # no email on its row
    with farm.unit_of_work() as uow:
        assert [m.id for m in uow.pools.members("farm")][:3] == ["maria", "h01", "h02"]
        assert all(m.account is None for m in uow.pools.members("farm")[1:])
    # the household claims its place by its link
    accounts.sign_up(farm.unit_of_work(), "jo", "jo@farm.example", "jo's long password",
                     mode="open")
    claimed = membership.accept_invitation(farm.unit_of_work(), first.code, "jo", now=NOW)
    assert (claimed.id, claimed.account, claimed.display_name) == ("h01", "jo", "Household 1")


def test_a_list_with_one_bad_row_stores_nothing(farm: MemoryStore) -> None:
    bad = LIST.replace("h42@farm.example", "h42 at the farm")
    with pytest.raises(InputError, match="line 43, email"):
        roster.import_members(farm.unit_of_work(), "farm", bad, actor="maria")
    with farm.unit_of_work() as uow:
        assert [m.id for m in uow.pools.members("farm")] == ["maria"]
        assert uow.accounts.invitations("farm") == []


def test_every_member_already_in_the_pool_is_named_at_once(farm: MemoryStore) -> None:
    roster.import_members(farm.unit_of_work(), "farm", "id\nh01\n")
    with pytest.raises(InputError) as refused:
        roster.import_members(farm.unit_of_work(), "farm", "id\nmaria\nh02\nh01\n")
    assert str(refused.value) == ("line 2, id: 'maria' is in pool 'farm' already;"
                                  " line 4, id: 'h01' is in pool 'farm' already")


def test_a_member_already_in_the_pool_refuses_the_list_by_its_line(farm: MemoryStore) -> None:
    with pytest.raises(InputError, match="line 3, id: 'maria' is in pool 'farm' already"):
        roster.import_members(farm.unit_of_work(), "farm", "id\nh01\nmaria\n")
    with farm.unit_of_work() as uow:
        assert [m.id for m in uow.pools.members("farm")] == ["maria"]
