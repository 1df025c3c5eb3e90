"""Schengen / SIRENE through the API: alerts, hits opening G forms, form validation, threading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from ncb.domain.sirene import parse_reference
from ncb.store.models import AuditEntry, Entity

NOW = datetime.now(UTC).replace(microsecond=0)
PERSON = {"surname": "Moreau", "forenames": "Luc", "date_of_birth": "1975-02-11"}


def alert(client: Any, seeded: Any, article: str = "26", country: str = "FR",
          **over: Any) -> Any:
    data = dict(PERSON, warrant_reference="FR-EAW-55", issuing_authority="TJ Lyon",
                offence="armed robbery")
    body = {"article": article, "issuing_country": country, "data": data} | over
    return client.post("/schengen/alerts", json=body, headers=seeded.headers("desk"))


@pytest.mark.parametrize("article,data,missing", [
    ("26", dict(PERSON, issuing_authority="TJ", offence="x"), ["warrant_reference"]),
    ("32", dict(PERSON), ["category", "decision_authority"]),
    ("38", {"object_category": "vehicle"}, ["object_identifier"]),
    ("40", {"offence": "burglary"}, ["dactyloscopic_data", "judicial_authority"]),
])
def test_alert_needs_article_data(client, seeded, article, data, missing):
    r = alert(client, seeded, article, data=data)
    assert r.status_code == 422, r.text
    assert r.json()["missing_fields"] == missing
    assert r.json()["errors"][0]["rule"] == f"sis_articles.{article}.required_fields"


@pytest.mark.parametrize("over,field", [
    ({"flagged": True}, "flag_reason"),
    ({"misused_identity": {"name": "Victim"}}, "misused_identity_consent"),
    ({"article": "99"}, "article"),
])
def test_alert_refusals(client, seeded, over, field):
    r = alert(client, seeded, **over)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == field


def test_alert_subject_is_screened_entity(client, seeded, factory):
    r = alert(client, seeded, misused_identity={"name": "Real Luc Moreau", "dob": "1975-02-11"},
              misused_identity_consent=True, review_date=(NOW + timedelta(days=365)).isoformat())
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["warrant_reference"] == "FR-EAW-55" and a["schengen_id"].startswith("FR-SIS-")
    with factory() as s:
        ent = s.get(Entity, a["entity_id"], execution_options={"skip_access": True})
        assert ent.watch_role == "alert" and ent.source_ref == a["schengen_id"]
    r = client.post("/screen", json={"entities": [{"first_name": "Luc", "last_name": "Moreau",
                                                   "date_of_birth": "1975-02-11"}]},
                    headers=seeded.headers("desk"))
    assert r.status_code == 200, r.text
    top = r.json()[0]
    assert top["candidate_id"] == a["entity_id"] and top["match"] is True
    assert "sis_alert" in top["candidate"]


def test_hit_opens_g_form_due_in_12_hours(client, seeded, factory):
    a = alert(client, seeded).json()
    hit_at = NOW - timedelta(hours=1)
    r = client.post(f"/schengen/alerts/{a['id']}/hit",
                    json={"hit_at": hit_at.isoformat(), "place": "Dover, border control",
                          "action_taken": "person arrested"}, headers=seeded.headers("desk"))
    assert r.status_code == 201, r.text
    g = r.json()
    assert g["form_type"] == "G" and g["recipient"] == "FR" and g["sent_at"] is None
    bureau, stamp, _seq = parse_reference(g["reference"])
    assert bureau == "GB" and stamp.tzinfo is not None
    assert g["due_at"].startswith((hit_at + timedelta(hours=12)).isoformat()[:19])
    assert g["case_next_due_at"] == g["due_at"]
    assert g["fields"]["schengen_id"] == a["schengen_id"] and g["fields"]["alert_article"] == "26"
    case = client.get(f"/cases/{g['case_reference']}", headers=seeded.headers("desk")).json()
    assert [d["rule_id"] for d in case["deadlines"]] == ["sirene_g_form"]
    # Sending it meets the deadline and is logged as a disclosure to the issuing bureau.
    r = client.post(f"/schengen/forms/{g['id']}/send", headers=seeded.headers("desk"))
    assert r.status_code == 200 and r.json()["sent_at"] and r.json()["case_next_due_at"] is None
    with factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "sirene_form",
                                                   AuditEntry.action == "disclosure")).one()
        assert entry.recipients == ["FR"]
    # The reply from the issuing bureau threads to the alert and the case.
    reply = {"form_type": "M", "direction": "in", "sender": "FR", "recipient": "GB",
             "reference": "FR-SIRENE-20260101T120000Z-000042", "in_reply_to": g["id"],
             "fields": {"subject": "Re: hit", "message_text": "Thank you; EAW follows"}}
    r = client.post("/schengen/forms", json=reply, headers=seeded.headers("desk"))
    assert r.status_code == 201, r.text
    assert r.json()["alert_id"] == a["id"]
    assert r.json()["case_reference"] == g["case_reference"]
    forms = client.get(f"/schengen/alerts/{a['id']}", headers=seeded.headers("desk")).json()
    assert [f["form_type"] for f in forms["forms"]] == ["G", "M"]


@pytest.mark.parametrize("body,status_code,field", [
    ({"urgent": True}, 422, "urgent_reason"),
    ({"urgent": True, "urgent_reason": "flight leaves in 2 hours"}, 201, None),
    ({"hit_at": (NOW + timedelta(hours=2)).isoformat()}, 422, "hit_at"),
])
def test_hit_urgency_and_time(client, seeded, body, status_code, field):
    a = alert(client, seeded).json()
    payload = {"hit_at": NOW.isoformat(), "place": "Heathrow", "action_taken": "stopped"} | body
    r = client.post(f"/schengen/alerts/{a['id']}/hit", json=payload,
                    headers=seeded.headers("desk"))
    assert r.status_code == status_code, r.text
    if field:
        assert r.json()["errors"][0]["field"] == field
    else:
        assert r.json()["urgent"] is True and r.json()["fields"]["urgent_reason"]


def test_hit_on_own_alert_is_refused(client, seeded):
    a = alert(client, seeded, country="GB").json()
    r = client.post(f"/schengen/alerts/{a['id']}/hit",
                    json={"hit_at": NOW.isoformat(), "place": "x", "action_taken": "y"},
                    headers=seeded.headers("desk"))
    assert r.status_code == 409


@pytest.mark.parametrize("form_type,fields,missing", [
    ("M", {"subject": "x"}, "012 (message_text)"),
    ("I", {"schengen_id": "FR-1", "alert_article": "36", "requested_use": "x"},
     "013 (justification)"),
    ("A", {"schengen_id": "FR-1", "offence_category": "fraud"}, "011 (eaw_reference)"),
    ("M", {"subject": "x", "message_text": "y", "urgent": True}, "009 (urgent_reason)"),
    ("M", {"subject": "x", "message_text": "y", "bogus": 1}, "unknown field 'bogus'"),
])
def test_form_fields_are_validated(client, seeded, form_type, fields, missing):
    r = client.post("/schengen/forms", json={"form_type": form_type, "recipient": "FR",
                                             "fields": fields}, headers=seeded.headers("desk"))
    assert r.status_code == 422, r.text
    assert any(missing in e for e in r.json()["form_errors"]), r.json()


def test_forms_get_unique_references(client, seeded):
    refs = set()
    for i in range(3):
        r = client.post("/schengen/forms", json={
            "form_type": "M", "recipient": "FR",
            "fields": {"11": "subject", "12": f"text {i}"}}, headers=seeded.headers("desk"))
        assert r.status_code == 201, r.text
        refs.add(r.json()["reference"])
        assert r.json()["fields"]["timestamp_utc"].endswith("+00:00")
    assert len(refs) == 3


def _screen(client: Any, seeded: Any) -> list[Any]:
    r = client.post("/screen", json={"entities": [{"first_name": "Luc", "last_name": "Moreau",
                                                   "date_of_birth": "1975-02-11"}]},
                    headers=seeded.headers("desk"))
    assert r.status_code == 200, r.text
    return [x.get("candidate_id") for x in r.json()]


def _due_queue(client: Any, seeded: Any, hours: int) -> dict[str, Any]:
    r = client.get(f"/cases/queue/due?hours={hours}", headers=seeded.headers("supervisor"))
    assert r.status_code == 200, r.text
    return r.json()


def test_review_date_is_a_case_deadline_and_erasure_removes_everything(client, seeded, factory):
    review = NOW + timedelta(days=20)
    r = alert(client, seeded, country="GB", review_date=review.isoformat(),
              misused_identity={"name": "Real Luc Moreau"}, misused_identity_consent=True)
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["case_id"] is not None
    # The review date is the case's next deadline: the due queue shows it.
    rows = _due_queue(client, seeded, 24 * 30)["items"]
    row = next(x for x in rows if x["id"] == a["case_id"])
    assert row["next_due_at"][:19] == review.isoformat()[:19]
    assert a["entity_id"] in _screen(client, seeded)
    # Only a supervisor, with a justification.
    url = f"/schengen/alerts/{a['id']}/erase"
    assert client.post(url, json={"justification": "retention expired"},
                       headers=seeded.headers("desk")).status_code == 403
    r = client.post(url, json={"justification": ""}, headers=seeded.headers("supervisor"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "justification"
    r = client.post(url, json={"justification": "unlawful: victim's identity misused"},
                    headers=seeded.headers("supervisor"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == "erased" and out["misused_identity"] is None
    assert out["entity_id"] is None and out["data"] == {}
    with factory() as s:
        assert s.get(Entity, a["entity_id"], execution_options={"skip_access": True}) is None
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "erasure")).all()
        kinds = {e.record_kind for e in entries}
        assert kinds == {"alert", "entity"}
        assert all(e.justification == "unlawful: victim's identity misused" for e in entries)
    # Screening no longer finds the subject; the review deadline is closed.
    assert a["entity_id"] not in _screen(client, seeded)
    assert a["case_id"] not in [x["id"] for x in _due_queue(client, seeded, 24 * 30)["items"]]
    assert client.post(url, json={"justification": "again please"},
                       headers=seeded.headers("supervisor")).status_code == 409


def test_foreign_alert_review_date_on_our_case(client, seeded):
    c = client.post("/cases", json={"channel": "schengen", "title": "Moreau enquiry"},
                    headers=seeded.headers("desk"))
    assert c.status_code == 201, c.text
    review = NOW + timedelta(days=2)
    r = alert(client, seeded, review_date=review.isoformat(), case_ref=c.json()["reference"])
    assert r.status_code == 201, r.text
    case = client.get(f"/cases/{c.json()['reference']}", headers=seeded.headers("desk")).json()
    assert any(d["rule_id"] == "sis_alert_review" and d["due_at"][:19] == review.isoformat()[:19]
               for d in case["deadlines"])
