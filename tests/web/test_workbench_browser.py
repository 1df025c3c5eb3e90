"""The workbench in Debian chromium: sign in, queues, a sensitive case, a new case with a hit,
a partner refused, and the keyboard path. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from tests.web.conftest import login, shot
from tests.web.seeding import PRIVATE_SUMMARY, SENSITIVE_TITLE, case_reference

pytestmark = pytest.mark.browser


def audit_rows(url: str, ref: str) -> list[Any]:
    from ncb.services.context import SYSTEM
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import make_engine, session_factory, transaction
    from ncb.store.models import AuditEntry

    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as s:
            return [(a.actor, a.action, a.justification) for a in s.scalars(
                select(AuditEntry).where(AuditEntry.record_kind == "case",
                                         AuditEntry.record_id == ref))]
    finally:
        engine.dispose()


def test_sign_in_and_work_the_queues(page: Any) -> None:
    login(page, "desk")
    assert re.search(r"/w/queues/mine$", page.url)
    header = page.locator(".whoami").inner_text()
    assert "desk" in header and "GB-NCA" in header and "Desk officer" in header
    assert "Cleared" in header
    shot(page, "01-queue-mine")
    page.get_by_role("link", name="My team").click()
    page.wait_for_url(re.compile(r"/w/queues/team"))
    assert page.locator("table.cases tbody tr").count() >= 1
    page.select_option("#flt-sort", "priority")  # htmx swaps the results and pushes the URL
    page.wait_for_url(re.compile(r"sort=priority"))
    page.select_option("#flt-channel", "interpol")
    page.wait_for_url(re.compile(r"channel=interpol"))
    for cell in page.locator("table.cases tbody tr td:nth-child(3)").all_inner_texts()[:10]:
        assert cell in ("interpol", "No cases here.")
    page.get_by_role("link", name="Overdue").click()
    page.wait_for_url(re.compile(r"/w/queues/overdue"))
    shot(page, "02-queue-overdue")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto("/w/queues/mine")
    assert "/login" in page.url


def test_supervisor_dashboard_and_search(page: Any) -> None:
    login(page, "supervisor")
    assert page.url.endswith("/w/dashboard")
    assert page.locator("svg.chart").count() == 4
    assert page.get_by_role("heading", name="Deadlines at risk (next 48 hours)").is_visible()
    shot(page, "03-dashboard")
    page.fill("#q-top", "Van Dijk")
    page.press("#q-top", "Enter")
    page.wait_for_url(re.compile(r"/w/search\?q="))
    assert "Van Dijk" in page.locator("main").inner_text()
    shot(page, "04-search")


def test_sensitive_case_asks_for_a_justification_and_logs_it(page: Any, live_server_db: str
                                                             ) -> None:
    ref = case_reference(live_server_db, SENSITIVE_TITLE)
    login(page, "supervisor")
    page.goto(f"/w/cases/{ref}")
    assert page.get_by_role("heading", name=f"Why do you need case {ref}?").is_visible()
    assert SENSITIVE_TITLE not in page.content()
    shot(page, "05-justification")
    page.get_by_role("button", name="Open the case").click()
    assert page.locator("#f-justification-err").is_visible()  # empty: refused, asked again
    reason = "Answering the SIENA request on this subject (browser test)"
    page.get_by_label("Justification").fill(reason)
    page.get_by_role("button", name="Open the case").click()
    page.get_by_role("heading", name=SENSITIVE_TITLE).wait_for()
    banner = page.locator(".marking-banner").inner_text()
    assert "OFFICIAL-SENSITIVE" in banner and "TLP:RED" in banner and "H2" in banner
    assert PRIVATE_SUMMARY in page.content()
    assert page.locator("#audit").get_by_text(reason).first.is_visible()
    shot(page, "06-case-sensitive")
    logged = audit_rows(live_server_db, ref)
    assert ("supervisor", "consultation", reason) in logged
    # Working the case keeps the justification for the visit: a note, then back on the page.
    page.get_by_label("Add a note").fill("Spoke to the Dutch liaison officer.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Spoke to the Dutch liaison officer.").wait_for()


def test_create_a_case_with_a_person_and_review_the_hit(page: Any) -> None:
    login(page, "desk")
    page.get_by_role("link", name="New case").click()
    page.select_option("#f-channel", "interpol")
    page.get_by_label("Title").fill("Trace request: Pieter van Dijk")
    page.select_option("#f-country", "NL")
    page.get_by_label("First name").fill("Pieter")
    page.get_by_label("Last name").fill("van Dijk")
    page.get_by_label("Date of birth").fill("14/03/1979")
    page.get_by_role("button", name="Create case").click()
    err = page.locator("#f-person-date-of-birth-err")
    assert err.is_visible() and "YYYY" in err.inner_text()
    shot(page, "07-new-case-errors")
    page.get_by_label("Date of birth").fill("1979-03-14")
    page.get_by_role("button", name="Create case").click()
    page.wait_for_url(re.compile(r"/w/cases/NCB-\d{4}-\d+\?created=1"))
    assert "Case created" in page.locator(".flash").inner_text()
    hits = page.locator("#hits li.hit")
    assert hits.count() >= 1, "the person in the fixture case should be found"
    first = hits.first
    shot(page, "08-case-with-hit")
    first.get_by_role("button", name="Match", exact=True).click()
    page.locator("#hits .decision-match").first.wait_for()  # swapped in place by htmx
    page.reload()
    assert page.locator("#hits .decision-match").count() >= 1


def test_partner_cannot_reach_a_case_not_shared_with_it(page: Any, live_server_db: str) -> None:
    ref = case_reference(live_server_db, SENSITIVE_TITLE)
    login(page, "partner.fbi")
    response = page.goto(f"/w/cases/{ref}")
    # The same answer as for a case that does not exist (issue 11): nothing says it is there.
    assert response is not None and response.status == 404
    html = page.content()
    assert "Not found" in html and f"no case {ref}" in html
    assert SENSITIVE_TITLE not in html and PRIVATE_SUMMARY not in html and "Van Dijk" not in html
    shot(page, "09-forbidden")


def test_keyboard_skip_link_and_sign_in_fields(page: Any) -> None:
    page.goto("/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    shot(page, "10-skip-link-focus")
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "username":
            break
    assert page.evaluate("document.activeElement.id") == "f-username"
    page.keyboard.type("analyst")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-password"
    page.keyboard.type("demo-password-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/w/"))
    assert "analyst" in page.locator(".whoami").inner_text()


def test_phone_layout(browser: Any, live_server: str, live_server_db: str) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    try:
        pg = context.new_page()
        login(pg, "liaison")
        assert "/w/" in pg.url
        pg.goto("/w/queues/team")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
        shot(pg, "11-phone-queue")
        pg.goto("/w/post")
        shot(pg, "12-phone-post")
    finally:
        context.close()
