"""The public appeals site in chromium: publish from the workbench and find it on the site; send a
tip, handle it in the workbench, answer the follow-up with the reference code; no internal links.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from ncb.services import tips
from ncb.settings import Settings
from tests.web.seeding import PASSWORD

pytestmark = pytest.mark.browser

NAME = "Ronnie ANDERTON"
SAFE = ("/public", "/static/")


def _png(width: int = 40, height: int = 50) -> bytes:
    """A small grey silhouette-ish PNG, made here (no files, no network)."""
    rows = b""
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            dx, dy = x - width / 2, y - height * 0.36
            head = dx * dx + dy * dy < (width * 0.22) ** 2
            body = y > height * 0.62 and abs(dx) < (y - height * 0.5)
            row += bytes([90, 96, 110] if head or body else [210, 214, 220])
        rows += bytes(row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def fugitive_case(live_server_db: str) -> str:
    """A `tips` user and a fugitive case in the live server's (migrated, seeded) database."""
    from ncb.services import users
    from ncb.services.context import SYSTEM, principal_for
    from ncb.services.inputs import CaseIn
    from ncb.services.intake import intake_case
    from ncb.settings import Settings
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import make_engine, session_factory, transaction
    from ncb.store.models import User

    engine = make_engine(live_server_db)
    try:
        factory = session_factory(engine)
        settings = Settings(database_url=live_server_db)
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            if s.scalar(select(User).where(User.username == "tips")) is None:
                users.add_user(s, "tips", PASSWORD, "Tia Tips", settings.home_agency,
                               ["tip_handler"], "OFFICIAL", team_code="fugitives",
                               settings=settings)
        with transaction(factory) as s:
            sup = s.scalar(select(User).where(User.username == "supervisor")
                           .execution_options(skip_access=True))
            p = principal_for(s, sup)
            s.info[PRINCIPAL] = p
            case = intake_case(s, p, CaseIn(
                channel="eaw", country="ES", crime_area="fugitives", priority="high",
                title="Fugitive Ronnie Anderton: EAW, believed on the Costa del Sol",
                summary="Synthetic browser-test case."))
            return case.reference
    finally:
        engine.dispose()


@pytest.fixture
def quick_forms(monkeypatch: pytest.MonkeyPatch, live_settings: Settings) -> None:
    """The live server's app: let forms be sent without the human pause (NCB_TIP_FORM_MIN_SECONDS)."""
    monkeypatch.setattr(live_settings, "tip_form_min_seconds", 0)
    tips.SUBMISSIONS.reset()
    tips.PIN_FAILURES.reset()
    tips.SLOW_LANE.reset()


