"""Attachments in their own lane, carried once (not base64 twice); markings signed by the node
they originate at, so a relay that alters them is refused and audited; envelope versions."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from ncb.federation import canonical, envelope, marks
from ncb.federation.keys import NodeKeys
from ncb.services import exchange
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.errors import InvalidInput
from ncb.services.federation import endpoint, inbox, share
from ncb.services.inputs import MarkingsIn
from ncb.settings import Settings
from ncb.store.models import Attachment, AuditEntry, Case, FedCursor, FedInbox, FedOutbox
from tests.conftest import Seeded
from tests.services.federation.conftest import Fed, make_case
from tests.services.federation.scenes import fbi_case, sealed_by

SCAN = bytes(range(256)) * 400  # 100 KiB: a scanned consignment note


def _take(fed: Fed, *wires: bytes) -> list[str]:
    return [r.state for r in inbox.take(fed.factory, fed.node, list(wires))[0]]


def _outbox(fed: Fed) -> list[tuple[str, str, int]]:
    with unit_of_work(fed.factory, SYSTEM) as s:
        return [(r.kind, r.lane, r.seq) for r in s.scalars(select(FedOutbox).order_by(FedOutbox.id))]


def test_attachment_gets_its_own_sequence_and_travels_once(fed: Fed, seeded: Seeded) -> None:
    p = seeded.principals["supervisor"]
    first, second = make_case(fed, seeded), make_case(fed, seeded, title="Insulin via Dover")
    with unit_of_work(fed.factory, p) as s:
        exchange.add_attachment(s, p, first, "note.png", "image/png", SCAN, MarkingsIn(share_with=["US-FBI"]),
                                settings=Settings())
    with unit_of_work(fed.factory, p) as s:
        for ref in (first, second):
            share.send_case(s, p, fed.node, ref, ["US-FBI"])
    # The second case is record 2, not held behind the first case's attachment.
    assert _outbox(fed) == [("case", "main", 1), ("blob", "blob", 1), ("case", "main", 2)]
    with unit_of_work(fed.factory, SYSTEM) as s:
        blob = s.scalars(select(FedOutbox).where(FedOutbox.kind == "blob")).one()
        uk = fed.node.keys.active.public
        parsed, payload = envelope.open_(blob.wire, fed.fbi, lambda a, k: uk)
    assert parsed.header["v"] == 2 and parsed.lane == "blob"
    assert payload["data"] == SCAN and payload["after"] == 1  # raw bytes; after case 1
    assert blob.size < 1.35 * len(SCAN)  # base64 once (it was 1.79x)


def _fbi_with_attachment(n: int) -> dict[str, Any]:
    case = fbi_case(n)
    root = case["root"]
    case["objects"].append(
        {
            "id": f"US-FBI/attachment/{n}",
            "schema": "Document",
            "version": 1,
            "parent": root,
            "refs": [],
            "markings": case["objects"][0]["markings"],
            "properties": {
                "fileName": ["ledger.pdf"],
                "mimeType": ["application/pdf"],
                "contentHash": [canonical.sha256_hex(SCAN)],
                "fileSize": [str(len(SCAN))],
            },
        }
    )
    return case


def test_attachment_arriving_before_its_case_waits_for_it(fed: Fed) -> None:
    to = fed.node.keys.active.public
    case = sealed_by(fed.fbi, to, 1, "case", _fbi_with_attachment(1))
    blob = envelope.seal(
        fed.fbi,
        "GB-NCA",
        to,
        1,
        "blob",
        {"object": "US-FBI/attachment/1", "sha256": canonical.sha256_hex(SCAN), "after": 1},
        data=SCAN,
    )[1]
    assert _take(fed, blob) == ["accepted"]
    with unit_of_work(fed.factory, SYSTEM) as s:
        assert s.scalars(select(FedInbox.state)).all() == ["waiting"]
        assert inbox.held_upto(s, "US-FBI", "blob") == 1  # delivered: not sent again
        assert inbox.held_upto(s, "US-FBI") == 0
    assert _take(fed, case) == ["accepted"]
    with unit_of_work(fed.factory, SYSTEM) as s:
        att = s.scalars(select(Attachment).where(Attachment.filename == "ledger.pdf")).one()
        cur = s.get(FedCursor, "US-FBI")
        assert att.data == SCAN and cur is not None and (cur.in_seq, cur.blob_in_seq) == (1, 1)


def _sealed_relay(fed: Fed, seq: int, payload: dict[str, Any]) -> bytes:
    return envelope.seal(fed.fbi, "GB-NCA", fed.node.keys.active.public, seq, "case", payload)[1]


def test_markings_altered_by_a_relay_are_refused_and_audited(fed: Fed) -> None:
    rcmp = NodeKeys.generate("CA-RCMP")  # not a peer here: its signature cannot be checked
    amber = fbi_case(1)
    amber["objects"][0]["markings"]["tlp"] = "TLP:AMBER"
    marks.sign_own(fed.fbi, amber["objects"])
    amber["objects"][0]["markings"]["tlp"] = "TLP:GREEN"  # rewritten after signing
    foreign = {"root": "CA-RCMP/case/7", "objects": [{**fbi_case(2)["objects"][0], "id": "CA-RCMP/case/7"}]}
    foreign["objects"][0]["markings_sig"] = marks.sign(rcmp, foreign["objects"][0])
    posing = {"root": "CA-RCMP/case/8", "objects": [{**fbi_case(3)["objects"][0], "id": "CA-RCMP/case/8"}]}
    posing["objects"][0]["markings_sig"] = marks.sign(fed.fbi, posing["objects"][0])
    unsigned = fbi_case(4)
    wires = [_sealed_relay(fed, i + 1, p) for i, p in enumerate((amber, foreign, posing, unsigned))]
    assert _take(fed, *wires) == ["accepted"] * 4  # the envelopes are genuine US-FBI ones
    with unit_of_work(fed.factory, SYSTEM) as s:
        assert s.scalars(select(Case).where(Case.title.like("Wire fraud%"))).all() == []
        audited = {
            e.details["seq"]: e.details
            for e in s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "fed_envelope"))
        }
    assert audited[1]["outcome"] == "refused"
    assert audited[1]["markings_refused"] == ["US-FBI/case/1"]
    assert "altered after US-FBI signed them" in audited[1]["markings_reasons"][0]
    assert "cannot be checked" in audited[2]["markings_reasons"][0]
    assert "signed by US-FBI, not by the originating node CA-RCMP" in audited[3]["markings_reasons"][0]
    assert "not signed" in audited[4]["markings_reasons"][0]


def test_a_relay_passes_the_originators_signed_markings_on(fed: Fed, seeded: Seeded) -> None:
    assert _take(fed, sealed_by(fed.fbi, fed.node.keys.active.public, 1, "case", fbi_case(1))) == ["accepted"]
    p = seeded.principals["supervisor"]
    with unit_of_work(fed.factory, SYSTEM) as s:
        ref = s.scalars(select(Case.reference).where(Case.title == "Wire fraud 1")).one()
    with unit_of_work(fed.factory, p) as s:
        share.send_case(s, p, fed.node, ref, ["US-FBI"])
    with unit_of_work(fed.factory, SYSTEM) as s:
        wire = s.scalars(select(FedOutbox.wire)).one()
    uk = fed.node.keys.active.public
    [obj] = envelope.open_(wire, fed.fbi, lambda a, k: uk)[1]["objects"]
    assert obj["markings_sig"]["node"] == "US-FBI"  # not re-signed by GB-NCA
    assert marks.check(obj, lambda a, k: fed.fbi.active.public, "GB-NCA", uk.key_id) is None


def test_version_1_still_read_and_an_unknown_version_is_a_422(fed: Fed) -> None:
    to = fed.node.keys.active.public
    v1 = fbi_case(1)
    marks.sign_own(fed.fbi, v1["objects"])
    old = envelope.seal(fed.fbi, "GB-NCA", to, 1, "case", v1, version=1)[1]
    assert "lane" not in canonical.loads(old)["header"]
    assert _take(fed, old) == ["accepted"]
    doc = canonical.loads(envelope.seal(fed.fbi, "GB-NCA", to, 2, "case", fbi_case(2))[1])
    doc["header"]["v"] = 3
    with pytest.raises(InvalidInput) as exc:
        endpoint.accept_push(fed.factory, fed.node, [canonical.dumps(doc).decode()])
    assert exc.value.status == 422 and exc.value.rule == "envelope_version"
    assert exc.value.field == "envelopes[0]" and "reads 1, 2" in exc.value.detail
    with unit_of_work(fed.factory, SYSTEM) as s:
        rules = [
            e.details.get("rule")
            for e in s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "fed_envelope"))
        ]
        titles = s.scalars(select(Case.title).where(Case.title.like("Wire fraud%"))).all()
    assert "unsupported_version" in rules and titles == ["Wire fraud 1"]


def test_a_post_pulls_each_lane_with_its_own_signed_cursor(fed: Fed, seeded: Seeded) -> None:
    import time

    p = seeded.principals["supervisor"]
    ref = make_case(fed, seeded)
    with unit_of_work(fed.factory, p) as s:
        exchange.add_attachment(s, p, ref, "note.png", "image/png", SCAN,
                                MarkingsIn(share_with=["US-FBI"]), settings=Settings())
    with unit_of_work(fed.factory, p) as s:
        share.send_case(s, p, fed.node, ref, ["US-FBI"])
    at = int(time.time())

    def pull(lane: str, after: int, signed_lane: str | None = None) -> list[str]:
        msg = endpoint.pull_message("US-FBI", after, at, signed_lane or lane)
        sig = canonical.b64(fed.fbi.active.sign.sign(msg))
        with unit_of_work(fed.factory, SYSTEM) as s:
            return endpoint.serve_pull(s, fed.node, "US-FBI", after, at, sig, 50, lane)

    kinds = {lane: [canonical.loads(w.encode())["header"]["kind"] for w in pull(lane, 0)]
             for lane in ("main", "blob")}
    assert kinds == {"main": ["case"], "blob": ["blob"]}
    assert pull("blob", 1) == []  # the post holds blob 1: nothing more, and it is delivered
    with unit_of_work(fed.factory, SYSTEM) as s:
        states = dict(s.execute(select(FedOutbox.lane, FedOutbox.state)).all())
    assert states == {"main": "queued", "blob": "delivered"}
    from ncb.services.errors import Forbidden

    with pytest.raises(Forbidden):  # a main-lane signature does not open the blob lane
        pull("blob", 0, signed_lane="main")
