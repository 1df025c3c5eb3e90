"""Issue 11: the sender's reference code is half of their credential (with the PIN it opens their
thread), so only the tip handler's own tip page shows it. The person page, the subject-access
pack, the retention queue and its erasure report, the tip queue, a supervisor's tip page and
the API name a tip by its public id (SQLite and PostgreSQL). Follow-up messages are numbered
within their thread, not by the global row id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ncb.store.models import AuditEntry, Tip, TipMessage
from tests.services.identities.test_identities import entity_ids
from tests.services.retention.test_retention import new_case, queue
from tests.services.retention.test_retention_public import ago, set_row, submit

MARSH = {
    "kind": "person",
    "first_name": "Kevin",
    "last_name": "Marsh",
    "date_of_birth": "1981-05-02",
    "nationality": "GB",
}


def _tip_on_marsh(client: Any, seeded: Any, factory: Any, settings: Any) -> dict[str, Any]:
    """A published appeal for Kevin Marsh and one tip that names it; returns the ids."""
    sup, handler = seeded.headers("supervisor"), seeded.headers("tips")
    case = new_case(client, sup, [MARSH], title="Fugitive MARSH", channel="interpol")
    entity_id = entity_ids(client, sup, case["reference"])[0]
    r = client.post(
        "/appeals",
        headers=handler,
        json={
            "case": case["reference"],
            "name": "Kevin MARSH",
            "wanted_for": "Armed robbery",
            "believed_country": "ES",
            "entity_id": entity_id,
        },
    )
    assert r.status_code == 201, r.text
    appeal = r.json()
    r = client.post(f"/appeals/{appeal['id']}/publish", headers=sup, json={"justification": "Captura list"})
    assert r.status_code == 200, r.text
    rid = submit(factory, settings, "Marsh drinks at the Bar Sol in Fuengirola.", appeal["public_id"])
    with factory() as s:
        tip = s.scalars(select(Tip).where(Tip.id == rid).execution_options(skip_access=True)).one()
        ref, public_id = tip.reference, tip.public_id
    identity = client.get(f"/entities/{entity_id}/identity", headers=sup).json()["identity_id"]
    return {"rid": rid, "reference": ref, "public_id": public_id, "identity": identity}


def test_person_page_and_subject_access_pack_name_the_tip_by_its_public_id(client, seeded, factory, settings):
    sup = seeded.headers("supervisor")
    t = _tip_on_marsh(client, seeded, factory, settings)
    person = client.get(f"/identities/{t['identity']}", headers=sup)
    assert person.status_code == 200, person.text
    assert t["public_id"] in person.text and t["reference"] not in person.text
    page = client.get(f"/w/identities/{t['identity']}", headers=sup)
    assert page.status_code == 200 and t["public_id"] in page.text
    assert t["reference"] not in page.text
    r = client.post(
        "/sar",
        headers=sup,
        json={
            "name": "Kevin Marsh",
            "first_name": "Kevin",
            "last_name": "Marsh",
            "date_of_birth": "1981-05-02",
            "nationality": "GB",
        },
    )
    assert r.status_code == 201, r.text
    sar = r.json()["reference"]
    r = client.put(f"/sar/{sar}/identities", headers=sup, json={"identity_ids": [t["identity"]]})
    assert r.status_code == 200, r.text
    keys = {i["key"] for i in r.json()["items"]}
    assert f"tip:{t['public_id']}" in keys and t["reference"] not in r.text
    # Disclosing the tip's existence to the data subject names it by the public id too.
    r = client.post(
        f"/sar/{sar}/decisions",
        headers=sup,
        json={"item": f"tip:{t['public_id']}", "disclose": True, "ground": None},
    )
    assert r.status_code == 200, r.text
    pack = client.get(f"/sar/{sar}/pack", headers=sup)
    assert pack.status_code == 200, pack.text
    assert f"Anonymous tip {t['public_id']}" in pack.text and t["reference"] not in pack.text
    with factory() as s:
        logged = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_kind == "subject_access")
            .execution_options(skip_access=True)
        ).all()
        assert not [e.seq for e in logged if t["reference"] in str(e.details)]


def test_retention_review_and_erasure_never_show_the_reference_code(client, seeded, factory, settings):
    sup = seeded.headers("supervisor")
    t = _tip_on_marsh(client, seeded, factory, settings)
    set_row(factory, Tip, t["rid"], received_hour=ago(800))
    q = queue(client, sup, kind="tip")
    item = next(i for i in q["items"] if i["record_id"] == t["rid"])
    assert item["reference"] == t["public_id"] and t["reference"] not in str(q)
    page = client.get("/w/retention", headers=sup)
    assert page.status_code == 200 and t["reference"] not in page.text
    assert f'href="/w/tips/{t["public_id"]}"' in page.text  # the link opens the tip
    assert client.get(f"/w/tips/{t['public_id']}", headers=sup).status_code == 200
    r = client.post(
        f"/retention/tip/{t['rid']}/erase", headers=sup, json={"reason": "past its review, no use left"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["erased"][0] == f"tip {t['public_id']}" and t["reference"] not in r.text
    with factory() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "erasure", AuditEntry.record_kind == "tip")
            .execution_options(skip_access=True)
        ).one()
        assert t["reference"] not in str(entry.details)


def test_only_the_tip_handler_sees_the_reference_code(client, seeded, factory, settings):
    sup, handler = seeded.headers("supervisor"), seeded.headers("tips")
    t = _tip_on_marsh(client, seeded, factory, settings)
    ref, pid = t["reference"], t["public_id"]
    for tab in ("received", "all"):
        assert ref not in client.get(f"/w/tips?status={tab}", headers=handler).text
        assert ref not in client.get(f"/w/tips?status={tab}", headers=sup).text
    assert ref not in client.get(f"/w/tips/{pid}", headers=sup).text
    mine = client.get(f"/w/tips/{pid}", headers=handler).text
    assert 'id="tip-reference"' in mine and ref in mine
    assert client.get(f"/tips/{pid}", headers=sup).json()["reference"] is None
    assert all(x["reference"] is None for x in client.get("/tips?status=received", headers=sup).json())
    assert client.get(f"/tips/{pid}", headers=handler).json()["reference"] == ref


def test_follow_up_messages_are_numbered_in_their_thread_not_by_row_id(client, seeded, factory, settings):
    handler = seeded.headers("tips")
    first = _tip_on_marsh(client, seeded, factory, settings)
    second = submit(factory, settings, "He left for Malaga on the Monday bus.")
    with factory() as s:
        pid = s.scalar(select(Tip.public_id).where(Tip.id == second).execution_options(skip_access=True))
    for q in ("Which bar?", "Which day?"):
        r = client.post(f"/tips/{first['public_id']}/questions", headers=handler, json={"question": q})
        assert r.status_code == 201, r.text
    r = client.post(f"/tips/{pid}/questions", headers=handler, json={"question": "Which bus?"})
    assert r.status_code == 201 and r.json()["n"] == 1 and "id" not in r.json()
    with factory() as s:
        row_ids = s.scalars(select(TipMessage.id).execution_options(skip_access=True, all_rows=True)).all()
    assert max(row_ids) == 3  # the row id counts every tip's follow-ups
    thread = client.get(f"/tips/{first['public_id']}", headers=handler).json()["messages"]
    assert [m["n"] for m in thread] == [1, 2] and all("id" not in m for m in thread)


def test_the_audit_log_names_tips_by_public_id_and_searches_by_it(client, seeded, factory, settings):
    sup, handler = seeded.headers("supervisor"), seeded.headers("tips")
    t = _tip_on_marsh(client, seeded, factory, settings)
    assert client.get(f"/tips/{t['public_id']}", headers=handler).status_code == 200
    r = client.post(f"/tips/{t['public_id']}/questions", headers=handler, json={"question": "Which night?"})
    assert r.status_code == 201
    page = client.get("/audit?record_kind=tip", headers=sup).json()
    shown = {e["record_id"] for e in page["items"]}
    assert shown == {t["public_id"]}  # the internal number is in the row, not in the view
    by_public = client.get(f"/audit?record_id={t['public_id']}", headers=sup).json()
    assert by_public["total"] == page["total"] >= 2
    by_number = client.get(f"/audit?record_id={t['rid']}", headers=sup).json()
    assert not [e for e in by_number["items"] if e["record_kind"] == "tip"]
    csv = client.get("/w/audit.csv?record_kind=tip", headers=sup)
    assert csv.status_code == 200 and t["public_id"] in csv.text
    assert f",tip,{t['rid']}," not in csv.text
    html = client.get("/w/audit?record_kind=tip", headers=sup).text
    assert f'href="/w/tips/{t["public_id"]}"' in html
    with factory() as s:  # the chain keeps the internal number (hashed, and matched by it)
        rows = s.scalars(select(AuditEntry.record_id).where(AuditEntry.record_kind == "tip")).all()
        assert set(rows) == {str(t["rid"])}
