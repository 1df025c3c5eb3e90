"""Writes need a permission, not just sight of the record (issue 11), on SQLite and PostgreSQL.

A partner agency's user sees a bureau case shared with it. It may add notes and files to its
own requests; it may not add entities to the bureau's case, mark the bureau's tasks done,
store a note under another agency's name, or pass the bureau's records on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.models import Entity, Note, Share, Task

PERSON = {"kind": "person", "first_name": "Ivan", "last_name": "Petrov", "provenance": "x"}
SHARED = {"sharing_scope": "agencies", "share_with": ["US-FBI"]}


def _case(client: Any, headers: dict[str, str], **over: Any) -> str:
    body = {"channel": "interpol", "title": "Locate and trace request", "country": "FR",
            "crime_area": "drugs", "priority": "high"} | over
    r = client.post("/cases", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["reference"])


def _refused(r: Any, permission: str) -> None:
    assert r.status_code == 403, r.text
    assert r.json()["errors"][0]["rule"] == f"permission:{permission}"
    assert permission in r.json()["detail"]


def _count(factory: Any, model: Any) -> int:
    with factory() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_partner_cannot_add_an_entity_to_a_bureau_case(client, seeded, factory):
    ref = _case(client, seeded.headers("desk"), markings=SHARED)
    fbi = seeded.headers("partner")
    assert client.get(f"/cases/{ref}", headers=fbi).status_code == 200  # it sees the case
    before = _count(factory, Entity)
    _refused(client.post(f"/cases/{ref}/entities", json=PERSON, headers=fbi), "entity.create")
    assert _count(factory, Entity) == before
    ok = client.post(f"/cases/{ref}/entities", json=PERSON, headers=seeded.headers("desk"))
    assert ok.status_code == 201


def test_partner_cannot_mark_a_bureau_task_done(client, seeded, factory):
    desk = seeded.headers("desk")
    ref = _case(client, desk, markings=SHARED)
    task = client.post(f"/cases/{ref}/tasks", json={"title": "Check PNC"}, headers=desk).json()
    fbi = seeded.headers("partner")
    _refused(client.post(f"/cases/{ref}/tasks/{task['id']}/done", headers=fbi), "case.work")
    _refused(client.post(f"/cases/{ref}/tasks", json={"title": "Mine"}, headers=fbi), "case.work")
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM  # tasks are seen through their case: read as the system
        assert s.get(Task, task["id"]).done_at is None
    done = client.post(f"/cases/{ref}/tasks/{task['id']}/done", headers=desk)
    assert done.status_code == 200 and done.json()["done_at"]


def test_partner_cannot_note_under_another_originator_or_share_onward(client, seeded, factory):
    ref = _case(client, seeded.headers("desk"), markings=SHARED)
    fbi = seeded.headers("partner")
    before = _count(factory, Note)
    forged = {"body": "From the NCA", "markings": {"originator": "GB-NCA"}}
    _refused(client.post(f"/cases/{ref}/notes", json=forged, headers=fbi), "case.work")
    own = _case(client, fbi, title="FBI request to the NCB")
    _refused(client.post(f"/cases/{own}/notes", json=forged, headers=fbi), "record.originator")
    onward = {"body": "Tell the Mounties", "markings": {"sharing_scope": "agencies",
                                                        "share_with": ["CA-RCMP"]}}
    _refused(client.post(f"/cases/{own}/notes", json=onward, headers=fbi), "record.share")
    assert _count(factory, Note) == before


def test_partner_cannot_disclose_a_bureau_record_to_another_agency(client, seeded, factory):
    ref = _case(client, seeded.headers("desk"), markings=SHARED)
    fbi = seeded.headers("partner")
    case_id = client.get(f"/cases/{ref}", headers=fbi).json()["id"]
    before = _count(factory, Share)
    r = client.post(f"/share/case/{case_id}", json={"agencies": ["CA-RCMP"],
                                                        "justification": "tell them"},
                    headers=fbi)
    _refused(r, "record.share")
    assert _count(factory, Share) == before


def test_partner_adds_to_its_own_request(client, seeded):
    fbi = seeded.headers("partner")
    own = _case(client, fbi, title="FBI request to the NCB")
    note = client.post(f"/cases/{own}/notes", json={"body": "Subject flew to Lyon"}, headers=fbi)
    assert note.status_code == 201, note.text
    files = {"file": ("lead.txt", b"a lead", "text/plain")}
    assert client.post(f"/cases/{own}/attachments", files=files, headers=fbi).status_code == 201
    mine = client.post(f"/cases/{own}/notes", json={"body": "Ours", "markings": {
        "originator": "US-FBI"}}, headers=fbi)
    assert mine.status_code == 201, mine.text


def test_partner_note_on_bureau_case_and_attachment_refused(client, seeded):
    ref = _case(client, seeded.headers("desk"), markings=SHARED)
    fbi = seeded.headers("partner")
    _refused(client.post(f"/cases/{ref}/notes", json={"body": "hi"}, headers=fbi), "case.work")
    files = {"file": ("x.txt", b"x", "text/plain")}
    _refused(client.post(f"/cases/{ref}/attachments", files=files, headers=fbi), "case.work")


def test_bureau_records_a_partner_as_originator_and_shares_within_the_case(client, seeded):
    desk = seeded.headers("desk")
    ref = _case(client, desk, markings=SHARED)
    body = {"body": "As sent by the FBI", "markings": {"originator": "US-FBI",
                                                        "sharing_scope": "agencies",
                                                        "share_with": ["CA-RCMP"]}}
    assert client.post(f"/cases/{ref}/notes", json=body, headers=desk).status_code == 201
