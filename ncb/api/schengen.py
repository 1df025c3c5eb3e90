"""Schengen / SIRENE API: alerts, hits (which open a G form), forms in and out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.domain.policy import Principal
from ncb.services.channels import schengen, schengen_views
from ncb.store.models import Alert, SireneForm

router = APIRouter(prefix="/schengen", tags=["schengen"])


class AlertOut(BaseModel):
    id: int
    schengen_id: str
    article: str
    issuing_country: str
    case_id: int | None
    entity_id: int | None
    data: dict[str, Any]
    warrant_reference: str | None
    flagged: bool
    flag_reason: str | None
    review_date: datetime | None
    misused_identity: dict[str, Any] | None
    status: str
    classification: str | None


class FormOut(BaseModel):
    id: int
    reference: str
    form_type: str
    direction: str
    alert_id: int | None
    case_reference: str | None
    in_reply_to: int | None
    sender: str
    recipient: str
    fields: dict[str, Any]
    urgent: bool
    urgent_reason: str | None
    created_at: datetime
    sent_at: datetime | None
    due_at: datetime | None
    case_next_due_at: datetime | None


class AlertWithFormsOut(AlertOut):
    forms: list[FormOut]


def alert_out(a: Alert) -> dict[str, Any]:
    return {
        "id": a.id,
        "schengen_id": a.schengen_id,
        "article": a.article,
        "issuing_country": a.issuing_country,
        "case_id": a.case_id,
        "entity_id": a.entity_id,
        "data": a.data,
        "warrant_reference": a.warrant_reference,
        "flagged": a.flagged,
        "flag_reason": a.flag_reason,
        "review_date": a.review_date,
        "misused_identity": a.misused_identity,
        "status": a.status,
        "classification": a.classification,
    }


def form_out(session: Session, p: Principal, f: SireneForm) -> dict[str, Any]:
    view = schengen_views.form_page(session, p, f.id)  # the form's case and its deadline
    case, deadline = view["case"], view["deadline"]
    return {
        "id": f.id,
        "reference": f.reference,
        "form_type": f.form_type,
        "direction": f.direction,
        "alert_id": f.alert_id,
        "case_reference": case.reference if case else None,
        "in_reply_to": f.in_reply_to,
        "sender": f.sender,
        "recipient": f.recipient,
        "fields": f.fields,
        "urgent": f.urgent,
        "urgent_reason": f.urgent_reason,
        "created_at": f.created_at,
        "sent_at": f.sent_at,
        "due_at": deadline.due_at if deadline else None,
        "case_next_due_at": case.next_due_at if case else None,
    }


@router.post("/alerts", status_code=status.HTTP_201_CREATED, response_model=AlertOut)
def create_alert(body: schengen.AlertIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """Record an alert; its subject becomes a screened entity (watch role `alert`)."""
    a = schengen.create_alert(session, p, body)
    return alert_out(a)


@router.get("/alerts/{alert_id}", response_model=AlertWithFormsOut)
def get_alert(alert_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    a = schengen.get_alert(session, p, alert_id)
    return alert_out(a) | {
        "forms": [form_out(session, p, f) for f in schengen.forms_of_alert(session, p, alert_id)]
    }


@router.post("/alerts/{alert_id}/erase", response_model=AlertOut)
def erase_alert(
    alert_id: int, body: schengen.EraseIn, session: SessionDep, p: PrincipalDep
) -> dict[str, Any]:
    """Supervisor only, justified, audited as `erasure`: the alert's data, misused identity and
    subject entity (its screening presence) are erased; its review deadline is closed."""
    a = schengen.erase_alert(session, p, alert_id, body)
    return alert_out(a)


@router.post("/alerts/{alert_id}/hit", status_code=status.HTTP_201_CREATED, response_model=FormOut)
def hit(alert_id: int, body: schengen.HitIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """A hit on another state's alert: opens a G form to the issuing bureau, due in 12 hours."""
    f = schengen.record_hit(session, p, alert_id, body)
    return form_out(session, p, f)


@router.post("/forms", status_code=status.HTTP_201_CREATED, response_model=FormOut)
def create_form(body: schengen.FormIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """A form in or out (A, G, M, I), fields checked against the numbered layout."""
    f = schengen.create_form(session, p, body)
    return form_out(session, p, f)


@router.get("/forms/{form_id}", response_model=FormOut)
def get_form(form_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    return form_out(session, p, schengen.get_form(session, p, form_id))


@router.post("/forms/{form_id}/send", response_model=FormOut)
def send_form(form_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """Send a drafted form (e.g. the G form after a hit); meets its deadline."""
    f = schengen.send_form(session, p, form_id)
    return form_out(session, p, f)
