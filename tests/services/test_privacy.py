"""Privacy: the workshop after two settled periods, where the account ``bert`` has claimed
member ``ben`` and ``anna`` coordinates as member ``ana``.

Bert downloads everything the site holds about him and finds nothing of anyone else's
contact; he deletes his account, and the books keep ben's postings under a pseudonym, still
balanced to the micro-hour; the last coordinator cannot delete herself out of the pool.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerconomy.domain.account import User
from peerconomy.domain.idempotency import StoredAnswer
from peerconomy.domain.plan import Allocation, ClearedPlan, TaskAssignment
from peerconomy.domain.privacy import is_pseudonym, renamed_plan
from peerconomy.ledger.journal import participant_account
from peerconomy.services import (
    accounts,
    calendar_keys,
    membership,
    periods,
    privacy,
    sessions,
    work,
)
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, NotFoundError, SignInError
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOVEMBER, DECEMBER = date(2026, 11, 30), date(2026, 12, 31)
PASSWORD = "correct horse battery"


@pytest.fixture
def settled(store: MemoryStore, uow: MemoryUnitOfWork) -> MemoryStore:
    """Two settled periods; bert claims ben (with contact on record), anna claims ana;
    chiara, unclaimed, has the contact the coordinator imported."""
    periods.clear_period(uow, "workshop", now=NOW)
    work.log_work(uow, "workshop", "ben", "assemble", 2, confirmed_by="ana", now=NOW)
    work.log_work(uow, "workshop", "chiara", "paint", 6, confirmed_by="ben", now=NOW)
    periods.settle_period(uow, "workshop", on=NOVEMBER)
    periods.clear_period(uow, "workshop", now=NOW)
    work.log_work(uow, "workshop", "ben", "paint", 1, confirmed_by="chiara", now=NOW)
    periods.settle_period(uow, "workshop", on=DECEMBER)
    for name, participant in (("bert", "ben"), ("anna", "ana")):
        accounts.sign_up(uow, name, f"{name}@example.org", PASSWORD, now=NOW,
                         mode="open")
        membership.link_member(uow, "workshop", participant, name)
    with uow:
        for who, email in (("ben", "ben.private@example.org"), ("chiara", "chiara@home.test")):
            found = uow.pools.member("workshop", who)
            assert found is not None
            uow.pools.put_member("workshop", replace(found, email=email, phone="+49 30 1234"))
        uow.commit()
    sessions.start_session(uow, "bert", now=NOW)
    accounts.issue_token(uow, "bert", "scripts", now=NOW)
    calendar_keys.address_token(uow, "bert", "workshop site key", now=NOW)
    return store


def books(store: MemoryStore) -> tuple[list[list[Decimal]], dict[str, Decimal]]:
    with store.unit_of_work() as uow:
        sums = [[p.amount for p in t.postings] for t in uow.journal.transactions("workshop")]
        return sums, uow.journal.balances("workshop")


def test_the_export_holds_the_account_and_its_member_but_no_secret(
    settled: MemoryStore,
) -> None:
    export = privacy.export_account(settled.unit_of_work(), "bert", now=NOW)
    assert export["format"] == "peerconomy-export/1"
    assert export["account"]["email"] == "bert@example.org"
    assert "password_hash" not in export["account"]
    assert [t["label"] for t in export["api_tokens"]] == ["scripts"]
    assert all(set(t) >= {"scope", "expires_at"} and "secret_hash" not in t and "id" not in t
               for t in export["api_tokens"])
    assert len(export["sessions"]) == 1 and "id" not in export["sessions"][0]
    assert export["calendar_key"] == {"created_at": "2026-11-02T09:00:00Z"}  # no id, no hash
    (ben,) = export["memberships"]
    assert ben["member"]["id"] == "ben"
    assert ben["member"]["email"] == "ben.private@example.org"
    assert [p["number"] for p in ben["periods"]] == [1, 2, 3]
    assert ben["periods"][0]["plan"]["share"] > 0
    assert {o["task"] for o in ben["periods"][0]["offers"]} == {"assemble", "paint"}
    assert ben["ledger"]["account"] == participant_account("ben")
    assert ben["ledger"]["postings"]
    assert {e["action"] for e in export["audit"]} >= {"member.link"}
    json.dumps(export)  # JSON as it is


def test_the_export_holds_my_part_of_a_withdrawn_plan(settled: MemoryStore) -> None:
    plan = periods.clear_period(settled.unit_of_work(), "workshop", now=NOW)
    periods.reopen_period(settled.unit_of_work(), "workshop", now=NOW, actor="ana")
    export = privacy.export_account(settled.unit_of_work(), "bert", now=NOW)
    (ben,) = export["memberships"]
    last = ben["periods"][-1]
    assert last["plan"] is None
    [withdrawn] = last["withdrawn_plans"]
    assert (withdrawn["input_hash"], withdrawn["withdrawn_by"]) == (plan.input_hash, "ana")
    assert (withdrawn["share"], withdrawn["refund"], withdrawn["credit"]) == (
        plan.data.shares["ben"], plan.data.refunds["ben"], plan.data.credits["ben"])


def test_the_export_holds_nothing_of_other_peoples_contact(settled: MemoryStore) -> None:
    text = json.dumps(privacy.export_account(settled.unit_of_work(), "bert", now=NOW))
    assert "chiara@home.test" not in text and "anna@example.org" not in text
    assert text.count("+49 30 1234") == 1  # bert's own phone, once


def test_the_export_holds_the_audit_entries_of_the_account_and_its_member(
    settled: MemoryStore,
) -> None:
    with settled.unit_of_work() as uow:  # acting as the member, and acted on as the member
        for actor, subject in (("ben", "stairs"), ("ana", "ben"), ("ana", "chiara")):
            record(uow, "workshop", "offer.put", actor=actor, subject=subject, now=NOW)
        uow.commit()
    export = privacy.export_account(settled.unit_of_work(), "bert", now=NOW)
    about = [(e["actor"], e["subject"]) for e in export["audit"] if e["action"] == "offer.put"]
    assert about == [("ben", "stairs"), ("ana", "ben")]


def test_an_unknown_account_has_nothing_to_export(settled: MemoryStore) -> None:
    with pytest.raises(NotFoundError):
        privacy.export_account(settled.unit_of_work(), "nobody")


def test_a_wrong_password_deletes_nothing(settled: MemoryStore) -> None:
    before = books(settled)
    with pytest.raises(SignInError):
        privacy.delete_account(settled.unit_of_work(), "bert", "not my password", now=NOW)
    with settled.unit_of_work() as uow:
        assert uow.accounts.user("bert") is not None
        assert uow.pools.member("workshop", "ben") is not None
    assert books(settled) == before


def test_deleting_an_account_renames_its_member_everywhere_and_the_books_still_balance(
    settled: MemoryStore,
) -> None:
    sums_before, balances_before = books(settled)
    pseudonyms = privacy.delete_account(settled.unit_of_work(), "bert", PASSWORD, now=NOW)
    gone = pseudonyms["workshop"]
    assert is_pseudonym(gone)
    sums_after, balances_after = books(settled)
    assert sums_after == sums_before  # every amount as it was, in its place
    assert all(sum(amounts) == 0 for amounts in sums_after)
    assert sum(balances_after.values()) == 0
    assert balances_after[participant_account(gone)] == balances_before[
        participant_account("ben")]
    assert participant_account("ben") not in balances_after
    with settled.unit_of_work() as uow:
        assert uow.accounts.user("bert") is None
        assert uow.accounts.tokens("bert") == [] and uow.accounts.sessions("bert") == []
        assert uow.pools.member("workshop", "ben") is None
        erased = uow.pools.member("workshop", gone)
        assert erased is not None
        assert (erased.account, erased.email, erased.phone, erased.display_name,
                erased.active) == (None, None, None, "", False)
        for number in (1, 2, 3):
            assert all(o.participant != "ben" for o in uow.periods.offers("workshop", number))
            assert all(w.participant != "ben" for w in uow.periods.wishes("workshop", number))
            logs = uow.periods.work_logs("workshop", number)
            assert all("ben" not in (w.participant, w.confirmed_by) for w in logs)
        for number in (1, 2):
            plan = uow.periods.plan("workshop", number)
            assert plan is not None
            assert "ben" not in plan.data.shares and gone in plan.data.shares
            assert plan.input_hash.endswith(f"+{gone}")
            assert all(a.participant != "ben" for a in uow.periods.assignments("workshop",
                                                                                number))
        site = uow.audit.entries(None, limit=5)
        pool = uow.audit.entries("workshop", limit=5)
    assert (site[0].action, site[0].subject, site[0].actor) == ("account.delete", "bert", "bert")
    assert (pool[0].action, pool[0].subject) == ("member.erase", gone)
    assert "ben.private" not in json.dumps([e.detail for e in site + pool])


def test_the_operator_erases_an_account_without_its_password(settled: MemoryStore) -> None:
    with settled.unit_of_work() as uow:  # an answer kept for one of bert's requests
        uow.answers.reserve(StoredAnswer("bert", "k1", "f", NOW, 200, b'{"email": "bert@"}'))
        uow.commit()
    privacy.erase_account(settled.unit_of_work(), "bert", now=NOW)
    with settled.unit_of_work() as uow:
        assert uow.accounts.user("bert") is None
        assert uow.answers.reserve(StoredAnswer("bert", "k1", "g", NOW)) is None  # forgotten
    with pytest.raises(NotFoundError):
        privacy.erase_account(settled.unit_of_work(), "bert", now=NOW)


def test_the_last_coordinator_cannot_delete_her_account(settled: MemoryStore) -> None:
    before = books(settled)
    with pytest.raises(ConflictError, match="last coordinator"):
        privacy.delete_account(settled.unit_of_work(), "anna", PASSWORD, now=NOW)
    with settled.unit_of_work() as uow:
        assert uow.accounts.user("anna") is not None
        found = uow.pools.member("workshop", "ana")
        assert found is not None and found.account == "anna"
    assert books(settled) == before


def test_coordinators_see_contact_only_where_the_member_allowed_it(
    settled: MemoryStore,
) -> None:
    with settled.unit_of_work() as uow:
        ben, chiara = uow.pools.member("workshop", "ben"), uow.pools.member("workshop", "chiara")
    assert ben is not None and chiara is not None
    assert privacy.contact_shown(chiara)  # unclaimed: the coordinators' own import
    assert not privacy.contact_shown(ben)  # claimed: hidden until ben allows it
    allowed = privacy.set_contact_visible(settled.unit_of_work(), "workshop", "bert", True)
    assert privacy.contact_shown(allowed) and allowed.version == ben.version + 1
    hidden = privacy.set_contact_visible(settled.unit_of_work(), "workshop", "bert", False)
    assert not privacy.contact_shown(hidden)


def test_only_a_member_sets_their_contact_visibility(settled: MemoryStore) -> None:
    accounts.sign_up(settled.unit_of_work(), "stranger", "s@example.org", PASSWORD, now=NOW,
                         mode="open")
    with pytest.raises(NotFoundError):
        privacy.set_contact_visible(settled.unit_of_work(), "workshop", "stranger", True)


def test_a_plan_is_renamed_only_where_it_names_the_participant() -> None:
    plan = ClearedPlan(shares={"ben": 1.0, "ana": 2.0}, credits={"ben": 0.5},
                       refunds={"ben": 0.25, "ana": 0.25}, weights={"ben": 1.0},
                       assignments=(TaskAssignment("ben", "ben", 1.0),),
                       allocations=(Allocation("ana", "ana_wish", "ben", 1, 2.0),))
    renamed = renamed_plan(plan, "ben", "gone-00000000")
    assert renamed.shares == {"gone-00000000": 1.0, "ana": 2.0}
    assert list(renamed.shares) == ["gone-00000000", "ana"]
    assert renamed.credits == {"gone-00000000": 0.5}
    assert list(renamed.refunds.items()) == [("gone-00000000", 0.25), ("ana", 0.25)]
    assert renamed.weights == {"ben": 1.0}  # a task called ben stays
    assert renamed.assignments == (TaskAssignment("gone-00000000", "ben", 1.0),)
    assert renamed.allocations == plan.allocations


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(gone=st.lists(st.sampled_from(["ben", "chiara", "dario"]), unique=True))
def test_any_deletions_leave_every_amount_and_balance_as_it_was(
    settled: MemoryStore, gone: list[str]
) -> None:
    saved = settled.state.copy()
    sums_before, balances_before = books(settled)
    with settled.unit_of_work() as uow:
        for participant in ("chiara", "dario"):
            uow.accounts.add_user(User(f"u-{participant}", f"{participant}@x.example", "h", NOW))
        uow.commit()
    for participant in ("chiara", "dario"):
        membership.link_member(settled.unit_of_work(), "workshop", participant,
                               f"u-{participant}")
    owner = {"ben": "bert", "chiara": "u-chiara", "dario": "u-dario"}
    renamed = {p: privacy.erase_account(settled.unit_of_work(), owner[p])["workshop"]
               for p in gone}
    sums_after, balances_after = books(settled)
    settled.state = saved
    assert sums_after == sums_before
    assert all(sum(amounts) == 0 for amounts in sums_after)
    assert sum(balances_after.values()) == 0
    assert balances_after == {
        participant_account(renamed[a.removeprefix("participant:")])
        if a.removeprefix("participant:") in renamed else a: amount
        for a, amount in balances_before.items()
    }


def test_mail_queued_for_a_deleted_account_is_not_sent_and_its_address_is_gone(
    settled: MemoryStore,
) -> None:
    with settled.unit_of_work() as uow:
        before = [m for m in uow.mail.outbox() if m.recipient == "bert@example.org"]
    assert before  # bert's verification mail waits in the outbox
    privacy.erase_account(settled.unit_of_work(), "bert", now=NOW)
    with settled.unit_of_work() as uow:
        after = {m.id: m for m in uow.mail.outbox()}
    assert all("bert@example.org" not in (m.recipient + m.notice) for m in after.values())
    for mail in before:
        gone = after[mail.id]
        assert (gone.recipient, gone.notice, gone.failed_at, gone.sent_at) == ("", "", NOW, None)
