"""Retention, subject access, the threat picture and the person page in Debian chromium, as the
duty supervisor on the small demo bureau. The screenshots are the ones in docs/data_protection.md
and docs/threat_picture.md (docs/screenshots/dp_*.png, copied from test-output/screenshots)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from tests.web.conftest import login, shot
from tests.web.test_channel_pages import _with

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def held(live_server_db: str) -> dict[str, Any]:
    """Three demo cases made old enough to review, a subject access request waiting for proof
    of identity, and an identity with several appearances."""
    from ncb.services.subject_access import identity_proof, requests
    from ncb.store.models import Case, Entity, IdentityMember

    def go(s: Any, p: Any) -> dict[str, Any]:
        old = s.scalars(select(Case.id).where(Case.channel == "interpol").order_by(Case.id)
                        .limit(3)).all()
        s.execute(update(Case).where(Case.id.in_(old)).values(
            received_at=datetime.now(UTC) - timedelta(days=2300))
            .execution_options(skip_access=True))
        ident, n = s.execute(select(IdentityMember.identity_id, func.count())
                             .join(Entity, Entity.id == IdentityMember.entity_id)
                             .where(Entity.kind == "person")
                             .group_by(IdentityMember.identity_id)
                             .order_by(func.count().desc()).limit(1)).one()
        person = s.scalar(select(Entity).join(IdentityMember, IdentityMember.entity_id ==
                                              Entity.id)
                          .where(IdentityMember.identity_id == ident).limit(1))
        case, _ = requests.open_request(s, p, requests.Particulars(
            f"{person.first_name} {person.last_name}", first_name=person.first_name,
            last_name=person.last_name, date_of_birth=person.date_of_birth,
            nationality=person.nationality))
        identity_proof.ask_for_proof(s, p, case.reference, "a copy of a passport or ID card")
        return {"identity": ident, "appearances": n, "sar": case.reference,
                "name": person.last_name}
    return _with(live_server_db, "supervisor", go)  # type: ignore[no-any-return]


def test_data_protection_and_threat_pages(page: Any, held: dict[str, Any]) -> None:
    login(page, "supervisor")
    page.goto("/w/retention")
    main = page.locator("main").inner_text()
    assert "Retention review" in main and "overdue" in main and "Anonymous tip" in main
    assert "Public wanted appeal" in main  # the periods list names every record type
    shot(page, "dp_retention")
    page.goto(f"/w/sar/{held['sar']}")
    main = page.locator("main").inner_text()
    assert "No clock runs: waiting for proof of identity" in main
    assert held["name"].upper() in main.upper()
    shot(page, "dp_sar")
    page.goto("/w/threat")
    assert page.locator("main svg").count() >= 1
    shot(page, "dp_threat")
    page.goto(f"/w/threat/year?year={datetime.now(UTC).year}")
    assert "in numbers" in page.locator("main").inner_text()
    shot(page, "dp_year")
    page.goto(f"/w/identities/{held['identity']}")
    assert held["name"].upper() in page.locator("main").inner_text().upper()
    shot(page, "dp_person")
