"""Team scope (issue 11): a record limited to one team of the bureau, e.g. its intelligence team.

The intelligence analyst's note on a desk case, marked for the intel_analysis team, is seen by
the analyst and by no one else in the bureau (not the desk officer, not the duty supervisor)
and by no partner; its timeline event goes with it. The matrix of every scope, viewer and
table is in tests/store/test_access.py and tests/store/test_child_rows.py.
"""

from __future__ import annotations

from typing import Any

TEAM_ONLY = {"sharing_scope": "team", "sharing_team": "intel_analysis"}


def _case(client: Any, headers: dict[str, str]) -> str:
    r = client.post("/cases", json={"channel": "bilateral", "title": "Courier network",
                                    "country": "NL", "crime_area": "drugs",
                                    "markings": {"sharing_scope": "agencies",
                                                 "share_with": ["US-FBI"]}}, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["reference"])


def test_a_team_note_is_seen_by_its_team_only(client, seeded):
    ref = _case(client, seeded.headers("desk"))
    analyst = seeded.headers("analyst")
    r = client.post(f"/cases/{ref}/notes", json={"body": "Link to the Rotterdam cell",
                                                  "markings": TEAM_ONLY}, headers=analyst)
    assert r.status_code == 201, r.text
    note = r.json()
    assert [n["id"] for n in client.get(f"/cases/{ref}/notes", headers=analyst).json()] == [
        note["id"]]
    for user in ("desk", "supervisor", "partner"):
        h = seeded.headers(user)
        assert client.get(f"/cases/{ref}/notes", headers=h).json() == [], user
        timeline = client.get(f"/cases/{ref}/timeline", headers=h)
        assert timeline.status_code == 200 and "Rotterdam" not in timeline.text
        assert note["id"] not in {e["data"].get("note_id") for e in timeline.json()}, user


def test_team_scope_names_a_known_team_of_the_holding_agency(client, seeded):
    ref = _case(client, seeded.headers("desk"))
    h = seeded.headers("analyst")
    bad = client.post(f"/cases/{ref}/notes", json={"body": "x", "markings": {
        "sharing_scope": "team", "sharing_team": "no_such_team"}}, headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "markings.sharing_team"
    missing = client.post(f"/cases/{ref}/notes", json={"body": "x", "markings": {
        "sharing_scope": "team"}}, headers=h)
    assert missing.status_code == 422 and "sharing_team" in missing.text