@pytest.fixture
def public(browser: Any, live_server: str) -> Iterator[Any]:
    """A separate, cookie-less context: the anonymous public."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.csp_errors = []
    pg.on("console", lambda m: pg.csp_errors.append(m.text)
          if "Content Security Policy" in m.text else None)
    yield pg
    assert not context.cookies(), "the public site set a cookie"
    context.close()


def _publish(page: Any, login: Any, case_ref: str, tmp_path: Any) -> None:
    login(page, "supervisor")
    photo = tmp_path / "photo.png"
    photo.write_bytes(_png())
    page.goto(f"/w/appeals/new?case={case_ref}")
    page.fill("#ap-name", NAME)
    page.fill("#ap-aliases", "Ron, The Plumber")
    page.fill("#ap-age", "52")
    page.fill("#ap-height_cm", "178")
    page.fill("#ap-distinguishing_marks", "Scar through the left eyebrow; anchor tattoo on the right wrist")
    page.fill("#ap-wanted_for", "Conspiracy to import class A drugs")
    page.fill("#ap-believed_country", "ES")
    page.set_input_files("#ap-photo", str(photo))
    page.click("button:has-text('Save draft')")
    page.wait_for_url(re.compile(r"/w/appeals/\d+\?done=drafted"))
    assert page.text_content("#appeal-state") == "draft"
    page.fill("#publish-why", "Operation Captura annual appeal, approved by the duty supervisor")
    page.click("button:has-text('Approve and publish')")
    page.wait_for_url(re.compile(r"done=published"))
    assert page.text_content("#appeal-state") == "live"
    page.goto("/w/appeals")
    assert NAME in page.text_content("main")


def test_publish_in_workbench_then_find_on_public_site(
    page: Any, public: Any, login: Any, shot: Any, fugitive_case: str, tmp_path: Any,
) -> None:
    _publish(page, login, fugitive_case, tmp_path)
    public.goto("/public")
    assert NAME in public.text_content("main")
    public.fill("input[name=q]", "plumber")
    public.click("form.filters button")
    public.wait_for_url(re.compile(r"q=plumber"))
    cards = public.locator(".card")
    assert cards.count() == 1 and NAME in cards.first.text_content()
    public.goto("/public")
    shot(public, "public-most-wanted")
    public.click(f"text={NAME}")
    assert "anchor tattoo" in public.text_content("main")
    # The photo loads after the page: wait for it rather than racing it.
    public.wait_for_function("document.querySelector('img.photo')?.complete")
    assert public.evaluate("document.querySelector('img.photo').naturalWidth") == 40
    assert fugitive_case not in public.content()
    assert not public.csp_errors


def test_send_tip_and_answer_follow_up(
    page: Any, public: Any, login: Any, shot: Any, fugitive_case: str, quick_forms: None,
    tmp_path: Any,
) -> None:
    public.goto("/public")
    if NAME not in public.text_content("main"):
        _publish(page, login, fugitive_case, tmp_path)
        page.context.clear_cookies()
    public.goto("/public/tip")
    public.select_option("#about", label=NAME)
    public.fill("#body", "He drinks at a bar by the marina in Estepona most evenings; "
                         "drives a silver Audi with Gibraltar plates.")
    shot(public, "public-tip-form")
    public.click("button:has-text('Send anonymously')")
    reference = public.text_content("#reference").strip()
    pin = public.text_content("#pin").strip()
    assert len(reference) == 10 and len(pin) == 6
    shot(public, "public-tip-receipt")

    # The tip handler sanitises and asks a question.
    page.context.clear_cookies()
    login(page, "tips")
    page.goto("/w/tips?status=received")
    # The queue names tips by their public id; the handler finds this one by its words and
    # alone sees the sender's reference code on the tip page.
    page.click("tr:has-text('silver Audi with Gibraltar plates') a")
    assert "silver Audi" in page.text_content("#raw-body")
    assert reference in page.text_content("#tip-reference")
    page.fill("#sanitised_body", "Subject reported drinking most evenings at a marina bar in "
                                 "Estepona; silver Audi, Gibraltar plates.")
    page.click("button:has-text('Save sanitised report')")
    page.wait_for_url(re.compile(r"done=sanitised"))
    page.fill("#question", "Do you know the name of the bar?")
    page.click("button:has-text('Send question')")
    page.wait_for_url(re.compile(r"done=asked"))
    tip_url = page.url

    # The supervisor dispatches it to the fugitive's case.
    page.context.clear_cookies()
    login(page, "supervisor")
    page.goto(tip_url)
    assert page.locator("#raw-body").count() == 0  # the supervisor sees the sanitised text only
    assert page.locator("#tip-reference").count() == 0 and reference not in page.content()
    assert page.input_value("#dispatch-case") == fugitive_case
    page.click("button:has-text('Dispatch')")
    page.wait_for_url(re.compile(r"done=dispatched"))
    assert page.text_content("#tip-status") == "dispatched"

    # The sender reads the question with reference + PIN and answers.
    public.goto("/public/follow-up")
    public.fill("#reference", reference.lower())
    public.fill("#pin", pin)
    public.click("button:has-text('Open')")
    assert "Do you know the name of the bar?" in public.text_content(".thread")
    assert public.text_content("#status") == "passed to investigators"
    public.fill("#answer", "It is called El Ancla, next to the fuel dock.")
    public.click("button:has-text('Send anonymously')")
    assert "Thank you" in public.text_content("#notice")
    assert "El Ancla" in public.text_content(".thread")
    shot(public, "public-follow-up")

    # The supervisor sees that an answer came, not its words; the tip handler reads it as sent.
    page.goto(tip_url)
    assert "El Ancla" not in page.text_content("#thread")
    assert "Read by the tip handler only" in page.text_content("#thread")
    page.context.clear_cookies()
    login(page, "tips")
    page.goto(tip_url)
    assert "El Ancla" in page.text_content("#thread")
    shot(page, "workbench-tip")
    assert not public.csp_errors


def test_public_site_exposes_no_internal_route(public: Any, live_server: str,
                                               fugitive_case: str) -> None:
    seen: set[str] = set()
    todo = ["/public"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        public.goto(path)
        links = public.evaluate("""() => [
            ...[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
            ...[...document.querySelectorAll('form')].map(f => f.getAttribute('action') || ''),
            ...[...document.querySelectorAll('[src]')].map(e => e.getAttribute('src')),
            ...[...document.querySelectorAll('link[href]')].map(l => l.getAttribute('href')),
        ]""")
        for link in links:
            if link.startswith("#"):
                continue
            assert link.startswith(SAFE), f"{path} points at {link!r}"
            if link.startswith("/public") and "/photo" not in link:
                todo.append(link.split("#")[0])
    assert {"/public", "/public/tip", "/public/follow-up"} <= seen
    request = public.context.request
    for internal in ("/w/cases/new", "/w/queues/mine", "/w/tips", "/w/appeals", "/cases",
                     f"/cases/{fugitive_case}", "/cases/queue/mine", "/appeals", "/tips", "/audit", "/docs"):
        r = request.get(internal, max_redirects=0)
        assert r.status in (401, 302, 303, 307, 404, 405), (internal, r.status)
        if r.status in (302, 303, 307):
            assert r.headers["location"].startswith("/login"), internal
        assert "anderton" not in r.text().lower()  # neither the appeal nor the case title
