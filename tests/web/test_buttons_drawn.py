"""A page draws an action's button only where the action would be taken: the pages ask the
rule the action itself enforces (``domain.work.may_confirm``/``may_reject``,
``services.periods.may_reopen``, ``services.projects.leave_refusal``,
``services.privacy.pools_kept_by``), so a member is never
shown a button that can only be refused. Each test checks both sides: where the button is
missing its POST is refused, where it is drawn its POST goes through.

(The refusals themselves, as a stale page or a forged request still gets them, are in
``test_htmx_refusals.py`` and ``test_period_page.py``.)"""

from __future__ import annotations

from browsing import HX, Browser, day_of, text_of

from peerconomy.domain.pool import WorkLog
from peerconomy.domain.scenario import Good
from peerconomy.services import projects, work
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
POOL = "/pools/seaside"


def logs_in(store: MemoryStore) -> list[WorkLog]:
    with store.unit_of_work() as uow:
        return list(uow.periods.work_logs("seaside", 1))


def confirm_form(log: WorkLog) -> str:
    return f'action="{POOL}/work/{log.id}/confirm"'


def reject_form(log: WorkLog) -> str:
    return f'action="{POOL}/work/{log.id}/reject"'


def test_a_member_sees_confirm_only_on_work_he_may_confirm(
    cleared: People, store: MemoryStore
) -> None:
    """The plan gave ben the garden and 1 h of the stairs, ana 3 h of the stairs: ben sees
    ana's garden hours (his task) but only a coordinator may accept them; her stairs hours
    are assigned work he may confirm."""
    ana, ben = cleared["ana"], cleared["ben"]
    ana.submit(f"{POOL}/work", {"task": "garden", "hours": "1"}, form_on=POOL)
    ana.submit(f"{POOL}/work", {"task": "stairs", "hours": "3"}, form_on=POOL)
    garden, stairs = logs_in(store)
    assert not garden.assigned and stairs.assigned

    page = ben.page(POOL)
    said = text_of(page)
    assert (f"ana: 1 h on garden, {day_of(garden)} (not assigned: a coordinator accepts it)"
            " — awaiting confirmation") in said  # shown, so he knows of it, but no button
    assert confirm_form(garden) not in page
    assert confirm_form(stairs) in page
    assert "/reject" not in page  # a member rejects nothing
    # ... and what the page drew is what the service takes
    refused = ben.post(f"{POOL}/work/{garden.id}/confirm", form_on=POOL, **HX)
    assert refused.status_code == 403
    taken = ben.post(f"{POOL}/work/{stairs.id}/confirm", form_on=POOL, **HX)
    assert taken.status_code == 200
    assert text_of(taken.text) == f"ana: 3 h on stairs, {day_of(stairs)} — confirmed"


def test_the_next_step_asks_to_confirm_only_work_one_may_confirm(
    cleared: People, store: MemoryStore
) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    step = "Confirm the work of others that you saw done."
    ana.submit(f"{POOL}/work", {"task": "garden", "hours": "1"}, form_on=POOL)  # unassigned
    assert step not in ben.text(POOL)
    ana.submit(f"{POOL}/work", {"task": "stairs", "hours": "3"}, form_on=POOL)  # assigned
    assert step in ben.text(POOL)


def test_the_coordinator_sees_confirm_and_reject_on_work_a_member_may_not_accept(
    cleared: People, store: MemoryStore
) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    ben.submit(f"{POOL}/work", {"task": "laundry", "hours": "1"}, form_on=POOL)  # ana's task
    (laundry,) = logs_in(store)
    assert not laundry.assigned
    page = ana.page(POOL)
    assert confirm_form(laundry) in page and reject_form(laundry) in page
    taken = ana.post(f"{POOL}/work/{laundry.id}/confirm", form_on=POOL, **HX)
    assert taken.status_code == 200
    assert "<form" not in taken.text  # the row comes back decided, with no buttons


def test_a_coordinator_who_logged_a_member_s_hours_is_not_offered_to_confirm_them(
    cleared: People, store: MemoryStore
) -> None:
    """A second member must vouch for them; she may still reject them."""
    ana = cleared["ana"]
    logged = work.log_work(store.unit_of_work(), "seaside", "ben", "garden", 2.0,
                           logged_by="ana", actor="ana")
    page = ana.page(POOL)
    assert f"ben: 2 h on garden, {day_of(logged)} — awaiting confirmation" in text_of(page)
    assert confirm_form(logged) not in page
    assert reject_form(logged) in page
    refused = ana.post(f"{POOL}/work/{logged.id}/confirm", form_on=POOL, **HX)
    assert refused.status_code == 403


def test_reopen_is_offered_only_until_work_is_logged(
    cleared: People, store: MemoryStore
) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    reopen = f'action="{POOL}/period/reopen"'
    assert reopen in ana.page(f"{POOL}/period")
    ben.submit(f"{POOL}/work", {"task": "garden", "hours": "2"}, form_on=POOL)
    page = ana.page(f"{POOL}/period")
    assert reopen not in page
    assert f'action="{POOL}/period/settle"' in page  # settling is what is left
    refused = ana.post(f"{POOL}/period/reopen", form_on=f"{POOL}/period")
    assert refused.status_code == 409
    assert "it can be settled, not reopened" in text_of(refused.text)


def test_a_project_another_project_s_good_needs_is_not_offered_to_leave(
    people: People, store: MemoryStore
) -> None:
    """A removal van of the *moving* project needs the flats' stairs work: the flats may not
    leave while it is in the pool (the moving project itself may)."""
    ana = people["ana"]
    van = Good(id="van", project="moving", model="effort", recipe={"stairs": 2.0})
    projects.join_project(store.unit_of_work(), "seaside", "moving", [], [van], actor="ana")
    page = ana.page(f"{POOL}/projects")
    assert f'action="{POOL}/projects/flats/leave"' not in page
    assert f'action="{POOL}/projects/moving/leave"' in page
    assert f'action="{POOL}/projects/flats/fork"' in page  # the project's other forms stay
    refused = ana.post(f"{POOL}/projects/flats/leave", {"version": "1"},
                       form_on=f"{POOL}/projects")
    assert refused.status_code == 409
    assert "cannot leave: good 'van' of project 'moving' needs its task 'stairs'" in text_of(
        refused.text)


def test_the_last_coordinator_is_not_offered_to_delete_the_account(
    people: People, store: MemoryStore
) -> None:
    """Ana is seaside's only coordinator: the account page says what to do first instead of
    a form that is always refused; once ben is a coordinator too, the form is there."""
    ana = people["ana"]
    delete = 'action="/account/delete"'
    page = ana.page("/account")
    assert delete not in page
    said = text_of(page)
    assert ("You are the last coordinator of a pool: make another member a coordinator"
            " first.") in said
    assert 'href="/pools/seaside/projects#members"' in page
    refused = ana.post("/account/delete", {"password": "ana by the sea"}, form_on="/account")
    assert refused.status_code == 409
    assert delete in people["ben"].page("/account")  # a plain member may leave

    ana.submit(f"{POOL}/members/ben", {"role": "coordinator", "version": "1"},
               form_on=f"{POOL}/projects")
    assert delete in ana.page("/account")
