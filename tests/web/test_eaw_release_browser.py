"""The supervisor opens the dashboard in Debian chromium: a person held past the EAW decision
limit is the first thing on it, loudly, and one click leads to the warrant and its expired
clock. The screenshot is docs/screenshots/eaw_dashboard_release.png."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.web.conftest import login, shot
from tests.web.test_channel_pages import WARRANT, _with

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def late_warrant(live_server_db: str) -> int:
    from ncb.services.channels import eaw

    def go(s: Any, p: Any) -> int:
        w = eaw.receive(s, p, eaw.WarrantIn.model_validate(
            {"reference": "PL-EAW-2026-0917", "issuing_country": "PL", "warrant": WARRANT}))
        s.flush()
        eaw.certify(s, p, w.id, eaw.CertifyIn(decision="certify", reasons="list offence",
                                              offence_max_months=96, list_offence_code="fraud"))
        eaw.record_event(s, p, w.id, eaw.EventIn(
            kind="arrest", at=datetime.now(UTC) - timedelta(days=61, hours=3)))
        return int(w.id)
    return int(_with(live_server_db, "extradition", go))


def test_dashboard_release_panel_leads_to_the_warrant(page: Any, late_warrant: int) -> None:
    login(page, "supervisor")
    page.goto("/w/dashboard")
    panel = page.locator("#release-panel")
    assert panel.is_visible()
    assert panel.get_attribute("role") == "alert"
    text = panel.inner_text()
    assert text.startswith("RELEASE REQUIRED") and "PL-EAW-2026-0917" in text
    assert "Final decision (no consent): limit" in text and "overdue by" in text
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", text)
    assert "GMT" in text  # the supervisor reads Europe/London times
    # The panel comes before the caseload charts: the first thing a supervisor reads.
    first = page.locator("main h2").first.inner_text()
    assert first.startswith("RELEASE REQUIRED")
    shot(page, "eaw_dashboard_release")
    panel.get_by_role("link", name=re.compile("PL-EAW-2026-0917")).click()
    page.wait_for_url(re.compile(rf"/w/eaw/{late_warrant}$"))
    assert page.locator("#release-required").is_visible()
    assert "expired" in page.locator("#clocks").inner_text()
    page.goto("/w/queues/overdue")
    assert "PL-EAW-2026-0917" in page.locator("#release-panel").inner_text()
