"""Response models more than one API surface returns (a case in a list, an entity, a message,
an attachment). A model one surface alone returns lives beside its router instead."""

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
