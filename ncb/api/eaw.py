"""EAW central authority API: warrants in and out, certification, events, clocks, statistics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ncb.api.deps import PrincipalDep, SessionDep
from ncb.services.channels import eaw, stats
from ncb.services.channels.common import dump

router = APIRouter(prefix="/eaw", tags=["eaw"])


@router.post("/warrants", status_code=status.HTTP_201_CREATED)
def receive(body: eaw.WarrantIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """An incoming EAW: sections (a)-(i) checked (422 names the missing ones), a case opened."""
    w = eaw.receive(session, p, body)
    session.flush()
    return eaw.warrant_view(session, w)


@router.post("/outgoing", status_code=status.HTTP_201_CREATED)
def draft_outgoing(body: eaw.WarrantIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """Draft a warrant the UK issues; incomplete sections are listed, checked at transmission."""
    w, missing = eaw.draft_outgoing(session, p, body)
    session.flush()
    return eaw.warrant_view(session, w) | {"missing_sections": missing}


@router.get("/warrants/release-required")
def release_required(session: SessionDep, p: PrincipalDep) -> list[dict[str, Any]]:
    """Persons whose custody limits expired: release at once."""
    return [eaw.warrant_view(session, w, with_events=False)
            for w in eaw.release_required(session, p)]


@router.get("/stats")
def statistics(session: SessionDep, p: PrincipalDep,
               year: Annotated[int, Query(ge=2004, le=2100)]) -> dict[str, Any]:
    """Requests received, certified, arrests, surrenders, refusals by ground, median days."""
    return stats.eaw_stats(session, p, year)


@router.get("/warrants/{warrant_id}")
def get_warrant(warrant_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    return eaw.warrant_view(session, eaw.get(session, p, warrant_id))


@router.post("/warrants/{warrant_id}/certify")
def certify(warrant_id: int, body: eaw.CertifyIn, session: SessionDep,
            p: PrincipalDep) -> dict[str, Any]:
    """The designated authority's decision (permission eaw.certify), reasons audited."""
    return eaw.warrant_view(session, eaw.certify(session, p, warrant_id, body))


@router.post("/warrants/{warrant_id}/events")
def add_event(warrant_id: int, body: eaw.EventIn, session: SessionDep,
              p: PrincipalDep) -> dict[str, Any]:
    """A life-cycle event (UTC); the clocks become the case deadlines."""
    w = eaw.record_event(session, p, warrant_id, body)
    session.flush()
    return eaw.warrant_view(session, w)


@router.get("/warrants/{warrant_id}/clocks")
def get_clocks(warrant_id: int, session: SessionDep, p: PrincipalDep) -> list[dict[str, Any]]:
    return [dump(c) for c in eaw.clocks(session, p, warrant_id)]


@router.post("/warrants/{warrant_id}/translation")
def translation(warrant_id: int, body: eaw.TranslationIn, session: SessionDep,
                p: PrincipalDep) -> dict[str, Any]:
    return eaw.warrant_view(session, eaw.translation(session, p, warrant_id, body))


@router.post("/warrants/{warrant_id}/transmit")
def transmit(warrant_id: int, body: eaw.TransmitIn, session: SessionDep,
             p: PrincipalDep) -> dict[str, Any]:
    return eaw.warrant_view(session, eaw.transmit(session, p, warrant_id, body))
