"""What a node lives through: a peer's key rotated then the old one revoked, a sharing group's
membership changed by its owner, a week offline, a crash in the middle of applying."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from ncb.federation import envelope
from ncb.federation.keys import NodeKeys
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.errors import Forbidden
from ncb.services.federation import inbox, peers, rotation
from ncb.store.models import (
    Agency,
    Case,
    FedCursor,
    FedInbox,
    FedOutbox,
    SharingGroup,
    SharingGroupMember,
)
from tests.services.federation.conftest import Fed
from tests.services.federation.scenes import fbi_case, sealed_by


def _wire(fed: Fed, keys: NodeKeys, seq: int, kind: str, payload: dict[str, Any],
          at: datetime | None = None) -> bytes:
    return sealed_by(keys, fed.node.keys.active.public, seq, kind, payload, at=at)


def _receive(fed: Fed, wire: bytes) -> inbox.Receipt:
    with unit_of_work(fed.factory, SYSTEM) as s:
        return inbox.receive(s, fed.node, wire)


def _titles(fed: Fed) -> list[str]:
    with unit_of_work(fed.factory, SYSTEM) as s:
        return list(s.scalars(select(Case.title).where(Case.title.like("Wire fraud%"))
                              .order_by(Case.id)))


def test_rotation_then_revocation_of_the_old_key(fed: Fed) -> None:
    old, new = fed.fbi, fed.fbi.rotated()
    announce = _wire(fed, old, 1, "key_rotation", {"key": new.active.public.to_json()})
    assert _receive(fed, announce).state == "accepted"
    assert inbox.apply_waiting(fed.factory, fed.node) == 1
    late_old = _wire(fed, old, 3, "case", fbi_case(2))  # arrives before the revocation
    assert _receive(fed, late_old).state == "accepted"
    with unit_of_work(fed.factory, SYSTEM) as s:
        peers.revoke(s, fed.node.principal(), "US-FBI", old.active.public.key_id,
                     "old laptop lost at the airport")
    assert _receive(fed, _wire(fed, new, 2, "case", fbi_case(1))).state == "accepted"
    assert inbox.apply_waiting(fed.factory, fed.node) == 2
    refused = _receive(fed, _wire(fed, old, 4, "case", fbi_case(3)))
    assert (refused.state, refused.rule) == ("refused", "revoked_key")
    assert _receive(fed, _wire(fed, new, 4, "case", fbi_case(4))).state == "accepted"
    inbox.apply_waiting(fed.factory, fed.node)
    assert _titles(fed) == ["Wire fraud 1", "Wire fraud 4"]  # old key's case 2 refused on apply
    with unit_of_work(fed.factory, SYSTEM) as s:
        row = s.scalars(select(FedInbox).where(FedInbox.seq == 3)).one()
        assert row.state == "refused" and "revoked_key" in row.outcome["refused"]


def _members(fed: Fed, code: str) -> list[str]:
    with unit_of_work(fed.factory, SYSTEM) as s:
        return sorted(s.scalars(
            select(Agency.code).join(SharingGroupMember, SharingGroupMember.agency_id == Agency.id)
            .join(SharingGroup, SharingGroup.id == SharingGroupMember.group_id)
            .where(SharingGroup.code == code)))


def test_group_membership_change_propagates_from_its_owner(fed: Fed) -> None:
    group = {"code": "fbi_fraud_taskforce", "name": "FBI fraud task force", "owner": "US-FBI"}
    v1 = {**group, "version": 1, "members": ["CA-RCMP", "GB-NCA", "US-FBI"]}
    v2 = {**group, "version": 2, "members": ["GB-NCA", "US-FBI"]}
    _receive(fed, _wire(fed, fed.fbi, 1, "group", v1))
    inbox.apply_waiting(fed.factory, fed.node)
    assert _members(fed, "fbi_fraud_taskforce") == ["CA-RCMP", "GB-NCA", "US-FBI"]
    _receive(fed, _wire(fed, fed.fbi, 2, "group", v2))
    _receive(fed, _wire(fed, fed.fbi, 3, "group", v1))  # an old version sent again changes nothing
    inbox.apply_waiting(fed.factory, fed.node)
    assert _members(fed, "fbi_fraud_taskforce") == ["GB-NCA", "US-FBI"]
    # Our own group: a change goes to the members, signed; only its owner may change it.
    with unit_of_work(fed.factory, SYSTEM) as s:
        rotation.publish_group(s, fed.node, "uk_us", "UK-US bilateral", ["GB-NCA", "US-FBI"])
        row = rotation.publish_group(s, fed.node, "uk_us", "UK-US bilateral", ["GB-NCA"])
        assert row.version == 2
        wires = [r.wire for r in s.scalars(select(FedOutbox).where(FedOutbox.kind == "group")
                                           .order_by(FedOutbox.seq))]
    uk = fed.node.keys.active.public
    sent = [envelope.open_(w, fed.fbi, lambda a, k: uk)[1] for w in wires]
    assert [(p["version"], p["members"]) for p in sent] == [(1, ["GB-NCA", "US-FBI"]),
                                                            (2, ["GB-NCA"])]  # the removed too
    with unit_of_work(fed.factory, SYSTEM) as s, pytest.raises(Forbidden, match="owned by"):
        rotation.publish_group(s, fed.node, "fbi_fraud_taskforce", "x", ["GB-NCA"])


def test_a_week_offline_catches_up_in_order(fed: Fed) -> None:
    start = datetime.now(UTC) - timedelta(days=7)
    wires = [_wire(fed, fed.fbi, i + 1, "case", fbi_case(i + 1), at=start + timedelta(hours=8 * i))
             for i in range(21)]  # three a day for a week, queued while the post was offline
    shuffled = wires[:]
    random.Random(7).shuffle(shuffled)  # the link comes back: batches arrive in any order
    for batch in (shuffled[:7], shuffled[7:14], shuffled[14:]):
        for w in batch:
            assert _receive(fed, w).state == "accepted"
        inbox.apply_waiting(fed.factory, fed.node)
        with unit_of_work(fed.factory, SYSTEM) as s:
            applied = sorted(s.scalars(select(FedInbox.seq).where(FedInbox.state == "applied")))
            cursor = s.get(FedCursor, "US-FBI")
            assert cursor is not None and applied == list(range(1, cursor.in_seq + 1))
    assert _titles(fed) == [f"Wire fraud {i}" for i in range(1, 22)]  # applied in sequence


def test_crash_mid_apply_applies_nothing_twice_and_loses_nothing(
        fed: Fed, monkeypatch: pytest.MonkeyPatch) -> None:
    real = inbox.HANDLERS["case"]

    def crash_on_second(session: Any, node: Any, header: dict[str, Any],
                        payload: dict[str, Any]) -> dict[str, Any]:
        out = real(session, node, header, payload)  # the case is written, then the node dies
        if header["seq"] == 2:
            raise SystemExit("power cut")
        return out

    for i in (1, 2, 3):
        _receive(fed, _wire(fed, fed.fbi, i, "case", fbi_case(i)))
    monkeypatch.setitem(inbox.HANDLERS, "case", crash_on_second)
    with pytest.raises(SystemExit):
        inbox.apply_waiting(fed.factory, fed.node)
    assert _titles(fed) == ["Wire fraud 1"]  # envelope 2 rolled back with its cursor
    monkeypatch.setitem(inbox.HANDLERS, "case", real)
    assert inbox.apply_waiting(fed.factory, fed.node) == 2
    assert _receive(fed, _wire(fed, fed.fbi, 2, "case", fbi_case(2))).state == "refused"
    with unit_of_work(fed.factory, SYSTEM) as s:
        assert s.scalar(select(func.count()).select_from(Case)
                        .where(Case.title.like("Wire fraud%"))) == 3
    assert _titles(fed) == ["Wire fraud 1", "Wire fraud 2", "Wire fraud 3"]
