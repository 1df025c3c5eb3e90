"""Schengen / SIRENE API: alerts, hits (which open a G form), forms in and out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.services.channels import schengen, schengen_views

router = APIRouter(prefix="/schengen", tags=["schengen"])


class AlertOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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


@router.post("/alerts", status_code=status.HTTP_201_CREATED, response_model=AlertOut)
def create_alert(body: schengen.AlertIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """Record an alert; its subject becomes a screened entity (watch role `alert`)."""
    return AlertOut.model_validate(schengen.create_alert(session, p, body)).model_dump()


@router.get("/alerts/{alert_id}", response_model=AlertWithFormsOut)
def get_alert(alert_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    view = schengen_views.alert_record(session, p, alert_id)
    return AlertOut.model_validate(view["alert"]).model_dump() | {"forms": view["forms"]}


@router.post("/alerts/{alert_id}/erase", response_model=AlertOut)
def erase_alert(
    alert_id: int, body: schengen.EraseIn, session: SessionDep, p: PrincipalDep
) -> dict[str, Any]:
    """Supervisor only, justified, audited as `erasure`: the alert's data, misused identity and
    subject entity (its screening presence) are erased; its review deadline is closed."""
    return AlertOut.model_validate(schengen.erase_alert(session, p, alert_id, body)).model_dump()


@router.post("/alerts/{alert_id}/hit", status_code=status.HTTP_201_CREATED, response_model=FormOut)
def hit(alert_id: int, body: schengen.HitIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """A hit on another state's alert: opens a G form to the issuing bureau, due in 12 hours."""
    return schengen_views.form_record(session, schengen.record_hit(session, p, alert_id, body))


@router.post("/forms", status_code=status.HTTP_201_CREATED, response_model=FormOut)
def create_form(body: schengen.FormIn, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """A form in or out (A, G, M, I), fields checked against the numbered layout."""
    return schengen_views.form_record(session, schengen.create_form(session, p, body))


@router.get("/forms/{form_id}", response_model=FormOut)
def get_form(form_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    return schengen_views.form_record(session, schengen.get_form(session, p, form_id))


@router.post("/forms/{form_id}/send", response_model=FormOut)
def send_form(form_id: int, session: SessionDep, p: PrincipalDep) -> dict[str, Any]:
    """Send a drafted form (e.g. the G form after a hit); meets its deadline."""
    return schengen_views.form_record(session, schengen.send_form(session, p, form_id))
