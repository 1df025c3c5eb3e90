"""The SIRENE hit flow as the desk meets it: another bureau's G form on our alert opens (or
joins) one schengen case linked to the alert, the form and the subject, with one 12-hour limit;
a closed case is never reused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from ncb.services.channels import case_links
from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.models import Alert, CaseEntity, CaseEvent

NOW = datetime.now(UTC).replace(microsecond=0)
DATA = {"surname": "Moreau", "forenames": "Luc", "date_of_birth": "1975-02-11",
        "warrant_reference": "GB-EAW-77", "issuing_authority": "Westminster MC",
        "offence": "armed robbery"}
ES_REF = "ES-SIRENE-20260101T020000Z-000007"


def _alert(client: Any, seeded: Any, **over: Any) -> dict[str, Any]:
    r = client.post("/schengen/alerts", json={"article": "26", "issuing_country": "GB",
                                              "data": DATA} | over,
                    headers=seeded.headers("desk"))
    assert r.status_code == 201, r.text
    return dict(r.json())


def _g_form(client: Any, seeded: Any, reference: str = ES_REF, **over: Any) -> Any:
    body = {"form_type": "G", "direction": "in", "sender": "ES", "recipient": "GB",
            "reference": reference,
            "fields": {"hit_time_utc": (NOW - timedelta(hours=1)).isoformat(),
                       "hit_place": "Málaga airport", "action_taken": "person arrested"}} | over
    return client.post("/schengen/forms", json=body, headers=seeded.headers("desk"))


def _case(client: Any, seeded: Any, ref: str) -> dict[str, Any]:
    r = client.get(f"/cases/{ref}", headers=seeded.headers("desk"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_incoming_g_form_opens_one_linked_case_with_one_limit(client, seeded, factory):
    a = _alert(client, seeded)
    r = _g_form(client, seeded, alert_id=a["id"])
    assert r.status_code == 201, r.text
    g = r.json()
    # Filled from the alert: the officer typed none of these.
    assert g["fields"]["schengen_id"] == a["schengen_id"]
    assert g["fields"]["alert_article"] == "26"
    assert g["fields"]["offence_category"] == "armed robbery"
    assert g["direction"] == "in" and g["alert_id"] == a["id"]
    case = _case(client, seeded, g["case_reference"])
    assert case["channel"] == "schengen"
    # One limit: our reply to the form received (its own G-form limit bound Spain, not us).
    assert [d["rule_id"] for d in case["deadlines"]] == ["sirene_reply"]
    assert case["deadlines"][0]["label"].endswith(f"({ES_REF})")
    due = datetime.fromisoformat(case["deadlines"][0]["due_at"])
    start = datetime.fromisoformat(case["deadlines"][0]["starts_at"])
    assert due - start == timedelta(hours=12)
    assert g["due_at"] == case["next_due_at"]
    alert = client.get(f"/schengen/alerts/{a['id']}", headers=seeded.headers("desk")).json()
    assert alert["case_id"] == case["id"]
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM  # the test reads as the system
        linked = s.scalars(select(CaseEntity.entity_id).where(
            CaseEntity.case_id == case["id"])).all()
    assert linked == [a["entity_id"]]
    # A second form on the same alert joins the case: still one case, one limit per form.
    r = _g_form(client, seeded, "ES-SIRENE-20260101T030000Z-000008", alert_id=a["id"])
    assert r.status_code == 201, r.text
    assert r.json()["case_reference"] == g["case_reference"]
    again = _case(client, seeded, g["case_reference"])
    assert len(again["deadlines"]) == 2
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM  # the test reads as the system
        assert len(s.scalars(select(CaseEntity).where(CaseEntity.case_id == case["id"])).all()) == 1


def test_form_naming_the_schengen_id_lands_on_its_alert(client, seeded):
    a = _alert(client, seeded)
    r = _g_form(client, seeded, fields={"schengen_id": a["schengen_id"],
                                        "hit_time_utc": NOW.isoformat(), "hit_place": "Vigo",
                                        "action_taken": "stopped"})
    assert r.status_code == 201, r.text
    assert r.json()["alert_id"] == a["id"]
    assert r.json()["fields"]["alert_article"] == "26"


def test_closed_case_on_another_channel_is_never_reused(client, seeded, factory):
    eaw_case = client.post("/cases", json={"channel": "eaw", "direction": "outgoing",
                                           "title": "Outgoing EAW for Moreau"},
                           headers=seeded.headers("desk")).json()
    a = _alert(client, seeded, case_ref=eaw_case["reference"])
    r = client.post(f"/cases/{eaw_case['reference']}/status",
                    json={"status": "cancelled", "reason": "warrant withdrawn"},
                    headers=seeded.headers("supervisor"))
    assert r.status_code == 200, r.text
    g = _g_form(client, seeded, alert_id=a["id"]).json()
    assert g["case_reference"] != eaw_case["reference"]
    old = _case(client, seeded, eaw_case["reference"])
    assert old["status"] == "cancelled" and old["next_due_at"] is None
    assert all(d["met_at"] for d in old["deadlines"])
    new = _case(client, seeded, g["case_reference"])
    assert new["channel"] == "schengen" and len(new["deadlines"]) == 1
    assert eaw_case["reference"] in new["summary"]
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM  # the test reads as the system
        links = {(e.case_id, e.data["other"]) for e in s.scalars(
            select(CaseEvent).where(CaseEvent.kind == "linked_case"))}
    assert links == {(new["id"], eaw_case["reference"]), (old["id"], new["reference"])}
    alert = client.get(f"/schengen/alerts/{a['id']}", headers=seeded.headers("desk")).json()
    assert alert["case_id"] == new["id"]
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM  # the alert still lists the closed case, beside the new
        got = case_links.cases_of_alert(s, s.get(Alert, a["id"]))
        assert [c.reference for c in got] == [new["reference"], eaw_case["reference"]]
    # Naming the closed case outright is refused, naming the field and the rule.
    r = _g_form(client, seeded, "ES-SIRENE-20260101T040000Z-000009", alert_id=a["id"],
                case_ref=eaw_case["reference"])
    assert r.status_code == 409, r.text
    err = r.json()["errors"][0]
    assert err["field"] == "case_ref" and err["rule"] == "sirene.case_closed"


def test_our_hit_on_foreign_alert_after_its_case_closed(client, seeded):
    r = client.post("/schengen/alerts", json={"article": "26", "issuing_country": "FR",
                                              "data": DATA}, headers=seeded.headers("desk"))
    a = r.json()
    hit = {"hit_at": NOW.isoformat(), "place": "Dover", "action_taken": "arrested"}
    first = client.post(f"/schengen/alerts/{a['id']}/hit", json=hit,
                        headers=seeded.headers("desk")).json()
    case = _case(client, seeded, first["case_reference"])
    assert [d["rule_id"] for d in case["deadlines"]] == ["sirene_g_form"]
    client.post(f"/cases/{case['reference']}/status",
                json={"status": "cancelled", "reason": "person released"},
                headers=seeded.headers("supervisor"))
    second = client.post(f"/schengen/alerts/{a['id']}/hit", json=hit,
                         headers=seeded.headers("desk")).json()
    assert second["case_reference"] != first["case_reference"]
    assert [d["rule_id"] for d in _case(client, seeded, second["case_reference"])["deadlines"]
            ] == ["sirene_g_form"]
