"""The channel records of one case, for its page: the SIS alerts and SIRENE forms it holds, the
warrant it carries, and the other cases of the same alerts (an earlier, closed case; a later one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.channels.eaw_events import label
from ncb.store.models import Alert, Case, CaseEvent, SireneForm, Warrant


@dataclass(frozen=True)
class FormLink:
    id: int
    reference: str
    form_type: str
    state: str  # "received", "sent" or "draft, not sent"
    at: datetime | None
    counterpart: str  # who sent it to us, or whom we send it to
    sender: str
    recipient: str


@dataclass
class ChannelLinks:
    alerts: list[Alert] = field(default_factory=list)
    forms: list[FormLink] = field(default_factory=list)
    warrants: list[Warrant] = field(default_factory=list)
    other_cases: list[Case] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.alerts or self.forms or self.warrants or self.other_cases)


def form_state(f: SireneForm) -> tuple[str, datetime | None]:
    """How a form is labelled: an incoming form is received, never "sent"."""
    if f.direction == "in":
        return "received", f.sent_at or f.created_at
    return ("sent", f.sent_at) if f.sent_at else ("draft, not sent", None)


def form_link(f: SireneForm) -> FormLink:
    state, at = form_state(f)
    who = f"from {f.sender}" if f.direction == "in" else f"to {f.recipient}"
    return FormLink(f.id, f.reference, f.form_type, state, at, who, f.sender, f.recipient)


def cases_of_alert(session: Session, alert: Alert) -> list[Case]:
    """Every case the alert has been handled on, newest first (visible ones only)."""
    ids = set(session.scalars(select(SireneForm.case_id).where(
        SireneForm.alert_id == alert.id, SireneForm.case_id.is_not(None))))
    if alert.case_id:
        ids.add(alert.case_id)
    if not ids:
        return []
    # A closed case the alert was on before a new one was opened in its place (linked_case).
    refs = {str((e.data or {}).get("other")) for e in session.scalars(select(CaseEvent).where(
        CaseEvent.case_id.in_(ids), CaseEvent.kind == "linked_case"))}
    return list(session.scalars(select(Case).where(or_(Case.id.in_(ids), Case.reference.in_(refs)))
                                .order_by(Case.created_at.desc(), Case.id.desc())))


def of_case(session: Session, p: Principal, case: Case) -> ChannelLinks:
    forms = list(session.scalars(select(SireneForm).where(SireneForm.case_id == case.id)
                                 .order_by(SireneForm.created_at, SireneForm.id)))
    alert_ids = {f.alert_id for f in forms if f.alert_id}
    alerts = list(session.scalars(select(Alert).where(or_(
        Alert.case_id == case.id, Alert.id.in_(alert_ids))).order_by(Alert.id)))
    others: dict[int, Case] = {}
    for a in alerts:
        for c in cases_of_alert(session, a):
            if c.id != case.id:
                others[c.id] = c
    warrants = list(session.scalars(select(Warrant).where(Warrant.case_id == case.id)))
    return ChannelLinks(alerts, [form_link(f) for f in forms], warrants, list(others.values()))


def event_title(kind: str, d: dict[str, Any]) -> str | None:
    """A channel event's line in the case timeline (None: not a channel event)."""
    if kind == "sirene_form":
        way = {"in": "received", "out": "sent"}.get(str(d.get("direction")), d.get("direction"))
        on = f" on alert {d['alert']}" if d.get("alert") else ""
        return f"SIRENE form {d.get('form_type') or ''} {way}{on} ({d.get('form')})".replace(
            "  ", " ")
    if kind == "sis_hit":
        return f"SIS hit on alert {d.get('alert')}: G form {d.get('form')} opened"
    if kind == "linked_case":
        return f"Linked to case {d.get('other')}: {d.get('why')}"
    if kind == "warrant_event":
        return f"EAW event: {label(str(d.get('event')))}"
    if kind == "certification":
        return f"EAW certification: {d.get('decision')}"
    if kind == "warrant":
        return f"EAW warrant recorded ({d.get('direction')})"
    if kind == "alert_erased":
        return f"SIS alert {d.get('alert')} erased"
    return None
