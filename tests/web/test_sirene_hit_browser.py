"""The SIRENE hit at night in Debian chromium: Spain reports a hit on our Art. 26 alert; the desk
records the G form received from the alert page (its Schengen ID already filled in), and the
case it opens links the alert, the form and the subject, with one 12-hour limit. The screenshot
is docs/screenshots/sirene_hit_case.png."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import login, shot
from tests.web.test_channel_pages import _with

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def uk_alert(live_server_db: str) -> tuple[int, str]:
    from ncb.services.channels import schengen

    def go(s: Any, p: Any) -> tuple[int, str]:
        a = schengen.create_alert(s, p, schengen.AlertIn(
            article="26", issuing_country="GB", data={
                "surname": "Okafor", "forenames": "Daniel", "date_of_birth": "1984-09-30",
                "warrant_reference": "GB-EAW-2026-0412", "issuing_authority":
                "Westminster Magistrates' Court", "offence": "conspiracy to supply cocaine"}))
        return a.id, a.schengen_id
    return _with(live_server_db, "desk", go)  # type: ignore[no-any-return]


def test_spanish_g_form_opens_one_linked_case(page: Any, uk_alert: tuple[int, str]) -> None:
    alert_id, schengen_id = uk_alert
    login(page, "desk")
    page.goto(f"/w/schengen/alerts/{alert_id}")
    page.get_by_role("link", name=re.compile("Record a G form received")).first.click()
    page.wait_for_url(re.compile(r"/w/schengen/forms/new\?type=G&direction=in"))
    assert page.input_value("#f-fields-schengen-id") == schengen_id
    assert page.input_value("#f-fields-alert-article") == "26"
    assert page.input_value("#f-direction") == "in"
    page.fill("#f-sender", "ES")
    page.fill("#f-reference", "ES-SIRENE-20261204T023000Z-000311")
    page.fill("#f-fields-hit-time-utc", "2026-12-04T02:10")
    page.fill("#f-fields-hit-place", "Málaga airport, passport control")
    page.fill("#f-fields-action-taken", "Person arrested on the Art. 26 alert; held for the EAW")
    page.get_by_role("button", name="Record the form").click()
    page.wait_for_url(re.compile(r"/w/schengen/forms/\d+\?created=1"))
    state = page.locator("#form-state").inner_text()
    assert state.startswith("received") and "sent" not in state
    assert page.get_by_role("link", name=schengen_id).count() == 1
    page.get_by_role("link", name=re.compile(r"NCB-\d{4}-\d+")).first.click()
    page.wait_for_url(re.compile(r"/w/cases/NCB-"))
    records = page.locator("#channel-records")
    assert records.get_by_role("link", name=schengen_id).count() == 1
    assert "received from ES" in records.inner_text()
    deadlines = page.locator("#deadlines li").all_inner_texts()
    assert len(deadlines) == 1 and "SIRENE reply" in deadlines[0] and "in 11 h" in deadlines[0]
    assert "Okafor" in page.locator("#entities").inner_text()
    timeline = page.locator("main").inner_text()
    assert f"SIRENE form G received on alert {schengen_id}" in timeline
    shot(page, "sirene_hit_case")
    case_ref = page.url.rsplit("/", 1)[-1]
    page.goto(f"/w/schengen/alerts/{alert_id}")
    assert page.locator("#alert-cases").get_by_role("link", name=case_ref).count() == 1
    forms = page.locator("#alert-forms").inner_text()
    assert "received from ES" in forms and "sent" not in forms
