"""A federation node on the seeded bureau's database (GB-NCA), and a peer node's keys in memory.

The peer (US-FBI) is real crypto without a database: tests seal envelopes as it would and open
what GB-NCA queued for it, so the GB-NCA side runs on the migrated schema of both databases.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from ncb.federation.keys import NodeKeys
from ncb.services.casework_inputs import NoteIn
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.federation import node as node_svc
from ncb.services.federation import peers
from ncb.services.federation.node import Node
from ncb.services.inputs import CaseIn, MarkingsIn
from ncb.store.models import Agency
from tests.conftest import Seeded

PASS = "liaison-post passphrase"


@dataclass
class Fed:
    factory: sessionmaker[Session]
    node: Node
    fbi: NodeKeys
    key_file: Path


@pytest.fixture
def fed(factory: sessionmaker[Session], seeded: Seeded, tmp_path: Path) -> Fed:
    key_file = tmp_path / "uk.key"
    fbi = NodeKeys.generate("US-FBI")
    with unit_of_work(factory, SYSTEM) as s:
        node_svc.init_node(s, "GB-NCA", "NCA", "GB", 4, key_file, PASS, 10)
    with unit_of_work(factory, SYSTEM) as s:
        # This bilateral link is accredited to OFFICIAL-SENSITIVE: SECRET stays at home.
        s.execute(update(Agency).where(Agency.code == "US-FBI").values(max_classification_rank=2))
        node = node_svc.load(s, key_file, PASS)
        peers.add_peer(s, node.principal(), fbi.identity(), fbi.active.public.key_id,
                       "http://127.0.0.1:9/")
    return Fed(factory, node, fbi, key_file)


def make_case(fed: Fed, seeded: Seeded, title: str = "Counterfeit medicines shipped via Lagos",
              **markings: object) -> str:
    from ncb.services import casework, intake

    p = seeded.principals["supervisor"]
    with unit_of_work(fed.factory, p) as s:
        case = intake.intake_case(s, p, CaseIn(
            channel="bilateral", title=title, summary="Parcels traced to a warehouse.",
            country="US", markings=MarkingsIn(**markings),  # type: ignore[arg-type]
            entities=[{"kind": "person", "first_name": "Adaeze", "last_name": "Okafor",
                       "date_of_birth": "1984-03-02", "markings": {"share_with": ["US-FBI"]}}]))
        ref = case.reference
        casework.add_note(s, p, ref, NoteIn(body="Shared lead: warehouse in Newark.",
                                            markings=MarkingsIn(share_with=["US-FBI"])))
        casework.add_note(s, p, ref, NoteIn(body="SECRET source reporting",
                                            markings=MarkingsIn(classification="SECRET",
                                                                share_with=["US-FBI"])))
        casework.add_note(s, p, ref, NoteIn(body="Internal: not for partners"))
    return ref
