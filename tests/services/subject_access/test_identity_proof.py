"""Proof of identity on a subject access request (SQLite and PostgreSQL): asking for it stops
the clock; its arrival restarts it, one month from the proof (DPA 2018 s.52(4), s.54(3)(b));
the request page and list say which state the clock is in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ncb.rules import load_rules
from tests.services.retention.test_retention import _page
from tests.services.subject_access.test_subject_access import open_sar


def test_clock_waits_for_identity_proof_and_restarts_from_it(client, seeded):
    h = seeded.headers("supervisor")
    sar = open_sar(client, h, received_at="2026-11-20T10:00:00+00:00")
    ref = sar["reference"]
    assert sar["due_at"].startswith("2026-12-20") and sar["identity_requested_at"] is None
    r = client.post(f"/sar/{ref}/identity-proof/received", json={}, headers=h)
    assert r.status_code == 409 and "no proof of identity is awaited" in r.text
    r = client.post(f"/sar/{ref}/identity-proof/request", json={"what": "id"}, headers=h)
    assert r.status_code == 422 and "what" in r.text
    r = client.post(
        f"/sar/{ref}/identity-proof/request",
        json={"what": "a copy of your passport and a recent utility bill"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    waiting = r.json()
    assert waiting["due_at"] is None and waiting["identity_requested_at"] is not None
    case = client.get(f"/cases/{ref}", headers=h | {"X-Justification": "SAR"}).json()
    assert case["next_due_at"] is None  # no clock runs while the proof is awaited
    assert all(d["met_at"] for d in case["deadlines"])
    r = client.post(f"/sar/{ref}/extend", json={"reason": "complex request"}, headers=h)
    assert r.status_code == 409 and "proof of identity is awaited" in r.text
    assert (
        client.post(
            f"/sar/{ref}/identity-proof/request", json={"what": "again please"}, headers=h
        ).status_code
        == 409
    )
    with client:
        page = _page(client, seeded, "supervisor", f"/w/sar/{ref}")
        assert "No clock runs: waiting for proof of identity" in page
        assert "a copy of your passport" in page and "Proof of identity received" in page
        assert "waiting for proof of identity" in _page(client, seeded, "supervisor", "/w/sar")
    before = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    r = client.post(f"/sar/{ref}/identity-proof/received", json={"received_at": before}, headers=h)
    assert r.status_code == 422 and "received_at" in r.text
    r = client.post(f"/sar/{ref}/identity-proof/received", json={}, headers=h)
    assert r.status_code == 200, r.text
    restarted = r.json()
    proof_at = datetime.fromisoformat(restarted["identity_received_at"])
    expected = load_rules().subject_access.identity_clock.period.after(proof_at)
    assert datetime.fromisoformat(restarted["due_at"]) == expected  # one month from the proof
    assert expected.date() > datetime(2026, 12, 20).date()  # later than the first clock
    assert "s.54(2)-(3)(b)" in restarted["clock_basis"]
    case = client.get(f"/cases/{ref}", headers=h | {"X-Justification": "SAR"}).json()
    running = [d for d in case["deadlines"] if d["met_at"] is None]
    assert len(running) == 1 and running[0]["rule_id"] == "subject_access_reply"
    assert datetime.fromisoformat(case["next_due_at"]) == expected
    with client:
        page = _page(client, seeded, "supervisor", f"/w/sar/{ref}")
        assert "the clock restarted then" in page and "Reply due" in page
    # Extending now adds the two months to the restarted clock.
    r = client.post(f"/sar/{ref}/extend", json={"reason": "four channels to consult"}, headers=h)
    assert r.status_code == 200
    assert datetime.fromisoformat(r.json()["due_at"]) == load_rules().subject_access.extension.period.after(
        expected
    )
    r = client.post(
        f"/sar/{ref}/identity-proof/request", json={"what": "a passport"}, headers=seeded.headers("desk")
    )
    assert r.status_code == 403
