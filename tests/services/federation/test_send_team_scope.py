"""Sending a case to a peer node respects team scope exactly as local reads do (issue 11).

On a case shared with US-FBI, the intelligence analyst's note limited to the intel_analysis
team is not in what US-FBI receives, whoever sends the case: the duty supervisor (outside the
team) does not see it at all, and the analyst's own send withholds it with the reason, because
partner.fbi could not read it here either. A team note the analyst also shares with US-FBI by
name, which partner.fbi reads here, travels; a plain note without markings travels with the
case's sharing. A case limited to the team cannot be sent by someone outside it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ncb.services import casework, reading
from ncb.services.casework_inputs import NoteIn
from ncb.services.context import SYSTEM, unit_of_work
from ncb.services.errors import NotFound
from ncb.services.federation import share
from ncb.services.inputs import MarkingsIn
from ncb.store.models import Note
from tests.conftest import Seeded
from tests.services.federation.conftest import Fed, make_case
from tests.services.federation.test_send import _opened

TEAM = {"sharing_scope": "team", "sharing_team": "intel_analysis"}


def _notes(fed: Fed, seeded: Seeded, ref: str) -> None:
    analyst, sup = seeded.principals["analyst"], seeded.principals["supervisor"]
    with unit_of_work(fed.factory, analyst) as s:
        casework.add_note(
            s, analyst, ref, NoteIn(body="Team only: Rotterdam cell", markings=MarkingsIn(**TEAM))
        )
        casework.add_note(
            s,
            analyst,
            ref,
            NoteIn(body="Team, and the FBI by name", markings=MarkingsIn(**TEAM, share_with=["US-FBI"])),
        )
    with unit_of_work(fed.factory, sup) as s:
        casework.add_note(s, sup, ref, NoteIn(body="Plain note under the shared case"))


def _sent_texts(fed: Fed) -> set[str]:
    return {
        o["properties"].get("description", [""])[0] for payload in _opened(fed) for o in payload["objects"]
    }


def _fbi_reads_here(fed: Fed, seeded: Seeded, ref: str) -> set[str]:
    fbi = seeded.principals["partner"]
    with unit_of_work(fed.factory, fbi) as s:
        return {n.body for n in reading.case_children(s, fbi, ref, Note)}


@pytest.mark.parametrize("sender", ["supervisor", "analyst"])
def test_a_team_note_stays_home_as_it_does_locally(fed: Fed, seeded: Seeded, sender: str) -> None:
    ref = make_case(fed, seeded, share_with=["US-FBI"])
    _notes(fed, seeded, ref)
    p = seeded.principals[sender]
    with unit_of_work(fed.factory, p) as s:
        [sent] = share.send_case(s, p, fed.node, ref, ["US-FBI"], "joint investigation")
    texts = _sent_texts(fed)
    here = _fbi_reads_here(fed, seeded, ref)
    assert "Team only: Rotterdam cell" not in texts and "Team only: Rotterdam cell" not in here
    assert {"Team, and the FBI by name", "Plain note under the shared case"} <= here
    assert "Plain note under the shared case" in texts
    assert ("Team, and the FBI by name" in texts) == (sender == "analyst")  # seen by the sender
    with unit_of_work(fed.factory, SYSTEM) as s:
        ids = {n.body: n.id for n in s.scalars(select(Note))}
    if sender == "analyst":  # withheld, with the reason
        withheld = {w["id"]: w["reasons"] for w in sent.withheld}
        reasons = withheld[f"GB-NCA/note/{ids['Team only: Rotterdam cell']}"]
        assert "not shared with the recipient" in reasons


def test_a_team_case_cannot_be_sent_from_outside_the_team(fed: Fed, seeded: Seeded) -> None:
    ref = make_case(fed, seeded, **TEAM)  # the supervisor marks it for the intel team
    sup = seeded.principals["supervisor"]
    with unit_of_work(fed.factory, sup) as s, pytest.raises(NotFound):
        share.send_case(s, sup, fed.node, ref, ["US-FBI"], "joint investigation")
    assert _opened(fed) == []
