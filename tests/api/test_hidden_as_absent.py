"""One answer for a hidden record and an absent one; the refusal itself is in the audit log.

Before issue 11 a partner got 403 for a hidden id and 404 for a missing one (and a longer 403
body for SECRET records), so walking the numbers listed the bureau's SECRET ids. Now both are
the same 404 problem, with the same body but for the id asked, and the audit log records each
attempt as a consultation refused: who, which record, and why.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.models import AuditEntry, Case


def _case(client: Any, headers: dict[str, str], **markings: Any) -> dict[str, Any]:
    r = client.post("/cases", json={"channel": "bilateral", "title": "Bureau only",
                                    "country": "FR", "crime_area": "drugs",
                                    "markings": markings or {}}, headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _normal(r: Any, asked: object) -> tuple[int, str, str]:
    return r.status_code, r.headers["content-type"], r.text.replace(str(asked), "ASKED")


def _refusals(factory: Any) -> list[AuditEntry]:
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "refused")
                              .order_by(AuditEntry.seq)))


def test_hidden_and_absent_cases_answer_alike(client, seeded, factory):
    sup = seeded.headers("supervisor")
    private = _case(client, sup)
    secret = _case(client, sup, classification="SECRET", sharing_scope="agencies",
                   share_with=["US-FBI"])
    absent = secret["id"] + 1000
    fbi, desk = seeded.headers("partner"), seeded.headers("desk") | {"X-Justification": "x"}
    answers = {
        "hidden by sharing, by id": _normal(client.get(f"/cases/{private['id']}", headers=fbi),
                                            private["id"]),
        "hidden by clearance, by id": _normal(client.get(f"/cases/{secret['id']}", headers=desk),
                                              secret["id"]),
        "absent id": _normal(client.get(f"/cases/{absent}", headers=fbi), absent),
    }
    assert len(set(answers.values())) == 1, answers
    assert answers["absent id"][0] == 404
    by_ref = _normal(client.get(f"/cases/{private['reference']}", headers=fbi),
                     private["reference"])
    unknown = _normal(client.get("/cases/NCB-1999-0000001", headers=fbi), "NCB-1999-0000001")
    assert by_ref == unknown and by_ref[0] == 404
    # Children of a hidden case answer as those of an absent one too.
    for tail in ("timeline", "notes", "attachments"):
        hidden = client.get(f"/cases/{private['id']}/{tail}", headers=fbi)
        missing = client.get(f"/cases/{absent}/{tail}", headers=fbi)
        assert _normal(hidden, private["id"]) == _normal(missing, absent)


def test_walking_ids_finds_nothing_the_caller_may_not_see(client, seeded):
    sup = seeded.headers("supervisor")
    made = [_case(client, sup, classification="SECRET")["id"] for _ in range(3)]
    fbi = seeded.headers("partner")
    statuses = {client.get(f"/cases/{i}", headers=fbi).status_code
                for i in range(made[0] - 2, made[-1] + 3)}
    assert statuses == {404}


def test_refused_consultations_are_audited_with_who_what_and_why(client, seeded, factory):
    sup = seeded.headers("supervisor")
    private = _case(client, sup)
    secret = _case(client, sup, classification="SECRET")
    client.get(f"/cases/{private['reference']}", headers=seeded.headers("partner"))
    client.get(f"/cases/{secret['id']}", headers=seeded.headers("desk"))
    client.get("/cases/NCB-1999-0000001", headers=seeded.headers("partner"))
    client.get(f"/entities/{10**6}", headers=seeded.headers("partner"))
    rows = _refusals(factory)
    got = [(e.actor, e.actor_user_id, e.record_kind, e.record_id, e.details["reasons"])
           for e in rows]
    assert got[0] == ("partner", seeded.users["partner"], "case", private["reference"],
                      ["record was not shared with your agency"])
    assert got[1][:4] == ("desk", seeded.users["desk"], "case", str(secret["id"]))
    assert got[1][4] == ["record is SECRET; your clearance is below it"]
    assert got[2][2:] == ("case", "NCB-1999-0000001", ["no such record"])
    assert got[3][2:] == ("entity", str(10**6), ["no such record"])
    assert all(e.details["attempt"] == "consultation" for e in rows) and len(rows) == 4
    # Nothing else of the refused use case was written, and the chain still verifies.
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM
        from ncb.store import audit

        assert audit.verify(s).ok
        assert s.get(Case, private["id"]).title == "Bureau only"
