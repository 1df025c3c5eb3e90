"""The audit log: read it (`audit.read`) and verify its hash chain (`audit.verify`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from ncb.adapters.deps import PrincipalDep, SessionDep, require
from ncb.api.problems import PROBLEM_SCHEMA
from ncb.services import audit_log
from ncb.store import audit

router = APIRouter(prefix="/audit", tags=["audit"],
                   responses={401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA})


class EntryOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    record_kind: str
    record_id: str | None
    justification: str | None
    recipients: list[Any]
    details: dict[str, Any]
    hash: str


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EntryOut]


class ChainOut(BaseModel):
    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str | None


@router.get("", response_model=Page, dependencies=[Depends(require("audit.read"))],
            summary="Audit entries, newest first, filtered by record or actor")
def read_log(
    session: SessionDep,
    p: PrincipalDep,
    record_kind: str | None = None,
    record_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    f = audit_log.AuditFilter(actor=actor, action=action, record_kind=record_kind,
                              record_id=record_id, since=since, until=until)
    page = audit_log.search(session, p, f, limit=limit, offset=offset)
    items = [EntryOut.model_validate(r, from_attributes=True) for r in page.items]
    return Page(total=page.total, limit=limit, offset=offset, items=items)


@router.post("/verify", response_model=ChainOut, dependencies=[Depends(require("audit.verify"))],
             summary="Walk the hash chain; names the first broken entry")
def verify_chain(session: SessionDep) -> ChainOut:
    report = audit.verify(session)
    return ChainOut(ok=report.ok, checked=report.checked,
                    first_broken_seq=report.first_broken_seq, reason=report.reason)
