"""The audit log as the services keep it, on the in-memory store: each change leaves exactly
one entry naming who made it, what they did and to what; a change refused (bad input, the
wrong state) or rolled back leaves none, and nothing secret goes into an entry.

The bakery (see ``conftest.py``) is the pool; ana coordinates it. The account services run
on a site of their own where ana, ben and cleo have accounts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

import pytest

from peerconomy.domain.audit import AuditEntry
from peerconomy.domain.period import IllegalTransitionError
from peerconomy.domain.pool import Member
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Alternative, Offer, Task, Wish
from peerconomy.services import (
    accounts,
    audit,
    books,
    collecting,
    membership,
    password_reset,
    periods,
    pools,
    projects,
    sessions,
    work,
)
from peerconomy.services.errors import ConflictError, NotFoundError, SignInError
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
Change = Callable[[UnitOfWork], object]


def log_of(uow: UnitOfWork, pool: str | None = "bakery") -> list[AuditEntry]:
    with uow:
        return uow.audit.entries(pool, limit=audit.MAX_PAGE)


def one_entry(uow: UnitOfWork, change: Change, pool: str | None = "bakery") -> AuditEntry:
    """Make ``change`` and return the one entry it left (failing if it left more or none)."""
    before = {e.id for e in log_of(uow, pool)}
    change(uow)
    new = [e for e in log_of(uow, pool) if e.id not in before]
    assert len(new) == 1, new
    return new[0]


def leaves_none(uow: UnitOfWork, change: Change, error: type[Exception],
                pool: str | None = "bakery") -> None:
    """``change`` is refused with ``error`` and the log is as it was."""
    before = log_of(uow, pool)
    with pytest.raises(error):
        change(uow)
    assert log_of(uow, pool) == before


def cleared(uow: UnitOfWork) -> None:
    periods.clear_period(uow, "bakery", actor="ana", now=NOW)


# --- pools, collecting, projects -----------------------------------------------------------


def test_importing_a_pool_is_the_first_entry_of_its_log(bakery_uow: MemoryUnitOfWork) -> None:
    [entry] = log_of(bakery_uow)
    assert (entry.actor, entry.action, entry.subject) == (None, "pool.import", "bakery")
    assert entry.detail["participants"] == 4 and entry.detail["coordinators"] == ["ana"]


CHANGES: dict[str, tuple[Change, tuple[str | None, str, str | None]]] = {
    "offer": (lambda u: collecting.make_offer(
        u, "bakery", Offer(participant="ana", task="bake", hours=2, min_weight=1.0),
        actor="ana"), ("ana", "offer.put", "bake")),
    "offer withdrawn": (lambda u: collecting.withdraw_offer(u, "bakery", "ben", "bake",
                                                            actor="ben"),
                        ("ben", "offer.withdraw", "bake")),
    "wish": (lambda u: collecting.make_wish(
        u, "bakery", Wish(participant="ben", id="ben_rolls",
                          alternatives=[Alternative(good="roll")]), actor="ben"),
             ("ben", "wish.put", "ben_rolls")),
    "wish withdrawn": (lambda u: collecting.withdraw_wish(u, "bakery", "dario_cake",
                                                          actor="dario"),
                       ("dario", "wish.withdraw", "dario_cake")),
    "round": (lambda u: collecting.submit_round(u, "bakery", [], [], actor="ana"),
              ("ana", "round.submit", "1")),
    "member added": (lambda u: pools.add_member(u, "bakery", Member("eli"), actor="ana"),
                     ("ana", "member.add", "eli")),
    "role": (lambda u: pools.update_member(u, "bakery", "ben", role="coordinator",
                                           actor="ana"), ("ana", "member.role", "ben")),
    "capacity": (lambda u: pools.update_member(u, "bakery", "ben", capacity=5.0, actor="ben"),
                 ("ben", "member.update", "ben")),
    "member removed": (lambda u: pools.remove_member(u, "bakery", "dario", actor="ana"),
                       ("ana", "member.remove", "dario")),
    "project joins": (lambda u: projects.join_project(
        u, "bakery", "mill", [Task(id="grind", project="mill")], actor="ana"),
        ("ana", "project.join", "mill")),
    "project leaves": (lambda u: projects.leave_project(u, "bakery", "cafe", actor="ana"),
                       ("ana", "project.leave", "cafe")),
    "fork": (lambda u: projects.fork_project(u, "bakery", "bakery", "bakery2", actor="ana"),
             ("ana", "project.fork", "bakery2")),
    "production": (lambda u: projects.plan_production(u, "bakery", "roll", 3, actor="ana"),
                   ("ana", "good.capacity", "roll")),
    "clear": (cleared, ("ana", "period.clear", "1")),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_change_while_collecting_leaves_one_entry(
    bakery_uow: MemoryUnitOfWork, name: str
) -> None:
    change, expected = CHANGES[name]
    entry = one_entry(bakery_uow, change)
    assert (entry.actor, entry.action, entry.subject) == expected
    assert entry.pool == "bakery" and entry.at.tzinfo is not None
    json.dumps(entry.detail)  # JSON-able


def test_an_offer_entry_says_what_was_offered(bakery_uow: MemoryUnitOfWork) -> None:
    entry = one_entry(bakery_uow, CHANGES["offer"][0])
    assert entry.detail == {"period": 1, "participant": "ana", "hours": 2, "min_weight": 1.0}


def test_a_role_change_names_only_what_changed(bakery_uow: MemoryUnitOfWork) -> None:
    entry = one_entry(bakery_uow, CHANGES["role"][0])
    assert entry.detail == {"role": "coordinator"}


REFUSED: dict[str, tuple[Change, type[Exception]]] = {
    "offer on no task": (lambda u: collecting.make_offer(
        u, "bakery", Offer(participant="ana", task="sing", hours=2, min_weight=1.0),
        actor="ana"), NotFoundError),
    "wish of no one": (lambda u: collecting.make_wish(
        u, "bakery", Wish(participant="zoe", id="z", alternatives=[Alternative(good="roll")]),
        actor="zoe"), NotFoundError),
    "no such offer": (lambda u: collecting.withdraw_offer(u, "bakery", "ana", "clean"),
                      NotFoundError),
    "a member twice": (lambda u: pools.add_member(u, "bakery", Member("ana")), ConflictError),
    "a bad capacity": (lambda u: pools.update_member(u, "bakery", "ben", capacity=-1.0),
                       InputError),
    "a project twice": (lambda u: projects.join_project(u, "bakery", "cafe"), ConflictError),
    "a bad production": (lambda u: projects.plan_production(u, "bakery", "roll", -1),
                         InputError),
    "settle before clearing": (lambda u: periods.settle_period(u, "bakery"),
                               IllegalTransitionError),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_change_leaves_no_entry(bakery_uow: MemoryUnitOfWork, name: str) -> None:
    change, error = REFUSED[name]
    leaves_none(bakery_uow, change, error)


# --- work, settling, the books ---------------------------------------------------------------


def test_work_logged_confirmed_and_rejected_leaves_an_entry_each(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    cleared(bakery_uow)
    logged = one_entry(bakery_uow, lambda u: work.log_work(u, "bakery", "ana", "knead", 2.0,
                                                           actor="ana", now=NOW))
    assert (logged.actor, logged.action, logged.at) == ("ana", "work.log", NOW)
    log_id = logged.subject
    assert log_id is not None
    confirmed = one_entry(bakery_uow, lambda u: work.confirm_work(u, "bakery", int(log_id),
                                                                  "ben"))
    assert (confirmed.actor, confirmed.action, confirmed.subject) == ("ben", "work.confirm",
                                                                      log_id)
    assert confirmed.detail["status"] == "confirmed"
    other = work.log_work(bakery_uow, "bakery", "ben", "bake", 1.0, actor="ben")
    rejected = one_entry(bakery_uow, lambda u: work.reject_work(u, "bakery", other.id, "ana"))
    assert (rejected.actor, rejected.action) == ("ana", "work.reject")
    sheet = one_entry(bakery_uow, lambda u: work.log_confirmed_work(
        u, "bakery", [work.DoneWork("chiara", "bake", 2.0, "ana")], actor="ana"))
    assert sheet.action == "work.log_sheet" and len(sheet.detail["logs"]) == 1
    leaves_none(bakery_uow, lambda u: work.confirm_work(u, "bakery", int(log_id), "chiara"),
                ConflictError)
    leaves_none(bakery_uow, lambda u: work.log_work(u, "bakery", "ana", "knead", 0),
                InputError)


def test_settling_closing_and_correcting_leave_an_entry_each(
    bakery_uow: MemoryUnitOfWork,
) -> None:
    cleared(bakery_uow)
    settled = one_entry(bakery_uow, lambda u: periods.settle_period(u, "bakery", actor="ana"))
    assert (settled.action, settled.subject, settled.detail) == (
        "period.settle", "1", {"opened": 2})
    closed = one_entry(bakery_uow, lambda u: periods.close_period(u, "bakery", 1, actor="ana"))
    assert (closed.action, closed.subject) == ("period.close", "1")
    leaves_none(bakery_uow, lambda u: periods.close_period(u, "bakery", 1),
                IllegalTransitionError)
    with bakery_uow:
        first = bakery_uow.journal.transactions("bakery")[0].id
    corrected = one_entry(bakery_uow, lambda u: books.correct(u, "bakery", first, "typo",
                                                              actor="ana"))
    assert (corrected.actor, corrected.action, corrected.subject) == ("ana", "ledger.correct",
                                                                      first)
    assert corrected.detail == {"reversal": f"{first}-reversed", "reason": "typo"}
    leaves_none(bakery_uow, lambda u: books.correct(u, "bakery", first, "again"),
                ConflictError)


# --- a rolled-back transaction ---------------------------------------------------------------


class FailingCommit:
    """A unit of work whose commit fails (the database went away at the last moment)."""

    def __init__(self, inner: MemoryUnitOfWork) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> Self:
        self._inner.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._inner.__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        raise RuntimeError("the commit failed")


@pytest.mark.parametrize("name", ["offer", "clear", "member removed", "fork"])
def test_a_change_whose_transaction_rolls_back_leaves_no_entry(
    store: MemoryStore, bakery_uow: MemoryUnitOfWork, name: str
) -> None:
    change, _ = CHANGES[name]
    failing: Any = FailingCommit(store.unit_of_work())
    leaves_none(bakery_uow, lambda _: change(failing), RuntimeError)


# --- accounts and membership (site-wide and per pool) ---------------------------------------


@pytest.fixture
def site() -> MemoryStore:
    store = MemoryStore()
    for name in ("ana", "ben", "cleo"):
        accounts.sign_up(store.unit_of_work(), name, f"{name}@seaside.example",
                         f"{name} by the sea", now=NOW, mode="open")
    return store


def test_account_changes_are_logged_site_wide_without_secrets(site: MemoryStore) -> None:
    uow = site.unit_of_work()
    assert [e.action for e in log_of(uow, None)] == ["account.sign_up"] * 3
    profile = one_entry(uow, lambda u: accounts.update_profile(u, "ben", display_name="Ben"),
                        None)
    assert (profile.actor, profile.action) == ("ben", "account.profile")
    token = one_entry(uow, lambda u: accounts.issue_token(u, "ben", "laptop", now=NOW), None)
    assert (token.action, token.detail) == ("token.issue", {
        "label": "laptop", "scope": "write",
        "expires_at": (NOW + timedelta(days=90)).isoformat()})
    assert token.subject is not None
    revoked = one_entry(uow, lambda u: accounts.revoke_token(u, "ben", str(token.subject)),
                        None)
    assert revoked.action == "token.revoke"
    changed = one_entry(uow, lambda u: accounts.change_password(
        u, "ben", "ben by the sea", "ben by the lake"), None)
    assert (changed.actor, changed.action) == ("ben", "account.password")
    link = password_reset.request_reset(uow, "ben@seaside.example")
    assert link is not None
    reset = one_entry(uow, lambda u: password_reset.reset_password(u, link.code,
                                                                   "ben by the river"), None)
    assert (reset.actor, reset.action) == ("ben", "account.password_reset")
    text = json.dumps([(e.action, e.subject, e.detail) for e in log_of(uow, None)])
    for secret in ("by the sea", "by the lake", "by the river", link.code,
                   link.code.partition(".")[2], "argon2"):
        assert secret not in text
    leaves_none(uow, lambda u: accounts.change_password(u, "ben", "wrong!!!", "whatever1"),
                SignInError, None)
    leaves_none(uow, lambda u: accounts.sign_up(u, "dora", "dora@x.example", "short", mode="open"),
                InputError, None)


def test_founding_joining_and_inviting_are_logged_in_the_pool(site: MemoryStore) -> None:
    uow = site.unit_of_work()
    founded = one_entry(uow, lambda u: membership.found_pool(u, "seaside", "ana", public=True),
                        "seaside")
    assert (founded.actor, founded.action, founded.subject) == ("ana", "pool.found", "seaside")
    asked = one_entry(uow, lambda u: membership.join_pool(u, "seaside", "ben", now=NOW),
                      "seaside")
    assert (asked.actor, asked.action, asked.subject) == ("ben", "join.request", "ben")
    approved = one_entry(uow, lambda u: membership.decide_request(
        u, "seaside", "ben", "ana", approve=True), "seaside")
    assert (approved.actor, approved.action, approved.subject) == ("ana", "join.approve", "ben")
    made: list[str] = []
    invited = one_entry(uow, lambda u: made.append(membership.invite(
        u, "seaside", "ana", "coordinator", now=NOW)[1]), "seaside")
    assert (invited.action, invited.detail["role"]) == ("invitation.create", "coordinator")
    assert made[0].partition(".")[2] not in json.dumps(invited.detail)
    accepted = one_entry(uow, lambda u: membership.accept_invitation(u, made[0], "cleo",
                                                                     now=NOW), "seaside")
    assert (accepted.actor, accepted.action, accepted.subject) == (
        "cleo", "invitation.accept", invited.subject)
    leaves_none(uow, lambda u: membership.accept_invitation(u, made[0], "cleo", now=NOW),
                ConflictError, "seaside")
    leaves_none(uow, lambda u: membership.join_pool(u, "seaside", "ben"), ConflictError,
                "seaside")


# --- reading the log -------------------------------------------------------------------------


def test_the_log_reads_newest_first_a_page_at_a_time(bakery_uow: MemoryUnitOfWork) -> None:
    for hours in (1, 2, 3):
        collecting.make_offer(bakery_uow, "bakery",
                              Offer(participant="ana", task="bake", hours=hours,
                                    min_weight=1.0), actor="ana")
    page = audit.audit_log(bakery_uow, "bakery", limit=2)
    assert [e.detail["hours"] for e in page] == [3, 2]
    rest = audit.audit_log(bakery_uow, "bakery", limit=2, before=page[-1].id)
    assert [e.detail.get("hours") for e in rest] == [1, None]  # None: the import
    assert rest[-1].action == "pool.import"


@pytest.mark.parametrize("limit, before", [(0, None), (audit.MAX_PAGE + 1, None), (5, 0)])
def test_a_bad_page_is_refused(bakery_uow: MemoryUnitOfWork, limit: int,
                               before: int | None) -> None:
    with pytest.raises(InputError):
        audit.audit_log(bakery_uow, "bakery", limit=limit, before=before)


def test_the_log_of_no_pool_is_not_found(bakery_uow: MemoryUnitOfWork) -> None:
    with pytest.raises(NotFoundError):
        audit.audit_log(bakery_uow, "nowhere")


def test_signing_in_and_out_is_logged_site_wide_without_the_session(site: MemoryStore) -> None:
    uow = site.unit_of_work()
    made: list[str] = []
    began = one_entry(uow, lambda u: made.append(sessions.start_session(u, "ben")), None)
    assert (began.actor, began.action, began.subject) == ("ben", "session.start", "ben")
    ended = one_entry(uow, lambda u: sessions.end_session(u, made[0]), None)
    assert (ended.actor, ended.action) == ("ben", "session.end")
    before = log_of(uow, None)
    sessions.end_session(uow, made[0])  # over already: nothing changes, nothing is logged
    assert log_of(uow, None) == before
    text = json.dumps([(e.subject, e.detail) for e in before])
    assert made[0] not in text and sessions.session_key(made[0]) not in text


def test_the_site_wide_log_reads_only_entries_of_no_pool_a_page_at_a_time(
    site: MemoryStore,
) -> None:
    uow = site.unit_of_work()
    membership.found_pool(uow, "seaside", "ana")
    accounts.issue_token(uow, "ben", "laptop", now=NOW)
    page = audit.site_log(uow, limit=2)
    assert [(e.action, e.actor) for e in page] == [("token.issue", "ben"),
                                                   ("account.sign_up", "cleo")]
    rest = audit.site_log(uow, limit=2, before=page[-1].id)
    assert [(e.action, e.actor) for e in rest] == [("account.sign_up", "ben"),
                                                   ("account.sign_up", "ana")]
    assert all(e.pool is None for e in page + rest)
    assert audit.site_log(uow, before=rest[-1].id) == []
    for limit, before in ((0, None), (audit.MAX_PAGE + 1, None), (5, 0)):
        with pytest.raises(InputError):
            audit.site_log(uow, limit=limit, before=before)
