"""A node with something on every page section: a case queued for US-FBI, a case received from
US-FBI whose status then conflicts, one recall acknowledged and one still pending."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ncb.federation import envelope, marks
from ncb.federation.keys import NodeKeys, PublicKey
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.federation import inbox, recall, share
from ncb.store.models import Case
from tests.conftest import Seeded
from tests.services.federation.conftest import Fed, make_case


def fbi_case(n: int, version: int = 1, status: str = "new") -> dict[str, Any]:
    mk = {"classification": "OFFICIAL", "handling_code": "P", "tlp": "TLP:GREEN",
          "originator": "US-FBI"}
    root = f"US-FBI/case/{n}"
    return {"root": root, "objects": [
        {"id": root, "schema": "ncb:Case", "version": version, "markings": mk, "parent": None,
         "refs": [], "properties": {"reference": [f"FBI-{n}"], "title": [f"Wire fraud {n}"],
                                    "status": [status], "summary": ["Victims in Leeds."]}}]}


def sealed_by(keys: NodeKeys, to: PublicKey, seq: int, kind: str, payload: dict[str, Any],
              at: datetime | None = None) -> bytes:
    """An envelope as the peer's outbox seals it: its own objects' markings signed by it."""
    if kind == "case":
        marks.sign_own(keys, payload["objects"])
    return envelope.seal(keys, "GB-NCA", to, seq, kind, payload, at=at)[1]


def from_fbi(fed: Fed, seq: int, kind: str, payload: dict[str, Any]) -> None:
    wire = sealed_by(fed.fbi, fed.node.keys.active.public, seq, kind, payload)
    with unit_of_work(fed.factory, SYSTEM) as s:
        assert inbox.receive(s, fed.node, wire).state == "accepted"
    inbox.apply_waiting(fed.factory, fed.node)


def busy_node(fed: Fed, seeded: Seeded) -> dict[str, str]:
    p = seeded.principals["supervisor"]
    refs = [make_case(fed, seeded, title=t) for t in
            ("Counterfeit medicines shipped via Lagos", "Crypto-laundering through Leeds cafes")]
    with unit_of_work(fed.factory, p) as s:
        for ref in refs:
            share.send_case(s, p, fed.node, ref, ["US-FBI"], "joint investigation")
    with unit_of_work(fed.factory, p) as s:
        acked = recall.recall_case(s, p, fed.node, refs[0], "erase", "source withdrew consent")
        pending = recall.recall_case(s, p, fed.node, refs[1], "withdraw", "court order")
    from_fbi(fed, 1, "case", fbi_case(1))
    with unit_of_work(fed.factory, SYSTEM) as s:  # edited here meanwhile
        s.scalars(select(Case).where(Case.title == "Wire fraud 1")).one().status = "triaged"
    from_fbi(fed, 2, "case", fbi_case(1, version=2, status="closed"))
    from_fbi(fed, 3, "recall_ack", {"recall_id": acked.recall_id, "agency": "US-FBI",
                                    "removed": [], "mode": "erase"})
    return {"acked": acked.recall_id, "pending": pending.recall_id}
