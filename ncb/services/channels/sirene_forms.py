"""SIRENE forms: building one from its numbered fields, recording incoming forms, sending
outgoing ones (meeting their 12-hour limits) and threading replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain import sirene
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import lookup, marking
from ncb.services.casework import _event
from ncb.services.channels import schengen_cases
from ncb.services.channels.common import need, now_utc, refresh_next_due
from ncb.services.channels.schengen_alerts import _home_country, get_alert
from ncb.services.channels.schengen_inputs import FormIn
from ncb.services.errors import Conflict, InvalidInput, NotFound
from ncb.services.inputs import MarkingsIn
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
    values.setdefault("timestamp_utc", now.replace(microsecond=0).isoformat())
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


def prefill(alert: Alert) -> dict[str, Any]:
    """The fields a form on `alert` takes from it (an officer's own value wins)."""
    d = alert.data or {}
    label = load_rules().sis_articles[alert.article].label
    return {"schengen_id": alert.schengen_id, "alert_article": alert.article,
            "offence_category": d.get("offence") or d.get("offence_category") or label,
            "alert_reason": d.get("reason") or label}


def _alert_of(session: Session, p: Principal, data: FormIn, parent: SireneForm | None
              ) -> Alert | None:
    """The alert a form concerns: named, the replied-to form's, or the one its Schengen ID
    (field 005) names, so an incoming form typed in by hand still lands on its alert."""
    if data.alert_id:
        return get_alert(session, p, data.alert_id)
    if parent is not None and parent.alert_id:
        return get_alert(session, p, parent.alert_id)
    sid = data.fields.get("schengen_id") or data.fields.get("5")
    if isinstance(sid, str) and sid.strip():
        return session.scalar(select(Alert).where(Alert.schengen_id == sid.strip()))
    return None


def create_form(session: Session, p: Principal, data: FormIn) -> SireneForm:
    """A form in or out; replies are threaded to the form, the alert and the case they answer.

    An incoming form goes on the open case of its thread or alert, or on one new schengen case
    (never on a closed one), with exactly one reply limit for it."""
    need(p, "message.send")
    parent = get_form(session, p, data.in_reply_to) if data.in_reply_to else None
    alert = _alert_of(session, p, data, parent)
    explicit = case_by_ref(session, p, data.case_ref) if data.case_ref else None
    candidate = explicit
    if candidate is None and parent is not None and parent.case_id:
        candidate = session.get(Case, parent.case_id)
    if candidate is None and alert is not None and alert.case_id:
        candidate = session.get(Case, alert.case_id)
    if data.form_type == "A" and alert is not None and data.direction == "out":
        dup = session.scalar(select(func.count()).select_from(SireneForm).where(
            SireneForm.alert_id == alert.id, SireneForm.form_type == "A",
            SireneForm.direction == "out"))
        if dup:
            raise Conflict("an A form has already been sent for this alert (one per EAW)",
                           field="form_type", rule="sirene.form_a.one_per_eaw")
    home = _home_country(session)
    placed = None
    if data.direction == "in" or candidate is not None:
        what = f"SIS hit on alert {alert.schengen_id}" if alert and data.form_type == "G" \
            else f"SIRENE form {data.form_type} from {data.sender or '?'}"
        placed = schengen_cases.place(
            session, p, alert=alert, candidate=candidate, explicit=explicit is not None,
            title=what, country=data.sender if data.direction == "in" else data.recipient,
            priority="high", at=now_utc())
    case = placed.case if placed else None
    sender = (data.sender or "?") if data.direction == "in" else home
    spec = sirene.form_spec(data.form_type)
    names = {f.name for f in spec.fields.values()}
    fields = ({k: v for k, v in prefill(alert).items() if k in names} if alert else {}) | {
        k: v for k, v in data.fields.items() if v not in (None, "")}
    form = _new_form(session, p, data.form_type, data.direction, fields, sender=sender,
                     recipient=data.recipient, alert=alert, case=case,
                     in_reply_to=parent.id if parent else None, reference=data.reference
                     if data.direction == "in" else None)
    reply_rule = _reply_rule(spec.deadline)
    if data.direction == "in" and placed is not None and reply_rule:
        rule = load_rules().deadlines[reply_rule]
        d = schengen_cases.form_limit(session, placed, reply_rule,
                                      f"{rule.label} ({form.reference})", form.created_at)
        form.deadline_id = d.id
    elif placed is not None and placed.fresh:
        _close_intake_limit(placed.case)
    if data.direction == "out":
        _send(session, p, form, case)
    else:
        audit.record(session, p, "collection", "sirene_form", form.id,
                     details={"reference": form.reference, "type": form.form_type,
                              "case": case.reference if case else None})
    if case is not None:
        _event(session, case, p, "sirene_form", form=form.reference, form_type=form.form_type,
               direction="received" if data.direction == "in" else "sent",
               alert=alert.schengen_id if alert else None)
    session.flush()  # written: the caller's view reads it back
    return form


def _reply_rule(form_rule: str | None) -> str | None:
    """Our limit on a form we receive: the channel's reply limit (SIRENE Manual s.1.13). A
    G form's own limit binds its sender (they had 12 hours to tell us of the hit), not us."""
    if form_rule is None:
        return None
    return load_rules().channels["schengen"].service_deadline or form_rule


def _close_intake_limit(case: Case) -> None:
    """An outgoing form that had to open a case (its thread's case was closed) is itself the
    answer: the case's intake limit is met at once."""
    for d in case.deadlines:
        d.met_at = d.met_at or now_utc()
    refresh_next_due(case)


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
        raise Conflict(f"form {form.reference} was sent at {form.sent_at:%Y-%m-%d %H:%M} UTC",
                       field="form", rule="sent_once")
    case = session.get(Case, form.case_id) if form.case_id else None
    _send(session, p, form, case)
    session.flush()  # written: the caller's view reads it back
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
