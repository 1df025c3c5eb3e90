"""Retention review API: the queue of held records due for review, keep with reason, or erase."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.services.retention import decide, queue

router = APIRouter(tags=["retention"])
Kind = Literal["case", "notice", "alert", "tip", "appeal"]


class KeepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=5, max_length=2000, description="Why it is still needed")
    next_review_at: AwareDatetime | None = Field(
        default=None, description="Earlier next review (at most the rule's period away)")


class EraseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=5, max_length=2000, description="Why it is erased (audited)")


class QueueItemOut(BaseModel):
    kind: str
    record_id: int
    reference: str
    title: str
    category: str
    due_at: datetime
    overdue: bool
    rule_source: str
    rule_check: bool
    classification: str
    last_review: dict[str, Any] | None


class QueueOut(BaseModel):
    horizon_days: int
    cutoff: datetime
    totals: dict[str, int] = Field(description="records due per kind (you may see)")
    items: list[QueueItemOut]
    rules: list[dict[str, Any]]


class KeepOut(BaseModel):
    kind: str
    record_id: int
    decision: str
    reason: str
    next_review_at: datetime


class ErasureOut(BaseModel):
    kind: str
    record_id: int
    reference: str
    erased: list[str]
    kept: list[str]
    identities: list[dict[str, int]]


@router.get("/retention/queue", response_model=QueueOut)
def review_queue(session: SessionDep, p: PrincipalDep, kind: Kind | None = None,
                 horizon_days: int | None = Query(default=None, ge=0, le=3660)) -> QueueOut:
    """Held records you may see whose retention review is due within the horizon."""
    q = queue.review_queue(session, p, kind=kind, horizon_days=horizon_days)
    return QueueOut(horizon_days=q.horizon_days, cutoff=q.cutoff, totals=q.totals,
                    items=[QueueItemOut(**i.__dict__) for i in q.items], rules=q.rules)


@router.post("/retention/{kind}/{record_id}/keep", response_model=KeepOut, status_code=201)
def keep(kind: Kind, record_id: int, body: KeepIn, session: SessionDep,
         p: PrincipalDep) -> KeepOut:
    """Keep the record with a reason; it is due again at the next review date (audited)."""
    r = decide.keep(session, p, kind, record_id, body.reason, body.next_review_at)
    return KeepOut(kind=r.record_kind, record_id=r.record_id, decision=r.decision,
                   reason=r.reason, next_review_at=r.next_review_at)


@router.post("/retention/{kind}/{record_id}/erase", response_model=ErasureOut)
def erase(kind: Kind, record_id: int, body: EraseIn, session: SessionDep,
          p: PrincipalDep) -> ErasureOut:
    """Erase the record and what only it held (audited as erasure; identities updated)."""
    return ErasureOut(**decide.erase(session, p, kind, record_id, body.reason).__dict__)
