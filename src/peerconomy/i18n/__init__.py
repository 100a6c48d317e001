"""Languages: which one a request is answered in, and its translations, for the pages
(:mod:`peerconomy.web`) and the mail (:mod:`peerconomy.mailer`) alike.

English is the source language; the other catalogs are gettext ``.po`` files under this
package's ``locale/<lang>/LC_MESSAGES/messages.po``, read with Babel when first needed and
compiled in memory (no compile step, no ``.mo`` file in the repository).

A request's language, first match wins: ``?lang=`` on the URL, the language chosen with the
footer's switch (kept in the session; signing in puts the user's saved language there), the
browser's ``Accept-Language``, English.

>>> negotiate("de-CH, de;q=0.9, en;q=0.5")
'de'
>>> negotiate("fr, en-GB;q=0.8")
'en'
>>> negotiate("fr")
'en'
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from importlib.resources import files
from io import BytesIO
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "N_",
    "Gettext",
    "active_locale",
    "active_translations",
    "gettext_for",
    "locale_of",
    "negotiate",
    "translations",
    "using",
]

DEFAULT: Final = "en"
LANGUAGES: Final[dict[str, str]] = {"en": "English", "de": "Deutsch"}
"""The shipped languages, each named in itself (as the switch offers them)."""

Gettext = Callable[[str], str]

_translations: ContextVar[NullTranslations | None] = ContextVar("translations", default=None)
_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; it is translated where it is shown."""
    return message


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The translations into ``lang`` (none for English, the source language)."""
    if lang == DEFAULT or lang not in LANGUAGES:
        return NullTranslations()
    source = files("peerconomy.i18n") / "locale" / lang / "LC_MESSAGES" / "messages.po"
    with source.open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def negotiate(header: str, available: tuple[str, ...] = tuple(LANGUAGES)) -> str:
    """The best of ``available`` for an ``Accept-Language`` header (English if none fits)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.split("-")[0]
        if primary in available:
            return primary
        if tag == "*":
            return available[0]
    return DEFAULT


def locale_of(request: Request) -> str:
    """The language to answer ``request`` in (see the module's docstring)."""
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        return chosen
    saved = request.session.get("lang") if "session" in request.scope else None
    if isinstance(saved, str) and saved in LANGUAGES:
        return saved
    return negotiate(request.headers.get("Accept-Language", ""))


def gettext_for(request: Request) -> Gettext:
    """``_`` for messages made in Python while answering ``request``."""
    return translations(locale_of(request)).gettext


class using:
    """Within the block, templates and :func:`active_translations` speak ``lang``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __enter__(self) -> NullTranslations:
        found = translations(self.lang)
        self._tokens = (_translations.set(found), _locale.set(self.lang))
        return found

    def __exit__(self, *_: object) -> None:
        _translations.reset(self._tokens[0])
        _locale.reset(self._tokens[1])


def active_translations() -> NullTranslations:
    """The translations of the language being rendered (English outside :class:`using`)."""
    return _translations.get() or translations(DEFAULT)


def active_locale() -> str:
    """The language being rendered."""
    return _locale.get()
