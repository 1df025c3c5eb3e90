"""Schengen / SIRENE: SIS alerts by article, hits that open a G form, and threaded SIRENE forms.

Which data each article needs, the numbered fields of each form, the reference layout and the
12-hour limits are rules (ncb/rules/schengen.yaml, ncb.domain.sirene); this module stores them,
keeps the case deadlines in step and logs every transfer.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ncb.domain import sirene
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.casework import _event
from ncb.services.channels import schengen_cases
from ncb.services.channels.common import need, not_future
from ncb.services.channels.schengen_alerts import _home_country, create_alert, erase_alert, get_alert
from ncb.services.channels.schengen_inputs import (
    REVIEW_BASIS,
    REVIEW_RULE,
    SCREENED_OBJECTS,
    AlertIn,
    EraseIn,
    FormIn,
    HitIn,
    _blank,
)
from ncb.services.channels.sirene_forms import (
    _new_form,
    create_form,
    form_by_reference,
    forms_of_alert,
    get_form,
    send_form,
)
from ncb.services.errors import Conflict, InvalidInput
from ncb.services.reading import case_by_ref
from ncb.store import audit
from ncb.store.models import Case, SireneForm


def record_hit(session: Session, p: Principal, alert_id: int, data: HitIn) -> SireneForm:
    """A hit on another state's alert: a case (or the alert's), and a G form due in 12 hours."""
    need(p, "case.create")
    alert = get_alert(session, p, alert_id)
    home = _home_country(session)
    if alert.issuing_country == home:
        raise Conflict("this is our own alert: the bureau that found the person sends us the "
                       "G form (record it as an incoming form)", field="alert_id",
                       rule="sirene.hit.foreign_alert")
    if data.urgent and _blank(data.urgent_reason):
        raise InvalidInput("urgent_reason: an urgent G form needs its reason",
                           field="urgent_reason", rule="sirene.urgent_reason")
    hit_at = not_future(data.hit_at, "hit_at")
    due = sirene.g_form_due(hit_at)
    rule_id = sirene.form_spec("G").deadline or "sirene_g_form"
    explicit = case_by_ref(session, p, data.case_ref) if data.case_ref else None
    candidate = explicit or (session.get(Case, alert.case_id) if alert.case_id else None)
    placed = schengen_cases.place(
        session, p, alert=alert, candidate=candidate, explicit=explicit is not None,
        title=f"SIS hit: Art. {alert.article} alert {alert.schengen_id}",
        country=alert.issuing_country, priority="urgent" if data.urgent else "high", at=hit_at)
    case = placed.case
    deadline = schengen_cases.form_limit(session, placed, rule_id,
                                         load_rules().deadlines[rule_id].label, hit_at, due)
    session.flush()
    d = alert.data
    fields = {"offence_category": d.get("offence") or d.get("offence_category")
              or load_rules().sis_articles[alert.article].label,
              "alert_reason": d.get("reason") or load_rules().sis_articles[alert.article].label,
              "urgent": data.urgent, "urgent_reason": data.urgent_reason,
              "hit_time_utc": hit_at.replace(microsecond=0).isoformat(), "hit_place": data.place,
              "action_taken": data.action_taken,
              "additional_information": data.additional_information}
    form = _new_form(session, p, "G", "out", fields, sender=home, recipient=alert.issuing_country,
                     alert=alert, case=case, in_reply_to=None, reference=None)
    form.deadline_id = deadline.id
    _event(session, case, p, "sis_hit", alert=alert.schengen_id, form=form.reference,
           due_at=due.isoformat())
    audit.record(session, p, "combination", "alert", alert.id,
                 details={"hit_at": hit_at.isoformat(), "case": case.reference,
                          "g_form": form.reference})
    session.flush()  # written: the caller's view reads it back
    return form


__all__ = ["REVIEW_BASIS", "REVIEW_RULE", "SCREENED_OBJECTS", "AlertIn", "EraseIn", "FormIn", "HitIn",
           "create_alert", "create_form", "erase_alert", "form_by_reference", "forms_of_alert",
           "get_alert", "get_form", "record_hit", "send_form"]
