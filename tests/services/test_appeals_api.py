"""The appeals and tips API end to end (TestClient over create_app, bearer tokens)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ncb.services import tips
from ncb.settings import Settings
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _token(settings: Settings) -> str:
    """A form token as the public form gives it, old enough to pass the too-fast check."""
    return tips.issue_form_token(settings, now=time.time() - settings.tip_form_min_seconds)


@pytest.fixture
def api(bureau: Bureau) -> Iterator[tuple[Bureau, TestClient]]:
    from ncb.app import create_app

    with TestClient(create_app(bureau.settings, bureau.engine),
                    raise_server_exceptions=False) as c:
        yield bureau, c


def test_appeal_lifecycle_over_the_api(api: tuple[Bureau, TestClient]) -> None:
    b, c = api
    tips_h, sup = b.seeded.headers("tips"), b.seeded.headers("supervisor")
    assert c.get("/appeals").status_code == 401
    r = c.post("/appeals", headers=tips_h, json={
        "case": b.case_ref, "name": "Kevin MARSH", "wanted_for": "Armed robbery",
        "believed_country": "ES", "aliases": ["Kev"]})
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    assert r.json()["case"] == b.case_ref and not r.json()["live"]
    r = c.put(f"/appeals/{aid}/photo", headers={**tips_h, "Content-Type": "image/png"}, content=PNG)
    assert r.status_code == 200 and r.json()["has_photo"]
    assert c.post(f"/appeals/{aid}/publish", headers=tips_h,
                  json={"justification": "going live"}).status_code == 403
    r = c.post(f"/appeals/{aid}/publish", headers=sup, json={"justification": "Annual appeal"})
    assert r.status_code == 200 and r.json()["live"]
    assert "Kevin MARSH" in c.get("/public").text
    r = c.post(f"/appeals/{aid}/status", headers=sup, json={"status": "caught"})
    assert r.json()["status"] == "caught"
    r = c.post(f"/appeals/{aid}/withdraw", headers=sup, json={"reason": "extradited"})
    assert r.status_code == 200 and not r.json()["live"]
    assert "Kevin MARSH" not in c.get("/public").text
    assert c.get("/appeals", headers=b.seeded.headers("desk")).status_code == 403


def test_tip_handling_over_the_api(api: tuple[Bureau, TestClient]) -> None:
    b, c = api
    with b.session(None) as s:
        receipt = tips.submit_tip(s, b.settings, "Seen him at the port on Sunday.",
                                  form_token=_token(b.settings))
    tips_h, sup = b.seeded.headers("tips"), b.seeded.headers("supervisor")
    queue = c.get("/tips", headers=tips_h, params={"status": "received"}).json()
    assert [t["reference"] for t in queue] == [receipt.reference]
    tid = queue[0]["id"]
    assert queue[0]["body"] == "Seen him at the port on Sunday."
    r = c.post(f"/tips/{tid}/sanitise", headers=tips_h,
               json={"sanitised_body": "Subject seen at the port, Sunday."})
    assert r.json()["status"] == "sanitised"
    assert c.get(f"/tips/{tid}", headers=sup).json()["body"] is None  # supervisor: sanitised only
    r = c.post(f"/tips/{tid}/questions", headers=sup, json={"question": "Which port?"})
    assert r.status_code == 201
    r = c.post(f"/tips/{tid}/dispatch", headers=sup,
               json={"case": b.case_ref, "justification": "sighting"})
    assert r.status_code == 200 and r.json()["case"] == b.case_ref
    with b.session(None) as s:
        thread = tips.read_thread(s, b.settings, receipt.reference, receipt.pin)
        assert thread.messages == (("question", "Which port?"),)
    assert c.get("/tips", headers=b.seeded.headers("desk")).status_code == 403
