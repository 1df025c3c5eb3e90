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
from sqlalchemy import func, select

from ncb.federation import canonical
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.errors import Forbidden
from ncb.services.federation import recall, share, sync
from ncb.store.models import AuditEntry, Case, FedOutbox
from tests.api.federation_nodes import (
    CODES,
    Flaky,
    Link,
    N,
    case_id,
    nodes,
    notes,
    principal,
    titles,
    uk_case,
)

__all__ = ["nodes"]  # the module fixture: three node processes


def test_three_nodes_share_replay_tamper_onward_recall(nodes: dict[str, N]) -> None:
    uk, fbi, rcmp = (nodes[c] for c in CODES)
    ref = uk_case(uk)
    p = principal(uk, "supervisor")
    with unit_of_work(uk.factory, p) as s:
        share.send_case(s, p, uk.node, ref, ["US-FBI", "CA-RCMP"], "joint operation")
    results = sync.sync(uk.factory, uk.node)
    assert all(not r.errors for r in results), results
    # Arrived with exactly what the markings allow: the shared note, not SECRET or internal.
    assert titles(fbi) == ["Synthetic opioids posted from Vancouver"]
    assert notes(fbi) == ["Shared lead: warehouse in Newark."]
    assert titles(rcmp) == ["Synthetic opioids posted from Vancouver"]
    assert notes(rcmp) == []  # that note was shared with US-FBI only

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
    assert titles(fbi) == ["Synthetic opioids posted from Vancouver"]
    with unit_of_work(fbi.factory, SYSTEM) as s:
        details = [e.details for e in s.scalars(select(AuditEntry).where(
            AuditEntry.record_kind == "fed_envelope"))]
    assert any(d.get("outcome") == "refused" for d in details)
    assert any(d.get("outcome") == "applied" for d in details)  # receipt audited

    # Onward: TLP:AMBER from GB-NCA may not be passed on by US-FBI.
    with unit_of_work(fbi.factory, SYSTEM) as s:
        fbi_ref = s.scalars(select(Case.reference).where(Case.title.like("Synthetic%"))).one()
    fbi_user = principal(fbi, "supervisor")  # may share onward; the marking still refuses
    with unit_of_work(fbi.factory, fbi_user) as s, pytest.raises(Forbidden) as exc:
        share.send_case(s, fbi_user, fbi.node, fbi_ref, ["CA-RCMP"])
    assert "TLP:AMBER" in str(exc.value.extra["decisions"])

    # Recall: both remove it and acknowledge; UK sees both acknowledgements.
    with unit_of_work(uk.factory, p) as s:
        rec = recall.recall_case(s, p, uk.node, ref, "erase", "source withdrew consent")
    pushed = sync.sync(uk.factory, uk.node)  # push the recalls
    assert all(not r.errors for r in pushed), pushed
    assert titles(fbi) == [] and titles(rcmp) == [] and notes(fbi) == []
    sync.sync(uk.factory, uk.node)  # pull the acknowledgements
    with unit_of_work(uk.factory, SYSTEM) as s:
        [view] = [v for v in recall.recalls(s) if v.recall_id == rec.recall_id]
    assert view.acknowledged == ["CA-RCMP", "US-FBI"] and view.pending == []


def test_unknown_key_and_unknown_version_refused_at_the_server(nodes: dict[str, N]) -> None:
    uk, rcmp = nodes["GB-NCA"], nodes["CA-RCMP"]
    from ncb.federation import envelope
    from ncb.federation.keys import NodeKeys

    stranger = NodeKeys.generate("GB-NCA")  # claims to be GB-NCA with an unregistered key
    _, wire = envelope.seal(stranger, "CA-RCMP", rcmp.node.keys.active.public, 999, "case",
                            {"objects": []})
    got = httpx.post(f"{rcmp.url}/federation/inbox", json={"envelopes": [wire.decode()]}).json()
    assert got["receipts"][0]["rule"] == "unknown_key"
    doc = canonical.loads(wire)
    assert doc["header"]["from"] == uk.code == "GB-NCA"
    # A newer protocol version than this node reads: the whole push is a 422 naming it.
    doc["header"]["v"] = 3
    got = httpx.post(f"{rcmp.url}/federation/inbox",
                     json={"envelopes": [canonical.dumps(doc).decode()]})
    assert got.status_code == 422, got.text
    [err] = got.json()["errors"]
    assert (err["field"], err["rule"]) == ("envelopes[0]", "envelope_version")
    assert "this node reads 1, 2" in got.json()["detail"]


