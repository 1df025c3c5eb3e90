"""Retention review end to end through the API (SQLite and PostgreSQL): the queue from the
rules, keep with reason, erase with the identities updated, and nothing leaked or erased
silently (partner and low-clearance reviewers in the matrix)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from ncb.store.models import AuditEntry, Case, IdentityJudgement
from tests.services.data_protection_fixtures import low_reviewer_fixture  # noqa: F401

YEAR = timedelta(days=365)


def new_case(client: Any, h: dict[str, str], entities: list[dict[str, Any]],
             **over: Any) -> dict[str, Any]:
    body = {"channel": "bilateral", "title": "Old trace", "country": "FR",
            "crime_area": "drugs", "priority": "normal", "entities": entities} | over
    r = client.post("/cases", json=body, headers=h)
    assert r.status_code == 201, r.text
    return dict(r.json())


def age(factory: Any, case_id: int, by: timedelta) -> None:
    with factory() as s:
        s.execute(update(Case).where(Case.id == case_id)
                  .values(received_at=datetime.now(UTC) - by)
                  .execution_options(skip_access=True))
        s.commit()


def queue(client: Any, h: dict[str, str], **params: Any) -> dict[str, Any]:
    r = client.get("/retention/queue", params=params, headers=h)
    assert r.status_code == 200, r.text
    return dict(r.json())


def refs(q: dict[str, Any]) -> list[str]:
    return [i["reference"] for i in q["items"] if i["kind"] == "case"]


def test_queue_follows_the_rules_per_channel(client, seeded, factory):
    h = seeded.headers("supervisor")
    old = new_case(client, h, [], title="Seven years old")  # bilateral: 6-year review
    interpol = new_case(client, h, [], channel="interpol", title="Five and a half")
    europol = new_case(client, h, [], channel="europol", country="NL", title="Two years")
    young = new_case(client, h, [], title="Last year")
    age(factory, old["id"], 7 * YEAR)
    age(factory, interpol["id"], 5 * YEAR + timedelta(days=180))  # interpol: RPD 5 years
    age(factory, europol["id"], 2 * YEAR)  # europol: 3 years, and 30 days' horizon
    age(factory, young["id"], YEAR)
    q = queue(client, h)
    assert refs(q) == [old["reference"], interpol["reference"]]  # oldest due first
    items = {i["reference"]: i for i in q["items"]}
    assert items[old["reference"]]["overdue"] and "DPA 2018 s.39" in \
        items[old["reference"]]["rule_source"]
    assert "Processing of Data" in items[interpol["reference"]]["rule_source"]
    assert q["totals"]["case"] == 2
    # Looking 400 days ahead brings in the Europol case (3 years from receipt).
    assert europol["reference"] in refs(queue(client, h, horizon_days=400))
    r = client.get("/retention/queue", params={"kind": "tips"}, headers=h)
    assert r.status_code == 422 and "kind" in r.text


def test_partner_and_low_clearance_see_only_what_they_may(client, seeded, factory,
                                                         low_reviewer):
    h = seeded.headers("supervisor")
    secret = new_case(client, h, [], title="Operation Nightjar",
                      markings={"classification": "SECRET"})
    plain = new_case(client, h, [], title="Plain old case")
    for c in (secret, plain):
        age(factory, c["id"], 7 * YEAR)
    assert set(refs(queue(client, h))) == {secret["reference"], plain["reference"]}
    low = queue(client, low_reviewer)
    assert refs(low) == [plain["reference"]] and low["totals"]["case"] == 1
    assert "Nightjar" not in str(low)
    r = client.get("/retention/queue", headers=seeded.headers("partner"))
    assert r.status_code == 403 and "retention.review" in r.text
    for user in ("partner", "desk"):
        r = client.post(f"/retention/case/{plain['id']}/erase", json={"reason": "too old now"},
                        headers=seeded.headers(user))
        assert r.status_code == 403, user
    # The low-clearance reviewer cannot act on the secret case either (and learns no title).
    r = client.post(f"/retention/case/{secret['id']}/keep", json={"reason": "still needed"},
                    headers=low_reviewer)
    # A case hidden from the caller answers as an absent one (404, issue 11).
    assert r.status_code == 404 and "Nightjar" not in r.text


def test_keep_with_reason_moves_the_review_and_is_audited(client, seeded, factory):
    h = seeded.headers("supervisor")
    case = new_case(client, h, [])
    age(factory, case["id"], 7 * YEAR)
    too_late = (datetime.now(UTC) + 7 * YEAR).isoformat()
    r = client.post(f"/retention/case/{case['id']}/keep",
                    json={"reason": "trial pending", "next_review_at": too_late}, headers=h)
    assert r.status_code == 422 and "next_review_at" in r.text
    r = client.post(f"/retention/case/{case['id']}/keep", json={"reason": "no"}, headers=h)
    assert r.status_code == 422 and "reason" in r.text
    soon = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    r = client.post(f"/retention/case/{case['id']}/keep",
                    json={"reason": "trial set for next month", "next_review_at": soon},
                    headers=h)
    assert r.status_code == 201, r.text
    item = next(i for i in queue(client, h)["items"] if i["reference"] == case["reference"])
    assert not item["overdue"] and item["last_review"]["reason"] == "trial set for next month"
    assert item["last_review"]["by"] == "supervisor"
    r = client.post(f"/retention/case/{case['id']}/keep", json={"reason": "appeal lodged"},
                    headers=h)  # the default: one full period (6 years) from today
    assert r.status_code == 201
    assert case["reference"] not in refs(queue(client, h))
    with factory() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "case",
                                                  AuditEntry.action == "alteration")).all()
        assert [a.justification for a in rows][-2:] == ["trial set for next month",
                                                       "appeal lodged"]


PERSON = {"kind": "person", "first_name": "Ana", "last_name": "Lupu",
          "date_of_birth": "1979-04-05", "nationality": "RO", "identifier": "RO5550123"}


def test_erase_case_updates_the_identities_it_was_in(client, seeded, factory):
    h = seeded.headers("supervisor")
    phone = {"kind": "phone", "identifier": "+40 721 000 111"}
    old = new_case(client, h, [PERSON, phone], title="Lupu 2019")
    other = new_case(client, h, [phone], title="Phone seen again")
    age(factory, old["id"], 7 * YEAR)
    ents = client.get(f"/cases/{old['reference']}/entities", headers=h).json()
    person_id, phone_id = ents[0]["id"], ents[1]["id"]
    ident = {e: client.get(f"/entities/{e}/identity", headers=h).json()["identity_id"]
             for e in (person_id, phone_id)}
    r = client.post(f"/retention/case/{old['id']}/erase", json={"reason": "x"}, headers=h)
    assert r.status_code == 422 and "reason" in r.text
    r = client.post(f"/retention/case/{old['id']}/erase",
                    json={"reason": "review: no longer needed"}, headers=h)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["erased"][0] == f"case {old['reference']}"
    assert f"entity {person_id}" in report["erased"]
    # The phone's appearance here goes; its identity keeps the other case's appearance.
    assert f"entity {phone_id}" in report["erased"] and report["kept"] == []
    assert {i["identity_id"]: i["appearances_left"] for i in report["identities"]} == {
        ident[person_id]: 0, ident[phone_id]: 1}
    assert client.get(f"/cases/{old['reference']}", headers=h).status_code == 404
    assert client.get(f"/identities/{ident[person_id]}", headers=h).status_code == 404
    phone_page = client.get(f"/identities/{ident[phone_id]}", headers=h).json()
    assert [c["reference"] for c in phone_page["cases"]] == [other["reference"]]
    assert old["reference"] not in refs(queue(client, h))
    with factory() as s:
        erasures = {(a.record_kind, a.record_id): a for a in s.scalars(
            select(AuditEntry).where(AuditEntry.action == "erasure"))}
        assert erasures[("case", old["reference"])].justification == "review: no longer needed"
        assert ("entity", str(person_id)) in erasures
        assert erasures[("identity", str(ident[person_id]))].details["appearances_left"] == 0
        assert s.scalar(select(IdentityJudgement.id).where(
            IdentityJudgement.a_identity_id == ident[person_id])) is None


def test_erasure_refused_when_the_case_holds_what_the_reviewer_may_not_see(
        client, seeded, factory, low_reviewer):
    h = seeded.headers("supervisor")
    case = new_case(client, h, [PERSON | {"identifier": "RO5550999"}], title="Mixed case")
    r = client.post(f"/cases/{case['reference']}/notes",
                    json={"body": "Source HUMINT-7 says...",
                          "markings": {"classification": "SECRET"}}, headers=h)
    assert r.status_code == 201, r.text
    age(factory, case["id"], 7 * YEAR)
    r = client.post(f"/retention/case/{case['id']}/erase",
                    json={"reason": "past its review"}, headers=low_reviewer)
    assert r.status_code == 409 and "may not see" in r.text and "1 from GB-NCA" in r.text
    assert "HUMINT" not in r.text
    assert client.get(f"/cases/{case['reference']}", headers=h).status_code == 200
    r = client.post(f"/retention/case/{case['id']}/erase",
                    json={"reason": "past its review"}, headers=h)  # cleared for all of it
    assert r.status_code == 200 and "1 note(s)" in r.json()["erased"]


def test_retention_page_and_cli(client, seeded, factory, settings, monkeypatch):
    from typer.testing import CliRunner

    from ncb.cli import app
    from ncb.settings import get_settings

    h = seeded.headers("supervisor")
    case = new_case(client, h, [], title="Ledger of 2018")
    age(factory, case["id"], 8 * YEAR)
    with client:
        page = _page(client, seeded, "supervisor", "/w/retention")
        assert "Ledger of 2018" in page and "overdue" in page and "Data protection" in page
        assert "Data protection" not in _page(client, seeded, "desk", "/w/search")
    monkeypatch.setenv("NCB_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        r = runner.invoke(app, ["retention", "queue", "--as", "supervisor"])
        assert r.exit_code == 0 and case["reference"] in r.output, r.output
        r = runner.invoke(app, ["retention", "keep", "tips", "1", "--as", "supervisor",
                                "--reason", "needed"])
        assert r.exit_code == 2 and "kind" in r.output
        r = runner.invoke(app, ["retention", "queue", "--as", "partner"])
        assert r.exit_code == 2 and "retention" in r.output
        r = runner.invoke(app, ["retention", "erase", "case", str(case["id"]), "--as",
                                "supervisor", "--reason", "eight years, no action"])
        assert r.exit_code == 0 and f"case {case['reference']}" in r.output, r.output
    finally:
        get_settings.cache_clear()


def _page(client: Any, seeded: Any, username: str, path: str) -> str:
    import re
    client.cookies.clear()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    r = client.post("/login", data={"username": username, "password": seeded.password,
                                    "csrf": token.group(1), "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(path)
    assert page.status_code == 200, page.text
    return str(page.text)
