"""EAW central authority through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from ncb.domain.deadlines import compute_due
from ncb.store.models import AuditEntry, Case, Message

NOW = datetime.now(UTC).replace(microsecond=0)

SECTIONS: dict[str, Any] = {
    "identity": {"name": "Dupont", "forenames": "Jean", "date_of_birth": "1980-05-04",
                 "nationality": ["FR"], "sex": "M"},
    "decision": {"kind": "arrest_warrant", "reference": "TJ-PARIS-2026-77"},
    "sentence": {"max_penalty_months": 120},
    "trial": {"appeared_in_person": True},
    "offences": {"count": 1, "description": "Importation of 40 kg of cocaine",
                 "list_offences": ["drug_trafficking"]},
    "issuing_authority": {"name": "Tribunal judiciaire de Paris", "country": "FR",
                          "signed_by": "Juge Martin"},
    "translated": True,
}


def iso(dt: datetime) -> str:
    return dt.isoformat()


def body(ref: str = "FR-EAW-1", **over: Any) -> dict[str, Any]:
    return {"reference": ref, "issuing_country": "FR", "warrant": dict(SECTIONS)} | over


def receive(client: Any, seeded: Any, ref: str = "FR-EAW-1") -> dict[str, Any]:
    r = client.post("/eaw/warrants", json=body(ref), headers=seeded.headers("extradition"))
    assert r.status_code == 201, r.text
    return r.json()


CERTIFY = {"decision": "certify", "reasons": "valid warrant, proportionate",
           "offence_max_months": 120, "list_offence_code": "drug_trafficking"}


def certified(client: Any, seeded: Any, ref: str = "FR-EAW-1") -> dict[str, Any]:
    w = receive(client, seeded, ref)
    r = client.post(f"/eaw/warrants/{w['id']}/certify", json=CERTIFY,
                    headers=seeded.headers("extradition"))
    assert r.status_code == 200, r.text
    return r.json()


def event(client: Any, seeded: Any, wid: int, kind: str, at: datetime, **extra: Any) -> Any:
    return client.post(f"/eaw/warrants/{wid}/events", json={"kind": kind, "at": iso(at)} | extra,
                       headers=seeded.headers("extradition"))


@pytest.mark.parametrize("drop,missing", [
    (["identity"], ["a"]),
    (["decision", "trial"], ["b", "d"]),
    (["sentence", "offences", "issuing_authority"], ["c", "e", "i"]),
])
def test_missing_sections_are_named(client, seeded, factory, drop, missing):
    sections = {k: v for k, v in SECTIONS.items() if k not in drop}
    r = client.post("/eaw/warrants", json=body(warrant=sections),
                    headers=seeded.headers("extradition"))
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["missing_sections"] == missing
    assert problem["errors"][0]["rule"] == "eaw.sections.required"
    for letter in missing:
        assert f"({letter})" in problem["detail"]
    with factory() as s:
        assert s.scalars(select(Case).execution_options(skip_access=True)).first() is None


def test_life_sentence_needs_section_h(client, seeded):
    sections = dict(SECTIONS, sentence={"life": True})
    r = client.post("/eaw/warrants", json=body(warrant=sections),
                    headers=seeded.headers("extradition"))
    assert r.status_code == 422 and r.json()["missing_sections"] == ["h"]


@pytest.mark.parametrize("payload,status_code,outcome", [
    (CERTIFY, 200, "certified"),
    # Non-list offence: dual criminality must be assessed.
    ({"decision": "certify", "reasons": "checked", "offence_max_months": 24}, 422, None),
    ({"decision": "certify", "reasons": "checked", "offence_max_months": 24,
      "dual_criminality": True}, 200, "certified"),
    # List offence below 3 years: dual criminality applies and is absent.
    ({"decision": "certify", "reasons": "checked", "offence_max_months": 24,
      "list_offence_code": "fraud", "dual_criminality": False}, 422, None),
    ({"decision": "certify", "reasons": "checked", "offence_max_months": 6,
      "dual_criminality": True}, 422, None),
    ({"decision": "certify", "reasons": "checked", "offence_max_months": 120,
      "list_offence_code": "drug_trafficking", "refusal_grounds": ["amnesty"]}, 422, None),
    ({"decision": "refuse", "reasons": "amnesty applies", "offence_max_months": 120,
      "list_offence_code": "drug_trafficking", "refusal_grounds": ["amnesty"]}, 200,
     "not_certified"),
])
def test_certification(client, seeded, factory, payload, status_code, outcome):
    sections = dict(SECTIONS, sentence={"max_penalty_months": payload["offence_max_months"]})
    w = client.post("/eaw/warrants", json=body(warrant=sections),
                    headers=seeded.headers("extradition")).json()
    r = client.post(f"/eaw/warrants/{w['id']}/certify", json=payload,
                    headers=seeded.headers("extradition"))
    assert r.status_code == status_code, r.text
    if outcome is None:
        assert r.json()["reasons"]
        return
    out = r.json()
    assert out["status"] == outcome
    assert out["certification"]["officer"] == "extradition"
    with factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "warrant",
                                                   AuditEntry.action == "alteration")).one()
        assert entry.justification == payload["reasons"]
        assert entry.details["decision"] == payload["decision"]


def test_certify_needs_permission(client, seeded):
    w = receive(client, seeded)
    r = client.post(f"/eaw/warrants/{w['id']}/certify", json=CERTIFY,
                    headers=seeded.headers("desk"))
    assert r.status_code == 403


def _due(w: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(d for d in w["deadlines"] if d["rule_id"] == rule)


def test_life_cycle_with_consent(client, seeded):
    w = certified(client, seeded)
    wid = w["id"]
    arrest = NOW - timedelta(days=12)
    steps = [("circulated", arrest - timedelta(days=1), {}), ("arrest", arrest, {}),
             ("initial_hearing", arrest + timedelta(hours=20), {}),
             ("consent", arrest + timedelta(days=1), {})]
    for kind, at, extra in steps:
        r = event(client, seeded, wid, kind, at, **extra)
        assert r.status_code == 200, r.text
    w = r.json()
    assert w["status"] == "initial_hearing" and w["consent"] is True
    consent_clock = _due(w, "eaw_decision_consent")
    assert consent_clock["due_at"].startswith(iso(arrest + timedelta(days=11))[:19])
    assert consent_clock["met_at"] is None
    # The 60-day clock was dropped by consent; next_due_at is the earliest unmet deadline.
    assert _due(w, "eaw_decision_arrest")["met_at"] is not None
    unmet = sorted(d["due_at"] for d in w["deadlines"] if d["met_at"] is None)
    assert w["case_next_due_at"][:19] == unmet[0][:19]
    r = event(client, seeded, wid, "final_decision", arrest + timedelta(days=5), outcome="ordered")
    w = r.json()
    assert w["status"] == "decided"
    surrender = _due(w, "eaw_surrender")
    assert surrender["due_at"].startswith(iso(arrest + timedelta(days=15))[:19])
    r = event(client, seeded, wid, "surrender", arrest + timedelta(days=9))
    w = r.json()
    assert w["status"] == "surrendered" and w["release_required"] is False
    assert w["case_next_due_at"] is None
    stats = client.get(f"/eaw/stats?year={(arrest + timedelta(days=9)).year}",
                       headers=seeded.headers("extradition")).json()
    if arrest.year == (arrest + timedelta(days=9)).year:
        assert stats["surrenders"] == 1 and stats["certified"] == 1
        assert stats["median_days_arrest_to_decision"]["with_consent"] == 5.0


def test_life_cycle_without_consent_appeal_and_force_majeure(client, seeded):
    w = certified(client, seeded)
    wid = w["id"]
    arrest = NOW - timedelta(days=50)
    for kind, at in [("arrest", arrest), ("initial_hearing", arrest + timedelta(hours=10)),
                     ("extradition_hearing", arrest + timedelta(days=14))]:
        assert event(client, seeded, wid, kind, at).status_code == 200
    w = client.get(f"/eaw/warrants/{wid}", headers=seeded.headers("extradition")).json()
    assert _due(w, "eaw_decision_arrest")["due_at"].startswith(
        iso(arrest + timedelta(days=60))[:19])
    r = event(client, seeded, wid, "decision", arrest + timedelta(days=30))
    assert r.json()["status"] == "decided"
    # s.26(4): 7 calendar days starting with the day of the order, to 23:59:59 bureau time.
    order_due = compute_due("uk_appeal_notice", arrest + timedelta(days=30), "Europe/London")
    assert _due(r.json(), "uk_appeal_notice")["due_at"].startswith(iso(order_due.due_at)[:19])
    r = event(client, seeded, wid, "appeal_lodged", arrest + timedelta(days=33))
    assert r.json()["status"] == "appeal"
    r = event(client, seeded, wid, "final_decision", arrest + timedelta(days=40))
    assert r.status_code == 200 and r.json()["status"] == "appeal"
    # Force majeure without the new date is refused; with it the clock restarts.
    r = event(client, seeded, wid, "force_majeure", arrest + timedelta(days=45))
    assert r.status_code == 422
    new_date = arrest + timedelta(days=47)
    r = event(client, seeded, wid, "force_majeure", arrest + timedelta(days=45),
              new_date=iso(new_date), reason="strike at the airport")
    assert r.status_code == 200, r.text
    fm = _due(r.json(), "eaw_surrender_force_majeure")
    assert fm["due_at"].startswith(iso(new_date + timedelta(days=10))[:19])
    assert _due(r.json(), "eaw_surrender")["met_at"] is not None


@pytest.mark.parametrize("reason,status_code", [("", 422), ("complex dual nationality", 200)])
def test_extension_needs_reasons_sent_to_issuing_authority(client, seeded, factory, reason,
                                                           status_code):
    w = certified(client, seeded)
    arrest = NOW - timedelta(days=40)
    assert event(client, seeded, w["id"], "arrest", arrest).status_code == 200
    r = event(client, seeded, w["id"], "extension", NOW - timedelta(days=1), reason=reason)
    assert r.status_code == status_code, r.text
    with factory() as s:
        sent = s.scalars(select(Message).where(Message.channel == "eaw")
                         .execution_options(skip_access=True)).all()
    if status_code == 422:
        assert r.json()["errors"][0]["field"] == "reason"
        assert sent == []
        return
    assert _due(r.json(), "eaw_decision_arrest")["due_at"].startswith(
        iso(arrest + timedelta(days=90))[:19])
    assert len(sent) == 1 and sent[0].body == reason
    assert "issuing judicial authority (FR)" in sent[0].recipients


def test_expired_limit_flags_release(client, seeded):
    late = certified(client, seeded, "FR-EAW-LATE")
    fine = certified(client, seeded, "FR-EAW-FINE")
    assert event(client, seeded, late["id"], "arrest", NOW - timedelta(days=61)).status_code == 200
    assert event(client, seeded, fine["id"], "arrest", NOW - timedelta(days=2)).status_code == 200
    r = client.get("/eaw/warrants/release-required", headers=seeded.headers("extradition"))
    assert r.status_code == 200
    rows = r.json()
    assert [x["reference"] for x in rows] == ["FR-EAW-LATE"]
    assert any("Final decision" in reason for reason in rows[0]["release_reasons"])


def test_provisional_arrest_48h_extension_once(client, seeded):
    w = certified(client, seeded)
    at = NOW - timedelta(hours=50)
    assert event(client, seeded, w["id"], "provisional_arrest", at).status_code == 200
    r = event(client, seeded, w["id"], "provisional_extension", at + timedelta(hours=40))
    assert _due(r.json(), "uk_provisional_warrant")["due_at"].startswith(
        iso(at + timedelta(hours=96))[:19])
    r = event(client, seeded, w["id"], "provisional_extension", at + timedelta(hours=45))
    assert r.status_code == 422


def test_event_rules(client, seeded):
    w = receive(client, seeded)
    assert event(client, seeded, w["id"], "arrest", NOW).status_code == 409  # not certified
    w = certified(client, seeded, "FR-EAW-2")
    assert event(client, seeded, w["id"], "teleport", NOW).status_code == 422
    assert event(client, seeded, w["id"], "arrest", NOW + timedelta(days=1)).status_code == 422
    r = event(client, seeded, w["id"], "surrender", NOW)  # certified -> surrendered not allowed
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "eaw.transitions"


def test_refusal_counts_by_ground(client, seeded):
    w = certified(client, seeded)
    arrest = NOW - timedelta(days=3)
    event(client, seeded, w["id"], "arrest", arrest)
    event(client, seeded, w["id"], "initial_hearing", arrest + timedelta(hours=5))
    r = event(client, seeded, w["id"], "final_decision", NOW - timedelta(days=1),
              outcome="refused")
    assert r.status_code == 422
    r = event(client, seeded, w["id"], "final_decision", NOW - timedelta(days=1),
              outcome="refused", refusal_ground="national_resident_serving_sentence")
    assert r.status_code == 200 and r.json()["status"] == "discharged"
    year = (NOW - timedelta(days=1)).year
    stats = client.get(f"/eaw/stats?year={year}", headers=seeded.headers("extradition")).json()
    assert stats["refusals_by_ground"] == {"national_resident_serving_sentence": 1}
    assert stats["median_days_arrest_to_decision"]["without_consent"] == 2.0


def test_outgoing_warrant_translation_and_transmission(client, seeded, factory):
    h = seeded.headers("extradition")
    sections = {k: v for k, v in SECTIONS.items() if k not in ("trial", "translated")}
    r = client.post("/eaw/outgoing", json={"reference": "GB-EAW-9", "issuing_country": "GB",
                                           "executing_country": "ES", "warrant": sections},
                    headers=h)
    assert r.status_code == 201, r.text
    w = r.json()
    assert w["missing_sections"] == ["d"] and w["status"] == "drafted"
    r = client.post(f"/eaw/warrants/{w['id']}/transmit",
                    json={"recipients": ["ES SIRENE"], "at": iso(NOW)}, headers=h)
    assert r.status_code == 422 and r.json()["missing_sections"] == ["d"]
    with factory() as s:  # complete (d) by hand for the test
        from ncb.store.models import Warrant
        row = s.get(Warrant, w["id"], execution_options={"skip_access": True})
        row.sections = dict(row.sections, trial={"appeared_in_person": True})
        s.commit()
    r = client.post(f"/eaw/warrants/{w['id']}/transmit",
                    json={"recipients": ["ES SIRENE"], "at": iso(NOW)}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "translation"
    r = client.post(f"/eaw/warrants/{w['id']}/translation",
                    json={"language": "es", "status": "received", "at": iso(NOW)}, headers=h)
    assert r.json()["status"] == "translated"
    r = client.post(f"/eaw/warrants/{w['id']}/transmit",
                    json={"recipients": ["ES SIRENE"], "at": iso(NOW)}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "transmitted"
    # The other state's clock is tracked.
    r = event(client, seeded, w["id"], "arrest", NOW - timedelta(hours=1))
    assert _due(r.json(), "eaw_decision_arrest")["met_at"] is None


def test_outgoing_warrant_runs_only_framework_decision_clocks(client, seeded):
    h = seeded.headers("extradition")
    r = client.post("/eaw/outgoing", json={"reference": "GB-EAW-10", "issuing_country": "GB",
                                           "executing_country": "ES", "warrant": SECTIONS},
                    headers=h)
    wid = r.json()["id"]
    arrest = NOW - timedelta(days=70)
    for kind, at in [("provisional_arrest", arrest), ("decision", arrest + timedelta(days=5)),
                     ("appeal_lodged", arrest + timedelta(days=6))]:
        assert event(client, seeded, wid, kind, at).status_code == 200
    w = client.get(f"/eaw/warrants/{wid}", headers=h).json()
    rules = {d["rule_id"] for d in w["deadlines"]}
    assert "eaw_decision_arrest" in rules
    assert not [x for x in rules if x.startswith("uk_")], rules
    clocks = client.get(f"/eaw/warrants/{wid}/clocks", headers=h).json()
    assert clocks and all(not c["rule_id"].startswith("uk_") for c in clocks)
    # The 60-day limit expired in Spain: tracked as expired, but not a UK release.
    assert next(c for c in clocks if c["rule_id"] == "eaw_decision_arrest")["status"] == "expired"
    assert w["release_required"] is False
    rows = client.get("/eaw/warrants/release-required", headers=h).json()
    assert "GB-EAW-10" not in [x["reference"] for x in rows]
    # An incoming warrant with the same events still runs the UK limits.
    inc = certified(client, seeded)
    r = event(client, seeded, inc["id"], "provisional_arrest", NOW - timedelta(hours=1))
    assert "uk_provisional_hearing" in {d["rule_id"] for d in r.json()["deadlines"]}


@pytest.mark.parametrize("sentence,payload,field", [
    ({"max_penalty_months": 120}, {"offence_max_months": 24, "dual_criminality": True},
     "offence_max_months"),
    ({"max_penalty_months": 120, "sentence_months": 48},
     {"offence_max_months": 120, "sentence_months": 6}, "sentence_months"),
])
def test_certification_checks_months_against_section_c(client, seeded, sentence, payload,
                                                        field):
    w = client.post("/eaw/warrants", json=body(warrant=dict(SECTIONS, sentence=sentence)),
                    headers=seeded.headers("extradition")).json()
    r = client.post(f"/eaw/warrants/{w['id']}/certify",
                    json={"decision": "certify", "reasons": "checked"} | payload,
                    headers=seeded.headers("extradition"))
    assert r.status_code == 422, r.text
    err = r.json()["errors"][0]
    assert err["field"] == field and err["rule"] == "eaw.certification.section_c"
    assert "section (c)" in r.json()["detail"]
    assert client.get(f"/eaw/warrants/{w['id']}",
                      headers=seeded.headers("extradition")).json()["status"] == "received"


def test_certification_takes_missing_months_from_section_c(client, seeded):
    w = receive(client, seeded)  # section (c): maximum penalty 120 months
    r = client.post(f"/eaw/warrants/{w['id']}/certify",
                    json={"decision": "certify", "reasons": "list offence, 10 years",
                          "list_offence_code": "drug_trafficking"},
                    headers=seeded.headers("extradition"))
    assert r.status_code == 200, r.text
    assert r.json()["certification"]["check"]["threshold"] == "list_offence"
