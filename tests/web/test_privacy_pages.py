"""Privacy on the pages: ben downloads his data from his account page, lets ana (the
coordinator) see his contact on the Projects page or not, and deletes his account with his
password."""

from __future__ import annotations

import json
from dataclasses import replace

from browsing import Browser, text_of

from peerconomy.ledger.journal import participant_account
from peerconomy.store.memory import MemoryStore


def give_contact(store: MemoryStore, participant: str, email: str) -> None:
    with store.unit_of_work() as uow:
        found = uow.pools.member("seaside", participant)
        assert found is not None
        uow.pools.put_member("seaside", replace(found, email=email, phone="+49 30 555"))
        uow.commit()


def test_the_account_page_offers_the_download_of_my_data(
    settled: dict[str, Browser], store: MemoryStore
) -> None:
    ben = settled["ben"]
    give_contact(store, "ana", "ana.private@home.test")
    assert 'href="/account/export"' in ben.page("/account")
    answer = ben.get("/account/export")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    export = json.loads(answer.text)
    assert export["account"]["name"] == "ben"
    (membership,) = export["memberships"]
    assert membership["member"]["id"] == "ben"
    assert membership["ledger"]["postings"]
    assert "ana.private@home.test" not in answer.text
    assert "password_hash" not in answer.text


def test_coordinators_see_a_members_contact_only_once_the_member_allows_it(
    collected: dict[str, Browser], store: MemoryStore
) -> None:
    ana, ben = collected["ana"], collected["ben"]
    give_contact(store, "ben", "ben.private@home.test")
    assert "ben.private@home.test" not in ana.page("/pools/seaside/projects")
    assert "contact_visible" in ben.page("/pools/seaside")
    ben.submit("/pools/seaside/contact", {"contact_visible": "1"}, form_on="/pools/seaside")
    assert "ben.private@home.test" in ana.page("/pools/seaside/projects")
    assert "ben.private@home.test" not in ben.page("/pools/seaside/projects")  # not a coordinator
    ben.submit("/pools/seaside/contact", {}, form_on="/pools/seaside")
    assert "ben.private@home.test" not in ana.page("/pools/seaside/projects")


def test_a_wrong_password_deletes_nothing(collected: dict[str, Browser],
                                          store: MemoryStore) -> None:
    ben = collected["ben"]
    answer = ben.post("/account/delete", {"password": "not bens"}, form_on="/account")
    assert answer.status_code == 403
    assert "The password is not the one you gave." in text_of(answer.text)
    with store.unit_of_work() as uow:
        assert uow.accounts.user("ben") is not None


def test_the_last_coordinator_is_told_to_name_another_first(
    collected: dict[str, Browser], store: MemoryStore
) -> None:
    answer = collected["ana"].post("/account/delete", {"password": "ana by the sea"},
                                   form_on="/account")
    assert answer.status_code == 409
    assert "last coordinator" in text_of(answer.text)
    with store.unit_of_work() as uow:
        assert uow.accounts.user("ana") is not None


def test_deleting_my_account_signs_me_out_and_keeps_my_books_under_a_pseudonym(
    settled: dict[str, Browser], store: MemoryStore
) -> None:
    ben = settled["ben"]
    with store.unit_of_work() as uow:
        balance = uow.journal.balance("seaside", participant_account("ben"))
    assert ben.submit("/account/delete", {"password": "ben by the sea"},
                      form_on="/account") == "/"
    assert ben.get("/account").status_code == 303  # signed out: sent to sign in
    with store.unit_of_work() as uow:
        assert uow.accounts.user("ben") is None
        balances = uow.journal.balances("seaside")
        (gone,) = [m.id for m in uow.pools.members("seaside") if m.id.startswith("gone-")]
    assert balances[participant_account(gone)] == balance
    assert sum(balances.values()) == 0
    assert gone in settled["ana"].page("/pools/seaside/ledger")
