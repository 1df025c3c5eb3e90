"""The timeline and the case page leak nothing of hidden child records (issue 11).

On a case shared with US-FBI, the bureau stores an attachment not shared with the FBI, a
SECRET note and a SECRET message. partner.fbi and a desk officer cleared only OFFICIAL open the
case: neither the timeline (API) nor the case page (workbench) names the attachment or shows the
ids and times of the SECRET records; what is shared with them still shows.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction

SHARED = {"sharing_scope": "agencies", "share_with": ["US-FBI"]}
HIDDEN_FILE = "informant-list.pdf"
SENSITIVE_FILE = "source-report.pdf"


@pytest.fixture
def official_headers(factory, seeded, settings) -> dict[str, str]:
    """A desk officer cleared only OFFICIAL."""
    from ncb.services import users
    from ncb.services.auth import issue_token

    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        user = users.add_user(s, "desk_official", seeded.password, "Desk Official", "GB-NCA",
                              ["desk_officer"], "OFFICIAL", team_code="general_desk",
                              settings=settings)
        return {"Authorization": f"Bearer {issue_token(s, user, 'bearer', settings).token}"}


def _post(client: TestClient, url: str, headers: dict[str, str], **kw: Any) -> dict[str, Any]:
    r = client.post(url, headers=headers, **kw)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _bureau_case(client: TestClient, seeded: Any) -> dict[str, Any]:
    sup = seeded.headers("supervisor")
    case = _post(client, "/cases", sup, json={
        "channel": "bilateral", "title": "Trace a courier", "country": "US",
        "crime_area": "drugs", "markings": SHARED})
    ref = case["reference"]
    out: dict[str, Any] = {"ref": ref}
    for name, cls in ((HIDDEN_FILE, "OFFICIAL"), (SENSITIVE_FILE, "OFFICIAL-SENSITIVE")):
        _post(client, f"/cases/{ref}/attachments", sup, data={"classification": cls},
              files={"file": (name, b"%PDF-1.4 x", "application/pdf")})
    out["secret_note"] = _post(client, f"/cases/{ref}/notes", sup, json={
        "body": "Source ALPHA says", "markings": {"classification": "SECRET"}})
    out["secret_msg"] = _post(client, f"/cases/{ref}/messages", sup, json={
        "direction": "in", "sender": "GB-MI5", "subject": "Covert", "body": "x",
        "markings": {"classification": "SECRET"}})
    out["shared_note"] = _post(client, f"/cases/{ref}/notes", sup, json={
        "body": "Please confirm the address", "markings": SHARED})
    return out


def _web_page(app: Any, username: str, password: str, ref: str) -> str:
    with TestClient(app) as web:
        csrf = re.search(r'name="csrf" value="([^"]+)"', web.get("/login").text)
        assert csrf is not None
        r = web.post("/login", data={"username": username, "password": password,
                                     "csrf": csrf.group(1), "next": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        page = web.get(f"/w/cases/{ref}")
        assert page.status_code == 200, page.text
        return page.text


def test_timeline_hides_what_the_partner_may_not_see(client, seeded, app):
    made = _bureau_case(client, seeded)
    ref, fbi = made["ref"], seeded.headers("partner")
    r = client.get(f"/cases/{ref}/timeline", headers=fbi)
    assert r.status_code == 200
    events = r.json()
    notes = {e["data"].get("note_id") for e in events if e["kind"] == "note"}
    assert notes == {made["shared_note"]["id"]}  # the shared note's event stays
    assert not [e for e in events if e["kind"] in ("message", "attachment")]
    assert HIDDEN_FILE not in r.text and SENSITIVE_FILE not in r.text
    page = _web_page(app, "partner", seeded.password, ref)
    assert HIDDEN_FILE not in page and SENSITIVE_FILE not in page
    assert "Source ALPHA" not in page and "Covert" not in page
    assert "Please confirm the address" in page
    # The bureau's own officer still sees everything on its case.
    full = client.get(f"/cases/{ref}/timeline", headers=seeded.headers("supervisor")).text
    assert HIDDEN_FILE in full and SENSITIVE_FILE in full


def test_timeline_hides_what_an_official_officer_is_not_cleared_for(
        client, seeded, app, official_headers):
    made = _bureau_case(client, seeded)
    ref = made["ref"]
    r = client.get(f"/cases/{ref}/timeline", headers=official_headers)
    assert r.status_code == 200
    events = r.json()
    assert HIDDEN_FILE in r.text  # OFFICIAL, the bureau's own: within the clearance
    assert SENSITIVE_FILE not in r.text
    note_ids = {e["data"].get("note_id") for e in events if e["kind"] == "note"}
    assert made["secret_note"]["id"] not in note_ids
    msg_ids = {e["data"].get("message_id") for e in events if e["kind"] == "message"}
    assert made["secret_msg"]["id"] not in msg_ids
    page = _web_page(app, "desk_official", seeded.password, ref)
    assert SENSITIVE_FILE not in page and "Source ALPHA" not in page and "Covert" not in page
    assert HIDDEN_FILE in page
