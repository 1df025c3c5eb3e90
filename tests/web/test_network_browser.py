"""The network page in Debian chromium, as a desk officer on the small demo bureau: the chart
draws, its nodes open their pages. The screenshot is docs/screenshots/network.png (copied from
test-output/screenshots)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import login, shot
from tests.web.test_channel_pages import _with

pytestmark = pytest.mark.browser


RING = [  # a phone and a passport seen across four trace requests
    [
        {"name": "Lucia Ferrer", "date_of_birth": "1979"},
        {"kind": "phone", "identifier": "+34 612 345 678"},
        {
            "kind": "travel_document",
            "name": "Passport ES XK 4471920",
            "identifier": "XK 4471920",
            "details": {"issuing_country": "ES"},
        },
    ],
    [
        {"name": "Tomas Ruiz", "date_of_birth": "1966"},
        {"kind": "phone", "identifier": "+34 612 345 678"},
        {"kind": "address", "name": "Calle Mayor 12, Valencia"},
    ],
    [
        {"name": "Iker Soto", "date_of_birth": "1988"},
        {"kind": "phone", "identifier": "+34 612 345 678"},
        {"kind": "vehicle", "name": "Seat Leon 4821 KLM"},
    ],
    [
        {"name": "Marta Gil", "date_of_birth": "1991"},
        {
            "kind": "travel_document",
            "name": "Passport ES XK 4471920",
            "identifier": "XK 4471920",
            "details": {"issuing_country": "ES"},
        },
        {"kind": "address", "name": "Calle Mayor 12, Valencia"},
    ],
]


@pytest.fixture(scope="module")
def hub(live_server_db: str) -> dict[str, Any]:
    """Four cases tied by a shared phone, passport and address; the phone's identity."""
    from sqlalchemy import select

    from ncb.services.identities import service
    from ncb.services.inputs import CaseIn
    from ncb.services.intake import intake_case
    from ncb.store.models import CaseEntity, Entity

    def go(s: Any, p: Any) -> dict[str, Any]:
        refs = []
        for i, ents in enumerate(RING):
            case = intake_case(
                s,
                p,
                CaseIn.model_validate(
                    {
                        "channel": "interpol",
                        "title": f"Trace request {i + 1}",
                        "country": "ES",
                        "crime_area": "drugs",
                        "entities": ents,
                    }
                ),
            )
            refs.append(case.reference)
            s.flush()
        phone = s.scalar(
            select(Entity.id)
            .join(CaseEntity, CaseEntity.entity_id == Entity.id)
            .where(Entity.kind == "phone")
            .order_by(Entity.id.desc())
            .limit(1)
        )
        return {"identity": service.identity_for(s, p, phone), "case": refs[0]}

    return _with(live_server_db, "desk", go)  # type: ignore[no-any-return]


def test_network_page_draws_the_chart_and_its_nodes_open_their_pages(page: Any, hub: dict[str, Any]) -> None:
    login(page, "desk")
    page.goto(f"/w/identities/{hub['identity']}")
    page.click("text=Network around this identity")
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith(f"/w/network?identity={hub['identity']}")
    chart = page.locator("main svg.network")
    assert chart.locator("a").count() >= 10  # phone, 3 cases, their people and selectors
    drawn = chart.text_content() or ""
    assert "Lucia Ferrer" in drawn and "Iker Soto" in drawn
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 300
    shot(page, "network_identity")
    page.goto(f"/w/network?case={hub['case']}")  # the phone and the passport tie four cases
    shared = page.locator("#h-shared + .table-wrap").inner_text()
    assert "+34 612 345 678" in shared and "Passport ES XK 4471920" in shared
    shot(page, "network")
    page.goto(f"/w/network?identity={hub['identity']}")
    chart.locator(f'a[href="/w/cases/{hub["case"]}"]').click()
    page.wait_for_load_state("domcontentloaded")
    assert f"/w/cases/{hub['case']}" in page.url
