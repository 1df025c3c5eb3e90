"""Response models of the case API, in one place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MarkingsOut(Out):
    classification: str
    handling_code: str | None
    handling_conditions: str | None
    tlp: str | None
    source_grade: str | None
    intel_grade: str | None
    sharing_scope: str


class DeadlineOut(Out):
    id: int
    rule_id: str
    label: str
    basis: str
    starts_at: datetime
    due_at: datetime
    met_at: datetime | None


class CaseSummary(Out):
    id: int
    reference: str
    channel: str
    direction: str
    title: str
    status: str
    priority: str
    crime_area: str | None
    country: str | None
    team_id: int | None
    assignee_id: int | None
    next_due_at: datetime | None
    received_at: datetime
    classification: str


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


class EntityOut(Out):
    id: int
    kind: str
    display_name: str
    first_name: str | None
    last_name: str | None
    aliases: list[Any]
    date_of_birth: str | None
    gender: str | None
    nationality: str | None
    place_of_birth: str | None
    identifier: str | None
    classification: str
    source_kind: str
    source_ref: str | None


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


class MessageOut(Out):
    id: int
    case_id: int
    direction: str
    channel: str
    sender: str
    recipients: list[Any]
    subject: str
    body: str
    in_reply_to: int | None
    handling_code: str | None
    handling_conditions: str | None
    classification: str
    sent_at: datetime


class AttachmentOut(Out):
    id: int
    case_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class EventOut(Out):
    id: int
    kind: str
    actor_id: int | None
    at: datetime
    data: dict[str, Any]


class ShareDecision(BaseModel):
    agency: str
    allowed: bool
    reasons: list[str]


class SearchOut(BaseModel):
    q: str
    cases: list[CaseSummary]
    entities: list[EntityOut]


def case_out(case: Any) -> CaseOut:
    data = CaseSummary.model_validate(case).model_dump()
    return CaseOut(
        **data,
        summary=case.summary, request_type=case.request_type, external_ref=case.external_ref,
        requesting_country=case.requesting_country, created_at=case.created_at,
        updated_at=case.updated_at, closed_at=case.closed_at,
        markings=MarkingsOut.model_validate(case),
        deadlines=[DeadlineOut.model_validate(d) for d in case.deadlines],
    )
