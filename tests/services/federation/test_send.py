"""Sending a case: each recipient gets exactly what markings allow; disclosure audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ncb.federation import envelope
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.errors import Forbidden
from ncb.services.federation import share
from ncb.store.models import AuditEntry, FedOutbox
from tests.conftest import Seeded
from tests.services.federation.conftest import Fed, make_case


def _opened(fed: Fed) -> list[dict]:  # type: ignore[type-arg]
    from ncb.federation.keys import PublicKey

    uk = fed.node.keys.active.public
    with unit_of_work(fed.factory, SYSTEM) as s:
        wires = [r.wire for r in s.scalars(select(FedOutbox).order_by(FedOutbox.seq))]

    def lookup(agency: str, key_id: str) -> PublicKey:
        assert (agency, key_id) == ("GB-NCA", uk.key_id)
        return uk
    return [envelope.open_(w, fed.fbi, lookup)[1] for w in wires]


def test_case_arrives_without_secret_or_unshared_children(fed: Fed, seeded: Seeded) -> None:
    ref = make_case(fed, seeded)
    p = seeded.principals["supervisor"]
    with unit_of_work(fed.factory, p) as s:
        [sent] = share.send_case(s, p, fed.node, ref, ["US-FBI"], "joint investigation")
    [payload] = _opened(fed)
    objs = {o["schema"]: o for o in payload["objects"]}
    texts = [o["properties"].get("description", [""])[0] for o in payload["objects"]]
    assert "Shared lead: warehouse in Newark." in texts
    assert "SECRET source reporting" not in texts and "Internal: not for partners" not in texts
    assert objs["ncb:Case"]["properties"]["reference"] == [ref]
    assert objs["Person"]["properties"]["lastName"] == ["Okafor"]
    assert all(o["markings"]["originator"] == "GB-NCA" for o in payload["objects"])
    assert len(sent.withheld) == 2
    with unit_of_work(fed.factory, SYSTEM) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "disclosure",
                                                   AuditEntry.record_id == ref)).one()
    assert entry.recipients == ["US-FBI"]
    assert entry.details["envelope_id"] == sent.envelope_ids[0]


def test_h2_item_from_europol_is_not_passed_on(fed: Fed, seeded: Seeded) -> None:
    ref = make_case(fed, seeded, originator="EUROPOL", handling_code="H2", tlp=None)
    p = seeded.principals["supervisor"]
    with unit_of_work(fed.factory, p) as s, pytest.raises(Forbidden) as exc:
        share.send_case(s, p, fed.node, ref, ["US-FBI"])
    assert "H2" in str(exc.value.extra["decisions"]["US-FBI"])
    with unit_of_work(fed.factory, SYSTEM) as s:
        assert s.scalars(select(FedOutbox)).all() == []


def test_user_cannot_send_a_case_they_cannot_see(fed: Fed, seeded: Seeded) -> None:
    from ncb.services.errors import NotFound

    ref = make_case(fed, seeded, classification="SECRET")
    p = seeded.principals["desk"]  # OFFICIAL-SENSITIVE
    with unit_of_work(fed.factory, p) as s, pytest.raises((NotFound, Forbidden)):
        share.send_case(s, p, fed.node, ref, ["US-FBI"])
