"""The federation node page through the web test client: supervisors and administrators see the
peers' fingerprints, outbox and inbox with states, conflicts with both values and who has
acknowledged a recall; a desk officer is refused; revoking a key from the page works."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from ncb.federation.keys import display
from ncb.services.context import SYSTEM, unit_of_work
from ncb.store.models import AuditEntry, FedKey
from tests.conftest import Seeded
from tests.services.federation.conftest import Fed
from tests.services.federation.scenes import busy_node

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _login(client: Any, seeded: Seeded, username: str) -> None:
    client.cookies.clear()
    token = CSRF.search(client.get("/login").text).group(1)
    r = client.post("/login", data={"username": username, "password": seeded.password,
                                     "csrf": token, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text


def _cells(row: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def _rows(html: str, table: str) -> list[str]:
    body = html.split(f'class="{table}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [_cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def _recall(html: str, recall_id: str) -> str:
    return _cells(re.search(rf'<tr data-recall="{recall_id}">(.*?)</tr>', html, re.S).group(1))


def test_supervisor_sees_the_whole_node(client: Any, fed: Fed, seeded: Seeded) -> None:
    recalls = busy_node(fed, seeded)
    _login(client, seeded, "supervisor")
    page = client.get("/w/federation")
    assert page.status_code == 200
    html = page.text
    assert display(fed.node.keys.active.public.key_id) in html
    assert display(fed.fbi.active.public.key_id) in html
    [peer] = _rows(html, "fed-peers")
    assert peer.startswith("US-FBI") and "4 queued" in peer
    outbox = _rows(html, "fed-outbox")
    assert len(outbox) == 4 and all("queued" in r for r in outbox)
    assert {r.split()[2] for r in outbox} == {"case", "recall"}
    inbox = _rows(html, "fed-inbox")
    assert [r.split()[:4] for r in inbox] == [["US-FBI", "3", "recall_ack", "applied"],
                                              ["US-FBI", "2", "case", "applied"],
                                              ["US-FBI", "1", "case", "applied"]]
    [conflict] = _rows(html, "fed-conflicts")
    assert conflict.startswith("US-FBI/case/1 status new triaged closed (US-FBI)")
    assert _recall(html, recalls["acked"]).endswith("US-FBI —")  # acknowledged, none pending
    assert _recall(html, recalls["pending"]).endswith("— US-FBI")
    filtered = client.get("/w/federation?inbox_state=refused").text
    assert _rows(filtered, "fed-inbox") == ["Nothing here."]


def test_administrator_yes_desk_officer_no(client: Any, fed: Fed, seeded: Seeded) -> None:
    _login(client, seeded, "admin")
    assert client.get("/w/federation").status_code == 200
    _login(client, seeded, "desk")
    r = client.get("/w/federation")
    assert r.status_code == 403 and display(fed.node.keys.active.public.key_id) not in r.text
    assert 'href="/w/federation"' not in client.get("/w/search").text
    assert client.get("/w/federation?outbox_state=lost", follow_redirects=False).status_code == 403


def test_bad_filter_names_the_field(client: Any, fed: Fed, seeded: Seeded) -> None:
    _login(client, seeded, "supervisor")
    r = client.get("/w/federation?outbox_state=lost")
    assert r.status_code == 422 and "outbox_state must be one of queued, delivered" in r.text


def test_revoke_from_the_page(client: Any, fed: Fed, seeded: Seeded) -> None:
    _login(client, seeded, "supervisor")
    token = CSRF.search(client.get("/w/federation").text).group(1)
    no_reason = client.post("/w/federation/peers/US-FBI/revoke",
                            data={"csrf": token, "reason": " "})
    assert no_reason.status_code == 422 and "reason: say why" in no_reason.text
    forged = client.post("/w/federation/peers/US-FBI/revoke",
                         data={"csrf": "nope", "reason": "laptop stolen"})
    assert forged.status_code == 403
    ok = client.post("/w/federation/peers/US-FBI/revoke",
                     data={"csrf": token, "reason": "laptop stolen"}, follow_redirects=False)
    assert ok.status_code == 303
    page = client.get(ok.headers["location"]).text
    assert "Revoked 1 key(s) of US-FBI" in page
    [peer] = _rows(page, "fed-peers")
    assert "revoked" in peer and "laptop stolen" in peer and "Revoke" not in peer.split("stolen")[1]
    unknown = client.post("/w/federation/peers/XX-NOPE/revoke",
                          data={"csrf": token, "reason": "test"})
    assert unknown.status_code == 404
    with unit_of_work(fed.factory, SYSTEM) as s:
        assert s.scalars(select(FedKey.status).where(FedKey.agency_code == "US-FBI")).all() \
            == ["revoked"]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "fed_peer",
                                                   AuditEntry.action == "alteration")).one()
        assert entry.actor == "supervisor" and entry.justification == "laptop stolen"
