"""Interpol API: notices and diffusions, Article 3, review, public extract, import/export, SLTD."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, status
from pydantic import BaseModel, ConfigDict, Field

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.services.channels import interpol

router = APIRouter(prefix="/interpol", tags=["interpol"])


class NoticeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    notice_ref: str
    notice_type: str
    direction: str
    status: str
    requesting_country: str | None
    case_id: int | None
    entity_id: int | None
    data: dict[str, Any]
    recipients: list[Any]
    article3: dict[str, Any] | None
    public_consent: bool
    public_extract: bool
    review_note: str | None
    cancel_reason: str | None
    created_at: datetime
    updated_at: datetime


class PublicNoticeOut(BaseModel):
    """A notice in Interpol's public JSON layout (further public fields pass through)."""

    model_config = ConfigDict(extra="allow")

    entity_id: str
    name: str
    forename: str | None = None
    date_of_birth: str | None = None
    nationalities: list[str] = []
    sex_id: str | None = None
    arrest_warrants: list[dict[str, Any]] = []


class ImportOut(BaseModel):
    imported: int
    notices: list[str]


class ExportPage(BaseModel):
    notices: list[PublicNoticeOut]


class ExportOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    total: int
    embedded: ExportPage = Field(alias="_embedded")


class SltdOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    issuing_country: str
    status: str


class SltdDocOut(BaseModel):
    number: str
    issuing_country: str
    document_type: str
    status: str
    reported_at: datetime


class SltdCheckOut(BaseModel):
    hit: bool
    number: str
    documents: list[SltdDocOut]


@router.post("/notices", status_code=status.HTTP_201_CREATED, response_model=NoticeOut)
def draft(body: interpol.NoticeIn, session: SessionDep, p: PrincipalDep) -> NoticeOut:
    return NoticeOut.model_validate(interpol.draft(session, p, body))


@router.post("/notices/import", response_model=ImportOut)
def import_notices(
    session: SessionDep,
    p: PrincipalDep,
    payload: Annotated[
        Any,
        Body(
            description="A list of notices in the public layout, or "
            'the public API page {"_embedded": {"notices": [...]}}'
        ),
    ],
    notice_type: Annotated[str, Query(alias="type")] = "red",
) -> dict[str, Any]:
    """All or nothing: any bad record -> 422 listing every bad one by position."""
    rows = interpol.import_notices(session, p, interpol.unwrap(payload), notice_type)
    return {"imported": len(rows), "notices": [n.notice_ref for n in rows]}


@router.get("/notices/export", response_model=ExportOut)
def export(
    session: SessionDep,
    p: PrincipalDep,
    notice_type: Annotated[str | None, Query(alias="type")] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> dict[str, Any]:
    items = interpol.export_notices(session, p, notice_type, limit)
    return {"total": len(items), "_embedded": {"notices": items}}


@router.get("/notices/{notice_id}", response_model=NoticeOut)
def get(notice_id: int, session: SessionDep, p: PrincipalDep) -> NoticeOut:
    return NoticeOut.model_validate(interpol.get(session, p, notice_id))


@router.post("/notices/{notice_id}/article3", response_model=NoticeOut)
def article3(notice_id: int, body: interpol.Article3In, session: SessionDep, p: PrincipalDep) -> NoticeOut:
    return NoticeOut.model_validate(interpol.article3(session, p, notice_id, body))


@router.post("/notices/{notice_id}/submit", response_model=NoticeOut)
def submit(notice_id: int, session: SessionDep, p: PrincipalDep) -> NoticeOut:
    return NoticeOut.model_validate(interpol.submit(session, p, notice_id))


@router.post("/notices/{notice_id}/review", response_model=NoticeOut)
def review(notice_id: int, body: interpol.ReviewIn, session: SessionDep, p: PrincipalDep) -> NoticeOut:
    return NoticeOut.model_validate(interpol.review(session, p, notice_id, body))


@router.post("/notices/{notice_id}/public-consent", response_model=NoticeOut)
def consent(notice_id: int, body: interpol.ConsentIn, session: SessionDep, p: PrincipalDep) -> NoticeOut:
    return NoticeOut.model_validate(interpol.public_consent(session, p, notice_id, body))


@router.get("/notices/{notice_id}/extract", response_model=PublicNoticeOut)
def extract(notice_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """The public extract: only with the requesting country's consent."""
    return interpol.public_extract(session, p, notice_id)


@router.post("/notices/{notice_id}/cancel", response_model=NoticeOut)
def cancel(notice_id: int, body: interpol.CancelIn, session: SessionDep, p: PrincipalDep) -> NoticeOut:
    return NoticeOut.model_validate(interpol.cancel(session, p, notice_id, body))


@router.post("/sltd", status_code=status.HTTP_201_CREATED, response_model=SltdOut)
def sltd_add(body: interpol.SltdIn, session: SessionDep, p: PrincipalDep) -> SltdOut:
    return SltdOut.model_validate(interpol.sltd_add(session, p, body))


@router.post("/sltd/check", response_model=SltdCheckOut)
def sltd_check(body: interpol.SltdCheckIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """Hit / no hit; logged as a consultation."""
    return interpol.sltd_check(session, p, body)
