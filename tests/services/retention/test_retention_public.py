"""Retention of the public side's records (SQLite and PostgreSQL): anonymous tips and wanted
appeals fall due by the rules (a closed tip and a caught fugitive's appeal sooner), are kept
with a reason or erased with what stays said, and a tip's words never reach the queue."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from ncb.services import tips
from ncb.store.models import Appeal, AuditEntry, Tip
from tests.services.retention.test_retention import new_case, queue

DAY = timedelta(days=1)


def submit(factory: Any, settings: Any, body: str, appeal: str | None = None) -> int:
    token = tips.issue_form_token(settings, now=time.time() - settings.tip_form_min_seconds)
    with factory() as s:
        receipt = tips.submit_tip(s, settings, body, appeal_public_id=appeal, form_token=token)
        s.commit()
        return int(
            s.scalar(
                select(Tip.id).where(Tip.reference == receipt.reference).execution_options(skip_access=True)
            )
        )


def tip_public_id(factory: Any, rid: int) -> str:
    """What the tips API names a tip by (its internal id is for the retention queue)."""
    with factory() as s:
        return str(s.scalar(select(Tip.public_id).where(Tip.id == rid).execution_options(skip_access=True)))


def set_row(factory: Any, model: Any, rid: int, **values: Any) -> None:
    with factory() as s:
        s.execute(update(model).where(model.id == rid).values(**values).execution_options(skip_access=True))
        s.commit()


def ago(days: int) -> datetime:
    return (datetime.now(UTC) - days * DAY).replace(minute=0, second=0, microsecond=0)


def items(q: dict[str, Any], kind: str) -> dict[int, dict[str, Any]]:
    return {i["record_id"]: i for i in q["items"] if i["kind"] == kind}


def test_tips_fall_due_by_the_rules_and_erase_with_what_stays(client, seeded, factory, settings):
    sup, handler = seeded.headers("supervisor"), seeded.headers("tips")
    case = new_case(client, sup, [], title="Fugitive MARSH", channel="interpol")
    old_open = submit(factory, settings, "He drinks at the Bar Sol every Friday night.")
    old_closed = submit(factory, settings, "Saw him in Fuengirola market last week.")
    young = submit(factory, settings, "My neighbour looks like the man on the poster.")
    set_row(factory, Tip, old_open, received_hour=ago(400))  # default: a year from arrival
    set_row(factory, Tip, old_closed, received_hour=ago(200))  # closed: six months
    set_row(factory, Tip, young, received_hour=ago(200))
    closed_pid = tip_public_id(factory, old_closed)
    r = client.post(
        f"/tips/{closed_pid}/sanitise",
        headers=handler,
        json={"sanitised_body": "Subject seen at Fuengirola market."},
    )
    assert r.status_code == 200, r.text
    assert (
        client.post(f"/tips/{closed_pid}/dispatch", headers=sup, json={"case": case["reference"]}).status_code
        == 200
    )
    assert client.post(f"/tips/{closed_pid}/close", headers=sup).status_code == 200
    q = queue(client, sup, kind="tip")
    due = items(q, "tip")
    assert set(due) == {old_open, old_closed} and q["totals"] == {"tip": 2}
    assert due[old_open]["overdue"] and "DPA 2018 s.39" in due[old_open]["rule_source"]
    assert due[old_closed]["category"] == "closed"
    assert "Bar Sol" not in str(q) and "Fuengirola" not in str(q)  # never the tip's words
    # Kept with a reason: out of the queue until the date the reviewer set.
    r = client.post(f"/retention/tip/{old_open}/keep", json={"reason": "sender still answering"}, headers=sup)
    assert r.status_code == 201, r.text
    assert set(items(queue(client, sup, kind="tip"), "tip")) == {old_closed}
    # Erased: the tip and its thread go; the note it became on the case stays, said so.
    r = client.post(f"/retention/tip/{old_closed}/erase", json={"reason": "closed, no use left"}, headers=sup)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["erased"][0].startswith("tip ")
    assert report["kept"] == [f"the sanitised note on case {case['reference']} (reviewed with the case)"]
    assert client.get(f"/tips/{closed_pid}", headers=sup).status_code == 404
    notes = client.get(f"/cases/{case['reference']}/notes", headers=sup)
    assert "Fuengirola market" in notes.text
    with factory() as s:
        entry = s.scalar(
            select(AuditEntry).where(AuditEntry.action == "erasure", AuditEntry.record_kind == "tip")
        )
        assert entry is not None and entry.justification == "closed, no use left"
    for user in ("partner", "tips", "desk"):  # reviewing retention is the supervisor's
        r = client.post(
            f"/retention/tip/{young}/erase", json={"reason": "not yours to do"}, headers=seeded.headers(user)
        )
        assert r.status_code == 403, user


def test_appeals_fall_due_and_a_live_one_is_withdrawn_before_erasure(client, seeded, factory, settings):
    sup, handler = seeded.headers("supervisor"), seeded.headers("tips")
    case = new_case(client, sup, [], title="Fugitive PRICE", channel="interpol")

    def appeal(name: str) -> dict[str, Any]:
        r = client.post(
            "/appeals",
            headers=handler,
            json={
                "case": case["reference"],
                "name": name,
                "wanted_for": "Drug trafficking",
                "believed_country": "ES",
            },
        )
        assert r.status_code == 201, r.text
        r = client.post(
            f"/appeals/{r.json()['id']}/publish", headers=sup, json={"justification": "Captura list"}
        )
        assert r.status_code == 200, r.text
        return dict(r.json())

    caught, wanted, recent = appeal("Lee PRICE"), appeal("Dean COLE"), appeal("Ray HOLT")
    assert (
        client.post(f"/appeals/{caught['id']}/status", headers=sup, json={"status": "caught"}).status_code
        == 200
    )
    set_row(factory, Appeal, caught["id"], caught_at=ago(100))  # caught: 90 days
    set_row(factory, Appeal, wanted["id"], published_at=ago(400))  # live: yearly review
    set_row(factory, Appeal, recent["id"], published_at=ago(200))
    public_id = client.get(f"/appeals/{caught['id']}", headers=sup).json()["public_id"]
    tip = submit(factory, settings, "Lee PRICE was arrested outside my building.", public_id)
    q = queue(client, sup, kind="appeal")
    due = items(q, "appeal")
    assert set(due) == {caught["id"], wanted["id"]}
    assert "live" in due[caught["id"]]["title"] and due[caught["id"]]["category"] == "caught"
    assert "purpose" in due[caught["id"]]["rule_source"]
    r = client.post(
        f"/retention/appeal/{caught['id']}/erase", json={"reason": "arrested and surrendered"}, headers=sup
    )
    assert r.status_code == 409 and "withdraw it first" in r.text
    assert (
        client.post(
            f"/appeals/{caught['id']}/withdraw", headers=sup, json={"reason": "surrendered"}
        ).status_code
        == 200
    )
    r = client.post(
        f"/retention/appeal/{caught['id']}/erase", json={"reason": "arrested and surrendered"}, headers=sup
    )
    assert r.status_code == 200, r.text
    assert r.json()["kept"] == ["1 tip(s) that named it (their own review; the link goes)"]
    assert client.get(f"/appeals/{caught['id']}", headers=sup).status_code == 404
    assert client.get(f"/tips/{tip_public_id(factory, tip)}", headers=sup).status_code == 200  # the tip stays
    assert "Lee PRICE" not in client.get("/public").text
    r = client.post(
        f"/retention/appeal/{wanted['id']}/keep", json={"reason": "still at large, relaunching"}, headers=sup
    )
    assert r.status_code == 201
    assert items(queue(client, sup, kind="appeal"), "appeal") == {}
    with factory() as s:
        kinds = [a.record_kind for a in s.scalars(select(AuditEntry).where(AuditEntry.action == "erasure"))]
        assert kinds == ["appeal"]
