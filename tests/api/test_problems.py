"""Problem documents a client can act on: where malformed JSON breaks, 1-based and stated."""

from __future__ import annotations


def test_malformed_json_names_line_and_column(client, seeded) -> None:  # type: ignore[no-untyped-def]
    body = b'{"channel": "interpol",\n "title": "Trace",\n "country": }'
    r = client.post("/cases", content=body, headers=seeded.headers("desk") | {
        "content-type": "application/json"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["title"] == "Malformed JSON"
    assert problem["detail"] == "malformed JSON at line 3, column 13: Expecting value"
    assert problem["errors"] == [{"field": "body", "rule": "json_syntax", "message": problem["detail"],
                                  "line": 3, "column": 13}]
    # Nothing was written: the queue is as empty as before.
    assert client.get("/cases/queue/unassigned", headers=seeded.headers("desk")).json()["items"] == []


def test_valid_json_with_bad_fields_still_lists_the_fields(client, seeded) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/cases", json={"channel": "interpol"}, headers=seeded.headers("desk"))
    assert r.status_code == 422
    assert "title" in r.json()["detail"]
    assert r.json()["title"] == "Invalid input"
