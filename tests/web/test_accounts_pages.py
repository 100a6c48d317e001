"""A person's own pages: signing up, in and out, the account (password, API tokens) and the
language the pages speak."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import pytest
from browsing import Browser, sign_up, text_of

Browsers = Callable[[], Browser]


@pytest.fixture
def dora(browser: Browsers) -> Browser:
    """Dora, signed up (password ``dora by the sea``) and signed in."""
    return sign_up(browser(), "dora")


def signed_in_as(who: Browser) -> str | None:
    """Whom the header of the home page names as signed in (None: nobody)."""
    found = re.search(r"Your account \(([^)]+)\)", who.text("/"))
    return found.group(1) if found else None


def sign_in(who: Browser, login: str, password: str, next_: str = "/") -> str:
    """Post the sign-in form reached by ``/signin?next=...``; where it leads."""
    return who.submit("/signin", {"login": login, "password": password, "next": next_},
                      form_on="/signin")


# Signing up, in and out


def test_signing_up_makes_an_account_and_signs_in(browser: Browsers) -> None:
    someone = browser()
    assert signed_in_as(someone) is None
    where = someone.submit(
        "/signup",
        {"name": "dora", "email": "dora@seaside.example", "password": "dora by the sea",
         "display_name": "Dora D.", "next": "/pools/seaside"},
        form_on="/signup?next=/pools/seaside",
    )
    assert where == "/pools/seaside"
    assert "Welcome, dora! Your account is ready." in someone.text("/account")
    assert signed_in_as(someone) == "dora"


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
    joined = newcomer.submit(
        "/signup", {"name": "eve", "email": "eve@seaside.example",
                    "password": "eve by the sea", "next": elsewhere}, form_on="/signup")
    assert joined == "/"
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
