"""Subject access end to end through the API (SQLite and PostgreSQL): the request as a case
with its one-month clock, what is held found through identities and the matcher, restrictions
with their legal grounds, the pack, and a handler never shown what they may not see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from ncb.store.models import AuditEntry, Case
from tests.services.data_protection_fixtures import low_reviewer_fixture  # noqa: F401

ANA = {"kind": "person", "first_name": "Ana", "last_name": "Lupu", "date_of_birth": "1979-04-05",
       "nationality": "RO", "identifier": "RO5550123"}
REQUEST = {"name": "Ana Lupu", "first_name": "Ana", "last_name": "Lupu",
           "date_of_birth": "1979-04-05", "nationality": "RO"}


def new_case(client: Any, h: dict[str, str], title: str, **over: Any) -> dict[str, Any]:
    body = {"channel": "bilateral", "title": title, "country": "RO", "crime_area": "fraud",
            "entities": [ANA]} | over
    r = client.post("/cases", json=body, headers=h)
    assert r.status_code == 201, r.text
    return dict(r.json())


def held_on_ana(client: Any, factory: Any, h: dict[str, str]) -> dict[str, dict[str, Any]]:
    cases = {
        "closed": new_case(client, h, "Card fraud 2021 (closed)"),
        "open": new_case(client, h, "Card fraud ring (open)"),
        "french": new_case(client, h, "French request about Lupu",
                           markings={"originator": "FR-NCB"}),
        "secret": new_case(client, h, "Operation Kestrel",
                           markings={"classification": "SECRET"}),
    }
    with factory() as s:
        s.execute(update(Case).where(Case.id == cases["closed"]["id"])
                  .values(closed_at=datetime.now(UTC), status="closed")
                  .execution_options(skip_access=True))
        s.commit()
    return cases


def open_sar(client: Any, h: dict[str, str], **over: Any) -> dict[str, Any]:
    r = client.post("/sar", json=REQUEST | over, headers=h)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_request_is_a_case_with_the_one_month_clock_extensible_once(client, seeded):
    h = seeded.headers("supervisor")
    sar = open_sar(client, h, received_at="2026-01-31T10:00:00+00:00")
    assert sar["due_at"].startswith("2026-02-28")  # a calendar month (February is short)
    case = client.get(f"/cases/{sar['reference']}", headers=h | {"X-Justification": "SAR"})
    assert case.status_code == 200, case.text
    body = case.json()
    assert body["channel"] == "data_protection" and body["next_due_at"].startswith("2026-02-28")
    open_deadlines = [d for d in body["deadlines"] if d["met_at"] is None]
    assert [d["rule_id"] for d in open_deadlines] == ["subject_access_reply"]
    assert "s.54" in open_deadlines[0]["basis"]
    r = client.post(f"/sar/{sar['reference']}/extend", json={"reason": "no"}, headers=h)
    assert r.status_code == 422 and "reason" in r.text
    r = client.post(f"/sar/{sar['reference']}/extend",
                    json={"reason": "complex: four channels to consult"}, headers=h)
    assert r.status_code == 200 and r.json()["due_at"].startswith("2026-04-28")
    assert r.json()["extended"]
    r = client.post(f"/sar/{sar['reference']}/extend", json={"reason": "once more please"},
                    headers=h)
    assert r.status_code == 409
    r = client.post(f"/sar/{sar['reference']}/answer", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "answered" and r.json()["due_at"] is None
    r = client.post("/sar", json=REQUEST | {"date_of_birth": "5 April"}, headers=h)
    assert r.status_code == 422 and "date_of_birth" in r.text
    for user in ("partner", "desk"):
        r = client.post("/sar", json=REQUEST, headers=seeded.headers(user))
        assert r.status_code == 403 and "subject_access.handle" in r.text, user
        assert client.get(f"/sar/{sar['reference']}",
                          headers=seeded.headers(user)).status_code in (403, 404)


def test_pack_applies_restrictions_with_their_legal_grounds(client, seeded, factory):
    h = seeded.headers("supervisor")
    cases = held_on_ana(client, factory, h)
    sar = open_sar(client, h)
    ref = sar["reference"]
    assert sar["candidates"], sar  # the matcher finds her identity from the particulars
    ident = sar["candidates"][0]["identity_id"]
    r = client.put(f"/sar/{ref}/identities", json={"identity_ids": [ident]}, headers=h)
    assert r.status_code == 200, r.text
    items = {i["key"]: i for i in r.json()["items"]}
    by_case = {k: items[f"case:{c['reference']}"] for k, c in cases.items()}
    assert by_case["closed"]["disclose"] and by_case["closed"]["ground"] is None
    assert by_case["open"]["ground"] == "investigation"
    assert "s.45(4)(a)" in by_case["open"]["ground_source"]
    assert by_case["french"]["ground"] == "originator"
    assert not by_case["secret"]["disclose"]  # ours and open: withheld by default
    # The handler decides: the open case may be disclosed, the secret one withheld for security.
    bad = client.post(f"/sar/{ref}/decisions", json={"item": by_case["secret"]["key"],
                                                     "disclose": False, "ground": "whim"},
                      headers=h)
    assert bad.status_code == 422 and "ground" in bad.text
    for key, disclose, ground in ((by_case["open"]["key"], True, None),
                                  (by_case["secret"]["key"], False, "national_security")):
        r = client.post(f"/sar/{ref}/decisions",
                        json={"item": key, "disclose": disclose, "ground": ground}, headers=h)
        assert r.status_code == 200, r.text
    pack = client.get(f"/sar/{ref}/pack", headers=h)
    assert pack.status_code == 200, pack.text
    body = pack.json()
    disclosed = {r["record"] for r in body["records"]}
    assert disclosed == {f"bilateral case {cases[k]['reference']}" for k in ("closed", "open")}
    assert all(r["retention_review"] for r in body["records"])
    assert {w["source"]: w["items"] for w in body["withheld"]} == {
        "DPA 2018 s.45(4)(d)": 1,
        "DPA 2018 s.45(4)(b) and (e); Reg. (EU) 2016/794 Art. 36(4); INTERPOL data: the "
        "restrictions its source set (INTERPOL Rules on the Processing of Data; article not "
        "verified)": 1}
    text = pack.text
    assert "Kestrel" not in text and "French request" not in text
    assert {"label": "date of birth", "value": "1979-04-05"} in body["personal_data"]
    assert "Information Commissioner" in body["rights"]
    with factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "disclosure",
                                                   AuditEntry.record_id == ref)).one()
        assert entry.recipients == ["data subject"]
        assert entry.details["withheld"][by_case["secret"]["key"]] == "national_security"


def test_low_clearance_handler_sees_only_a_contact_for_what_is_hidden(
        client, seeded, factory, low_reviewer):
    h = seeded.headers("supervisor")
    cases = held_on_ana(client, factory, h)
    sar = open_sar(client, low_reviewer)
    ident = sar["candidates"][0]["identity_id"]
    r = client.put(f"/sar/{sar['reference']}/identities", json={"identity_ids": [ident]},
                   headers=low_reviewer)
    assert r.status_code == 200, r.text
    v = r.json()
    assert f"case:{cases['secret']['reference']}" not in {i["key"] for i in v["items"]}
    assert any("contact" in line and "GB-NCA" in line for line in v["consult"])
    assert "Kestrel" not in r.text
    pack = client.get(f"/sar/{sar['reference']}/pack", headers=low_reviewer)
    assert "Kestrel" not in pack.text and "contact" not in pack.text
    # The supervisor's request is a case the low-clearance handler may see (OFFICIAL-SENSITIVE),
    # but an identity with nothing they may see is refused, not confirmed blind.
    secret_only = new_case(client, h, "Operation Merlin", markings={"classification": "SECRET"},
                           entities=[ANA | {"identifier": "RO0000001", "first_name": "Anca"}])
    ents = client.get(f"/cases/{secret_only['reference']}/entities", headers=h).json()
    hidden_ident = client.get(f"/entities/{ents[0]['id']}/identity", headers=h).json()
    r = client.put(f"/sar/{sar['reference']}/identities",
                   json={"identity_ids": [hidden_ident["identity_id"]]}, headers=low_reviewer)
    assert r.status_code == 404 and "Merlin" not in r.text


def test_sar_pages_and_cli(client, seeded, factory, settings, monkeypatch, tmp_path):
    import json

    from typer.testing import CliRunner

    from ncb.cli import app
    from ncb.settings import get_settings
    from tests.services.retention.test_retention import _page

    h = seeded.headers("supervisor")
    held_on_ana(client, factory, h)
    monkeypatch.setenv("NCB_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        r = runner.invoke(app, ["sar", "open", "Ana Lupu", "--dob", "1979-04-05",
                                "--nationality", "RO", "--as", "supervisor"])
        assert r.exit_code == 0, r.output
        ref = r.output.split()[1].rstrip(";")
        r = runner.invoke(app, ["sar", "show", ref, "--as", "supervisor"])
        assert r.exit_code == 0, r.output
        ident = json.loads(r.output)["candidates"][0]["identity_id"]
        assert runner.invoke(app, ["sar", "confirm", ref, str(ident), "--as",
                                   "supervisor"]).exit_code == 0
        r = runner.invoke(app, ["sar", "withhold", ref, "case:NCB-1", "--ground", "nope",
                                "--as", "supervisor"])
        assert r.exit_code == 2 and "ground" in r.output
        r = runner.invoke(app, ["sar", "pack", ref, str(tmp_path / "pack.json"), "--as",
                                "supervisor"])
        assert r.exit_code == 0 and "withheld" in r.output, r.output
        assert json.loads((tmp_path / "pack.json").read_text())["reference"] == ref
        r = runner.invoke(app, ["sar", "open", "Ana Lupu", "--as", "partner"])
        assert r.exit_code == 2
    finally:
        get_settings.cache_clear()
    with client:
        page = _page(client, seeded, "supervisor", f"/w/sar/{ref}")
        assert "Statutory clock" in page and "withheld" in page and "s.45(4)" in page
        assert ref in _page(client, seeded, "supervisor", "/w/sar")
