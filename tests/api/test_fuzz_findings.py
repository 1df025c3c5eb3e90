"""Findings of the fuzzing run: each bad input is a 4xx problem naming the field, never a 500."""

from __future__ import annotations

from typing import Any

CASE = {"channel": "interpol", "title": "Fugitive trace", "country": "FR"}


def _case(client: Any, h: dict[str, str], **extra: Any) -> dict[str, Any]:
    r = client.post("/cases", json=CASE | extra, headers=h)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _refused(r: Any, status: int, field: str, rule: str | None = None) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = r.json().get("errors") or []
    named = {(e["field"].split(".")[-1], e["rule"]) for e in errors}
    assert any(f == field and (rule is None or r_ == rule) for f, r_ in named), errors


def test_in_reply_to_beyond_the_integer_range(client, seeded):
    h = seeded.headers("supervisor")
    ref = _case(client, h)["reference"]
    r = client.post(f"/cases/{ref}/messages", headers=h, json={
        "direction": "in", "sender": "FR-NCB", "subject": "Re", "in_reply_to": 10**20})
    _refused(r, 422, "in_reply_to", "db_integer_range")
    assert client.get(f"/cases/{ref}/messages", headers=h).json() == []


def test_multipart_classification_outside_the_code_list(client, seeded):
    h = seeded.headers("supervisor")
    ref = _case(client, h)["reference"]
    r = client.post(f"/cases/{ref}/attachments", headers=h,
                    files={"file": ("a.txt", b"hello", "text/plain")},
                    data={"classification": "foo"})
    _refused(r, 422, "classification")
    assert client.get(f"/cases/{ref}/attachments", headers=h).json() == []


def test_patch_entity_aliases_null(client, seeded):
    h = seeded.headers("supervisor")
    ref = _case(client, h, entities=[{"name": "Jan Kowalski", "aliases": ["Janek"]}])["reference"]
    eid = client.get(f"/cases/{ref}/entities", headers=h).json()[0]["id"]
    r = client.patch(f"/entities/{eid}", headers=h, json={"aliases": None})
    _refused(r, 422, "aliases", "required")
    assert client.get(f"/entities/{eid}", headers=h).json()["aliases"] == ["Janek"]


def _appeal(client: Any, seeded: Any) -> tuple[str, int, int]:
    h = seeded.headers("supervisor")
    ref = _case(client, h, entities=[{"name": "Kevin Marsh"}])["reference"]
    eid = client.get(f"/cases/{ref}/entities", headers=h).json()[0]["id"]
    r = client.post("/appeals", headers=h, json={
        "case": ref, "entity_id": eid, "name": "Kevin MARSH", "wanted_for": "Armed robbery"})
    assert r.status_code == 201, r.text
    return ref, eid, r.json()["id"]


def test_erasing_an_entity_an_appeal_uses_is_a_conflict_naming_the_appeal(client, seeded):
    h = seeded.headers("supervisor")
    _ref, eid, aid = _appeal(client, seeded)
    r = client.delete(f"/entities/{eid}", headers=h | {"X-Justification": "retention expired"})
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert f"appeal {aid}" in r.json()["detail"]
    assert client.get(f"/entities/{eid}", headers=h).status_code == 200


def test_put_appeal_with_an_unknown_entity(client, seeded):
    h = seeded.headers("supervisor")
    ref, eid, aid = _appeal(client, seeded)
    r = client.put(f"/appeals/{aid}", headers=h, json={
        "case": ref, "entity_id": eid + 1000, "name": "Kevin MARSH", "wanted_for": "Robbery"})
    _refused(r, 422, "entity_id")
    assert client.get(f"/appeals/{aid}", headers=h).json()["wanted_for"] == "Armed robbery"


def test_put_appeal_with_an_unknown_case(client, seeded):
    h = seeded.headers("supervisor")
    _ref, _eid, aid = _appeal(client, seeded)
    r = client.put(f"/appeals/{aid}", headers=h, json={
        "case": "NOPE-1", "name": "Kevin MARSH", "wanted_for": "Robbery"})
    assert r.status_code == 404, r.text
