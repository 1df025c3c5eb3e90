"""Screening API: ad-hoc screening of one or many entities, and hits on a case with review."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.services import reading, screening
from ncb.services.errors import NotFound
from ncb.services.inputs import EntityIn

router = APIRouter(tags=["screening"])


class ScreenIn(BaseModel):
    entities: list[EntityIn] = Field(min_length=1, max_length=500)
    top: int = Field(default=10, ge=1, le=50)


class HitOut(BaseModel):
    hit_id: int | None = None
    query_id: str
    rank: int
    candidate_id: int | None = Field(description="null when the record is not visible to you")
    score: float
    match: bool
    decision: str | None
    visible: bool
    candidate: str = Field(description="summary, or 'a record exists; contact ...'")
    explanation: str
    features: list[dict[str, Any]]
    identity_id: int | None = Field(default=None, description="the candidate's identity, if visible")
    role: str = Field(default="case", description="wanted, alert, notice, intelligence, case "
                                                  "(context) or restricted")
    context: bool = False
    appearances: list[str] = Field(default_factory=list,
                                   description="other visible appearances of the same identity")


class ReviewIn(BaseModel):
    decision: Literal["match", "no_match", "unsure"]


def _out(query_id: str, rank: int, v: screening.HitView) -> HitOut:
    return HitOut(hit_id=v.id, query_id=query_id, rank=rank, candidate_id=v.target_id,
                  score=v.score if v.visible else 0.0, match=v.match, decision=v.decision,
                  visible=v.visible, candidate=v.target_summary, explanation=v.explanation,
                  features=v.features, identity_id=v.identity_id, role=v.role,
                  context=v.context, appearances=list(v.appearances))


@router.post("/screen", response_model=list[HitOut])
def screen(body: ScreenIn, session: SessionDep, p: PrincipalDep) -> list[HitOut]:
    """Screen persons/objects against everything the bureau holds; rows as `ncb screen` writes."""
    results = screening.screen_adhoc(session, p, body.entities, body.top)
    return [_out(str(qi), rank, v) for qi, views in enumerate(results)
            for rank, v in enumerate(views, start=1)]


@router.get("/cases/{ref}/hits", response_model=list[HitOut], tags=["cases"])
def case_hits(ref: str, session: SessionDep, p: PrincipalDep) -> list[HitOut]:
    """Hits from screening this case's entities, one per identity, ordered by role.

    Restricted records: one row per originating agency, no score, no id, nothing to review.
    """
    case = reading.case_by_ref(session, p, ref)
    return [_out(case.reference, rank, v)
            for rank, v in enumerate(screening.hits_for_case(session, p, case), start=1)]


@router.post("/cases/{ref}/rescreen", tags=["cases"])
def rescreen(ref: str, session: SessionDep, p: PrincipalDep) -> dict[str, int]:
    """Screen the case's entities again; existing hits are updated, judgements applied."""
    return {"new_hits": screening.rescreen_case(session, p, ref)}


@router.post("/cases/{ref}/hits/{hit_id}/review", response_model=HitOut, tags=["cases"])
def review(ref: str, hit_id: int, body: ReviewIn, session: SessionDep, p: PrincipalDep) -> HitOut:
    """Mark a hit match / no_match / unsure; the decision applies to later screenings too."""
    hit = screening.review_hit(session, p, ref, hit_id, body.decision)
    case = reading.case_by_ref(session, p, ref)
    views = [v for v in screening.hits_for_case(session, p, case) if hit.id in v.hit_ids]
    if not views:  # cannot happen for a visible hit; never a 500
        raise NotFound(f"no hit {hit_id} on case {case.reference}")
    view = views[0]
    if view.id != hit.id:  # another hit now stands for the group: report this one's decision
        view = replace(view, id=hit.id, decision=hit.decision)
    return _out(case.reference, 1, view)
