"""The public site in English and Spanish: complete catalogues, localised pages, a language switch
that keeps the page, and a layout ready for right-to-left scripts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from ncb.web.public import i18n, service_messages
from tests.web.test_workbench_pages import app  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_CSS = ROOT / "ncb" / "web" / "static" / "public.css"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
METHOD_MAP = [("ncb/web/templates/public/**.html", "jinja2"), ("ncb/web/public/**.py", "python")]
OPTIONS = {"ncb/web/templates/public/**.html": {"extensions": "jinja2.ext.i18n",
                                                "trim_blocks": "true", "lstrip_blocks": "true"}}


def _extracted() -> set[str]:
    found = extract_from_dir(str(ROOT), METHOD_MAP, options_map=OPTIONS,
                             keywords={"_": None, "gettext": None, "N_": None})
    return {msg for _file, _line, msg, _comments, _ctx in found if isinstance(msg, str)}


def test_every_public_message_has_a_spanish_translation_with_the_same_placeholders() -> None:
    messages = _extracted()
    assert len(messages) > 80  # the extraction really read the templates
    spanish = i18n.translations("es")
    for msg in messages:
        translated = spanish.gettext(msg)
        assert translated and translated != msg or msg in {"PIN"}, f"untranslated: {msg!r}"
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(msg)), msg


def test_spanish_pages_are_spanish_throughout(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = TestClient(app)
    for path, heading in (("/public/es", "Los más buscados"),
                          ("/public/es/bureau", "Nuestro trabajo internacional"),
                          ("/public/es/contact", "Contacto"), ("/public/es/tip", "Dar información"),
                          ("/public/es/follow-up", "Consultar su referencia"),
                          ("/public/es/about", "Su anonimato")):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-language"] == "es-ES"
        assert '<html lang="es-ES" dir="ltr">' in r.text
        assert f"<h1>{heading}" in r.text, path
        site_links = [h for h in re.findall(r'href="(/public[^"]*)"', r.text) if 'hreflang' not in h]
        nav = re.search(r'<nav aria-label="Sitio">(.*?)</nav>', r.text, re.S)
        assert nav, path
        assert all(h.startswith("/public/es") for h in re.findall(r'href="([^"]+)"', nav.group(1)))
        assert site_links
    missing = client.get("/public/es/no-such-page")
    assert missing.status_code == 404 and "No encontrado" in missing.text


def test_numbers_dates_and_countries_follow_the_language(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = TestClient(app)
    listing = client.get("/public/es").text
    public_id = re.search(r'href="/public/es/appeals/([^"]+)"', listing).group(1)  # type: ignore[union-attr]
    en = client.get(f"/public/appeals/{public_id}").text
    es = client.get(f"/public/es/appeals/{public_id}").text
    en_date = re.search(r'<time datetime="(\d{4})-(\d\d)-(\d\d)">([^<]+)</time>', en)
    es_date = re.search(r'<time datetime="[^"]+">([^<]+)</time>', es)
    assert en_date and es_date
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", en_date.group(4))  # 3 December 2026
    assert re.fullmatch(r"\d{1,2} de [a-z]+ de \d{4}", es_date.group(1))  # 3 de diciembre de 2026
    # Country names from CLDR in the page's language (the demo appeals are aimed at Spain).
    assert "Se cree que está en" in es
    assert ("España" in listing) == ("Spain" in client.get("/public").text)


def test_language_switch_keeps_the_page_and_browsers_get_an_offer(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = TestClient(app)
    english = client.get("/public/bureau").text
    assert '<a href="/public/es/bureau" hreflang="es-ES" lang="es-ES">Español</a>' in english
    assert '<link rel="alternate" hreflang="es-ES" href="/public/es/bureau">' in english
    spanish = client.get("/public/es/bureau").text
    assert '<a href="/public/bureau" hreflang="en-GB" lang="en-GB">English</a>' in spanish
    offered = client.get("/public/bureau", headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    assert '<p class="suggest" lang="es-ES"><a href="/public/es/bureau"' in offered.text
    assert 'class="suggest"' not in client.get("/public/bureau",
                                               headers={"accept-language": "en-GB,es;q=0.2"}).text
    assert 'class="suggest"' not in client.get("/public/es/bureau",
                                               headers={"accept-language": "es"}).text
    # No cookie carries the language: the site stores nothing about its visitors.
    assert "set-cookie" not in client.get("/public/es").headers


def test_the_layout_uses_logical_sides_only_so_rtl_languages_mirror() -> None:
    css = PUBLIC_CSS.read_text()
    physical = re.findall(r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b|(?<![\w-])(?:left|right):",
                          css)
    assert physical == [], f"physical sides in public.css: {physical}"
    assert all(lang.direction in ("ltr", "rtl") for lang in i18n.LANGUAGES.values())


def test_make_i18n_keeps_every_shipped_entry_and_misses_none() -> None:
    """`make i18n` (extract, then update with --ignore-obsolete) drops every catalogue entry the
    extraction does not find: a message that reaches a page as a value must be marked, or its
    Spanish goes with the next run. Both ways: nothing dropped, nothing left to add."""
    po = ROOT / "ncb" / "web" / "public" / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        shipped = {m.id for m in read_po(fh) if m.id and isinstance(m.id, str)}
    extracted = _extracted()
    assert not shipped - extracted, f"make i18n would drop: {sorted(shipped - extracted)}"
    assert not extracted - shipped, f"not in the catalogue yet: {sorted(extracted - shipped)}"


def test_marked_service_messages_are_what_the_services_still_say() -> None:
    """A marked message the services no longer produce is a translation nobody sees (and the
    reworded message shows in English): each marked one is a string constant in ncb/."""
    constants: set[str] = set()
    for path in (ROOT / "ncb").rglob("*.py"):
        if path.name == "service_messages.py":
            continue
        constants |= {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert [m for m in service_messages.MARKED if m not in constants] == []


def test_a_service_refusal_reads_in_spanish(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = TestClient(app)
    r = client.post("/public/es/follow-up", data={"reference": "NOPE-0000", "pin": "000000"})
    assert "the reference code or PIN" not in r.text
    assert spanish_of("the reference code or PIN is not right") in r.text


def spanish_of(message: str) -> str:
    return i18n.translations("es").gettext(message)
