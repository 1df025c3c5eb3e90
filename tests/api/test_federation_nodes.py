"""Three nodes as separate `ncb serve` processes on loopback, each with its own SQLite file.

GB-NCA (this test process drives its sync, as `ncb node sync` would), US-FBI and CA-RCMP
(servers). A case travels with exactly what its markings allow; a replay changes nothing;
one flipped byte is refused and audited; onward sharing the originator forbids is refused;
a revoked key's envelopes are refused; a recall reaches both and both acknowledge; a link cut
mid-transfer resumes without resending; a relay is refused at the next hop; a node killed
while applying catches up once and in order.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from ncb.federation import canonical
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.errors import Forbidden
from ncb.services.federation import recall, share, sync
from ncb.store.models import AuditEntry, Case, FedOutbox, Note
from tests.api.federation_nodes import CODES, N, nodes, uk_case

__all__ = ["nodes"]  # the module fixture: three node processes


def _titles(n: N) -> list[str]:
    with unit_of_work(n.factory, SYSTEM) as s:
        return list(s.scalars(select(Case.title).where(Case.title.like("Synthetic%"))))


def _notes(n: N) -> list[str]:
    with unit_of_work(n.factory, SYSTEM) as s:
        return sorted(s.scalars(select(Note.body)))


def test_three_nodes_share_replay_tamper_onward_recall(nodes: dict[str, N]) -> None:
    uk, fbi, rcmp = (nodes[c] for c in CODES)
    ref = uk_case(uk)
    p = SYSTEM
    with unit_of_work(uk.factory, SYSTEM) as s:
        from ncb.services.context import principal_for
        from ncb.store.models import User
        p = principal_for(s, s.scalars(select(User).where(User.username == "supervisor")).one())
    with unit_of_work(uk.factory, p) as s:
        share.send_case(s, p, uk.node, ref, ["US-FBI", "CA-RCMP"], "joint operation")
    results = sync.sync(uk.factory, uk.node)
    assert all(not r.errors for r in results), results
    # Arrived with exactly what the markings allow: the shared note, not SECRET or internal.
    assert _titles(fbi) == ["Synthetic opioids posted from Vancouver"]
    assert _notes(fbi) == ["Shared lead: warehouse in Newark."]
    assert _titles(rcmp) == ["Synthetic opioids posted from Vancouver"]
    assert _notes(rcmp) == []  # that note was shared with US-FBI only

    # Replay and one flipped byte, straight at the FBI node's inbox.
    with unit_of_work(uk.factory, SYSTEM) as s:
        wire = s.scalars(select(FedOutbox.wire).where(FedOutbox.recipient == "US-FBI")
                         .order_by(FedOutbox.seq)).first()
    assert wire is not None
    replay = httpx.post(f"{fbi.url}/federation/inbox", json={"envelopes": [wire.decode()]}).json()
    assert replay["receipts"][0]["state"] == "duplicate"
    bad = bytearray(wire)
    bad[len(bad) // 3] ^= 0x01
    refused = httpx.post(f"{fbi.url}/federation/inbox",
                         json={"envelopes": [bytes(bad).decode(errors="replace")]}).json()
    assert refused["receipts"][0]["state"] == "refused"
    assert _titles(fbi) == ["Synthetic opioids posted from Vancouver"]
    with unit_of_work(fbi.factory, SYSTEM) as s:
        details = [e.details for e in s.scalars(select(AuditEntry).where(
            AuditEntry.record_kind == "fed_envelope"))]
    assert any(d.get("outcome") == "refused" for d in details)
    assert any(d.get("outcome") == "applied" for d in details)  # receipt audited

    # Onward: TLP:AMBER from GB-NCA may not be passed on by US-FBI.
    with unit_of_work(fbi.factory, SYSTEM) as s:
        fbi_ref = s.scalars(select(Case.reference).where(Case.title.like("Synthetic%"))).one()
    fbi_user = _principal(fbi, "supervisor")  # may share onward; the marking still refuses
    with unit_of_work(fbi.factory, fbi_user) as s, pytest.raises(Forbidden) as exc:
        share.send_case(s, fbi_user, fbi.node, fbi_ref, ["CA-RCMP"])
    assert "TLP:AMBER" in str(exc.value.extra["decisions"])

    # Recall: both remove it and acknowledge; UK sees both acknowledgements.
    with unit_of_work(uk.factory, p) as s:
        rec = recall.recall_case(s, p, uk.node, ref, "erase", "source withdrew consent")
    pushed = sync.sync(uk.factory, uk.node)  # push the recalls
    assert all(not r.errors for r in pushed), pushed
    assert _titles(fbi) == [] and _titles(rcmp) == [] and _notes(fbi) == []
    sync.sync(uk.factory, uk.node)  # pull the acknowledgements
    with unit_of_work(uk.factory, SYSTEM) as s:
        [view] = [v for v in recall.recalls(s) if v.recall_id == rec.recall_id]
    assert view.acknowledged == ["CA-RCMP", "US-FBI"] and view.pending == []


def _principal(n: N, username: str):  # type: ignore[no-untyped-def]
    from ncb.services.context import principal_for
    from ncb.store.models import User

    with unit_of_work(n.factory, SYSTEM) as s:
        return principal_for(s, s.scalars(select(User).where(User.username == username)).one())


def test_revoked_key_envelopes_refused_at_the_server(nodes: dict[str, N]) -> None:
    uk, rcmp = nodes["GB-NCA"], nodes["CA-RCMP"]
    from ncb.federation import envelope
    from ncb.federation.keys import NodeKeys

    stranger = NodeKeys.generate("GB-NCA")  # claims to be GB-NCA with an unregistered key
    _, wire = envelope.seal(stranger, "CA-RCMP", rcmp.node.keys.active.public, 999, "case",
                            {"objects": []})
    got = httpx.post(f"{rcmp.url}/federation/inbox", json={"envelopes": [wire.decode()]}).json()
    assert got["receipts"][0]["rule"] == "unknown_key"
    doc = canonical.loads(wire)
    assert doc["header"]["from"] == "GB-NCA"
    assert uk.code == "GB-NCA"


class Link(httpx.BaseTransport):
    """Real HTTP that records the envelope ids of every push and drops after `cut` pushes."""

    def __init__(self, cut: int | None = None) -> None:
        self.inner, self.cut, self.pushed = httpx.HTTPTransport(), cut, list[str]()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/federation/inbox":
            if self.cut is not None and self.requests >= self.cut:
                raise httpx.ConnectError("the satellite link dropped", request=request)
            self.requests += 1
            body = canonical.loads(request.content)
            self.pushed += [canonical.loads(w.encode())["header"]["id"] for w in body["envelopes"]]
        return self.inner.handle_request(request)


def test_cut_link_resumes_without_resending_records_before_attachment(nodes: dict[str, N]) -> None:
    from ncb.services import exchange
    from ncb.services.inputs import MarkingsIn
    from ncb.store.models import Attachment

    uk, fbi = nodes["GB-NCA"], nodes["US-FBI"]
    p = _principal(uk, "supervisor")
    first = uk_case(uk, "Counterfeit insulin via Felixstowe")
    second = uk_case(uk, "Counterfeit insulin via Dover")
    photo = bytes(range(256)) * 1200  # 300 KB: a scanned consignment note
    with unit_of_work(uk.factory, p) as s:
        exchange.add_attachment(s, p, first, "consignment.png", "image/png", photo,
                                MarkingsIn(share_with=["US-FBI"]))
    with unit_of_work(uk.factory, p) as s:
        sent = [share.send_case(s, p, uk.node, ref, ["US-FBI"])[0] for ref in (first, second)]
    case_a, blob_a = sent[0].envelope_ids
    [case_b] = sent[1].envelope_ids
    # Records first, the attachment after them; then the link drops after the first request.
    cut = Link(cut=1)
    [res] = sync.sync(uk.factory, uk.node, only=["US-FBI"], retry_base=0, transport=cut,
                      max_bytes=64_000)
    assert res.errors and cut.pushed == [case_a]
    with unit_of_work(fbi.factory, SYSTEM) as s:
        att = s.scalars(select(Attachment).where(Attachment.filename == "consignment.png")).one()
        assert att.data == b"" and att.size == len(photo)  # the record is here, usable, contents not yet
    resumed = Link()
    [res] = sync.sync(uk.factory, uk.node, only=["US-FBI"], retry_base=0, transport=resumed,
                      max_bytes=64_000)
    assert not res.errors, res
    assert resumed.pushed == [blob_a, case_b]  # nothing that had arrived was sent again
    with unit_of_work(fbi.factory, SYSTEM) as s:
        att = s.scalars(select(Attachment).where(Attachment.filename == "consignment.png")).one()
        assert att.data == photo
        titles = sorted(s.scalars(select(Case.title).where(Case.title.like("Counterfeit insulin%"))))
    assert titles == ["Counterfeit insulin via Dover", "Counterfeit insulin via Felixstowe"]


def test_each_hop_narrows_what_may_be_passed_on(nodes: dict[str, N]) -> None:
    from ncb.services.federation import outbox
    from ncb.store.models import FedObject

    uk, fbi, rcmp = (nodes[c] for c in CODES)
    p = _principal(uk, "supervisor")
    green = uk_case(uk, "Ransomware payments via Toronto", tlp="TLP:GREEN")
    with unit_of_work(uk.factory, p) as s:
        share.send_case(s, p, uk.node, green, ["US-FBI"])
    assert not any(r.errors for r in sync.sync(uk.factory, uk.node, only=["US-FBI"]))
    # TLP:GREEN from GB-NCA: US-FBI may pass it on, and the originator travels with it.
    q = _principal(fbi, "supervisor")
    with unit_of_work(fbi.factory, SYSTEM) as s:
        ref = s.scalars(select(Case.reference).where(Case.title.like("Ransomware%"))).one()
    with unit_of_work(fbi.factory, q) as s:
        share.send_case(s, q, fbi.node, ref, ["CA-RCMP"])
    # A relay that ignores the originator: TLP:AMBER from GB-NCA and Europol H2, sealed anyway.
    forced = [("GB-NCA", {"tlp": "TLP:AMBER", "handling_code": "P"}),
              ("EUROPOL", {"tlp": None, "handling_code": "H2"})]
    with unit_of_work(fbi.factory, SYSTEM) as s:
        for i, (origin, mk) in enumerate(forced):
            oid = f"{origin}/case/relayed-{i}"
            outbox.enqueue(s, fbi.node, "CA-RCMP", "case", {"root": oid, "objects": [{
                "id": oid, "schema": "ncb:Case", "version": 1, "parent": None, "refs": [],
                "markings": {"classification": "OFFICIAL", "originator": origin,
                             "handling_conditions": None, **mk},
                "properties": {"title": [f"Relayed against the originator {i}"]}}]})
    assert not any(r.errors for r in sync.sync(fbi.factory, fbi.node, only=["CA-RCMP"]))
    with unit_of_work(rcmp.factory, SYSTEM) as s:
        got = {c.title: c for c in s.scalars(select(Case).where(Case.direction == "incoming"))}
        assert "Ransomware payments via Toronto" in got
        assert not [t for t in got if t.startswith("Relayed")]
        row = s.scalars(select(FedObject).where(FedObject.origin_id.like("GB-NCA/case/%"),
                                                FedObject.received_from == "US-FBI")).one()
        assert row.origin_agency == "GB-NCA"  # originator control kept across the hop
        refused = [e.details for e in s.scalars(select(AuditEntry).where(
            AuditEntry.record_kind == "fed_envelope")) if e.details.get("refused")]
    reasons = str(refused)
    assert "relayed-0" in reasons and "relayed-1" in reasons  # each refusal audited, by object


def test_node_killed_mid_apply_catches_up_once_and_in_order(nodes: dict[str, N]) -> None:
    import signal
    import sqlite3
    import threading
    from contextlib import closing
    from pathlib import Path

    from sqlalchemy import func, update

    from ncb.services.federation import outbox
    from ncb.store.models import FedCursor, FedInbox, FedPeer
    from tests.api.federation_nodes import start

    uk, fbi = nodes["GB-NCA"], nodes["US-FBI"]
    n = 300  # a week of a busy desk, queued while the link was down
    mk = {"classification": "OFFICIAL", "handling_code": "P", "tlp": "TLP:GREEN",
          "originator": "GB-NCA", "handling_conditions": None}
    with unit_of_work(uk.factory, SYSTEM) as s:
        for i in range(n):
            oid = f"GB-NCA/case/week-{i}"
            outbox.enqueue(s, uk.node, "US-FBI", "case", {"root": oid, "objects": [{
                "id": oid, "schema": "ncb:Case", "version": 1, "parent": None, "refs": [],
                "markings": mk, "properties": {"title": [f"Week offline {i:03d}"]}}]})
    with unit_of_work(fbi.factory, SYSTEM) as s:
        start_at = s.get(FedCursor, "GB-NCA").in_seq  # type: ignore[union-attr]
    push = threading.Thread(target=sync.sync, args=(uk.factory, uk.node),
                            kwargs={"only": ["US-FBI"], "batch": 500, "retry_base": 0})
    push.start()
    waiting = 0
    # A plain read (no write lock, unlike a unit of work) sees each commit of the node.
    with closing(sqlite3.connect(fbi.db.removeprefix("sqlite:///"))) as db:
        while push.is_alive() and not waiting:  # stored, not yet applied: the node is applying
            waiting = db.execute("SELECT count(*) FROM fed_inbox WHERE state = 'waiting'"
                                 ).fetchone()[0]
    assert fbi.proc is not None
    fbi.proc.send_signal(signal.SIGKILL)  # power cut in the middle of applying
    fbi.proc.wait(10)
    push.join(60)
    with unit_of_work(fbi.factory, SYSTEM) as s:
        cursor = s.get(FedCursor, "GB-NCA").in_seq  # type: ignore[union-attr]
        applied = s.scalar(select(func.count()).select_from(FedInbox)
                           .where(FedInbox.sender == "GB-NCA", FedInbox.seq > start_at,
                                  FedInbox.state == "applied"))
        titles = s.scalar(select(func.count()).select_from(Case)
                          .where(Case.title.like("Week offline%")))
    assert waiting and cursor - start_at == applied == titles < n  # committed batches only
    start(fbi, Path(fbi.db.removeprefix("sqlite:///")).parent)  # the node comes back
    with unit_of_work(uk.factory, SYSTEM) as s:
        s.execute(update(FedPeer).where(FedPeer.agency_code == "US-FBI").values(url=fbi.url))
    [res] = sync.sync(uk.factory, uk.node, only=["US-FBI"], retry_base=0)
    assert not res.errors, res
    with unit_of_work(fbi.factory, SYSTEM) as s:
        got = list(s.scalars(select(Case.title).where(Case.title.like("Week offline%"))
                             .order_by(Case.id)))
        seqs = list(s.scalars(select(FedInbox.seq).where(FedInbox.sender == "GB-NCA",
                                                         FedInbox.seq > start_at)
                              .order_by(FedInbox.applied_at, FedInbox.seq)))
        audited = [e.record_id for e in s.scalars(select(AuditEntry).where(
            AuditEntry.record_kind == "fed_envelope")) if e.details.get("outcome") == "applied"]
    assert got == [f"Week offline {i:03d}" for i in range(n)]  # each once, in sequence
    assert seqs == list(range(start_at + 1, start_at + n + 1))
    assert len(audited) == len(set(audited))  # no envelope applied (or audited) twice