def test_cut_link_resumes_without_resending_records_overtake_attachment(nodes: dict[str, N]) -> None:
    from ncb.services import exchange
    from ncb.services.inputs import MarkingsIn
    from ncb.settings import Settings
    from ncb.store.models import Attachment

    uk, fbi = nodes["GB-NCA"], nodes["US-FBI"]
    p = principal(uk, "supervisor")
    first = uk_case(uk, "Counterfeit insulin via Felixstowe")
    second = uk_case(uk, "Counterfeit insulin via Dover")
    photo = bytes(range(256)) * 1200  # 300 KB: a scanned consignment note
    with unit_of_work(uk.factory, p) as s:
        exchange.add_attachment(s, p, first, "consignment.png", "image/png", photo,
                                MarkingsIn(share_with=["US-FBI"]), settings=Settings())
    with unit_of_work(uk.factory, p) as s:
        sent = [share.send_case(s, p, uk.node, ref, ["US-FBI"])[0] for ref in (first, second)]
    case_a, blob_a = sent[0].envelope_ids
    [case_b] = sent[1].envelope_ids
    # Records first (both cases: the second is not held behind the first one's attachment,
    # which has its own lane); then the link drops before the attachment goes.
    cut = Link(cut=1)
    [res] = sync.sync(uk.factory, uk.node, only=["US-FBI"], retry_base=0, transport=cut,
                      max_bytes=64_000)
    assert res.errors and cut.pushed == [case_a, case_b]
    with unit_of_work(fbi.factory, SYSTEM) as s:
        att = s.scalars(select(Attachment).where(Attachment.filename == "consignment.png")).one()
        assert att.data == b"" and att.size == len(photo)  # the record is here, usable, contents not yet
    resumed = Link()
    [res] = sync.sync(uk.factory, uk.node, only=["US-FBI"], retry_base=0, transport=resumed,
                      max_bytes=64_000)
    assert not res.errors, res
    assert resumed.pushed == [blob_a]  # nothing that had arrived was sent again
    with unit_of_work(fbi.factory, SYSTEM) as s:
        att = s.scalars(select(Attachment).where(Attachment.filename == "consignment.png")).one()
        assert att.data == photo
        titles = sorted(s.scalars(select(Case.title).where(Case.title.like("Counterfeit insulin%"))))
    assert titles == ["Counterfeit insulin via Dover", "Counterfeit insulin via Felixstowe"]


