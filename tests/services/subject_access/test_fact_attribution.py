"""A fact said by several appearances of one person is disclosed in the subject access pack
when any appearance saying it is disclosed, attributed to that one (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from ncb.store.models import Case
from tests.services.subject_access.test_subject_access import ANA, REQUEST, new_case


def test_fact_of_a_withheld_first_appearance_is_shown_through_a_disclosed_one(
    client: Any, seeded: Any, factory: Any
) -> None:
    h = seeded.headers("supervisor")
    # First appearance: an open case (withheld by default, s.45(4)(a)); it alone has the alias.
    opened = new_case(
        client,
        h,
        "Card fraud ring (open)",
        entities=[ANA | {"place_of_birth": "Cluj", "aliases": ["Ana L."]}],
    )
    closed = new_case(client, h, "Card fraud 2021 (closed)", entities=[ANA | {"place_of_birth": "Cluj"}])
    with factory() as s:
        s.execute(
            update(Case)
            .where(Case.id == closed["id"])
            .values(closed_at=datetime.now(UTC), status="closed")
            .execution_options(skip_access=True)
        )
        s.commit()
    r = client.post("/sar", json=REQUEST, headers=h)
    assert r.status_code == 201, r.text
    ref = r.json()["reference"]
    ident = r.json()["candidates"][0]["identity_id"]
    r = client.put(f"/sar/{ref}/identities", json={"identity_ids": [ident]}, headers=h)
    assert r.status_code == 200, r.text
    items = {i["key"]: i for i in r.json()["items"]}
    assert not items[f"case:{opened['reference']}"]["disclose"]
    assert items[f"case:{closed['reference']}"]["disclose"]
    facts = {(f["label"], f["value"]): f for f in r.json()["facts"]}
    cluj = facts[("place of birth", "Cluj")]
    assert cluj["disclose"] and cluj["from"] == f"case:{closed['reference']}"
    assert closed["reference"] in cluj["source"]
    assert not facts[("alias", "Ana L.")]["disclose"]  # said only by the withheld case
    pack = client.get(f"/sar/{ref}/pack", headers=h)
    assert pack.status_code == 200, pack.text
    said = {(d["label"], d["value"]) for d in pack.json()["personal_data"]}
    assert ("place of birth", "Cluj") in said and ("date of birth", "1979-04-05") in said
    assert ("alias", "Ana L.") not in said
