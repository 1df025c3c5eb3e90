"""The policy matrix extended to the rows without markings (issue 11): every content table.

Case events, tasks, deadlines, hits, case-entity links, tip messages, warrant events and
search keys are seen exactly when the marked records they belong to are, for every viewer
(roles, agencies, clearances, a desk officer cleared only OFFICIAL), with and without
`skip_access` (which lifts the filter of marked rows only). The oracle is the one of
tests/store/test_access.py.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.context import SYSTEM, principal_for
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import (
    Case,
    CaseEntity,
    CaseEvent,
    Deadline,
    Entity,
    Hit,
    Note,
    SearchKey,
    Share,
    Task,
    Tip,
    TipMessage,
    Warrant,
    WarrantEvent,
)
from tests.conftest import Seeded
from tests.store.test_access import CLASSES, SCOPES, TEAM, VIEWERS, expected

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
CHILDREN = (Task, Deadline, CaseEvent, CaseEntity, Hit, SearchKey, TipMessage, WarrantEvent)


def _mark(seeded: Seeded, classification: str, scope: str) -> dict[str, Any]:
    home = seeded.agencies["GB-NCA"]
    return {"classification": classification, "classification_rank": CLASSES[classification],
            "owner_agency_id": home, "originator_agency_id": home, "sharing_scope": scope,
            "sharing_group_id": seeded.groups["five_eyes"] if scope == "group" else None,
            "sharing_team_id": seeded.teams[TEAM] if scope == "team" else None}


def _share(s: Session, seeded: Seeded, kind: str, rid: int, scope: str) -> None:
    if scope == "agencies":
        s.add(Share(record_kind=kind, record_id=rid, agency_id=seeded.agencies["US-FBI"]))


def make_children(factory: sessionmaker[Session], seeded: Seeded) -> dict[Any, dict[int, tuple]]:
    """One row of every child table under a parent of each marking: {class: {id: marking}}."""
    rows: dict[Any, dict[int, tuple]] = {cls: {} for cls in CHILDREN}
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        for n, (cl, scope) in enumerate(itertools.product(CLASSES, SCOPES)):
            mark = _mark(seeded, cl, scope)
            case = Case(reference=f"C-{n}", direction="incoming", channel="bilateral",
                        title=f"{cl} {scope}", **mark)
            s.add(case)
            s.flush()
            _share(s, seeded, "case", case.id, scope)
            ents = [Entity(kind="person", display_name=f"P{n}-{i}", **mark) for i in range(2)]
            tip = Tip(reference=f"TIP-{n}", pin_hash="x", body="b", received_hour=NOW, **mark)
            warrant = Warrant(case_id=case.id, direction="incoming", reference=f"W-{n}",
                              issuing_country="FR", executing_country="GB", status="received",
                              **mark)
            s.add_all([*ents, tip, warrant])
            s.flush()
            for e in ents:
                _share(s, seeded, "entity", e.id, scope)
            _share(s, seeded, "tip", tip.id, scope)
            _share(s, seeded, "warrant", warrant.id, scope)
            made = [
                Task(case_id=case.id, title="Check PNC"),
                Deadline(case_id=case.id, rule_id="r", label="l", basis="b", starts_at=NOW,
                         due_at=NOW),
                CaseEvent(case_id=case.id, kind="status", at=NOW, data={"new": "open"}),
                CaseEntity(case_id=case.id, entity_id=ents[0].id),
                Hit(case_id=case.id, query_entity_id=ents[0].id, target_entity_id=ents[1].id,
                    score=0.9, match=True),
                SearchKey(record_kind="case", record_id=case.id, key=f"k{n}"),
                SearchKey(record_kind="entity", record_id=ents[0].id, key=f"e{n}"),
                TipMessage(tip_id=tip.id, kind="answer", body="he drives a red van", at=NOW),
                WarrantEvent(warrant_id=warrant.id, kind="arrest", at=NOW),
            ]
            s.add_all(made)
            s.flush()
            for row in made:
                rows[type(row)][row.id] = (cl, scope)
    return rows


@pytest.fixture
def official_desk(factory: sessionmaker[Session], seeded: Seeded, settings: Any) -> Any:
    """A desk officer cleared only OFFICIAL (the attack's low-clearance user)."""
    from ncb.services import users

    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        user = users.add_user(s, "desk_official", seeded.password, "Desk Official", "GB-NCA",
                              ["desk_officer"], "OFFICIAL", team_code="general_desk",
                              settings=settings)
        return principal_for(s, user)


@pytest.mark.parametrize("skip", [False, True], ids=["filtered", "skip_access"])
def test_child_rows_follow_their_marked_records(factory, seeded, official_desk, skip):
    rows = make_children(factory, seeded)
    viewers = [seeded.principals[v] for v in VIEWERS] + [official_desk]
    for p in viewers:
        with transaction(factory, **{PRINCIPAL: p}) as s:
            for cls, made in rows.items():
                got = set(s.scalars(select(cls.id).execution_options(skip_access=skip)))
                want = {rid for rid, (cl, scope) in made.items()
                        if expected(p, cl, scope, seeded.teams[TEAM])}
                assert got == want, f"{cls.__name__} as {p.username} (skip_access={skip})"


def test_joins_and_no_caller_are_filtered_too(factory, seeded):
    rows = make_children(factory, seeded)
    fbi = seeded.principals["partner"]
    with transaction(factory, **{PRINCIPAL: fbi}) as s:
        # The child joined to its parent, and the child inside a subquery.
        joined = set(s.scalars(select(Task.id).join(Case, Case.id == Task.case_id)))
        inner = set(s.scalars(select(Case.id).where(Case.id.in_(select(Task.case_id)))))
        visible_cases = set(s.scalars(select(Case.id)))
    want = {rid for rid, (cl, scope) in rows[Task].items()
            if expected(fbi, cl, scope, seeded.teams[TEAM])}
    assert joined == want and inner == visible_cases
    with factory() as s:  # no caller: nothing, as for marked rows
        for cls in (Task, CaseEvent, Hit, CaseEntity, SearchKey, WarrantEvent, Deadline):
            assert s.scalars(select(cls.id)).all() == [], cls.__name__


def test_event_about_a_hidden_record_is_hidden_with_it(factory, seeded):
    """A visible case's event naming a note, attachment or alert the caller may not see."""
    fbi = seeded.principals["partner"]
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        case = Case(reference="C-EV", direction="incoming", channel="bilateral", title="t",
                    **_mark(seeded, "OFFICIAL", "agencies"))
        s.add(case)
        s.flush()
        _share(s, seeded, "case", case.id, "agencies")
        secret = Note(case_id=case.id, body="source", **_mark(seeded, "SECRET", "own"))
        shared = Note(case_id=case.id, body="for you", **_mark(seeded, "OFFICIAL", "group"))
        s.add_all([secret, shared])
        s.flush()
        events = {name: CaseEvent(case_id=case.id, kind=kind, at=NOW, data=data) for name, kind,
                  data in [("secret", "note", {"note_id": secret.id}),
                           ("shared", "note", {"note_id": shared.id}),
                           ("erased", "alert_erased", {"alert": "SIS-GONE"}),
                           ("plain", "status", {"new": "open"})]}
        s.add_all(events.values())
        s.flush()
        ids = {name: ev.id for name, ev in events.items()}
    with transaction(factory, **{PRINCIPAL: fbi}) as s:
        seen = set(s.scalars(select(CaseEvent.id).where(CaseEvent.case_id == case.id)))
    assert seen == {ids["shared"], ids["erased"], ids["plain"]}


def test_the_full_bypass_is_named_in_the_store_only():
    """ALL_ROWS lifts the child filter: only named store functions (ncb/store) may pass it."""
    root = Path(__file__).resolve().parents[2] / "ncb"
    users = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                   if "ALL_ROWS" in p.read_text() or "all_rows" in p.read_text())
    assert {"store/children.py", "store/access.py", "store/hidden.py"} <= set(users)
    assert [u for u in users if not u.startswith("store/")] == []
