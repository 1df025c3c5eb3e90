"""Retention reviews and subject access requests carry content without markings of their own:
a direct query sees them only with the marked record they are about (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from ncb.store.access import PRINCIPAL
from ncb.store.models import Case, RetentionReview, SubjectAccessRequest


def rows(factory, principal, model):
    with factory() as s:
        s.info[PRINCIPAL] = principal
        return list(s.scalars(select(model)))


def test_review_and_request_rows_follow_their_records(client, seeded, factory):
    h = seeded.headers("supervisor")
    r = client.post("/cases", json={"channel": "bilateral", "title": "Operation Wren",
                                    "markings": {"classification": "SECRET"}}, headers=h)
    case = r.json()
    with factory() as s:
        s.execute(update(Case).where(Case.id == case["id"])
                  .values(received_at=datetime.now(UTC) - timedelta(days=3000))
                  .execution_options(skip_access=True))
        s.commit()
    r = client.post(f"/retention/case/{case['id']}/keep",
                    json={"reason": "informant Wren still active"}, headers=h)
    assert r.status_code == 201, r.text
    assert client.post("/sar", json={"name": "Ana Lupu"}, headers=h).status_code == 201
    sup, desk, partner = (seeded.principals[u] for u in ("supervisor", "desk", "partner"))
    assert [x.reason for x in rows(factory, sup, RetentionReview)] == [
        "informant Wren still active"]
    assert rows(factory, desk, RetentionReview) == []  # SECRET case: above the desk's clearance
    assert len(rows(factory, desk, SubjectAccessRequest)) == 1  # the bureau's own request
    assert rows(factory, partner, SubjectAccessRequest) == []  # not shared with the FBI
    assert rows(factory, None, SubjectAccessRequest) == []  # no caller, nothing
