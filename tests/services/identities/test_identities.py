"""Identities end to end through the API, on SQLite and PostgreSQL: joins, judgements, hits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from ncb.store.models import AuditEntry, Entity

IVAN = {"kind": "person", "first_name": "Ivan", "last_name": "Petrov",
        "date_of_birth": "1971-03-02", "nationality": "RU"}


def new_case(client: Any, h: dict[str, str], entities: list[dict[str, Any]],
             **over: Any) -> str:
    body = {"channel": "interpol", "title": "Trace request", "country": "FR",
            "crime_area": "drugs", "priority": "high", "entities": entities} | over
    r = client.post("/cases", json=body, headers=h)
    assert r.status_code == 201, r.text
    return str(r.json()["reference"])


def entity_ids(client: Any, h: dict[str, str], ref: str) -> list[int]:
    return [e["id"] for e in client.get(f"/cases/{ref}/entities", headers=h).json()]


def identity(client: Any, h: dict[str, str], eid: int) -> int:
    r = client.get(f"/entities/{eid}/identity", headers=h)
    assert r.status_code == 200, r.text
    return int(r.json()["identity_id"])


def test_identifiers_join_appearances_across_cases(client, seeded):
    h = seeded.headers("desk")
    one = new_case(client, h, [
        {"kind": "travel_document", "name": "Passport", "identifier": "AB 1234567",
         "details": {"issuing_country": "FR"}},
        {"kind": "phone", "identifier": "+44 7700 900123"}])
    two = new_case(client, h, [
        {"kind": "travel_document", "name": "Passeport", "identifier": "ab1234567",
         "details": {"issuing_country": "FR"}},
        {"kind": "phone", "identifier": "07700 900123", "details": {"country": "GB"}},
        {"kind": "travel_document", "name": "Other", "identifier": "AB1234567",
         "details": {"issuing_country": "BE"}}])
    d1, p1 = entity_ids(client, h, one)
    d2, p2, other = entity_ids(client, h, two)
    assert identity(client, h, d1) == identity(client, h, d2)
    assert identity(client, h, p1) == identity(client, h, p2)
    assert identity(client, h, other) != identity(client, h, d1)  # another issuing state
    page = client.get(f"/identities/{identity(client, h, d1)}", headers=h).json()
    assert {a["method"] for a in page["appearances"]} == {"new", "identifier"}
    assert any("issuing country" in a["reason"] for a in page["appearances"])


def test_not_a_match_holds_for_a_new_appearance_on_another_case_and_rescreening(
        client, seeded, factory):
    h = seeded.headers("desk")
    ivan = entity_ids(client, h, new_case(client, h, [IVAN]))[0]  # the wanted Ivan
    other = IVAN | {"first_name": None, "last_name": None, "name": "Иван Петров",
                    "identifier": "RU7654321"}
    second = new_case(client, h, [other])  # a namesake with his own passport
    hits = client.get(f"/cases/{second}/hits", headers=h).json()
    assert len(hits) == 1 and hits[0]["decision"] is None
    r = client.post(f"/cases/{second}/hits/{hits[0]['hit_id']}/review",
                    json={"decision": "no_match"}, headers=h)
    assert r.status_code == 200 and r.json()["decision"] == "no_match"
    # The namesake appears again, on another case, through another channel.
    third = new_case(client, h, [other | {"name": "Ivan Petrov"}], channel="europol",
                     country="NL")
    def on_ivan(ref: str) -> list[dict[str, Any]]:
        rows = client.get(f"/cases/{ref}/hits", headers=h).json()
        return [r for r in rows if r["candidate_id"] == ivan]

    again = on_ivan(third)
    assert len(again) == 1 and again[0]["decision"] == "no_match" and not again[0]["match"]
    context = [r for r in client.get(f"/cases/{third}/hits", headers=h).json()
               if r["candidate_id"] != ivan]
    assert [r["role"] for r in context] == ["case"]  # his own earlier appearance, as context
    assert client.post(f"/cases/{third}/rescreen", headers=h).status_code == 200
    assert client.post(f"/cases/{second}/rescreen", headers=h).status_code == 200
    for ref in (second, third):
        assert [r["decision"] for r in on_ivan(ref)] == ["no_match"], ref
        rows = client.get(f"/cases/{ref}/hits", headers=h).json()
        assert len(rows) == len({r["identity_id"] for r in rows})  # no duplicates


def test_hits_are_grouped_per_identity_and_ordered_by_role(client, seeded, factory):
    h = seeded.headers("desk")
    passport = IVAN | {"identifier": "RU1112223"}
    wanted = [new_case(client, h, [passport]) for _ in range(2)]
    bystander = new_case(client, h, [IVAN | {"first_name": "Ivana", "gender": "F",
                                             "identifier": "RU9998887"}])
    ids = [entity_ids(client, h, ref)[0] for ref in wanted]
    with factory() as s:  # the first two are the wanted records (as a Red Notice would be)
        for eid in ids:
            s.execute(update(Entity).where(Entity.id == eid).values(watch_role="wanted")
                      .execution_options(skip_access=True))
        s.commit()
    ref = new_case(client, h, [IVAN | {"name": "Иван Петров"}])
    rows = client.get(f"/cases/{ref}/hits", headers=h).json()
    assert [r["role"] for r in rows] == ["wanted", "case"]  # one line per identity
    assert len(rows[0]["appearances"]) == 1  # the second wanted record, not a second line
    assert rows[1]["context"] and rows[1]["candidate"].startswith(
        f"Also appears in case {bystander}")


def test_hidden_hit_has_no_score_and_cannot_be_reviewed(client, seeded):
    new_case(client, seeded.headers("supervisor"), [IVAN | {"identifier": "RU5550001"}],
             title="Secret op", markings={"classification": "SECRET"})
    h = seeded.headers("desk")
    ref = new_case(client, h, [IVAN | {"identifier": "RU5550001"}])
    # SECRET is above the desk officer's clearance: the hit is not even a referral for them
    # (docs/security.md, "What a hidden hit reveals"), and cannot be reviewed by them.
    assert client.get(f"/cases/{ref}/hits", headers=h).json() == []
    with client:
        page = _page(client, seeded, "desk", f"/w/cases/{ref}")
    hits = page.split('id="h-hits"')[1].split("</section>")[0]
    assert "A record exists; contact" not in hits and "Secret" not in hits
    assert "%" not in hits and "Not a match" not in hits
    seen = client.get(f"/cases/{ref}/hits", headers=seeded.headers("supervisor")).json()
    assert seen and seen[0]["visible"] and seen[0]["hit_id"]
    r = client.post(f"/cases/{ref}/hits/{seen[0]['hit_id']}/review",
                    json={"decision": "no_match"}, headers=h)
    assert r.status_code == 404


def _page(client: Any, seeded: Any, username: str, path: str) -> str:
    import re
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    r = client.post("/login", data={"username": username, "password": seeded.password,
                                    "csrf": token.group(1), "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(path)
    assert page.status_code == 200, page.text
    return str(page.text)


def test_merge_split_undo_are_audited_and_reversible(client, seeded, factory):
    h = seeded.headers("desk")
    a = entity_ids(client, h, new_case(client, h, [
        {"kind": "phone", "identifier": "+33 6 12 34 56 78"}]))[0]
    b = entity_ids(client, h, new_case(client, h, [
        {"kind": "phone", "identifier": "+33 6 99 88 77 66"}]))[0]
    ia, ib = identity(client, h, a), identity(client, h, b)
    assert ia != ib
    r = client.post("/identities/merge", json={"identity_id": ia, "other_identity_id": ib,
                                                "reason": "same handset, operator records"},
                    headers=h)
    assert r.status_code == 201, r.text
    merge_id = r.json()["id"]
    assert identity(client, h, b) == ia
    assert len(client.get(f"/identities/{ia}", headers=h).json()["appearances"]) == 2
    assert client.post("/identities/merge", json={"identity_id": ia, "other_identity_id": ib,
                                                   "reason": "again please"},
                       headers=h).status_code == 409
    r = client.post(f"/identities/changes/{merge_id}/undo", json={"reason": "wrong handset"},
                    headers=h)
    assert r.status_code == 200 and r.json()["undone_at"]
    assert identity(client, h, b) == ib and identity(client, h, a) == ia
    # Split and undo the split.
    client.post("/identities/merge", json={"identity_id": ia, "other_identity_id": ib,
                                           "reason": "same handset after all"}, headers=h)
    r = client.post(f"/identities/{ia}/split", json={"entity_ids": [b], "reason": "two SIMs"},
                    headers=h)
    assert r.status_code == 201, r.text
    part = r.json()["other_identity_id"]
    assert identity(client, h, b) == part
    bad = client.post(f"/identities/{ia}/split", json={"entity_ids": [a], "reason": "x"},
                      headers=h)
    assert bad.status_code == 422 and "reason" in bad.text
    client.post(f"/identities/changes/{r.json()['id']}/undo", json={"reason": "one SIM"},
                headers=h)
    assert identity(client, h, b) == ia
    partner = client.post("/identities/merge", json={"identity_id": ia, "other_identity_id": ib,
                                                      "reason": "partner tries"},
                          headers=seeded.headers("partner"))
    assert partner.status_code == 403
    with factory() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "identity",
                                                  AuditEntry.action == "combination")).all()
        kinds = [("merge" in r.details, "split_into" in r.details, "undo" in r.details)
                 for r in rows]
    assert kinds.count((True, False, False)) == 2
    assert (False, True, False) in kinds and kinds.count((False, False, True)) == 2


def test_person_page_shows_only_what_the_reader_may_see(client, seeded, factory):
    sup, desk = seeded.headers("supervisor"), seeded.headers("desk")
    doc = {"kind": "travel_document", "name": "Passport", "identifier": "X12345678",
           "details": {"issuing_country": "GB"}}
    secret = new_case(client, sup, [doc | {"name": "Passport of Operation Nightjar"}],
                      title="Operation Nightjar", markings={"classification": "SECRET"})
    public = new_case(client, desk, [doc])
    eid = entity_ids(client, desk, public)[0]
    ident = identity(client, desk, eid)
    full = client.get(f"/identities/{ident}", headers=sup).json()
    assert {c["reference"] for c in full["cases"]} == {secret, public}
    seen = client.get(f"/identities/{ident}", headers=desk)
    assert seen.status_code == 200
    body = seen.json()
    assert [c["reference"] for c in body["cases"]] == [public]
    assert "Nightjar" not in seen.text and secret not in seen.text
    assert body["restricted"] and "contact" in body["restricted"][0]
    for user in ("partner", "rcmp"):  # partners see none of it, not even that it exists
        r = client.get(f"/identities/{ident}", headers=seeded.headers(user))
        assert r.status_code == 404 and "Nightjar" not in r.text
    with factory() as s:
        who = s.scalars(select(AuditEntry.actor).where(
            AuditEntry.record_kind == "identity", AuditEntry.record_id == str(ident),
            AuditEntry.action == "consultation")).all()
    assert set(who) == {"supervisor", "desk"}


def test_person_page_on_the_workbench_lists_appearances_and_who_consulted(client, seeded):
    sup, desk = seeded.headers("supervisor"), seeded.headers("desk")
    doc = {"kind": "travel_document", "name": "Passport", "identifier": "Y87654321",
           "details": {"issuing_country": "DE"}}
    hidden = new_case(client, sup, [doc | {"name": "Passport seen by Operation Kestrel"}],
                      title="Operation Kestrel", markings={"classification": "SECRET"})
    ref = new_case(client, desk, [doc])
    eid = entity_ids(client, desk, ref)[0]
    with client:
        page = _page(client, seeded, "desk", f"/w/entities/{eid}/identity")
    assert ref in page and "Kestrel" not in page and hidden not in page
    assert "record(s) exist; contact" in page and "Split off" not in page  # one visible only
    with client:
        page = _page(client, seeded, "supervisor", f"/w/entities/{eid}/identity")
    assert hidden in page and "Split off" in page
    assert "Who consulted" in page and "desk — consultation" in page