def test_each_hop_narrows_what_may_be_passed_on(nodes: dict[str, N]) -> None:
    from ncb.services.federation import outbox
    from ncb.store.models import FedObject

    uk, fbi, rcmp = (nodes[c] for c in CODES)
    p = principal(uk, "supervisor")
    green = uk_case(uk, "Ransomware payments via Toronto", tlp="TLP:GREEN")
    amber = uk_case(uk, "Ransomware payments via Halifax")  # TLP:AMBER: not to be passed on
    with unit_of_work(uk.factory, p) as s:
        for ref in (green, amber):
            share.send_case(s, p, uk.node, ref, ["US-FBI"])
    assert not any(r.errors for r in sync.sync(uk.factory, uk.node, only=["US-FBI"]))
    # TLP:GREEN from GB-NCA: US-FBI may pass it on, and the originator travels with it.
    q = principal(fbi, "supervisor")
    with unit_of_work(fbi.factory, SYSTEM) as s:
        ref = s.scalars(select(Case.reference).where(Case.title.like("%via Toronto"))).one()
    with unit_of_work(fbi.factory, q) as s:
        share.send_case(s, q, fbi.node, ref, ["CA-RCMP"])
    # A relay that ignores the originator: GB-NCA's AMBER case with its TLP rewritten to GREEN
    # (GB-NCA's signature kept), and items sealed without any originator's signature.
    with unit_of_work(fbi.factory, SYSTEM) as s:
        amber_id = f"GB-NCA/case/{case_id(uk, amber)}"
        row = s.scalars(select(FedObject).where(FedObject.origin_id == amber_id)).one()
        sig = {k: row.markings_sig[k] for k in ("node", "key", "sig")}  # type: ignore[index]
        forged = [(row.origin_id, {**row.markings_sig["markings"], "tlp": "TLP:GREEN"}, sig),  # type: ignore[index]
                  ("GB-NCA/case/relayed-1", {"tlp": "TLP:AMBER", "handling_code": "P"}, None),
                  ("EUROPOL/case/relayed-2", {"tlp": None, "handling_code": "H2"}, None)]
        for i, (oid, mk, signed) in enumerate(forged):
            obj = {"id": oid, "schema": "ncb:Case", "version": row.version, "parent": None,
                   "refs": [], "markings": {"classification": "OFFICIAL", "originator":
                                            oid.split("/")[0], "handling_conditions": None, **mk},
                   "properties": {"title": [f"Relayed against the originator {i}"]},
                   "markings_sig": signed or {"node": "US-FBI", "key": "-", "sig": "-"}}
            outbox.enqueue(s, fbi.node, "CA-RCMP", "case", {"root": oid, "objects": [obj]})
    assert not any(r.errors for r in sync.sync(fbi.factory, fbi.node, only=["CA-RCMP"]))
    with unit_of_work(rcmp.factory, SYSTEM) as s:
        got = {c.title: c for c in s.scalars(select(Case).where(Case.direction == "incoming"))}
        assert "Ransomware payments via Toronto" in got
        assert not [t for t in got if t.startswith(("Relayed", "Ransomware payments via Hal"))]
        row = s.scalars(select(FedObject).where(FedObject.origin_id.like("GB-NCA/case/%"),
                                                FedObject.received_from == "US-FBI")).one()
        assert row.origin_agency == "GB-NCA"  # originator control kept across the hop
        assert row.markings_sig and row.markings_sig["node"] == "GB-NCA"  # its signature too
        refused = [e.details for e in s.scalars(select(AuditEntry).where(
            AuditEntry.record_kind == "fed_envelope")) if e.details.get("markings_refused")]
    reasons = str(refused)
    assert amber_id in reasons and "altered after GB-NCA signed" in reasons
    assert "relayed-1" in reasons and "relayed-2" in reasons  # each refusal audited, by object


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


