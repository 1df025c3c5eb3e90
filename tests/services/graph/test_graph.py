"""Link analysis through the API: a shared phone links two people; hidden cases add nothing."""

from __future__ import annotations

import json
from typing import Any

from tests.services.identities.test_identities import entity_ids, identity, new_case

PHONE = {"kind": "phone", "identifier": "+34 612 345 678"}


def _network(client: Any, seeded: Any) -> dict[str, Any]:
    desk, sup = seeded.headers("desk"), seeded.headers("supervisor")
    a = new_case(client, desk, [{"name": "Lucia Ferrer", "date_of_birth": "1979"}, PHONE])
    b = new_case(client, desk, [{"name": "Tomas Ruiz", "date_of_birth": "1966"}, PHONE])
    hidden = new_case(client, sup, [{"name": "Operation Heron source", "date_of_birth": "1990"},
                                    PHONE], title="Operation Heron",
                      markings={"classification": "SECRET"})
    lucia = identity(client, desk, entity_ids(client, desk, a)[0])
    tomas = identity(client, desk, entity_ids(client, desk, b)[0])
    phone = identity(client, desk, entity_ids(client, desk, a)[1])
    return {"a": a, "b": b, "hidden": hidden, "lucia": lucia, "tomas": tomas, "phone": phone}


def test_shared_phone_links_people_and_hidden_cases_stay_out(client, seeded):
    net = _network(client, seeded)
    desk = seeded.headers("desk")
    r = client.get(f"/graph/path?a={net['lucia']}&b={net['tomas']}", headers=desk)
    assert r.status_code == 200, r.text
    path = [n["id"] for n in r.json()["nodes"]]
    assert path == [f"i:{net['lucia']}", f"c:{net['a']}", f"i:{net['phone']}", f"c:{net['b']}",
                    f"i:{net['tomas']}"]
    near = client.get(f"/graph/identities/{net['phone']}", headers=desk).json()
    ids = {n["id"] for n in near["nodes"]}
    assert {f"c:{net['a']}", f"c:{net['b']}"} <= ids and f"c:{net['hidden']}" not in ids
    assert "Heron" not in json.dumps(near)
    full = client.get(f"/graph/identities/{net['phone']}", headers=seeded.headers("supervisor"))
    assert f"c:{net['hidden']}" in {n["id"] for n in full.json()["nodes"]}
    for fmt in ("graphml", "gexf", "ftm"):
        body = client.get(f"/graph/export?format={fmt}", headers=desk)
        assert body.status_code == 200 and "Lucia Ferrer" in body.text
        assert "Heron" not in body.text and net["hidden"] not in body.text
    lines = [json.loads(x) for x in client.get("/graph/export?format=ftm", headers=desk)
             .text.splitlines()]
    event = next(e for e in lines if e["schema"] == "Event" and e["properties"]["name"] == [net["a"]])
    assert f"ncb-i-{net['phone']}" in event["properties"]["involved"]
    bad = client.get("/graph/export?format=pdf", headers=desk)
    assert bad.status_code == 422 and "format" in bad.text
    summary = client.get("/graph/summary", headers=desk).json()
    assert summary["central"][0]["id"] == f"i:{net['phone']}"  # the phone ties them together


def test_partners_get_no_graph(client, seeded):
    net = _network(client, seeded)
    for user in ("partner", "rcmp"):
        r = client.get(f"/graph/identities/{net['phone']}", headers=seeded.headers(user))
        assert r.status_code == 403
        assert "Lucia" not in r.text
