"""A person's own pages: signing up, in and out, the account (password, API tokens), the
language the pages speak, and what keeps sign-in safe: lockouts after failed sign-ins,
sessions that end on the server, and password resets by mailed one-time links."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from http.cookiejar import Cookie
from urllib.parse import unquote, urlsplit

import pytest
from browsing import Browser, sign_up, text_of
from fastapi import FastAPI

from fakes import Clock, Outbox
from peerconomy.domain.security import LimitRule
from peerconomy.services.security import SecurityPolicy

Browsers = Callable[[], Browser]


@pytest.fixture
def dora(app: FastAPI, browser: Browsers) -> Browser:
    """Dora, signed up (password ``dora by the sea``) and signed in; the mail that asks her
    to verify her email is set aside (where a test keeps the mail)."""
    signed = sign_up(browser(), "dora")
    app.state.outbox.flush()  # the mail asking her to verify goes now (or is given up on)
    if isinstance(app.state.mailer, Outbox):
        app.state.mailer.sent.clear()
    return signed


def signed_in_as(who: Browser) -> str | None:
    """Whom the header of the home page names as signed in (None: nobody)."""
    found = re.search(r"Your account \(([^)]+)\)", who.text("/"))
    return found.group(1) if found else None


def sign_in(who: Browser, login: str, password: str, next_: str = "/") -> str:
    """Post the sign-in form reached by ``/signin?next=...``; where it leads."""
    return who.submit("/signin", {"login": login, "password": password, "next": next_},
                      form_on="/signin")


# Signing up, in and out


def test_signing_up_makes_an_account_and_then_one_signs_in(browser: Browsers) -> None:
    # Before, signing up signed in at once; it cannot, now that a known email is answered
    # as a new one (no account is made for it, so there is none to sign in to).
    someone = browser()
    assert signed_in_as(someone) is None
    answer = someone.post(
        "/signup",
        {"name": "dora", "email": "dora@seaside.example", "password": "dora by the sea",
         "display_name": "Dora D.", "next": "/pools/seaside"},
        form_on="/signup?next=/pools/seaside",
    )
    assert answer.status_code == 200
    assert ("We have mailed you a link to confirm your email address. Sign in to go on."
            in text_of(answer.text))
    assert 'href="/signin?next=/pools/seaside"' in answer.text
    assert signed_in_as(someone) is None
    assert sign_in(someone, "dora", "dora by the sea", "/pools/seaside") == "/pools/seaside"
    assert signed_in_as(someone) == "dora"
    assert "Your email address is not confirmed yet" in someone.text("/account")


def test_signing_up_with_a_known_email_answers_as_a_new_sign_up(
    app: FastAPI, dora: Browser, browser: Browsers
) -> None:
    outbox = Outbox(app)
    with kept_in(app, "mailer", outbox):
        answers = [
            browser().post("/signup", {"name": name, "email": email, "password": "long enough",
                                       "next": "/"}, form_on="/signup")
            for name, email in (("emil", "emil@seaside.example"),
                                ("fritz", "Dora@Seaside.example"))
        ]
        assert [a.status_code for a in answers] == [200, 200]
        assert text_of(answers[0].text) == text_of(answers[1].text)
        assert [(n.to, n.written()[0]) for n in outbox.sent] == [
            ("emil@seaside.example", "Confirm your email address"),
            ("dora@seaside.example", "Someone tried to sign up with your email address"),
        ]
    refused = browser().post("/signin", {"login": "fritz", "password": "long enough"},
                             form_on="/signin")
    assert refused.status_code == 403  # no account was made for the known email
    assert signed_in_as(dora) == "dora"


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("name", "Dora Dee", "A user name is 2 to 32 lower-case letters"),
        ("email", "dora", "Please give an email address."),
        ("password", "short", "A password is at least 8 characters long."),
    ],
)
def test_a_bad_sign_up_is_explained_and_makes_no_account(
    browser: Browsers, field: str, value: str, said: str
) -> None:
    someone = browser()
    data = {"name": "dora", "email": "dora@seaside.example", "password": "dora by the sea",
            "display_name": "Dora D.", field: value}
    answer = someone.post("/signup", data, form_on="/signup")
    assert answer.status_code == 422
    assert said in text_of(answer.text)
    assert 'value="Dora D."' in answer.text  # what was typed is kept, but never a password
    assert "dora by the sea" not in answer.text
    assert signed_in_as(someone) is None
    assert someone.post("/signin", {"login": "dora", "password": "dora by the sea"},
                        form_on="/signin").status_code == 403


def test_a_taken_user_name_is_refused(dora: Browser, browser: Browsers) -> None:
    answer = browser().post(
        "/signup", {"name": "dora", "email": "another@seaside.example",
                    "password": "another password"}, form_on="/signup")
    assert answer.status_code == 409
    assert "This user name is taken; please choose another." in text_of(answer.text)


def test_a_wrong_password_signs_nobody_in(dora: Browser, browser: Browsers) -> None:
    someone = browser()
    answer = someone.post("/signin", {"login": "dora", "password": "not dora's"},
                          form_on="/signin")
    assert answer.status_code == 403
    assert "Wrong user name or password." in text_of(answer.text)
    assert 'value="dora"' in answer.text  # the name is kept for a second try
    assert signed_in_as(someone) is None


def test_signing_in_by_name_or_email_goes_where_next_says(
    dora: Browser, browser: Browsers
) -> None:
    someone = browser()
    assert 'name="next" value="/account"' in someone.page("/signin?next=/account")
    assert sign_in(someone, "dora", "dora by the sea", "/account") == "/account"
    assert signed_in_as(someone) == "dora"
    again = browser()
    assert sign_in(again, "DORA@seaside.example", "dora by the sea") == "/"
    assert signed_in_as(again) == "dora"


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_never_leads_to_another_site(
    dora: Browser, browser: Browsers, elsewhere: str
) -> None:
    someone = browser()
    form = someone.page("/signin?next=" + elsewhere)
    assert 'name="next" value="/"' in form
    where = sign_in(someone, "dora", "dora by the sea", elsewhere)
    assert where == "/"
    newcomer = browser()
    joined = newcomer.post(
        "/signup", {"name": "eve", "email": "eve@seaside.example",
                    "password": "eve by the sea", "next": elsewhere}, form_on="/signup")
    assert 'href="/signin?next=/"' in joined.text  # signing up now leads to signing in
    assert someone.submit("/language", {"lang": "de", "next": elsewhere}) == "/"


def test_a_page_for_members_only_sends_a_stranger_to_sign_in_and_back(
    dora: Browser, browser: Browsers
) -> None:
    someone = browser()
    answer = someone.get("/account")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=%2Faccount"
    back = unquote(urlsplit(answer.headers["location"]).query.removeprefix("next="))
    assert sign_in(someone, "dora", "dora by the sea", back) == "/account"


def test_signing_out_forgets_the_session(dora: Browser) -> None:
    assert dora.submit("/signout") == "/"
    assert signed_in_as(dora) is None
    assert dora.get("/account").status_code == 303


# The account


def test_the_display_name_and_language_are_saved(dora: Browser) -> None:
    dora.submit("/account", {"display_name": "Dora from the dunes", "locale": "de"},
                form_on="/account")
    page = dora.page("/account")
    assert 'value="Dora from the dunes"' in page
    assert '<html lang="de">' in page
    assert re.search(r'<option value="de" lang="de" selected>', page)


def test_an_api_token_is_shown_once_and_signs_scripts_in_until_revoked(
    dora: Browser, browser: Browsers
) -> None:
    assert "new-token" not in dora.page("/account")
    dora.submit("/account/tokens", {"label": "my script"}, form_on="/account")
    shown = dora.page("/account")
    found = re.search(r'id="new-token">([^<]+)<', shown)
    assert found is not None
    token = found.group(1)
    assert "my script" in text_of(shown)
    assert token not in dora.page("/account"), "a token is shown only once"

    script = browser()  # no session cookie: the token alone signs it in
    me = script.get("/api/v1/me", Authorization=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["name"] == "dora"

    revoke = re.search(r'action="(/account/tokens/[^"]+/revoke)"', dora.page("/account"))
    assert revoke is not None
    dora.submit(revoke.group(1), form_on="/account")
    assert "The token is revoked." in dora.text("/account")
    assert script.get("/api/v1/me", Authorization=f"Bearer {token}").status_code == 401


def test_a_token_made_on_the_page_has_the_scope_and_days_chosen(
    dora: Browser, browser: Browsers
) -> None:
    dora.submit("/account/tokens", {"label": "cron", "scope": "read", "days": "7"},
                form_on="/account")
    shown = dora.page("/account")
    found = re.search(r'id="new-token">([^<]+)<', shown)
    assert found is not None
    row = re.search(r"<td>cron</td>(.*?)</tr>", shown, re.S)
    assert row is not None and "read only" in text_of(row.group(1))
    script = browser()
    bearer = {"Authorization": f"Bearer {found.group(1)}"}
    (listed,) = [t for t in script.get("/api/v1/me/tokens", **bearer).json()
                 if t["label"] == "cron"]
    assert listed["scope"] == "read"
    made, expires = (datetime.fromisoformat(listed[k]) for k in ("created_at", "expires_at"))
    assert expires - made == timedelta(days=7)
    refused = dora.post("/account/tokens", {"label": "forever", "days": "400"},
                        form_on="/account")
    assert refused.status_code == 422
    assert "forever" not in dora.text("/account")


def test_a_bearer_token_does_not_open_the_account_page(dora: Browser, browser: Browsers
                                                       ) -> None:
    dora.submit("/account/tokens", {"label": "script"}, form_on="/account")
    found = re.search(r'id="new-token">([^<]+)<', dora.page("/account"))
    assert found is not None
    script = browser()
    page = script.get("/account", Authorization=f"Bearer {found.group(1)}")
    assert page.status_code != 200
    assert "dora@seaside.example" not in page.text


def test_sign_ups_from_one_address_are_limited(app: FastAPI, browser: Browsers) -> None:
    minute = timedelta(minutes=1)
    with kept_in(app, "security", SecurityPolicy(sign_up_limit=LimitRule(1, 60 * minute,
                                                                         60 * minute))):
        browser().post("/signup", {"name": "ezra", "email": "ezra@seaside.example",
                                   "password": "ezra by the sea"}, form_on="/signup")
        someone = browser()
        refused = someone.post("/signup", {"name": "finn", "email": "finn@seaside.example",
                                           "password": "finn by the sea"}, form_on="/signup")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "3600"
    assert "Too many tries from your address lately." in text_of(refused.text)
    assert signed_in_as(someone) is None


def test_accepting_invitations_from_one_address_is_limited_on_the_page(
    app: FastAPI, dora: Browser
) -> None:
    hour = timedelta(hours=1)
    with kept_in(app, "security", SecurityPolicy(sign_up_limit=LimitRule(2, hour, hour))):
        first = dora.post("/invitations/nope.1", form_on="/invitations/nope.1")
        refused = dora.post("/invitations/nope.2", form_on="/invitations/nope.2")
    assert first.status_code == 404  # dora's sign-up and this try: two, the limit
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "3600")
    assert "Too many tries from your address lately." in text_of(refused.text)


def test_changing_the_password(dora: Browser, browser: Browsers) -> None:
    dora.submit("/account/password", {"old_password": "dora by the sea",
                                      "new_password": "dora in the dunes"}, form_on="/account")
    assert "Your password is changed." in dora.text("/account")
    assert browser().post("/signin", {"login": "dora", "password": "dora by the sea"},
                          form_on="/signin").status_code == 403
    assert sign_in(browser(), "dora", "dora in the dunes") == "/"


def test_a_wrong_current_password_changes_nothing_and_keeps_one_signed_in(
    dora: Browser, browser: Browsers
) -> None:
    answer = dora.post("/account/password", {"old_password": "not dora's",
                                             "new_password": "dora in the dunes"},
                       form_on="/account")
    assert answer.status_code == 403
    assert "Your current password is not the one you gave." in text_of(answer.text)
    assert signed_in_as(dora) == "dora"
    assert sign_in(browser(), "dora", "dora by the sea") == "/"


def test_a_too_short_new_password_is_explained(dora: Browser, browser: Browsers) -> None:
    answer = dora.post("/account/password", {"old_password": "dora by the sea",
                                             "new_password": "short"}, form_on="/account")
    assert answer.status_code == 422
    assert "A password is at least 8 characters long." in text_of(answer.text)
    assert sign_in(browser(), "dora", "dora by the sea") == "/"


# The language of the pages


def test_the_browser_s_language_is_spoken(browser: Browsers) -> None:
    someone = browser()
    answer = someone.get("/signin", **{"Accept-Language": "de-CH, de;q=0.9, en;q=0.5"})
    assert answer.headers["Content-Language"] == "de"
    assert '<html lang="de">' in answer.text
    english = someone.get("/signin", **{"Accept-Language": "fr, en;q=0.5"})
    assert english.headers["Content-Language"] == "en"
    assert '<html lang="en">' in english.text


def test_the_language_switch_is_kept_and_returns_to_the_page(dora: Browser) -> None:
    assert dora.submit("/language", {"lang": "de", "next": "/account"}) == "/account"
    answer = dora.get("/account", **{"Accept-Language": "en"})
    assert answer.headers["Content-Language"] == "de"
    assert '<html lang="de">' in answer.text
    dora.submit("/signout")
    assert '<html lang="de">' in dora.page("/signin"), "signing out keeps the language"


def test_a_signed_in_person_s_language_follows_them(dora: Browser, browser: Browsers) -> None:
    dora.submit("/language", {"lang": "de", "next": "/"})
    elsewhere = browser()
    sign_in(elsewhere, "dora", "dora by the sea")
    assert '<html lang="de">' in elsewhere.page("/")


def test_switching_the_language_on_the_sign_in_page_keeps_where_it_leads(
    browser: Browsers
) -> None:
    someone = browser()
    page = someone.page("/signin?next=/pools/seaside")
    found = re.search(r'name="next" value="([^"]*)"', page.split("<footer>")[1])
    assert found is not None
    assert someone.submit("/language", {"lang": "de", "next": found.group(1).replace(
        "&amp;", "&")}) == "/signin?next=%2Fpools%2Fseaside"


def test_an_unknown_language_is_refused(dora: Browser) -> None:
    answer = dora.post("/language", {"lang": "xx", "next": "/"})
    assert answer.status_code == 422
    assert "lang: must be one of en, de" in text_of(answer.text)


# Lockouts, sessions and password resets


@contextmanager
def kept_in(app: FastAPI, name: str, value: object) -> Iterator[None]:
    """``app.state.<name>`` is ``value`` inside (the app is shared: what was there comes
    back; monkeypatch would delete it, since the state keeps its values in a dictionary)."""
    before = getattr(app.state, name, None)
    setattr(app.state, name, value)
    try:
        yield
    finally:
        setattr(app.state, name, before)


@pytest.fixture
def clock(app: FastAPI) -> Iterator[Clock]:
    found = Clock()
    with kept_in(app, "clock", found):
        yield found


@pytest.fixture
def outbox(app: FastAPI) -> Iterator[Outbox]:
    found = Outbox(app)
    with kept_in(app, "mailer", found):
        yield found


def test_five_wrong_passwords_lock_the_account_for_a_while(
    clock: Clock, dora: Browser, browser: Browsers
) -> None:
    someone = browser()
    for _ in range(5):
        assert someone.post("/signin", {"login": "dora", "password": "a guess"},
                            form_on="/signin").status_code == 403
    locked = someone.post("/signin", {"login": "dora", "password": "dora by the sea"},
                          form_on="/signin")
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "900"
    said = ("Too many failed sign-ins. Please wait 15 minutes and try again, or reset your"
            " password.")
    assert said in text_of(locked.text)
    assert signed_in_as(someone) is None
    clock.wait(minutes=15)
    assert sign_in(someone, "dora", "dora by the sea") == "/"


def test_a_lockout_tells_nothing_of_whether_the_account_exists(
    clock: Clock, dora: Browser, browser: Browsers
) -> None:
    said = []
    for login in ("dora", "zoe"):
        someone = browser()
        for _ in range(6):
            answer = someone.post("/signin", {"login": login, "password": "a guess"},
                                  form_on="/signin")
        said.append((answer.status_code, text_of(answer.text).replace(login, "")))
    assert said[0] == said[1]
    assert said[0][0] == 429


def copy_cookies(source: Browser | list[Cookie], target: Browser) -> None:
    """Give ``target`` the cookies of ``source`` (a browser, or cookies kept before)."""
    cookies = list(source.client.cookies.jar) if isinstance(source, Browser) else source
    target.client.cookies.clear()
    for cookie in cookies:
        target.client.cookies.jar.set_cookie(copy.copy(cookie))


def test_signing_out_ends_the_session_for_a_copy_of_its_cookie_too(
    dora: Browser, browser: Browsers
) -> None:
    thief = browser()
    copy_cookies(dora, thief)
    assert signed_in_as(thief) == "dora"
    dora.submit("/signout")
    assert signed_in_as(thief) is None
    assert thief.get("/account").status_code == 303


def test_signing_in_begins_a_new_session_so_a_planted_one_signs_nobody_in(
    dora: Browser, browser: Browsers
) -> None:
    victim, attacker = browser(), browser()
    attacker.page("/signin")  # a session of the attacker's, planted in the victim's browser
    copy_cookies(attacker, victim)
    assert sign_in(victim, "dora", "dora by the sea") == "/"
    assert signed_in_as(victim) == "dora"
    assert signed_in_as(attacker) is None
    before = list(victim.client.cookies.jar)
    assert sign_in(victim, "dora", "dora by the sea") == "/"  # again: the old one ends
    copy_cookies(before, attacker)
    assert signed_in_as(attacker) is None
    assert signed_in_as(victim) == "dora"


def test_a_session_unused_for_two_days_ends(clock: Clock, browser: Browsers) -> None:
    dora = sign_up(browser(), "dora")
    clock.wait(days=1, hours=23)
    assert signed_in_as(dora) == "dora"
    clock.wait(days=2)
    assert signed_in_as(dora) is None
    assert dora.get("/account").status_code == 303


def test_a_new_password_signs_out_every_other_browser(dora: Browser, browser: Browsers) -> None:
    laptop = browser()
    sign_in(laptop, "dora", "dora by the sea")
    dora.submit("/account/password", {"old_password": "dora by the sea",
                                      "new_password": "dora in the dunes"}, form_on="/account")
    assert signed_in_as(dora) == "dora"
    assert signed_in_as(laptop) is None


def test_guessing_the_current_password_locks_the_account_too(dora: Browser) -> None:
    for _ in range(5):
        wrong = dora.post("/account/password", {"old_password": "a guess",
                                                "new_password": "dora in the dunes"},
                          form_on="/account")
        assert wrong.status_code == 403
    locked = dora.post("/account/password", {"old_password": "dora by the sea",
                                             "new_password": "dora in the dunes"},
                       form_on="/account")
    assert locked.status_code == 429
    assert "Too many failed sign-ins." in text_of(locked.text)
    assert signed_in_as(dora) == "dora"


def test_every_other_browser_is_signed_out_from_the_account_page(
    dora: Browser, browser: Browsers
) -> None:
    laptop, phone = browser(), browser()
    for other in (laptop, phone):
        sign_in(other, "dora", "dora by the sea")
    assert dora.submit("/account/sessions/end-others", form_on="/account") == "/account"
    assert "Every other browser is signed out." in dora.text("/account")
    assert [signed_in_as(b) for b in (dora, laptop, phone)] == ["dora", None, None]


def _reset_link(outbox: Outbox, email: str) -> str:
    (notice,) = [n for n in outbox.sent if n.to == email]
    _, body = notice.written()
    found = re.search(r"^(/reset/\S+)$", body, re.MULTILINE)  # a path, written out when sent
    assert found is not None, body
    return found.group(1)


def test_a_forgotten_password_is_reset_by_a_mailed_link_used_once(
    outbox: Outbox, dora: Browser, browser: Browsers
) -> None:
    someone = browser()
    assert "Forgot your password?" in someone.text("/signin")
    answer = someone.post("/reset", {"email": "Dora@Seaside.example"}, form_on="/reset")
    assert answer.status_code == 200
    assert "a link to choose a new password is on its way" in text_of(answer.text)
    link = _reset_link(outbox, "dora@seaside.example")
    assert "Choose a new password" in someone.text(link)
    assert someone.submit(link, {"password": "dora in the dunes"}, form_on=link) == "/signin"
    assert "Your new password is set: sign in with it." in someone.text("/signin")
    assert signed_in_as(dora) is None, "every session of the account ends"
    assert sign_in(someone, "dora", "dora in the dunes") == "/"
    again = browser().get(link)
    assert again.status_code == 410
    assert "cannot be used: it was used already" in text_of(again.text)
    used = browser().post(link, {"password": "dora on the pier"}, form_on="/reset")
    assert used.status_code == 410
    assert sign_in(browser(), "dora", "dora in the dunes") == "/"


def test_asking_a_reset_for_an_unknown_email_answers_the_same_and_mails_nothing(
    outbox: Outbox, dora: Browser, browser: Browsers
) -> None:
    said = [
        text_of(browser().post("/reset", {"email": email}, form_on="/reset").text)
        for email in ("dora@seaside.example", "zoe@seaside.example")
    ]
    assert said[0] == said[1]
    assert [n.to for n in outbox.sent] == ["dora@seaside.example"]


def test_a_fourth_link_within_the_hour_is_refused_clearly(
    outbox: Outbox, dora: Browser, browser: Browsers
) -> None:
    someone = browser()
    for _ in range(3):
        someone.post("/reset", {"email": "dora@seaside.example"}, form_on="/reset")
    answer = someone.post("/reset", {"email": "dora@seaside.example"}, form_on="/reset")
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "3600"
    assert ("Too many links were asked for lately. Please wait 60 minutes and try again."
            in text_of(answer.text))
    assert len(outbox.sent) == 3


def test_an_expired_reset_link_and_a_short_password_are_explained(
    clock: Clock, outbox: Outbox, dora: Browser, browser: Browsers
) -> None:
    someone = browser()
    someone.post("/reset", {"email": "dora@seaside.example"}, form_on="/reset")
    link = _reset_link(outbox, "dora@seaside.example")
    short = someone.post(link, {"password": "short"}, form_on=link)
    assert short.status_code == 422
    assert "A password is at least 8 characters long." in text_of(short.text)
    clock.wait(hours=1)
    assert someone.get(link).status_code == 410
    assert sign_in(browser(), "dora", "dora by the sea") == "/"
