"""Identity API: the person/object view, merge, split and undo (audited as combination)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.services.identities import service

router = APIRouter(tags=["identities"])


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    identity_id: int = Field(description="the identity that stays")
    other_identity_id: int = Field(description="the identity merged into it")
    reason: str = Field(min_length=5, max_length=2000)


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entity_ids: list[int] = Field(min_length=1, max_length=500)
    reason: str = Field(min_length=5, max_length=2000)


class UndoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=5, max_length=2000)


class ChangeOut(BaseModel):
    id: int
    action: str
    identity_id: int
    other_identity_id: int
    entity_ids: list[int]
    reason: str
    at: datetime
    undone_at: datetime | None


class SectionCut(BaseModel):
    shown: int
    total: int


class IdentityOut(BaseModel):
    identity_id: int
    kind: str
    label: str
    merged_into: int | None
    appearances: list[dict[str, Any]]
    facts: list[dict[str, str]]
    cases: list[dict[str, Any]]
    records: list[dict[str, Any]]
    linked: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    restricted: list[str] = Field(description="'records exist; contact ...' for the rest")
    changes: list[dict[str, Any]]
    consultations: list[dict[str, Any]]
    truncated: dict[str, SectionCut] = Field(
        default_factory=dict, description="sections cut at the display limit (the pack has all)")


def _change(c: Any) -> ChangeOut:
    return ChangeOut(id=c.id, action=c.action, identity_id=c.identity_id,
                     other_identity_id=c.other_identity_id, entity_ids=list(c.entity_ids),
                     reason=c.reason, at=c.at, undone_at=c.undone_at)


@router.get("/identities/{identity_id}", response_model=IdentityOut)
def get_identity(identity_id: int, session: SessionDep, p: PrincipalDep) -> IdentityOut:
    """Every appearance you may see; the rest only as 'records exist; contact ...' (logged)."""
    v = service.person(session, p, identity_id)
    return IdentityOut(
        identity_id=v.identity_id, kind=v.kind, label=v.label, merged_into=v.merged_into,
        appearances=v.appearances, facts=[f.__dict__ for f in v.facts], cases=v.cases,
        records=v.records, linked=v.linked, timeline=[e.__dict__ for e in v.timeline],
        restricted=v.restricted, changes=v.changes, consultations=v.consultations,
        truncated={k: SectionCut(shown=a, total=n) for k, (a, n) in v.truncated().items()})


@router.get("/entities/{entity_id}/identity")
def entity_identity(entity_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, int]:
    """The identity an entity you may see belongs to."""
    return {"entity_id": entity_id, "identity_id": service.identity_for(session, p, entity_id)}


@router.post("/identities/merge", response_model=ChangeOut, status_code=201)
def merge(body: MergeIn, session: SessionDep, p: PrincipalDep) -> ChangeOut:
    """Merge two identities (reviewers); audited as combination, undoable."""
    return _change(service.merge(session, p, body.identity_id, body.other_identity_id,
                                 body.reason))


@router.post("/identities/{identity_id}/split", response_model=ChangeOut, status_code=201)
def split(identity_id: int, body: SplitIn, session: SessionDep, p: PrincipalDep) -> ChangeOut:
    """Move appearances into a new identity judged not a match with the rest; undoable."""
    return _change(service.split(session, p, identity_id, body.entity_ids, body.reason))


@router.post("/identities/changes/{change_id}/undo", response_model=ChangeOut)
def undo(change_id: int, body: UndoIn, session: SessionDep, p: PrincipalDep) -> ChangeOut:
    """Reverse a merge or split exactly; audited."""
    return _change(service.undo(session, p, change_id, body.reason))
