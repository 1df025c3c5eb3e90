"""The public site in the visitor's language: message catalogues (gettext .po, read with Babel),
a language per request, and dates, numbers and country names in that language's conventions.

The language travels in the path (/public/es/...), never in a cookie: the site stores nothing
about its visitors. English is the source language; a catalogue is complete when every message
of the templates has a translation (a test checks it), so no page mixes languages.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).with_name("locale")


@dataclass(frozen=True)
class Language:
    code: str  # the path segment: /public/<code>/...
    tag: str  # BCP 47, for lang="" and hreflang=""
    babel: str  # Babel locale for dates, numbers, country names
    name: str  # in the language itself, for the switch
    direction: str = "ltr"  # "rtl" for Arabic, Hebrew, Persian, Urdu: the layout follows


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en-GB", "en_GB", "English"),
    "es": Language("es", "es-ES", "es_ES", "Español"),
}
DEFAULT = "en"
CURRENT: ContextVar[str] = ContextVar("public_language", default=DEFAULT)
PATH: ContextVar[str] = ContextVar("public_path", default="/public")  # language-free
# A language the visitor's browser prefers over the one shown: offered as a link, never forced.
SUGGESTED: ContextVar[str | None] = ContextVar("public_language_suggested", default=None)


@cache
def translations(code: str) -> NullTranslations:
    """The catalogue of `code`, compiled in memory from its .po file (English: identity)."""
    if code == DEFAULT:
        return NullTranslations()
    po = LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=LANGUAGES[code].babel)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)


def language() -> Language:
    return LANGUAGES[CURRENT.get()]


def gettext(message: str) -> str:
    return translations(CURRENT.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(CURRENT.get()).ngettext(singular, plural, n)


def number(value: int | float) -> str:
    return format_decimal(value, locale=language().babel)


def long_date(value: date | datetime) -> str:
    return format_date(value, format="long", locale=language().babel)


def country(code: str | None) -> str | None:
    """The country's name in the visitor's language (Babel's CLDR data), None if unknown."""
    if not code:
        return None
    return Locale.parse(language().babel).territories.get(code.upper())


def localised_path(path: str, code: str) -> str:
    """`path` (a /public... path in any language) as seen in language `code`."""
    rest = strip_language(path)[1]
    return "/public" + ("" if code == DEFAULT else f"/{code}") + rest[len("/public"):]


def strip_language(path: str) -> tuple[str, str]:
    """(language code, path without its language segment)."""
    for code in LANGUAGES:
        prefix = f"/public/{code}"
        if code != DEFAULT and (path == prefix or path.startswith(prefix + "/")):
            return code, "/public" + path[len(prefix):]
    return DEFAULT, path


def href(path: str) -> str:
    """A link inside the public site that keeps the visitor's language."""
    return localised_path(path, CURRENT.get())


def preferred(accept_language: str, shown: str) -> str | None:
    """The first supported language of an Accept-Language header, if it is not `shown`."""
    ranked = []
    for i, part in enumerate(accept_language.split(",")[:20]):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        ranked.append((-weight, i, tag.strip().split("-")[0].lower()))
    for _w, _i, code in sorted(ranked):
        if code in LANGUAGES:
            return None if code == shown else code
    return None


def template_globals() -> dict[str, Any]:
    return {"href": href, "number": number, "long_date": long_date, "language": language,
            "languages": LANGUAGES, "localised_path": localised_path,
            "suggested": lambda: SUGGESTED.get(), "current_path": lambda: PATH.get()}
