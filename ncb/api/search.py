"""Search and disclosure endpoints."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.api.models import CaseSummary, EntityOut
from ncb.services import exchange
from ncb.services.exchange_inputs import ShareIn
from ncb.services.search import search as run_search

router = APIRouter(tags=["search"])


class SearchOut(BaseModel):
    q: str
    cases: list[CaseSummary]
    entities: list[EntityOut]


class ShareDecision(BaseModel):
    agency: str
    allowed: bool
    reasons: list[str]


@router.get("/search", response_model=SearchOut)
def search(q: str, session: SessionDep, p: PrincipalDep, limit: int = 25) -> SearchOut:
    """Cases and entities by reference, names in any script, document numbers (access-filtered)."""
    result = run_search(session, p, q, limit)
    return SearchOut(
        q=q,
        cases=[CaseSummary.model_validate(c) for c in result.cases],
        entities=[EntityOut.model_validate(e) for e in result.entities],
    )


@router.post("/share/{kind}/{record_id}", response_model=list[ShareDecision])
def share(
    kind: str, record_id: int, body: ShareIn, session: SessionDep, p: PrincipalDep
) -> list[ShareDecision]:
    """Disclose a record to named agencies if its markings allow; refusals are explained."""
    return [ShareDecision(**d) for d in exchange.share(session, p, kind, record_id, body)]
