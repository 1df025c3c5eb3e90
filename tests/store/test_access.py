"""The access policy matrix, checked twice: `can_see` (words) and a filtered ORM query (SQL).

Users of several roles and agencies x classification x sharing scope. The expected answer comes
from an oracle written here, independent of both implementations.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.domain.policy import Principal, can_see
from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL, marking_of
from ncb.store.db import transaction
from ncb.store.models import Case, Note, Share
from tests.conftest import Seeded

CLASSES = {"OFFICIAL": 1, "OFFICIAL-SENSITIVE": 2, "SECRET": 3}
SCOPES = ("own", "agencies", "group", "team")
TEAM = "intel_analysis"  # the team scope limits records to the bureau's intelligence team
FIVE_EYES = {"GB-NCA", "US-FBI", "CA-RCMP"}
# Users across roles, agencies and clearances (see tests/conftest.py USERS).
VIEWERS = ["desk", "supervisor", "analyst", "tips", "partner", "rcmp", "ncbfr", "europol"]


def expected(p: Principal, classification: str, scope: str, team_id: int | None = None) -> bool:
    """`team_id`: the team a "team" record is limited to (seeded.teams[TEAM])."""
    if p.clearance_rank < CLASSES[classification]:
        return False
    if scope == "team":  # the owner's team only: not the rest of the bureau, not partners
        return p.agency_code == "GB-NCA" and p.team_id is not None and p.team_id == team_id
    if p.agency_code == "GB-NCA":  # owner and originator
        return True
    if scope == "agencies":  # shared by name with the FBI only
        return p.agency_code == "US-FBI"
    if scope == "group":  # shared with the Five Eyes group
        return p.agency_code in FIVE_EYES
    return False


def _make_cases(factory: sessionmaker[Session], seeded: Seeded) -> dict[tuple[str, str], int]:
    home, fbi = seeded.agencies["GB-NCA"], seeded.agencies["US-FBI"]
    ids: dict[tuple[str, str], int] = {}
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        for classification, scope in itertools.product(CLASSES, SCOPES):
            case = Case(
                reference=f"T-{classification}-{scope}", direction="outgoing", channel="bilateral",
                title=f"{classification} {scope}", classification=classification,
                classification_rank=CLASSES[classification], owner_agency_id=home,
                originator_agency_id=home, sharing_scope=scope,
                sharing_group_id=seeded.groups["five_eyes"] if scope == "group" else None,
                sharing_team_id=seeded.teams[TEAM] if scope == "team" else None,
            )
            s.add(case)
            s.flush()
            if scope == "agencies":
                s.add(Share(record_kind="case", record_id=case.id, agency_id=fbi))
            s.add(Note(case_id=case.id, body="note", classification=classification,
                       classification_rank=CLASSES[classification], owner_agency_id=home,
                       originator_agency_id=home, sharing_scope="own"))
            ids[(classification, scope)] = case.id
    return ids


@pytest.mark.parametrize("viewer", VIEWERS)
def test_policy_matrix_words_and_sql_agree(
    factory: sessionmaker[Session], seeded: Seeded, viewer: str
) -> None:
    ids = _make_cases(factory, seeded)
    p = seeded.principals[viewer]
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        markings = {key: marking_of(s, s.get(Case, cid)) for key, cid in ids.items()}
    with transaction(factory, **{PRINCIPAL: p}) as s:
        visible = set(s.scalars(select(Case.id)).all())
    for (classification, scope), case_id in ids.items():
        want = expected(p, classification, scope, seeded.teams[TEAM])
        decision = can_see(p, markings[(classification, scope)])
        label = f"{viewer} ({p.agency_code}, rank {p.clearance_rank}) {classification}/{scope}"
        assert bool(decision) is want, f"can_see disagrees for {label}: {decision.reasons}"
        assert (case_id in visible) is want, f"SQL filter disagrees for {label}"
        assert decision.reasons  # every decision explains itself


def test_partner_cannot_read_unshared_record(factory: sessionmaker[Session],
                                             seeded: Seeded) -> None:
    ids = _make_cases(factory, seeded)
    secret_own = ids[("OFFICIAL", "own")]
    with transaction(factory, **{PRINCIPAL: seeded.principals["partner"]}) as s:
        assert s.get(Case, secret_own) is None
        assert s.scalars(select(Case).where(Case.id == secret_own)).first() is None
        # Joins and subqueries are filtered too: the partner sees no notes of home-only cases.
        notes = s.scalars(select(Note).join(Case, Note.case_id == Case.id)).all()
        assert notes == []
        shared = s.get(Case, ids[("OFFICIAL", "agencies")])
        assert shared is not None and shared.reference == "T-OFFICIAL-agencies"
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        decision = can_see(seeded.principals["partner"], marking_of(s, s.get(Case, secret_own)))
    assert not decision and "record was not shared with your agency" in decision.reasons


def test_no_principal_sees_nothing(factory: sessionmaker[Session], seeded: Seeded) -> None:
    _make_cases(factory, seeded)
    with factory() as s:
        assert s.scalars(select(Case)).all() == []
        assert s.scalars(select(Note)).all() == []
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        assert len(s.scalars(select(Case)).all()) == len(CLASSES) * len(SCOPES)
