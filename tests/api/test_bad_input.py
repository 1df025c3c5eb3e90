"""Bad input on every endpoint family: 4xx problem+json naming the field and the rule."""

from __future__ import annotations

import pytest

CASE = {"channel": "interpol", "title": "Trace request", "country": "FR"}

# (method, path with {ref}/{id}, json body, status, field, rule)
BAD = [
    ("post", "/cases/{ref}/triage", {"priority": "asap"}, 422, "priority", "code_list"),
    ("post", "/cases/{ref}/assign", {"username": "ghost"}, 422, "username", "known_user"),
    ("post", "/cases/{ref}/status", {"status": "teleported"}, 422, "status", "code_list"),
    ("post", "/cases/{ref}/status", {}, 422, "status", "missing"),
    ("post", "/cases/{ref}/notes", {"body": ""}, 422, "body", "string_too_short"),
    ("post", "/cases/{ref}/tasks", {"title": "x"}, 422, "title", "string_too_short"),
    ("post", "/cases/{ref}/tasks", {"title": "Call", "due_at": "tomorrow"}, 422, "due_at",
     "datetime_from_date_parsing"),
    ("post", "/cases/{ref}/messages", {"direction": "sideways", "sender": "a", "subject": "b"},
     422, "direction", "literal_error"),
    ("post", "/cases/{ref}/messages", {"direction": "in", "sender": "a", "subject": "b",
                                       "in_reply_to": 999999}, 422, "in_reply_to", "same_case"),
    ("post", "/cases/{ref}/entities", {"kind": "spaceship", "name": "X"}, 422, "kind",
     "literal_error"),
    ("post", "/cases/{ref}/entities", {"name": "X", "nationality": "Atlantis"}, 422,
     "nationality", "code_list"),
    ("get", "/cases/queue/due?hours=0", None, 422, "hours", "range"),
    ("get", "/cases/queue/mine?sort=random", None, 422, "sort", "code_list"),
    ("get", "/cases/queue/mine?page_size=5000", None, 422, "page_size", "range"),
    ("get", "/search?q=a", None, 422, "q", "min_length"),
    ("get", "/search", None, 422, "q", "missing"),
    ("post", "/screen", {"entities": []}, 422, "entities", "too_short"),
    ("post", "/screen", {"entities": [{"name": "A"}], "top": 500}, 422, "top", "less_than_equal"),
    ("post", "/share/spaceship/1", {"agencies": ["US-FBI"], "justification": "joint op"}, 422,
     "kind", "code_list"),
    ("post", "/share/case/{id}", {"agencies": [], "justification": "joint op"}, 422, "agencies",
     "too_short"),
    ("patch", "/entities/{eid}", {"gender": "X"}, 422, "gender", "literal_error"),
    ("post", "/auth/token", {"username": "desk"}, 422, "password", "missing"),
]


@pytest.mark.parametrize("method,path,body,status,field,rule", BAD,
                         ids=[f"{b[0]} {b[1]} {b[4]}" for b in BAD])
def test_bad_input_is_named(client, seeded, method, path, body, status, field, rule):
    h = seeded.headers("supervisor")
    created = client.post("/cases", json=CASE | {"entities": [{"name": "Jan Kowalski"}]},
                          headers=h).json()
    eid = client.get(f"/cases/{created['reference']}/entities", headers=h).json()[0]["id"]
    url = path.format(ref=created["reference"], id=created["id"], eid=eid)
    kwargs = {"headers": h} | ({"json": body} if body is not None else {})
    r = getattr(client, method)(url, **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = r.json().get("errors") or []
    fields = {(e["field"].split(".")[-1], e["rule"]) for e in errors}
    assert (field, rule) in fields, errors
