"""Request and response models of the case API (ncb/api/cases.py); shared ones in ncb.api.models.

The inputs a service also takes from the CLI, the web pages and the importers stay below the
adapters that all use them: ncb.services.inputs (CaseIn, EntityIn, MarkingsIn),
casework_inputs (NoteIn, TaskIn, ...), exchange_inputs (MessageIn, ShareIn)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from ncb.api.models import CaseSummary, DeadlineOut, MarkingsOut, Out
from ncb.services.inputs import CaseIn


class CaseOut(CaseSummary):
    summary: str
    request_type: str | None
    external_ref: str | None
    requesting_country: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    markings: MarkingsOut
    deadlines: list[DeadlineOut]


class QueuePage(BaseModel):
    queue: str
    page: int
    page_size: int
    has_next: bool
    items: list[CaseSummary]


class NoteOut(Out):
    id: int
    case_id: int
    author_id: int | None
    body: str
    created_at: datetime
    classification: str


class TaskOut(Out):
    id: int
    case_id: int
    title: str
    assignee_id: int | None
    due_at: datetime | None
    done_at: datetime | None


class EventOut(Out):
    id: int
    kind: str
    actor_id: int | None
    at: datetime
    data: dict[str, Any]


class CaseBatchIn(BaseModel):
    cases: list[CaseIn] = Field(min_length=1, max_length=500)


def case_out(case: Any) -> CaseOut:
    data = CaseSummary.model_validate(case).model_dump()
    return CaseOut(
        **data,
        summary=case.summary,
        request_type=case.request_type,
        external_ref=case.external_ref,
        requesting_country=case.requesting_country,
        created_at=case.created_at,
        updated_at=case.updated_at,
        closed_at=case.closed_at,
        markings=MarkingsOut.model_validate(case),
        deadlines=[DeadlineOut.model_validate(d) for d in case.deadlines],
    )
