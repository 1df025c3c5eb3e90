"""Europol (SIENA) rules through the /europol surface: handling codes, 4x4, forwarding, size."""

from __future__ import annotations

from typing import Any

import pytest


def case_ref(client: Any, seeded: Any) -> str:
    r = client.post("/cases", json={"channel": "europol", "title": "SIENA exchange"},
                    headers=seeded.headers("desk"))
    assert r.status_code == 201, r.text
    return str(r.json()["reference"])


def msg(client: Any, seeded: Any, ref: str, **over: Any) -> Any:
    body = {"direction": "in", "sender": "EUROPOL", "recipients": ["GB-NCA"],
            "subject": "Cocaine shipment", "handling_code": "H2",
            "source_reliability": "B", "information_accuracy": "2"} | over
    return client.post(f"/europol/cases/{ref}/messages", json=body,
                       headers=seeded.headers("desk"))


@pytest.mark.parametrize("over,status_code,field", [
    ({}, 201, None),
    ({"handling_code": "H3"}, 422, "handling_conditions"),
    ({"handling_code": "H3", "handling_conditions": "not to FR"}, 201, None),
    ({"handling_code": "H5"}, 422, "handling_code"),
    ({"source_reliability": "D"}, 422, "evaluation.source"),
    ({"information_accuracy": "5"}, 422, "evaluation.information"),
    ({"information_accuracy": None}, 422, "source_reliability"),
])
def test_handling_codes_and_evaluation(client, seeded, over, status_code, field):
    r = msg(client, seeded, case_ref(client, seeded), **over)
    assert r.status_code == status_code, r.text
    if field:
        assert r.json()["errors"][0]["field"] == field
    else:
        assert r.json()["source_grade"] == "B"


def test_h2_forward_refused_then_allowed_with_permission(client, seeded):
    ref = case_ref(client, seeded)
    h = seeded.headers("desk")
    m = msg(client, seeded, ref).json()
    url = f"/europol/cases/{ref}/messages/{m['id']}/forward"
    r = client.post(url, json={"recipients": ["US-FBI"]}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "europol.handling.H2"
    r = client.post(f"/europol/cases/{ref}/messages/{m['id']}/permission",
                    json={"note": "provider agreed by SIENA reply 2026-01-02"}, headers=h)
    assert r.status_code == 200
    r = client.post(url, json={"recipients": ["US-FBI"]}, headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["handling_code"] == "H2"


def test_reply_inherits_strictest_code(client, seeded):
    ref = case_ref(client, seeded)
    parent = msg(client, seeded, ref, handling_code="H2").json()
    r = msg(client, seeded, ref, direction="out", handling_code="H0", in_reply_to=parent["id"],
            sender="GB-NCA", recipients=["EUROPOL"])
    assert r.status_code == 201 and r.json()["handling_code"] == "H2"


def test_attachment_over_limit_points_to_large_file_route(client, seeded, monkeypatch):
    ref = case_ref(client, seeded)
    monkeypatch.setattr(client.app.state.settings, "max_attachment_mb", 1)  # this app's limit
    r = client.post(f"/europol/cases/{ref}/attachments",
                    files={"file": ("big.bin", b"x" * (1024 * 1024 + 1))},
                    headers=seeded.headers("desk"))
    assert r.status_code == 413 and "large-file" in r.json()["detail"]
    r = client.post(f"/europol/cases/{ref}/attachments", files={"file": ("ok.txt", b"hello")},
                    headers=seeded.headers("desk"))
    assert r.status_code == 201
