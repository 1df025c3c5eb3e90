"""A record added under a case without markings of its own is shared as the case is (issue 11).

The bureau shares a case with US-FBI by name. A note, a message and a person added to it
without markings take the case's markings and its share rows, so partner.fbi, who sees the
case, sees them too; one given markings of its own (no partner named) stays hidden from the
FBI; and nothing added to a case not shared with the FBI reaches it. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.services import casework, exchange, intake, reading
from ncb.services.casework_inputs import NoteIn
from ncb.services.context import unit_of_work
from ncb.services.exchange_inputs import MessageIn
from ncb.services.inputs import CaseIn, EntityIn, MarkingsIn
from ncb.store.models import Entity, Message, Note, Share
from tests.conftest import Seeded


def _case(factory: sessionmaker[Session], seeded: Seeded, share_with: list[str]) -> str:
    desk = seeded.principals["desk"]
    with unit_of_work(factory, desk) as s:
        case = intake.intake_case(
            s,
            desk,
            CaseIn(
                channel="bilateral",
                title="Counterfeit medicines",
                country="US",
                markings=MarkingsIn(share_with=share_with),
                entities=[
                    EntityIn(first_name="Adaeze", last_name="Okafor"),
                    EntityIn(first_name="Kept", last_name="Home", markings=MarkingsIn()),
                ],
            ),
        )
        ref = case.reference
        casework.add_note(s, desk, ref, NoteIn(body="Warehouse in Newark"))
        casework.add_note(s, desk, ref, NoteIn(body="Our own lead", markings=MarkingsIn()))
        exchange.add_message(
            s,
            desk,
            ref,
            MessageIn(
                direction="out",
                sender="NCB London",
                recipients=["FBI Legat"],
                subject="Parcel manifests",
                body="Attached the manifests.",
            ),
        )
    return ref


def _seen_by(factory: sessionmaker[Session], p: Any, ref: str) -> dict[str, list[str]]:
    with unit_of_work(factory, p) as s:
        return {
            "notes": [n.body for n in reading.case_children(s, p, ref, Note)],
            "messages": [m.subject for m in reading.case_children(s, p, ref, Message)],
            "people": sorted(
                e.display_name for e in s.scalars(select(Entity).where(Entity.source_ref == ref))
            ),
        }


def test_the_partner_sees_what_was_added_under_a_case_shared_with_it(
    factory: sessionmaker[Session], seeded: Seeded
) -> None:
    ref = _case(factory, seeded, ["US-FBI"])
    fbi = _seen_by(factory, seeded.principals["partner"], ref)
    assert fbi == {
        "notes": ["Warehouse in Newark"],
        "messages": ["Parcel manifests"],
        "people": ["Adaeze Okafor"],
    }
    home = _seen_by(factory, seeded.principals["desk"], ref)
    assert home["notes"] == ["Warehouse in Newark", "Our own lead"]
    assert home["people"] == ["Adaeze Okafor", "Kept Home"]


def test_nothing_is_shared_under_a_case_not_shared(factory: sessionmaker[Session], seeded: Seeded) -> None:
    ref = _case(factory, seeded, [])
    with unit_of_work(factory, seeded.principals["supervisor"]) as s:
        assert s.scalars(select(Share)).all() == []
    rcmp = _case(factory, seeded, ["CA-RCMP"])
    fbi = seeded.principals["partner"]
    for r in (ref, rcmp):
        with unit_of_work(factory, fbi) as s:
            assert s.scalars(select(Note).where(Note.body == "Warehouse in Newark")).all() == []
            assert s.scalars(select(Entity).where(Entity.source_ref == r)).all() == []
