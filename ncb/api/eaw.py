"""EAW central authority API: warrants in and out, certification, events, clocks, statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.domain.eaw_clocks import Clock
from ncb.services.channels import eaw, stats
from ncb.services.channels.common import dump

router = APIRouter(prefix="/eaw", tags=["eaw"])


class WarrantEventOut(BaseModel):
    kind: str
    at: datetime
    reason: str
    new_date: datetime | None
    details: dict[str, Any]


class WarrantDeadlineOut(BaseModel):
    id: int | None
    rule_id: str
    label: str
    due_at: datetime
    met_at: datetime | None


class WarrantSummaryOut(BaseModel):
    """A warrant without its events (lists)."""

    id: int
    case_reference: str | None
    case_next_due_at: datetime | None
    direction: str
    reference: str
    issuing_country: str
    executing_country: str
    status: str
    sections: dict[str, Any]
    translation: dict[str, Any]
    certification: dict[str, Any]
    proportionality_notes: str
    consent: bool | None
    outcome: str | None
    refusal_ground: str | None
    release_required: bool
    release_reasons: list[Any]
    received_at: datetime
    certified_at: datetime | None
    transmitted_at: datetime | None
    classification: str


class WarrantOut(WarrantSummaryOut):
    """A warrant with its life-cycle events and the case deadlines its clocks became."""

    events: list[WarrantEventOut]
    deadlines: list[WarrantDeadlineOut]


class OutgoingDraftOut(WarrantOut):
    missing_sections: list[str]


class MedianDaysOut(BaseModel):
    with_consent: float | None
    without_consent: float | None
    with_consent_n: int
    without_consent_n: int


class EawStatsOut(BaseModel):
    year: int
    requests_received: int
    certified: int
    arrests: int
    surrenders: int
    final_decisions: int
    refusals_by_ground: dict[str, int]
    median_days_arrest_to_decision: MedianDaysOut


@router.post("/warrants", status_code=status.HTTP_201_CREATED, response_model=WarrantOut)
def receive(body: eaw.WarrantIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """An incoming EAW: sections (a)-(i) checked (422 names the missing ones), a case opened."""
    w = eaw.receive(session, p, body)
    return eaw.warrant_view(session, w)


@router.post("/outgoing", status_code=status.HTTP_201_CREATED, response_model=OutgoingDraftOut)
def draft_outgoing(body: eaw.WarrantIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """Draft a warrant the UK issues; incomplete sections are listed, checked at transmission."""
    w, missing = eaw.draft_outgoing(session, p, body)
    return eaw.warrant_view(session, w) | {"missing_sections": missing}


@router.get("/warrants/release-required", response_model=list[WarrantSummaryOut])
def release_required(session: SessionDep, p: PrincipalDep) -> list[dict[str, Any]]:
    """Persons whose custody limits expired: release at once."""
    return [eaw.warrant_view(session, w, with_events=False) for w in eaw.release_required(session, p)]


@router.get("/stats", response_model=EawStatsOut)
def statistics(
    session: SessionDep, p: PrincipalDep, year: Annotated[int, Query(ge=2004, le=2100)]
) -> dict[str, Any]:
    """Requests received, certified, arrests, surrenders, refusals by ground, median days."""
    return stats.eaw_stats(session, p, year)


@router.get("/warrants/{warrant_id}", response_model=WarrantOut)
def get_warrant(warrant_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    return eaw.warrant_view(session, eaw.get(session, p, warrant_id))


@router.post("/warrants/{warrant_id}/certify", response_model=WarrantOut)
def certify(warrant_id: int, body: eaw.CertifyIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """The designated authority's decision (permission eaw.certify), reasons audited."""
    return eaw.warrant_view(session, eaw.certify(session, p, warrant_id, body))


@router.post("/warrants/{warrant_id}/events", response_model=WarrantOut)
def add_event(warrant_id: int, body: eaw.EventIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """A life-cycle event (UTC); the clocks become the case deadlines."""
    w = eaw.record_event(session, p, warrant_id, body)
    return eaw.warrant_view(session, w)


@router.get("/warrants/{warrant_id}/clocks", response_model=list[Clock])
def get_clocks(warrant_id: int, session: SessionDep, p: PrincipalDep) -> list[dict[str, Any]]:
    return [dump(c) for c in eaw.clocks(session, p, warrant_id)]


@router.post("/warrants/{warrant_id}/translation", response_model=WarrantOut)
def translation(
    warrant_id: int, body: eaw.TranslationIn, session: SessionDep, p: PrincipalDep
) -> dict[str, Any]:
    return eaw.warrant_view(session, eaw.translation(session, p, warrant_id, body))


@router.post("/warrants/{warrant_id}/transmit", response_model=WarrantOut)
def transmit(warrant_id: int, body: eaw.TransmitIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    return eaw.warrant_view(session, eaw.transmit(session, p, warrant_id, body))
