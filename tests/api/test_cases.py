"""Case API end to end, on SQLite and PostgreSQL: intake, work, access, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.models import AuditEntry, Case

PERSON = {"kind": "person", "first_name": "Ivan", "last_name": "Petrov",
          "date_of_birth": "1971-03-02", "nationality": "RU", "provenance": "Interpol diffusion"}


def new_case(client: Any, headers: dict[str, str], **over: Any) -> dict[str, Any]:
    body = {"channel": "interpol", "title": "Locate and trace request", "country": "FR",
            "crime_area": "drugs", "priority": "high"} | over
    r = client.post("/cases", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_intake_routes_and_sets_deadline(client, seeded):
    case = new_case(client, seeded.headers("desk"))
    assert case["reference"].startswith("NCB-")
    assert case["status"] == "new"
    assert case["team_id"] is not None
    assert len(case["deadlines"]) == 1
    d = case["deadlines"][0]
    assert d["basis"] and d["due_at"] > d["starts_at"]


def test_sirene_case_gets_twelve_hour_deadline(client, seeded):
    case = new_case(client, seeded.headers("desk"), channel="schengen", priority="normal",
                    received_at="2026-01-10T08:00:00+01:00")
    d = case["deadlines"][0]
    assert d["starts_at"].startswith("2026-01-10T07:00:00")
    assert d["due_at"].startswith("2026-01-10T19:00:00")


@pytest.mark.parametrize("body,field,rule", [
    ({"channel": "pigeon", "title": "x" * 5}, "channel", "code_list"),
    ({"channel": "interpol"}, "title", "missing"),
    ({"channel": "interpol", "title": "abcde", "country": "XX"}, "country", "code_list"),
    ({"channel": "interpol", "title": "abcde", "received_at": "2026-01-01T10:00:00"},
     "received_at", "timezone_aware"),
    ({"channel": "interpol", "title": "abcde", "entities": [{"kind": "person"}]},
     "entities.0", "name_required"),
    ({"channel": "interpol", "title": "abcde",
      "entities": [{"name": "A B", "date_of_birth": "03/02/1971"}]},
     "entities.0.date_of_birth", "date_format"),
    ({"channel": "interpol", "title": "abcde", "markings": {"handling_code": "C"}},
     "markings", "conditions_required"),
    ({"channel": "interpol", "title": "abcde", "bogus": 1}, "bogus", "extra_forbidden"),
])
def test_bad_intake_names_field_and_rule_and_writes_nothing(client, seeded, factory, body,
                                                            field, rule):
    with factory() as s:
        before = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    r = client.post("/cases", json=body, headers=seeded.headers("desk"))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = r.json()["errors"]
    assert any(e["field"] == field and e["rule"] == rule for e in errors), errors
    with factory() as s:
        assert s.execute(select(func.count()).select_from(Case).execution_options(
            skip_access=True)).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == before


def test_failure_midway_leaves_nothing_half_written(client, seeded, factory):
    # The second entity shares with an unknown agency: the case and first entity must go too.
    body = {"channel": "interpol", "title": "Two subjects", "entities": [
        PERSON, {"name": "Anna Smirnova", "markings": {"sharing_scope": "agencies",
                                                       "share_with": ["NOPE"]}}]}
    r = client.post("/cases", json=body, headers=seeded.headers("desk"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "markings.share_with[0]"
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)
                        .execution_options(skip_access=True)) == 0


def test_state_machine_allowed_and_forbidden(client, seeded):
    h = seeded.headers("desk")
    ref = new_case(client, h)["reference"]
    r = client.post(f"/cases/{ref}/status", json={"status": "closed"}, headers=h)
    assert r.status_code == 422
    body = r.json()
    assert "new" in body["detail"] and "closed" in body["detail"]
    assert client.post(f"/cases/{ref}/assign", json={}, headers=h).json()["status"] == "assigned"
    for target in ("in_progress", "awaiting_reply", "in_progress", "answered", "closed"):
        r = client.post(f"/cases/{ref}/status", json={"status": target}, headers=h)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == target
    case = client.get(f"/cases/{ref}", headers=h).json()
    assert case["closed_at"] and all(d["met_at"] for d in case["deadlines"])
    kinds = [e["kind"] for e in client.get(f"/cases/{ref}/timeline", headers=h).json()]
    assert kinds[0] == "received" and kinds.count("status") == 5


def test_sensitive_case_needs_justification_which_is_logged(client, seeded, factory):
    h = seeded.headers("desk")
    ref = new_case(client, h, markings={"classification": "OFFICIAL-SENSITIVE"})["reference"]
    r = client.get(f"/cases/{ref}", headers=h)
    assert r.status_code == 428
    assert r.json()["errors"][0]["field"] == "justification"
    r = client.get(f"/cases/{ref}", headers=h | {"X-Justification": "EAW arrest follow-up"})
    assert r.status_code == 200
    with factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "consultation",
                                                   AuditEntry.record_id == ref)).one()
        assert entry.justification == "EAW arrest follow-up" and entry.actor == "desk"


def test_partner_sees_only_what_was_shared(client, seeded):
    h = seeded.headers("desk")
    private = new_case(client, h, title="Not for partners")["reference"]
    shared = new_case(client, h, title="For the FBI",
                      markings={"sharing_scope": "agencies", "share_with": ["US-FBI"]})["reference"]
    grouped = new_case(client, h, title="Five Eyes",
                       markings={"sharing_scope": "group", "sharing_group": "five_eyes"})
    fbi = seeded.headers("partner")
    r = client.get(f"/cases/{private}", headers=fbi)
    assert r.status_code == 404  # hidden answers as absent (tests/api/test_hidden_as_absent.py)
    assert "Not for partners" not in r.text
    assert client.get(f"/cases/{shared}", headers=fbi).status_code == 200
    assert client.get(f"/cases/{grouped['reference']}", headers=fbi).status_code == 200
    assert client.get(f"/cases/{grouped['reference']}",
                      headers=seeded.headers("ncbfr")).status_code == 404
    found = client.get("/search", params={"q": "partners"}, headers=fbi).json()
    assert found["cases"] == []
    assert client.get("/cases/NCB-1999-0000001", headers=fbi).status_code == 404


def test_clearance_below_classification_is_refused(client, seeded):
    ref = new_case(client, seeded.headers("supervisor"),
                   markings={"classification": "SECRET"})["reference"]
    r = client.get(f"/cases/{ref}", headers=seeded.headers("desk") | {"X-Justification": "x"})
    assert r.status_code == 404 and "reasons" not in r.json()  # the why is in the audit log
    r = client.post("/cases", json={"channel": "interpol", "title": "Too high",
                                    "markings": {"classification": "SECRET"}},
                    headers=seeded.headers("desk"))
    assert r.status_code == 403 and r.json()["errors"][0]["field"] == "markings.classification"


def test_queues_mine_team_due_overdue_and_desk(client, seeded):
    h = seeded.headers("desk")
    refs = [new_case(client, h, title=f"Case {i}")["reference"] for i in range(3)]
    client.post(f"/cases/{refs[0]}/assign", json={}, headers=h)
    mine = client.get("/cases/queue/mine", headers=h).json()
    assert [c["reference"] for c in mine["items"]] == [refs[0]]
    due = client.get("/cases/queue/due", params={"hours": 24 * 20},
                     headers=seeded.headers("supervisor")).json()
    assert {c["reference"] for c in due["items"]} >= set(refs)
    old = new_case(client, h, title="Old one", received_at="2025-01-01T00:00:00Z")
    overdue = client.get("/cases/queue/overdue", headers=seeded.headers("supervisor")).json()
    assert [c["reference"] for c in overdue["items"]] == [old["reference"]]
    assert client.get("/cases/queue/desk", headers=h).status_code == 403
    desk = client.get("/cases/queue/desk", params={"page_size": 2},
                      headers=seeded.headers("supervisor")).json()
    assert len(desk["items"]) == 2 and desk["has_next"]
    r = client.get("/cases/queue/bogus", headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "queue"


def test_notes_tasks_messages_and_attachments(client, seeded, factory):
    h = seeded.headers("desk")
    ref = new_case(client, h)["reference"]
    assert client.post(f"/cases/{ref}/notes", json={"body": "Called FR desk"},
                       headers=h).status_code == 201
    t = client.post(f"/cases/{ref}/tasks", json={"title": "Check PNC"}, headers=h).json()
    assert client.post(f"/cases/{ref}/tasks/{t['id']}/done", headers=h).json()["done_at"]
    assert client.post(f"/cases/{ref}/tasks/{t['id']}/done", headers=h).status_code == 409
    m = client.post(f"/cases/{ref}/messages", json={
        "direction": "out", "sender": "GB-NCA", "recipients": ["FR-NCB"], "subject": "Reply",
        "body": "No trace"}, headers=h)
    assert m.status_code == 201
    up = client.post(f"/cases/{ref}/attachments", files={"file": ("a.txt", b"hello")}, headers=h)
    assert up.status_code == 201
    assert up.json()["sha256"] == (
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
    down = client.get(f"/cases/{ref}/attachments/{up.json()['id']}", headers=h)
    assert down.content == b"hello"
    with factory() as s:
        disclosure = s.scalars(select(AuditEntry).where(AuditEntry.action == "disclosure")).one()
        assert disclosure.recipients == ["FR-NCB"]


def test_attachment_over_limit_is_refused_with_large_file_route(client, seeded, monkeypatch):
    monkeypatch.setattr(client.app.state.settings, "max_attachment_mb", 1)  # this app's limit
    h = seeded.headers("desk")
    ref = new_case(client, h)["reference"]
    r = client.post(f"/cases/{ref}/attachments",
                    files={"file": ("big.bin", b"x" * (1024 * 1024 + 1))}, headers=h)
    assert r.status_code == 413
    assert "large-file" in r.json()["detail"]
    assert client.get(f"/cases/{ref}/attachments", headers=h).json() == []


def test_search_names_in_any_script_and_documents(client, seeded):
    h = seeded.headers("desk")
    new_case(client, h, entities=[{"name": "Дмитрий Волков", "identifier": "P-1234-567"}])
    found = client.get("/search", params={"q": "Dmitrii Volkov"}, headers=h).json()
    assert [e["display_name"] for e in found["entities"]] == ["Дмитрий Волков"]
    found = client.get("/search", params={"q": "p1234567"}, headers=h).json()
    assert len(found["entities"]) == 1
    assert client.get("/search", params={"q": "x"}, headers=h).status_code == 422


def test_share_respects_markings_and_logs_disclosure(client, seeded, factory):
    h = seeded.headers("desk")
    case = new_case(client, h, markings={"tlp": "TLP:GREEN"})
    r = client.post(f"/share/case/{case['id']}", json={
        "agencies": ["US-FBI"], "justification": "Joint investigation"}, headers=h)
    assert r.status_code == 200 and r.json()[0]["allowed"]
    assert client.get(f"/cases/{case['reference']}", headers=seeded.headers("partner")
                      ).status_code == 200
    h2 = new_case(client, h, markings={"handling_code": "H2", "originator": "EUROPOL"})
    r = client.post(f"/share/case/{h2['id']}", json={
        "agencies": ["US-FBI"], "justification": "Joint investigation"}, headers=h)
    assert r.status_code == 403
    assert "H2" in " ".join(r.json()["decisions"][0]["reasons"])


def test_screening_on_intake_attaches_explained_hits(client, seeded):
    h = seeded.headers("desk")
    new_case(client, h, title="Red notice subject", entities=[PERSON])
    second = new_case(client, h, title="New request", entities=[
        {"name": "Иван Петров", "date_of_birth": "1971-03-02"}])
    hits = client.get(f"/cases/{second['reference']}/hits", headers=h).json()
    assert len(hits) == 1 and hits[0]["visible"] and hits[0]["match"]
    assert "name" in hits[0]["explanation"]
    r = client.post(f"/cases/{second['reference']}/hits/{hits[0]['hit_id']}/review",
                    json={"decision": "no_match"}, headers=h)
    assert r.status_code == 200 and r.json()["decision"] == "no_match"
    screened = client.post("/screen", json={"entities": [{"name": "Ivan Petrov",
                                                          "date_of_birth": "1971"}]},
                           headers=h).json()
    assert screened and screened[0]["rank"] == 1


def test_restricted_hit_reveals_only_existence_and_contact(client, seeded):
    new_case(client, seeded.headers("supervisor"), title="Secret op",
             markings={"classification": "SECRET"}, entities=[PERSON])
    rows = client.post("/screen", json={"entities": [PERSON]},
                       headers=seeded.headers("desk")).json()
    # Above the desk officer's clearance: not even a referral (docs/security.md, "What a
    # hidden hit reveals"); referrals within the clearance: tests/services/test_screening_access.py
    assert rows == []
    rows = client.post("/screen", json={"entities": [PERSON]},
                       headers=seeded.headers("supervisor")).json()
    assert rows and rows[0]["visible"] and "Petrov" in rows[0]["candidate"]


def test_entity_edit_and_erasure_follow_through_to_screening(client, seeded, factory):
    h = seeded.headers("desk")
    case = new_case(client, h, entities=[{"name": "Olga Sidorova", "date_of_birth": "1980"}])
    eid = client.get(f"/cases/{case['reference']}/entities", headers=h).json()[0]["id"]

    def top(name: str) -> list[int]:
        rows = client.post("/screen", json={"entities": [{"name": name}]}, headers=h).json()
        return [r["candidate_id"] for r in rows if r["match"]]

    assert eid in top("Olga Sidorova")
    r = client.patch(f"/entities/{eid}", json={"name": "Tatiana Morozova"}, headers=h)
    assert r.status_code == 200
    assert eid not in top("Olga Sidorova") and eid in top("Tatiana Morozova")
    assert client.patch(f"/entities/{eid}", json={"date_of_birth": "80"},
                        headers=h).status_code == 422
    sup = seeded.headers("supervisor")
    assert client.delete(f"/entities/{eid}", headers=sup).status_code == 422
    assert client.delete(f"/entities/{eid}", headers=h | {"X-Justification": "retention"}
                         ).status_code == 403
    r = client.delete(f"/entities/{eid}", headers=sup | {"X-Justification": "retention expired"})
    assert r.status_code == 204
    assert eid not in top("Tatiana Morozova")
    assert client.get(f"/entities/{eid}", headers=sup).status_code == 404
    with factory() as s:
        erasure = s.scalars(select(AuditEntry).where(AuditEntry.action == "erasure")).one()
        assert erasure.justification == "retention expired"


def test_batch_intake_is_all_or_nothing_and_names_the_position(client, seeded, factory):
    h = seeded.headers("desk")
    good = {"channel": "europol", "title": "SIENA feed item", "country": "NL"}
    r = client.post("/cases/batch", json={"cases": [good, good | {"title": "Second item"}]},
                    headers=h)
    assert r.status_code == 201 and len(r.json()) == 2
    r = client.post("/cases/batch", json={"cases": [good, good | {"requesting_agency": "NOPE"}]},
                    headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "cases[1].requesting_agency"
    r = client.post("/cases/batch", json={"cases": [good, good | {"channel": "fax"}]}, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "cases.1.channel"
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)
                        .execution_options(skip_access=True)) == 2


def test_non_europol_codes_reply_and_forward(client, seeded):
    h = seeded.headers("desk")
    ref = new_case(client, h)["reference"]
    first = client.post(f"/cases/{ref}/messages", json={
        "direction": "in", "sender": "US-FBI", "subject": "Trace", "body": "x",
        "markings": {"handling_code": "C", "handling_conditions": "no court use"}}, headers=h)
    assert first.status_code == 201
    reply = client.post(f"/cases/{ref}/messages", json={
        "direction": "out", "sender": "GB-NCA", "recipients": ["US-FBI"], "subject": "Re",
        "in_reply_to": first.json()["id"]}, headers=h)
    assert reply.status_code == 201
    assert reply.json()["handling_conditions"] == "no court use"
    fw = client.post(f"/cases/{ref}/messages/{first.json()['id']}/forward", json=["CA-RCMP"],
                     headers=h)
    assert fw.status_code == 201
    legacy = client.post(f"/cases/{ref}/messages", json={
        "direction": "in", "sender": "CA-RCMP", "subject": "Old", "markings": {
            "handling_code": "4"}}, headers=h).json()
    fw = client.post(f"/cases/{ref}/messages/{legacy['id']}/forward", json=["US-FBI"], headers=h)
    assert fw.status_code == 403 and "originator" in fw.json()["detail"]


def test_a_review_is_stored_as_a_judgement_later_screenings_apply(client, seeded, factory):
    from ncb.matching import Decision
    from ncb.services.screening import DbJudgements
    from ncb.store.models import Hit

    h = seeded.headers("desk")
    new_case(client, h, entities=[PERSON])
    second = new_case(client, h, entities=[{"name": "Иван Петров", "date_of_birth": "1971-03-02"}])
    hit = client.get(f"/cases/{second['reference']}/hits", headers=h).json()[0]
    client.post(f"/cases/{second['reference']}/hits/{hit['hit_id']}/review",
                json={"decision": "no_match"}, headers=h)
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM  # hits are seen through their case: read as the system
        row = s.get(Hit, hit["hit_id"])
        store = DbJudgements(s, str(row.query_entity_id))
        assert store.get(str(row.query_entity_id), str(row.target_entity_id)) is Decision.NO_MATCH
        assert store.get(str(row.target_entity_id), str(row.query_entity_id)) is Decision.NO_MATCH
