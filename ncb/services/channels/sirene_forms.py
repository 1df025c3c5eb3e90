"""SIRENE forms: building one from its numbered fields, recording incoming forms, sending
outgoing ones (meeting their 12-hour limits) and threading replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain import sirene
from ncb.domain.deadlines import compute_due
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import intake, lookup, marking
from ncb.services.casework import _event
from ncb.services.channels.common import add_deadline, need, now_utc, refresh_next_due
from ncb.services.channels.schengen_alerts import _home_country, get_alert
from ncb.services.channels.schengen_inputs import FormIn
from ncb.services.errors import Conflict, InvalidInput, NotFound
from ncb.services.inputs import CaseIn, MarkingsIn
from ncb.services.reading import case_by_ref, load_visible
from ncb.store import audit
from ncb.store.models import Alert, Case, SireneForm


def _new_form(session: Session, p: Principal, form_type: str, direction: str, fields: dict[str, Any],
              *, sender: str, recipient: str, alert: Alert | None, case: Case | None,
              in_reply_to: int | None, reference: str | None) -> SireneForm:
    now = now_utc()
    values = {str(k): v for k, v in fields.items()}
    spec = sirene.form_spec(form_type)
    names = {str(n): f.name for n, f in spec.fields.items()}
    values = {names.get(k, k): v for k, v in values.items()}
    values.setdefault("timestamp_utc", now.isoformat())
    values["sender"], values["recipient"] = values.get("sender") or sender, recipient
    if alert is not None:
        values.setdefault("schengen_id", alert.schengen_id)
        if "alert_article" in names.values():
            values.setdefault("alert_article", alert.article)
    if direction == "in":
        if not reference:
            raise InvalidInput("reference: an incoming form carries the sender's reference",
                               field="reference", rule="sirene.reference")
        sirene.parse_reference(reference)
    values["reference"] = reference or "pending"
    errors = sirene.validate_form(form_type, values)
    if errors:
        raise InvalidInput("; ".join(errors), field="fields", rule=f"sirene_forms.{form_type}",
                           form_errors=errors)
    form = SireneForm(reference=reference or f"TMP-{now.timestamp()}-{id(values)}",
                      form_type=form_type, direction=direction,
                      alert_id=alert.id if alert else None, case_id=case.id if case else None,
                      in_reply_to=in_reply_to, sender=values["sender"], recipient=recipient,
                      fields=values, urgent=bool(values.get("urgent")),
                      urgent_reason=values.get("urgent_reason"), created_at=now,
                      sent_at=now if direction == "in" else None)
    src = case or alert
    if src is not None:
        marking.copy_markings(src, form)
    else:
        marking.apply(session, p, form, MarkingsIn(), lookup.home_agency(session).id)
    session.add(form)
    session.flush()
    if reference is None:
        form.reference = sirene.new_reference(sender, form.id, now)
        form.fields = {**values, "reference": form.reference}
    return form


def create_form(session: Session, p: Principal, data: FormIn) -> SireneForm:
    """A form in or out; replies are threaded to the form, the alert and the case they answer."""
    need(p, "message.send")
    parent = get_form(session, p, data.in_reply_to) if data.in_reply_to else None
    alert = get_alert(session, p, data.alert_id) if data.alert_id else None
    if alert is None and parent is not None and parent.alert_id:
        alert = get_alert(session, p, parent.alert_id)
    case = None
    if data.case_ref:
        case = case_by_ref(session, p, data.case_ref)
    elif parent is not None and parent.case_id:
        case = case_by_ref(session, p, str(parent.case_id))
    elif alert is not None and alert.case_id:
        case = case_by_ref(session, p, str(alert.case_id))
    if data.form_type == "A" and alert is not None and data.direction == "out":
        dup = session.scalar(select(func.count()).select_from(SireneForm).where(
            SireneForm.alert_id == alert.id, SireneForm.form_type == "A",
            SireneForm.direction == "out"))
        if dup:
            raise Conflict("an A form has already been sent for this alert (one per EAW)",
                           field="form_type", rule="sirene.form_a.one_per_eaw")
    home = _home_country(session)
    if data.direction == "in" and case is None:
        case = intake.intake_case(session, p, CaseIn(
            channel="schengen", title=f"SIRENE form {data.form_type} from {data.sender or '?'}",
            external_ref=data.reference, priority="high"))
    sender = (data.sender or "?") if data.direction == "in" else home
    form = _new_form(session, p, data.form_type, data.direction, data.fields, sender=sender,
                     recipient=data.recipient, alert=alert, case=case,
                     in_reply_to=parent.id if parent else None, reference=data.reference
                     if data.direction == "in" else None)
    if data.direction == "in" and case is not None:
        spec = sirene.form_spec(data.form_type)
        if spec.deadline:
            rule = load_rules().deadlines[spec.deadline]
            start = form.created_at
            due = compute_due(spec.deadline, start).due_at
            d = add_deadline(case, spec.deadline, f"{rule.label} ({form.reference})", rule.basis,
                             start, due)
            session.flush()
            form.deadline_id = d.id
    if data.direction == "out":
        _send(session, p, form, case)
    else:
        audit.record(session, p, "collection", "sirene_form", form.id,
                     details={"reference": form.reference, "type": form.form_type})
    if case is not None:
        _event(session, case, p, "sirene_form", form=form.reference, direction=data.direction)
    return form


def get_form(session: Session, p: Principal, form_id: int) -> SireneForm:
    return load_visible(session, p, SireneForm, form_id, "SIRENE form")


def _meet(case: Case | None, deadline_id: int | None, at: datetime) -> None:
    if case is None or deadline_id is None:
        return
    for d in case.deadlines:
        if d.id == deadline_id and d.met_at is None:
            d.met_at = at
    refresh_next_due(case)


def _send(session: Session, p: Principal, form: SireneForm, case: Case | None) -> None:
    now = now_utc()
    form.sent_at = now
    _meet(case, form.deadline_id, now)
    if form.in_reply_to:  # answering an incoming form meets its limit
        parent = session.get(SireneForm, form.in_reply_to)
        if parent is not None:
            _meet(case, parent.deadline_id, now)
    audit.record(session, p, "disclosure", "sirene_form", form.id, recipients=[form.recipient],
                 details={"reference": form.reference, "type": form.form_type})


def send_form(session: Session, p: Principal, form_id: int) -> SireneForm:
    need(p, "message.send")
    form = get_form(session, p, form_id)
    if form.direction != "out":
        raise Conflict("incoming forms are not sent", field="form", rule="direction")
    if form.sent_at is not None:
        raise Conflict(f"form {form.reference} was sent at {form.sent_at.isoformat()}",
                       field="form", rule="sent_once")
    case = session.get(Case, form.case_id) if form.case_id else None
    _send(session, p, form, case)
    return form


def forms_of_alert(session: Session, p: Principal, alert_id: int) -> list[SireneForm]:
    alert = get_alert(session, p, alert_id)
    return list(session.scalars(select(SireneForm).where(SireneForm.alert_id == alert.id)
                                .order_by(SireneForm.created_at, SireneForm.id)))


def form_by_reference(session: Session, p: Principal, reference: str) -> SireneForm:
    form = session.scalar(select(SireneForm).where(SireneForm.reference == reference))
    if form is None:
        raise NotFound(f"no SIRENE form {reference}")
    return form
