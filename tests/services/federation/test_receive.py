"""Receiving: markings enforced on arrival, applied once in order, tampering and revoked keys
refused and audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.federation import inbox, peers
from ncb.store.models import AuditEntry, Case, FedInbox, Note
from tests.services.federation.conftest import Fed
from tests.services.federation.scenes import sealed_by


def _case(n: int, note: str = "Subject used a Canadian passport.", **mk: Any) -> dict[str, Any]:
    markings = {"classification": "OFFICIAL", "handling_code": "P", "tlp": "TLP:GREEN",
                "originator": "US-FBI", **mk}
    root = f"US-FBI/case/{n}"
    return {"root": root, "objects": [
        {"id": root, "schema": "ncb:Case", "version": 1, "markings": markings, "parent": None,
         "refs": [], "properties": {"reference": [f"FBI-{n}"], "title": [f"Wire fraud {n}"],
                                    "status": ["new"], "summary": ["Victims in Leeds."]}},
        {"id": f"US-FBI/note/{n}", "schema": "Note", "version": 1, "markings": markings,
         "parent": root, "refs": [], "properties": {"description": [note]}},
    ]}


def _seal(fed: Fed, seq: int, payload: dict[str, Any]) -> bytes:
    return sealed_by(fed.fbi, fed.node.keys.active.public, seq, "case", payload)


def _receive(fed: Fed, wire: bytes) -> inbox.Receipt:
    with unit_of_work(fed.factory, SYSTEM) as s:
        return inbox.receive(s, fed.node, wire)


def _cases(fed: Fed) -> list[str]:
    with unit_of_work(fed.factory, SYSTEM) as s:
        return sorted(c.title for c in s.scalars(select(Case).where(Case.title.like("Wire%"))))


def test_applied_once_and_in_order(fed: Fed) -> None:
    w1, w2, w3 = (_seal(fed, i, _case(i)) for i in (1, 2, 3))
    assert _receive(fed, w3).state == "accepted"
    assert inbox.apply_waiting(fed.factory, fed.node) == 0  # 1 and 2 still missing
    assert _receive(fed, w1).state == "accepted" and _receive(fed, w2).state == "accepted"
    assert inbox.apply_waiting(fed.factory, fed.node) == 3
    assert _receive(fed, w2).state == "duplicate"  # replay
    assert inbox.apply_waiting(fed.factory, fed.node) == 0
    assert _cases(fed) == ["Wire fraud 1", "Wire fraud 2", "Wire fraud 3"]
    with unit_of_work(fed.factory, SYSTEM) as s:
        case = s.scalars(select(Case).where(Case.title == "Wire fraud 1")).one()
        assert case.originator_agency_id != case.owner_agency_id  # originator kept
        assert case.tlp == "TLP:GREEN" and case.reference == "FBI-1@US-FBI"
        assert s.scalars(select(Note.body).where(Note.case_id == case.id)).all() == \
            ["Subject used a Canadian passport."]


def test_one_flipped_byte_is_refused_and_audited(fed: Fed) -> None:
    wire = bytearray(_seal(fed, 1, _case(1)))
    wire[len(wire) // 2] ^= 0x04
    got = _receive(fed, bytes(wire))
    assert got.state == "refused" and got.rule in ("bad_signature", "malformed")
    with unit_of_work(fed.factory, SYSTEM) as s:
        refusals = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "fed_envelope"))
        assert [e.details["outcome"] for e in refusals] == ["refused"]
        assert s.scalars(select(FedInbox)).all() == []
    assert _cases(fed) == []


def test_revoked_key_is_refused(fed: Fed) -> None:
    with unit_of_work(fed.factory, SYSTEM) as s:
        peers.revoke(s, fed.node.principal(), "US-FBI", None, "laptop stolen")
    got = _receive(fed, _seal(fed, 1, _case(1)))
    assert (got.state, got.rule) == ("refused", "revoked_key")
    assert _cases(fed) == []


def test_receiver_enforces_markings_again(fed: Fed) -> None:
    # GB-NCA is accredited to TOP SECRET here, but a TLP:RED item relayed by a node that is
    # not its originator must not be accepted; nor a note under a refused case.
    wire = _seal(fed, 1, _case(1, originator="EUROPOL", tlp="TLP:RED"))
    assert _receive(fed, wire).state == "accepted"
    inbox.apply_waiting(fed.factory, fed.node)
    assert _cases(fed) == []
    with unit_of_work(fed.factory, SYSTEM) as s:
        row = s.scalars(select(FedInbox)).one()
        assert row.state == "refused"
        assert {r["id"] for r in row.outcome["refused"]} == {"US-FBI/case/1", "US-FBI/note/1"}


def test_newer_version_merges_and_conflicting_status_is_queued(fed: Fed) -> None:
    from ncb.store.models import FedConflict

    _receive(fed, _seal(fed, 1, _case(1)))
    inbox.apply_waiting(fed.factory, fed.node)
    with unit_of_work(fed.factory, SYSTEM) as s:
        case = s.scalars(select(Case).where(Case.title == "Wire fraud 1")).one()
        case.status, case.summary = "triaged", "Victims in Leeds. Bank contacted."
    v2 = _case(1)
    v2["objects"][0].update(version=2, properties={**v2["objects"][0]["properties"],
                            "status": ["closed"], "summary": ["Victims in Leeds and York."]})
    _receive(fed, _seal(fed, 2, v2))
    inbox.apply_waiting(fed.factory, fed.node)
    with unit_of_work(fed.factory, SYSTEM) as s:
        case = s.scalars(select(Case).where(Case.title == "Wire fraud 1")).one()
        [c] = s.scalars(select(FedConflict)).all()
        assert (c.field, c.local_value, c.remote_value) == ("status", "triaged", "closed")
        assert case.status == "triaged"
        assert "Bank contacted." in case.summary and "[US-FBI] Victims in Leeds and York." \
            in case.summary


def test_one_push_holding_replays_and_a_reused_sequence(fed: Fed) -> None:
    """A batch is stored in one transaction, yet judged envelope by envelope, in order."""
    w1, w2 = _seal(fed, 1, _case(1)), _seal(fed, 2, _case(2))
    other2 = _seal(fed, 2, _case(3))  # another envelope claiming sequence 2
    got, applied = inbox.take(fed.factory, fed.node, [w2, w1, w1, other2, b"not an envelope"])
    assert [r.state for r in got] == ["accepted", "accepted", "duplicate", "refused", "refused"]
    assert got[3].rule == "sequence_reused" and applied == 2
    assert _cases(fed) == ["Wire fraud 1", "Wire fraud 2"]
    again, applied = inbox.take(fed.factory, fed.node, [w1, w2])
    assert [r.state for r in again] == ["duplicate", "duplicate"] and applied == 0
    with unit_of_work(fed.factory, SYSTEM) as s:
        seqs = [e.details["seq"] for e in s.scalars(
            select(AuditEntry).where(AuditEntry.record_kind == "fed_envelope")
            .order_by(AuditEntry.seq)) if e.details.get("outcome") == "applied"]
    assert seqs == [1, 2]  # each receipt audited once, in sequence
