"""What the Schengen pages show: alerts by article, one alert with its forms, one SIRENE form."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain import sirene
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import lookup
from ncb.services.channels import schengen
from ncb.store.models import Alert, Case, SireneForm

RECENT_FORMS = 20


def alert_list(session: Session, p: Principal, article: str, page: int, size: int
               ) -> dict[str, Any]:
    """One page of alerts (newest first), the count per article and the latest forms."""
    q = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
    if article:
        q = q.where(Alert.article == article)
    rows = list(session.scalars(q.offset((max(page, 1) - 1) * size).limit(size + 1)))
    counts = {str(a): int(n) for a, n in session.execute(
        select(Alert.article, func.count()).group_by(Alert.article)).all()}
    forms = list(session.scalars(select(SireneForm).order_by(
        SireneForm.created_at.desc(), SireneForm.id.desc()).limit(RECENT_FORMS)))
    return {"items": rows[:size], "has_next": len(rows) > size, "counts": counts, "forms": forms}


def g_hours() -> str:
    """The G form's limit as the rules state it (e.g. '12 hours')."""
    rule = load_rules().deadlines[sirene.form_spec("G").deadline or "sirene_g_form"]
    period = rule.period
    return f"{period.amount} {period.unit}" if period else "12 hours"


def alert_page(session: Session, p: Principal, alert_id: int) -> dict[str, Any]:
    """One alert: its forms, its case, whether it is foreign, and what the caller may do."""
    a = schengen.get_alert(session, p, alert_id)
    forms = schengen.forms_of_alert(session, p, alert_id)
    case = session.get(Case, a.case_id) if a.case_id else None
    home = lookup.home_agency(session).country
    return {"a": a, "spec": load_rules().sis_articles[a.article], "forms": forms, "case": case,
            "foreign": a.issuing_country != home, "can_hit": p.has("case.create"),
            "can_erase": p.has("case.read_desk") and p.has("case.assign"),
            "g_hours": g_hours()}


def form_page(session: Session, p: Principal, form_id: int) -> dict[str, Any]:
    """One SIRENE form, its case and the deadline it answers; whether it can still be sent."""
    f = schengen.get_form(session, p, form_id)
    case = session.get(Case, f.case_id) if f.case_id else None
    deadline = next((d for d in case.deadlines if d.id == f.deadline_id), None) if case else None
    return {"f": f, "case": case, "deadline": deadline, "spec": sirene.form_spec(f.form_type),
            "can_send": p.has("message.send") and f.direction == "out" and f.sent_at is None}
