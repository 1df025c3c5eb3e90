"""Interpol through the API: notices (draft, Article 3, review, extract, cancel), import, SLTD."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ncb.store.models import AuditEntry, Entity, Notice

RED = {"entity_id": "2019/12345", "name": "KOVACS", "forename": "ISTVAN",
       "date_of_birth": "1970/01/31", "nationalities": ["HU"], "sex_id": "M", "height": 0,
       "weight": 0, "arrest_warrants": [{"charge": "Murder", "issuing_country_id": "HU"}],
       "_links": {"self": {"href": "https://example.invalid/notices/v1/red/2019-12345"}}}


def count(factory: Any, cls: Any) -> int:
    with factory() as s:
        return s.execute(select(func.count()).select_from(cls)
                         .execution_options(skip_access=True)).scalar_one()


def test_import_then_screen_and_export(client, seeded, factory):
    second = dict(RED, entity_id="2020/777", name="NOVAK", forename="PETRA", sex_id="F",
                  date_of_birth="1988")
    r = client.post("/interpol/notices/import", json={"_embedded": {"notices": [RED, second]}},
                    headers=seeded.headers("desk"))
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 2
    with factory() as s:
        ents = s.scalars(select(Entity).where(Entity.watch_role == "notice")
                         .execution_options(skip_access=True)).all()
        assert sorted(e.source_ref for e in ents) == ["2019/12345", "2020/777"]
    r = client.post("/screen", json={"entities": [{"first_name": "Istvan", "last_name": "Kovacs",
                                                   "date_of_birth": "1970-01-31"}]},
                    headers=seeded.headers("desk"))
    assert r.json()[0]["match"] is True and "interpol_notice" in r.json()[0]["candidate"]
    r = client.get("/interpol/notices/export?type=red", headers=seeded.headers("desk"))
    out = r.json()["_embedded"]["notices"]
    assert {n["entity_id"] for n in out} == {"2019/12345", "2020/777"}
    assert out[0]["height"] == 0  # unknown, as in the public layout
    # Re-importing the same notices updates them, no duplicates.
    r = client.post("/interpol/notices/import", json=[RED], headers=seeded.headers("desk"))
    assert r.status_code == 200 and count(factory, Notice) == 2


@pytest.mark.parametrize("payload,positions", [
    ([RED, {"name": "X"}, dict(RED, entity_id="2019/9", date_of_birth="1970/02/30")], [1, 2]),
    ([RED, "not an object"], [1]),
    ([dict(RED, nationalities=["ZZ"])], [0]),
    ([RED, dict(RED)], [1]),  # duplicate in the batch
])
def test_bad_import_reports_positions_and_imports_nothing(client, seeded, factory, payload,
                                                          positions):
    before = count(factory, AuditEntry)
    r = client.post("/interpol/notices/import", json=payload, headers=seeded.headers("desk"))
    assert r.status_code == 422, r.text
    assert sorted({b["position"] for b in r.json()["bad_records"]}) == positions
    assert count(factory, Notice) == 0 and count(factory, Entity) == 0
    assert count(factory, AuditEntry) == before


def test_import_rejects_a_non_list(client, seeded):
    r = client.post("/interpol/notices/import", json={"foo": 1}, headers=seeded.headers("desk"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "items"


def _draft(client: Any, seeded: Any, notice_type: str = "red", **over: Any) -> dict[str, Any]:
    body = {"notice_type": notice_type, "subject": {
        "name": "SMITH", "forename": "JOHN", "date_of_birth": "1980/03/04",
        "arrest_warrants": [{"charge": "Fraud", "issuing_country_id": "GB"}]}} | over
    r = client.post("/interpol/notices", json=body, headers=seeded.headers("desk"))
    assert r.status_code == 201, r.text
    return r.json()


def test_notice_life_cycle_and_public_extract_consent(client, seeded):
    h = seeded.headers("desk")
    n = _draft(client, seeded)
    assert n["status"] == "draft" and n["public_extract"] is False
    nid = n["id"]
    assert client.post(f"/interpol/notices/{nid}/submit", headers=h).status_code == 422
    r = client.post(f"/interpol/notices/{nid}/article3",
                    json={"concerns": [], "rationale": "ordinary fraud, no political element"},
                    headers=h)
    assert r.json()["article3"]["compliant"] is True
    assert client.post(f"/interpol/notices/{nid}/submit", headers=h).json()["status"] == "review"
    r = client.post(f"/interpol/notices/{nid}/review", json={"outcome": "published"}, headers=h)
    assert r.json()["status"] == "published"
    assert client.get(f"/interpol/notices/{nid}/extract", headers=h).status_code == 403
    r = client.post(f"/interpol/notices/{nid}/public-consent", json={"consent": True}, headers=h)
    assert r.json()["public_extract"] is True
    r = client.get(f"/interpol/notices/{nid}/extract", headers=h)
    assert r.status_code == 200 and r.json()["name"] == "SMITH"
    r = client.post(f"/interpol/notices/{nid}/cancel", json={"reason": "person arrested"},
                    headers=h)
    assert r.json()["status"] == "cancelled"
    assert client.get(f"/interpol/notices/{nid}/extract", headers=h).status_code == 403


def test_article3_concern_blocks_submission(client, seeded):
    h = seeded.headers("desk")
    n = _draft(client, seeded)
    client.post(f"/interpol/notices/{n['id']}/article3",
                json={"concerns": ["political"], "rationale": "opposition journalist"}, headers=h)
    r = client.post(f"/interpol/notices/{n['id']}/submit", headers=h)
    assert r.status_code == 403 and r.json()["errors"][0]["rule"] == "interpol.article3"


def test_diffusion_goes_straight_to_chosen_ncbs(client, seeded):
    h = seeded.headers("desk")
    r = client.post("/interpol/notices", json={"notice_type": "diffusion", "subject": {
        "name": "DOE"}}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "recipients"
    n = _draft(client, seeded, "diffusion", recipients=["FR", "ES"])
    client.post(f"/interpol/notices/{n['id']}/article3",
                json={"concerns": [], "rationale": "ok"}, headers=h)
    assert client.post(f"/interpol/notices/{n['id']}/submit", headers=h).json()["status"] == "sent"


def test_sltd_check_hit_and_no_hit_logged(client, seeded, factory):
    h = seeded.headers("desk")
    r = client.post("/interpol/sltd", json={"number": "123 456 789", "issuing_country": "GB"},
                    headers=h)
    assert r.status_code == 201 and r.json()["number"] == "123456789"
    # Only the issuing country may add its documents.
    r = client.post("/interpol/sltd", json={"number": "X1234", "issuing_country": "FR"},
                    headers=h)
    assert r.status_code == 403
    cases = [("123-456-789", True), ("999999999", False)]
    for number, hit in cases:
        r = client.post("/interpol/sltd/check", json={"number": number}, headers=h)
        assert r.status_code == 200 and r.json()["hit"] is hit
    with factory() as s:
        logged = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "sltd",
                                                    AuditEntry.action == "consultation")
                           .order_by(AuditEntry.seq)).all()
    assert [e.details["hit"] for e in logged] == [True, False]
    assert all(e.actor == "desk" for e in logged)


def test_draft_numbers_do_not_clash_with_imported_ones(client, seeded, factory):
    from datetime import UTC, datetime

    from ncb.services.channels.notice_numbers import _next_ref

    year = datetime.now(UTC).year
    imported = [dict(RED, entity_id=f"{year}/00002"), dict(RED, entity_id=f"{year}/00003",
                                                           name="NOVAK"),
                dict(RED, entity_id=f"{year}/7", name="HORVAT")]  # not zero-padded
    r = client.post("/interpol/notices/import", json=imported, headers=seeded.headers("desk"))
    assert r.status_code == 200, r.text
    refs = [_draft(client, seeded)["notice_ref"] for _ in range(2)]
    refs.append(_draft(client, seeded, "yellow")["notice_ref"])
    # Numbers follow the highest in use (7, compared as a number), whatever the type.
    assert refs == [f"{year}-00008", f"{year}-00009", f"{year}-00010"]
    # A later import above the sequence moves the next draft past it.
    r = client.post("/interpol/notices/import", json=[dict(RED, entity_id=f"{year}/00042")],
                    headers=seeded.headers("desk"))
    assert r.status_code == 200, r.text
    assert _draft(client, seeded)["notice_ref"] == f"{year}-00043"
    with factory() as s:  # two draws in one transaction never repeat
        a, b = _next_ref(s), _next_ref(s)
        assert a != b and a > f"{year}-00043"
        s.rollback()


def test_number_clash_is_retried(client, seeded, factory, monkeypatch):
    from datetime import UTC, datetime

    from ncb.services.channels import notice_numbers
    from ncb.store.models.channels import NoticeSequence

    year = datetime.now(UTC).year
    first = _draft(client, seeded)["notice_ref"]
    with factory() as s:  # as if a concurrent transaction had not yet seen the first draw
        s.get(NoticeSequence, year).last -= 1
        s.commit()
    monkeypatch.setattr(notice_numbers.notices, "highest_number", lambda session, y: 0)
    second = _draft(client, seeded)["notice_ref"]
    assert first == f"{year}-00001" and second == f"{year}-00002"
