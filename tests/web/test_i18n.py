"""The pages and notices speak German: the catalog has every message the source marks, and
pages answer in the language a person asks for.

The messages are extracted from the source here, with the mapping ``pybabel extract`` uses
(``babel.cfg``), so a string marked for translation and not yet translated fails this test;
docs/translating.md tells how to update the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from browsing import Browser, text_of

from peerconomy.i18n import negotiate, translations

ROOT: Final = Path(__file__).resolve().parents[2]
SOURCE: Final = ROOT / "src" / "peerconomy"
GERMAN: Final = SOURCE / "i18n" / "locale" / "de" / "LC_MESSAGES" / "messages.po"
UPDATE: Final = (
    "pybabel extract -F babel.cfg -c TRANSLATORS: --add-location=file -o /tmp/messages.pot"
    " src/peerconomy && "
    "pybabel update -i /tmp/messages.pot -d src/peerconomy/i18n/locale --ignore-obsolete"
)
"""The commands (in the repository's root) that bring the catalogs up to date."""

_PLACEHOLDER: Final = re.compile(r"%\((\w+)\)[sdifr]|%[sdifr]")
_MARKUP: Final = re.compile(r"<[^>]*>|&\w+;")

Key = tuple[str, str | None]
"""A message's msgid (the singular, for plurals) and context."""


def _key(message: Message) -> Key:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _strings(message: Message) -> tuple[str, ...]:
    found = message.string
    return (found,) if isinstance(found, str) else tuple(s or "" for s in found)


def _ids(message: Message) -> tuple[str, ...]:
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


@pytest.fixture(scope="module")
def source() -> Catalog:
    """Every message the source marks for translation, as ``pybabel extract`` finds them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as mapping:
        methods, options = parse_mapping_cfg(mapping)
    found = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCE, methods, options, keywords=DEFAULT_KEYWORDS
    ):
        found.add(message, None, [(filename, lineno)], auto_comments=comments,
                  context=context)
    return found


@pytest.fixture(scope="module")
def german() -> Catalog:
    with GERMAN.open("rb") as po:
        return read_po(po, locale="de")


def _listing(keys: list[Key]) -> str:
    return "\n".join(f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "")
                     for msgid, ctx in keys)


# The German catalog


def test_the_source_marks_messages_in_templates_python_and_notices(source: Catalog) -> None:
    where = {filename for m in source for filename, _ in m.locations}
    assert any(f.endswith(".html") for f in where)
    assert any(f.startswith("web/") and f.endswith(".py") for f in where)
    assert "services/notices.py" in where
    assert "Reset your password" in source  # the reset email, with the other notices
    assert len(source) > 250


def test_every_message_has_a_german_translation(source: Catalog, german: Catalog) -> None:
    missing = [
        _key(m) for m in source
        if m.id and ((found := german.get(m.id, m.context)) is None
                     or not all(_strings(found)) or found.fuzzy)
    ]
    assert not missing, (
        f"{len(missing)} message(s) without a German translation (or marked fuzzy):\n"
        f"{_listing(missing)}\nUpdate the catalog with\n  {UPDATE}\nthen translate the new "
        f"entries in {GERMAN.relative_to(ROOT)} (docs/translating.md)."
    )


def test_the_catalog_keeps_no_messages_the_source_has_dropped(
    source: Catalog, german: Catalog
) -> None:
    marked = {_key(m) for m in source if m.id}
    dropped = [_key(m) for m in german if m.id and _key(m) not in marked]
    assert not dropped, (
        f"{len(dropped)} message(s) in {GERMAN.relative_to(ROOT)} that the source no longer "
        f"has:\n{_listing(dropped)}\nRemove them with\n  {UPDATE}"
    )
    assert not german.obsolete, f"obsolete entries: {list(german.obsolete)}; run {UPDATE}"


def test_translations_keep_the_placeholders_and_markup(german: Catalog) -> None:
    wrong = [f"{_key(m)[0]!r}: {[str(e) for e in errors]}" for m, errors in german.check()]
    for m in german:
        if not m.id or not all(_strings(m)):
            continue
        ids = _ids(m)
        allowed = {p for original in ids for p in _PLACEHOLDER.findall(original)}
        for said in _strings(m):
            kept = set(_PLACEHOLDER.findall(said))
            # A plural's forms may drop a placeholder ("ein Eintrag"), never add one.
            if kept != allowed if len(ids) == 1 else not kept <= allowed:
                wrong.append(f"{ids[0]!r} -> {said!r}")
            if sorted(_MARKUP.findall(said)) != sorted(_MARKUP.findall(ids[-1])):
                wrong.append(f"{ids[0]!r} -> {said!r} (markup)")
    assert not wrong, "translations that change placeholders or markup:\n" + "\n".join(wrong)


def test_the_catalog_is_read_at_run_time() -> None:
    german = translations("de")
    assert german.gettext("Hint board") == "Hinweistafel"
    assert german.gettext("a message nobody marked") == "a message nobody marked"
    assert translations("en").gettext("Hint board") == "Hint board"
    assert translations("xx").gettext("Hint board") == "Hint board"


# Pages in the language asked for


@pytest.fixture
def someone(browser: Callable[[], Browser]) -> Browser:
    return browser()


GERMAN_BROWSER: Final = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}


def test_a_german_browser_gets_german_pages(someone: Browser) -> None:
    answer = someone.get("/signin", **GERMAN_BROWSER)
    assert answer.headers["Content-Language"] == "de"
    assert '<html lang="de">' in answer.text
    assert "<h1>Anmelden</h1>" in answer.text
    assert "Benutzername oder E-Mail" in text_of(answer.text)
    assert "Sign in" not in text_of(answer.text)


def test_lang_on_the_url_overrides_the_browser(someone: Browser) -> None:
    answer = someone.get("/signin?lang=en", **GERMAN_BROWSER)
    assert answer.headers["Content-Language"] == "en"
    assert '<html lang="en">' in answer.text
    assert "<h1>Sign in</h1>" in answer.text
    german = someone.get("/signin?lang=de", **{"Accept-Language": "en"})
    assert "<h1>Anmelden</h1>" in german.text


def test_an_unknown_lang_on_the_url_is_ignored(someone: Browser) -> None:
    assert "<h1>Anmelden</h1>" in someone.page("/signin?lang=xx", **GERMAN_BROWSER)
    assert "<h1>Sign in</h1>" in someone.page("/signin?lang=xx")


_PAGES: Final = ["/", "/account", "/pools/seaside", "/pools/seaside/tasks",
                 "/pools/seaside/goods", "/pools/seaside/hints", "/pools/seaside/ledger",
                 "/pools/seaside/projects", "/pools/seaside/period"]


def test_german_pages_show_no_english_message(
    settled: dict[str, Browser], source: Catalog, german: Catalog
) -> None:
    """A coordinator's pages after a settled period, in German: no message of the source
    shows in English (this catches a template message that extraction reads differently from
    the pages, which the catalog then never translates)."""
    english = sorted(
        {m.id for m in source if isinstance(m.id, str) and " " in m.id and "%" not in m.id
         and (found := german.get(m.id)) is not None and found.string != m.id},
        key=len, reverse=True,
    )
    ana = settled["ana"]
    ana.page("/")  # takes the note of the settling off the session: flashes are not looked at
    shown: dict[str, list[str]] = {}
    for url in _PAGES:
        html = ana.page(url, **GERMAN_BROWSER)
        assert '<html lang="de">' in html, url
        text = text_of(html)
        shown[url] = [msgid for msgid in english if msgid in text]
    assert not any(shown.values()), shown


def test_python_made_messages_are_german_too(cleared: dict[str, Browser]) -> None:
    text = cleared["ben"].text("/pools/seaside", **GERMAN_BROWSER)
    assert "Trag die Stunden ein, die du für deine Zuteilungen gearbeitet hast." in text
    feed = cleared["ben"].get("/pools/seaside/hints.atom", **GERMAN_BROWSER)
    assert "Hinweistafel von seaside" in feed.text


# Negotiating the language with Accept-Language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "en"),
        ("de", "de"),
        ("DE-at", "de"),
        ("de-CH, de;q=0.9, en;q=0.5", "de"),
        ("en;q=0.5, de;q=0.9", "de"),
        ("de, en", "de"),
        ("en, de", "en"),
        ("fr, de;q=0.1", "de"),
        ("fr, it", "en"),
        ("zh-Hant-TW;q=0.9, de-CH;q=0.8", "de"),
        ("de;q=0, fr", "en"),
        ("de;q=0.0, en;q=0.1", "en"),
        ("de;q=nonsense, fr", "en"),
        ("*", "en"),
        ("fr, *;q=0.5", "en"),
        ("*;q=0", "en"),
        (" de ; q=0.8 ,  en ; q=0.7 ", "de"),
        (",,;q=1, de", "de"),
        ("x-klingon, de;q=0.5", "de"),
    ],
)
def test_negotiate_picks_the_best_language_offered(header: str, expected: str) -> None:
    assert negotiate(header) == expected


def test_negotiate_picks_only_from_what_is_available() -> None:
    assert negotiate("de, en;q=0.5", available=("en",)) == "en"
    assert negotiate("fr, de;q=0.5", available=("de", "en")) == "de"
    assert negotiate("*", available=("de", "en")) == "de"
