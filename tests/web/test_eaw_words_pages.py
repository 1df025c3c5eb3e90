"""EAW pages as a newcomer reads them: each event says what it starts and stops, the header
never claims a clock when none runs, times carry no microseconds, and a person to release is
shown loudly on the supervisor dashboard and above every queue."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.web.test_channel_pages import WARRANT, _with, client_for, new_warrant

MICROSECONDS = re.compile(r"\d\d:\d\d:\d\d\.\d{3,6}")


@pytest.fixture(scope="module")
def warrants(live_server_db: str) -> dict[str, int]:
    from ncb.services.channels import eaw

    def late(s: Any, p: Any) -> int:  # arrested 65 days ago, no final decision: release
        w = eaw.receive(s, p, eaw.WarrantIn.model_validate(
            {"reference": "PL-EAW-WORDS-LATE", "issuing_country": "PL", "warrant": WARRANT}))
        s.flush()
        eaw.certify(s, p, w.id, eaw.CertifyIn(decision="certify", reasons="list offence",
                                              offence_max_months=96, list_offence_code="fraud"))
        eaw.record_event(s, p, w.id, eaw.EventIn(
            kind="arrest", at=datetime.now(UTC) - timedelta(days=65, microseconds=-4321)))
        return int(w.id)
    return {"received": new_warrant(live_server_db, "PL-EAW-WORDS-NEW", certify=False),
            "certified": new_warrant(live_server_db, "PL-EAW-WORDS-CERT"),
            "late": _with(live_server_db, "extradition", late)}


@pytest.fixture(scope="module")
def app(live_server_db: str) -> Iterator[Any]:
    from ncb.app import create_app
    from ncb.settings import Settings

    application = create_app(Settings(database_url=live_server_db))
    yield application
    application.state.engine.dispose()


def test_event_form_says_what_each_event_starts_and_stops(app: Any, warrants: dict[str, int]
                                                           ) -> None:
    with client_for(app, "extradition") as c:
        html = c.get(f"/w/eaw/{warrants['certified']}").text
    hints = html[html.index('id="event-hints"'):]
    assert "What each event starts and stops" in hints
    assert "Arrest under the certified warrant (EA 2003 s.3)" in hints
    assert "Starts: Final decision (no consent) (60 days)" in hints
    assert "first-instance, open to appeal" in hints and "Notice of appeal (7 days)" in hints
    assert "Final decision on execution: no appeal left" in hints
    assert "Surrender after the final decision (10 days)" in hints


def test_header_and_clock_panel_agree_before_arrest(app: Any, warrants: dict[str, int]) -> None:
    with client_for(app, "extradition") as c:
        html = c.get(f"/w/eaw/{warrants['received']}").text
        certified = c.get(f"/w/eaw/{warrants['certified']}").text
    assert "No clock is running" in html
    assert "Next clock" not in html
    head = re.search(r'id="next-limit">(.*?)</span>', html, re.S)
    assert head and head.group(1).startswith("Next deadline: ")
    assert "No clock is running" in certified and "Next clock" not in certified


def test_release_panel_on_dashboard_queues_and_list(app: Any, warrants: dict[str, int]) -> None:
    with client_for(app, "supervisor") as sup:
        dash = sup.get("/w/dashboard").text
        queue = sup.get("/w/queues/overdue").text
    with client_for(app, "extradition") as c:
        listed = c.get("/w/eaw/release-required").text
        page = c.get(f"/w/eaw/{warrants['late']}").text
    for html in (dash, queue):
        panel = html[html.index('id="release-panel"'):]
        panel = panel[:panel.index("</section>")]
        assert 'role="alert"' in html[html.index('id="release-panel"') - 120:][:200]
        assert "RELEASE REQUIRED" in panel and "PL-EAW-WORDS-LATE" in panel
        assert "Final decision (no consent): limit" in panel
    for html in (dash, queue, listed, page):  # what the reader sees (not datetime= attributes)
        seen = re.sub(r"<[^>]+>", " ", html)
        m = MICROSECONDS.search(seen)
        assert not m, seen[max(m.start() - 300, 0):m.end() + 50]
    assert "PL-EAW-WORDS-LATE" in listed and "Final decision (no consent)</strong> limit" in listed
