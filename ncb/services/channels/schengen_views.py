"""What the Schengen pages show: alerts by article, one alert with its forms, one SIRENE form."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain import sirene
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import lookup
from ncb.services.channels import case_links, schengen
from ncb.services.channels.sirene_forms import prefill
from ncb.store.models import Alert, Case, SireneForm


def alert_list(session: Session, p: Principal, article: str, page: int, size: int, *,
               recent_forms: int) -> dict[str, Any]:
    """One page of alerts (newest first), the count per article and the `recent_forms` latest
    forms (NCB_CHANNEL_PAGE_SIZE, NCB_SIRENE_RECENT_FORMS)."""
    q = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
    if article:
        q = q.where(Alert.article == article)
    rows = list(session.scalars(q.offset((max(page, 1) - 1) * size).limit(size + 1)))
    counts = {str(a): int(n) for a, n in session.execute(
        select(Alert.article, func.count()).group_by(Alert.article)).all()}
    forms = [case_links.form_link(f) for f in session.scalars(select(SireneForm).order_by(
        SireneForm.created_at.desc(), SireneForm.id.desc()).limit(recent_forms))]
    return {"items": rows[:size], "has_next": len(rows) > size, "counts": counts, "forms": forms}


def g_hours() -> str:
    """The G form's limit as the rules state it (e.g. '12 hours')."""
    rule = load_rules().deadlines[sirene.form_spec("G").deadline or "sirene_g_form"]
    period = rule.period
    return f"{period.amount} {period.unit}" if period else "12 hours"


def alert_page(session: Session, p: Principal, alert_id: int) -> dict[str, Any]:
    """One alert: its forms, its case, whether it is foreign, and what the caller may do."""
    a = schengen.get_alert(session, p, alert_id)
    forms = [case_links.form_link(f) for f in schengen.forms_of_alert(session, p, alert_id)]
    case = session.get(Case, a.case_id) if a.case_id else None
    home = lookup.home_agency(session).country
    return {"a": a, "spec": load_rules().sis_articles[a.article], "forms": forms, "case": case,
            "cases": case_links.cases_of_alert(session, a),
            "foreign": a.issuing_country != home, "can_hit": p.has("case.create"),
            "can_erase": p.has("case.read_desk") and p.has("case.assign"),
            "g_hours": g_hours()}


def form_page(session: Session, p: Principal, form_id: int) -> dict[str, Any]:
    """One SIRENE form, its case and the deadline it answers; whether it can still be sent."""
    f = schengen.get_form(session, p, form_id)
    case = session.get(Case, f.case_id) if f.case_id else None
    deadline = next((d for d in case.deadlines if d.id == f.deadline_id), None) if case else None
    state, at = case_links.form_state(f)
    return {"f": f, "case": case, "deadline": deadline, "spec": sirene.form_spec(f.form_type),
            "state": state, "state_at": at,
            "alert": schengen.get_alert(session, p, f.alert_id) if f.alert_id else None,
            "can_send": p.has("message.send") and f.direction == "out" and f.sent_at is None}


def form_record(session: Session, f: SireneForm) -> dict[str, Any]:
    """A form as the API returns it: its fields, its case and the limit it answers."""
    case = session.get(Case, f.case_id) if f.case_id else None
    deadline = next((d for d in case.deadlines if d.id == f.deadline_id), None) if case else None
    return {"id": f.id, "reference": f.reference, "form_type": f.form_type,
            "direction": f.direction, "alert_id": f.alert_id,
            "case_reference": case.reference if case else None, "in_reply_to": f.in_reply_to,
            "sender": f.sender, "recipient": f.recipient, "fields": f.fields, "urgent": f.urgent,
            "urgent_reason": f.urgent_reason, "created_at": f.created_at, "sent_at": f.sent_at,
            "due_at": deadline.due_at if deadline else None,
            "case_next_due_at": case.next_due_at if case else None}


def alert_record(session: Session, p: Principal, alert_id: int) -> dict[str, Any]:
    """A visible alert and its forms (as `form_record`), for the API."""
    alert = schengen.get_alert(session, p, alert_id)
    return {"alert": alert, "forms": [form_record(session, f)
                                      for f in schengen.forms_of_alert(session, p, alert_id)]}


def new_form_values(session: Session, p: Principal, form_type: str, direction: str,
                    alert_id: int | None, in_reply_to: int | None) -> dict[str, Any]:
    """What the new-form page starts with: the alert's Schengen ID, article, offence and
    reason in their numbered fields, and the bureaux each way (we receive, or we send to the
    alert's issuing bureau or to whoever sent the form we answer)."""
    home = lookup.home_agency(session).country
    out: dict[str, Any] = {"direction": direction, "alert_id": alert_id or "",
                           "in_reply_to": in_reply_to or ""}
    parent = schengen.get_form(session, p, in_reply_to) if in_reply_to else None
    if parent is not None and alert_id is None:
        alert_id = parent.alert_id
    alert = schengen.get_alert(session, p, alert_id) if alert_id else None
    if direction == "in":
        out["recipient"] = home
    elif parent is not None:
        out["recipient"] = parent.sender if parent.direction == "in" else parent.recipient
    elif alert is not None and alert.issuing_country != home:
        out["recipient"] = alert.issuing_country
    if alert is not None:
        out["alert_id"] = alert.id
        names = ({f.name for f in sirene.form_spec(form_type).fields.values()}
                 if form_type in load_rules().sirene_forms else set())
        out |= {f"fields.{k}": v for k, v in prefill(alert).items() if k in names}
    if parent is not None and form_type == "M":
        out["fields.related_reference"] = parent.reference
    return out
