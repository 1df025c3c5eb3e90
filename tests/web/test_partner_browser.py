"""A partner agency's user in Debian chromium: they land on their agency's requests and what
the bureau shared with them, and a request they send shows there (issue 13, partner landing).
The screenshot is docs/screenshots/partner_landing.png."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import login, shot

pytestmark = pytest.mark.browser


def test_partner_lands_on_our_requests_and_finds_a_new_trace(page: Any) -> None:
    login(page, "partner.fbi")
    page.wait_for_url(re.compile(r"/w/partner$"))
    assert page.get_by_role("heading", name="Our requests and what was shared with us").is_visible()
    assert page.get_by_role("heading", name="Our requests", exact=True).is_visible()
    assert page.get_by_role("heading", name="Shared with us", exact=True).is_visible()
    assert page.get_by_role("link", name="My post").count() == 0  # no liaison post for them
    title = "Person trace: Marcus Hale (FBI request, browser test)"
    page.get_by_role("link", name="New case").click()
    page.select_option("#f-channel", "bilateral")
    page.get_by_label("Title").fill(title)
    page.select_option("#f-country", "US")
    page.get_by_label("First name").fill("Marcus")
    page.get_by_label("Last name").fill("Hale")
    page.get_by_role("button", name="Create case").click()
    page.wait_for_url(re.compile(r"/w/cases/NCB-\d{4}-\d+\?created=1"))
    page.get_by_role("link", name="Our requests").first.click()
    page.wait_for_url(re.compile(r"/w/partner$"))
    ours = page.locator("section[aria-labelledby=h-ours]")
    assert ours.get_by_role("link", name=re.compile(r"NCB-")).count() >= 1
    assert title in ours.inner_text()
    shot(page, "partner_landing")
    page.get_by_role("link", name="Queues").click()
    page.wait_for_url(re.compile(r"/w/queues/ours"))
    tabs = page.locator("nav.tabs").inner_text()
    assert "Our requests" in tabs and "Shared with us" in tabs and "My team" not in tabs
    assert title in page.locator("#queue-results").inner_text()