def test_post_offline_for_a_week_catches_up_in_order_over_a_flaky_link(nodes: dict[str, N]) -> None:
    """Three records a day for a week (an attachment every other day) queued at GB-NCA for
    CA-RCMP; the link is up on four of the days and shuffles, duplicates and delays what it
    carries. After every sync CA-RCMP has applied a gap-free prefix, in sequence, each once."""
    import random

    from ncb.services.federation import outbox
    from ncb.store.models import Attachment, FedCursor, FedInbox

    uk, rcmp = nodes["GB-NCA"], nodes["CA-RCMP"]
    with unit_of_work(rcmp.factory, SYSTEM) as s:
        cur = s.get(FedCursor, "GB-NCA")
        assert cur is not None
        start, blob_start = cur.in_seq, cur.blob_in_seq
    mk = {"classification": "OFFICIAL", "handling_code": "P", "tlp": "TLP:GREEN",
          "originator": "GB-NCA", "handling_conditions": None}
    link, scans = Flaky(random.Random(7)), {}
    for day in range(7):
        with unit_of_work(uk.factory, SYSTEM) as s:
            for k in range(3):
                oid, att = f"GB-NCA/case/shuffled-{day}-{k}", f"GB-NCA/attachment/shuffled-{day}"
                objs = [{"id": oid, "schema": "ncb:Case", "version": 1, "parent": None,
                         "refs": [], "markings": mk,
                         "properties": {"title": [f"Week shuffled {day}-{k}"]}}]
                scan = bytes([day]) * 20_000
                if k == 0 and day % 2 == 0:
                    objs.append({"id": att, "schema": "Document", "version": 1, "parent": oid,
                                 "refs": [], "markings": mk, "properties": {
                                     "fileName": [f"scan-{day}.pdf"], "mimeType": ["application/pdf"],
                                     "contentHash": [canonical.sha256_hex(scan)],
                                     "fileSize": [str(len(scan))]}})
                env = outbox.enqueue(s, uk.node, "CA-RCMP", "case", {"root": oid, "objects": objs})
                if len(objs) == 2:
                    scans[f"scan-{day}.pdf"] = scan
                    outbox.enqueue(s, uk.node, "CA-RCMP", "blob", {
                        "object": att, "sha256": canonical.sha256_hex(scan), "after": env.seq},
                        data=scan)
        if day in (1, 3, 4, 6):  # the link is up: a few syncs, each cut short by the flakiness
            for _ in range(3):
                sync.sync(uk.factory, uk.node, only=["CA-RCMP"], batch=4, retry_base=0,
                          transport=link)
                _prefix_applied_in_order(rcmp, start, blob_start)
    assert link.duplicated and link.delayed  # the link did duplicate and delay
    for _ in range(10):  # the link settles: what was held back is sent again and catches up
        sync.sync(uk.factory, uk.node, only=["CA-RCMP"], retry_base=0, transport=Link())
    cursor, blobs = _prefix_applied_in_order(rcmp, start, blob_start)
    assert (cursor - start, blobs - blob_start) == (21, 4)
    with unit_of_work(rcmp.factory, SYSTEM) as s:
        got = list(s.scalars(select(Case.title).where(Case.title.like("Week shuffled%"))
                             .order_by(Case.id)))
        files = {a.filename: a.data for a in s.scalars(
            select(Attachment).where(Attachment.filename.like("scan-%")))}
        audited = [e.record_id for e in s.scalars(select(AuditEntry).where(
            AuditEntry.record_kind == "fed_envelope")) if e.details.get("outcome") == "applied"]
        states = set(s.scalars(select(FedInbox.state).where(FedInbox.sender == "GB-NCA")))
    assert got == [f"Week shuffled {d}-{k}" for d in range(7) for k in range(3)]  # in order, once
    assert files == scans  # every attachment complete
    assert len(audited) == len(set(audited)) and states == {"applied"}


def _prefix_applied_in_order(n: N, start: int, blob_start: int) -> tuple[int, int]:
    """The receiver's main lane: applied = start+1..cursor, applied in that order; attachments
    applied only once their case is."""
    from ncb.store.models import Attachment, FedCursor, FedInbox

    with unit_of_work(n.factory, SYSTEM) as s:
        cur = s.get(FedCursor, "GB-NCA")
        assert cur is not None
        rows = s.execute(select(FedInbox.seq, FedInbox.lane).where(
            FedInbox.sender == "GB-NCA", FedInbox.state == "applied")
            .order_by(FedInbox.applied_at, FedInbox.id)).all()
        main = [q for q, lane in rows if lane == "main" and q > start]
        blobs = sorted(q for q, lane in rows if lane == "blob" and q > blob_start)
        filled = s.scalar(select(func.count()).select_from(Attachment).where(
            Attachment.filename.like("scan-%"), Attachment.size > 0,
            func.length(Attachment.data) > 0))
    assert main == list(range(start + 1, cur.in_seq + 1))
    assert blobs == list(range(blob_start + 1, cur.blob_in_seq + 1)) and filled == len(blobs)
    return cur.in_seq, cur.blob_in_seq
