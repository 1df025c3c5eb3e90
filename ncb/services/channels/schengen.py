"""Schengen / SIRENE: SIS alerts by article, hits that open a G form, and threaded SIRENE forms.

Which data each article needs, the numbered fields of each form, the reference layout and the
12-hour limits are rules (ncb/rules/schengen.yaml, ncb.domain.sirene); this module stores them,
keeps the case deadlines in step and logs every transfer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain import sirene
from ncb.domain.deadlines import compute_due
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import intake, lookup, marking
from ncb.services.casework import _event
from ncb.services.channels.common import add_deadline, need, not_future, now_utc, refresh_next_due
from ncb.services.channels.common import country as _country
from ncb.services.entities import erase_entity
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from ncb.services.inputs import ENTITY_KINDS, CaseIn, MarkingsIn, Strict
from ncb.services.reading import case_by_ref, load_visible
from ncb.store import audit
from ncb.store.models import Alert, Case, CaseEntity, Entity, SireneForm

SCREENED_OBJECTS = ("vehicle", "travel_document", "firearm", "phone")
REVIEW_RULE = "sis_alert_review"
REVIEW_BASIS = ("Reg. (EU) 2018/1862 Art. 53: the issuing state reviews the need to keep an alert "
                "by its review date, or it is deleted")


class AlertIn(Strict):
    article: str
    issuing_country: str
    schengen_id: str | None = Field(default=None, max_length=60)
    data: dict[str, Any] = Field(default_factory=dict)
    review_date: AwareDatetime | None = None
    flagged: bool = False
    flag_reason: str | None = Field(default=None, max_length=2000)
    misused_identity: dict[str, Any] | None = None
    misused_identity_consent: bool = False
    case_ref: str | None = None
    markings: MarkingsIn | None = None

    _c = field_validator("issuing_country")(_country)

    @field_validator("article")
    @classmethod
    def _article(cls, v: str) -> str:
        from ncb.services.inputs import _in_list

        return _in_list(v, load_rules().sis_articles, "SIS alert article") or v


class EraseIn(Strict):
    justification: str = Field(min_length=5, max_length=2000,
                               description="Why the alert is erased (audited)")


class HitIn(Strict):
    hit_at: AwareDatetime
    place: str = Field(min_length=1, max_length=300)
    action_taken: str = Field(min_length=1, max_length=5000)
    urgent: bool = False
    urgent_reason: str | None = Field(default=None, max_length=2000)
    additional_information: str | None = Field(default=None, max_length=20000)
    case_ref: str | None = None


class FormIn(Strict):
    form_type: Literal["A", "G", "M", "I"]
    direction: Literal["in", "out"] = "out"
    recipient: str = Field(min_length=2, max_length=40)
    sender: str | None = Field(default=None, max_length=40)
    reference: str | None = Field(default=None, description="Incoming forms: the sender's")
    alert_id: int | None = None
    case_ref: str | None = None
    in_reply_to: int | None = None
    fields: dict[str, Any] = Field(default_factory=dict, description="By field number or name")


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _home_country(session: Session) -> str:
    return lookup.home_agency(session).country


def create_alert(session: Session, p: Principal, data: AlertIn) -> Alert:
    need(p, "entity.create")
    spec = load_rules().sis_articles[data.article]
    missing = [f for f in spec.required_fields if _blank(data.data.get(f))]
    if missing:
        raise InvalidInput(f"data: Art. {data.article} alerts need {', '.join(missing)} "
                           f"({spec.source})", field=f"data.{missing[0]}",
                           rule=f"sis_articles.{data.article}.required_fields",
                           missing_fields=missing)
    if data.flagged and _blank(data.flag_reason):
        raise InvalidInput("flag_reason: a flag needs its reason", field="flag_reason",
                           rule="sis.flag_reason")
    if data.misused_identity and not data.misused_identity_consent:
        raise InvalidInput("misused_identity: stored only with the victim's consent",
                           field="misused_identity_consent", rule="sis.misused_identity.consent")
    case = case_by_ref(session, p, data.case_ref) if data.case_ref else None
    home = lookup.home_agency(session)
    alert = Alert(schengen_id=data.schengen_id or f"TMP-{now_utc().timestamp()}-{id(data)}",
                  article=data.article, issuing_country=data.issuing_country,
                  case_id=case.id if case else None, data=dict(data.data),
                  warrant_reference=data.data.get("warrant_reference"), flagged=data.flagged,
                  flag_reason=data.flag_reason, review_date=data.review_date,
                  misused_identity=data.misused_identity,
                  misused_identity_consent=data.misused_identity_consent)
    shares: list[int] = []
    if data.markings is not None:
        shares = marking.apply(session, p, alert, data.markings, home.id)
    elif case is not None:
        marking.copy_markings(case, alert)
    else:
        shares = marking.apply(session, p, alert, MarkingsIn(), home.id)
    session.add(alert)
    session.flush()
    if not data.schengen_id:
        alert.schengen_id = f"{data.issuing_country}-SIS-{alert.id:010d}"
    marking.add_shares(session, alert, shares, p.user_id, alert.handling_conditions)
    ent = _subject(session, p, alert, spec.subject_kind)
    alert.entity_id = ent.id if ent else None
    if alert.review_date is not None:
        _review_deadline(session, p, alert, case, data.markings)
    audit.record(session, p, "collection", "alert", alert.id,
                 details={"article": data.article, "schengen_id": alert.schengen_id,
                          "entity": alert.entity_id})
    return alert


def _review_label(alert: Alert) -> str:
    return f"SIS alert review ({alert.schengen_id})"


def _review_deadline(session: Session, p: Principal, alert: Alert, case: Case | None,
                     markings: MarkingsIn | None) -> None:
    """The review date as a case deadline, so the queues show it. Our own alert without a case
    gets one (its intake limit becomes the review limit); another state reviews its own alerts,
    so theirs only get the deadline when they hang off one of our cases."""
    assert alert.review_date is not None
    due = alert.review_date.astimezone(UTC)
    now = now_utc()
    if case is not None:
        add_deadline(case, REVIEW_RULE, _review_label(alert), REVIEW_BASIS, now, due)
        return
    home = _home_country(session)
    if alert.issuing_country != home:
        return
    case = intake.intake_case(session, p, CaseIn(
        channel="schengen", direction="outgoing",
        title=f"SIS alert {alert.schengen_id}: Art. {alert.article}"[:300],
        external_ref=alert.schengen_id[:80], requesting_country=home, country=home,
        priority="normal", received_at=now, markings=markings or MarkingsIn()))
    session.flush()
    d = case.deadlines[0]
    d.rule_id, d.label, d.basis = REVIEW_RULE, _review_label(alert), REVIEW_BASIS
    d.starts_at, d.due_at = now, due
    refresh_next_due(case)
    alert.case_id = case.id
    if alert.entity_id:
        session.add(CaseEntity(case_id=case.id, entity_id=alert.entity_id, role="alert_subject",
                               provenance=f"SIS alert {alert.schengen_id}", added_by=p.user_id))


def erase_alert(session: Session, p: Principal, alert_id: int, data: EraseIn) -> Alert:
    """Erase an alert (supervisor, justified, audited as `erasure`): its data, the misused
    identity and its subject entity (so screening no longer finds it) go; the review deadline
    is closed. The row stays as a tombstone (id, article, state) so SIRENE threads still resolve."""
    if not (p.has("case.read_desk") and p.has("case.assign")):
        raise Forbidden("only a supervisor may erase alerts", rule="permission:case.read_desk")
    alert = get_alert(session, p, alert_id)
    if alert.status == "erased":
        raise Conflict(f"alert {alert.schengen_id} is already erased", field="status",
                       rule="sis.erased")
    erased: list[str] = ["data"]
    if alert.misused_identity is not None:
        erased.append("misused_identity")
    alert.misused_identity, alert.misused_identity_consent = None, False
    alert.data, alert.flag_reason, alert.warrant_reference = {}, None, None
    alert.status = "erased"
    entity_id, alert.entity_id = alert.entity_id, None
    session.flush()
    if entity_id is not None and session.get(Entity, entity_id) is not None:
        erase_entity(session, p, entity_id, data.justification)
        erased.append(f"entity {entity_id}")
    now = now_utc()
    case = session.get(Case, alert.case_id) if alert.case_id else None
    if case is not None:
        for d in case.deadlines:
            if d.rule_id == REVIEW_RULE and d.label == _review_label(alert) and d.met_at is None:
                d.met_at = now
        refresh_next_due(case)
        _event(session, case, p, "alert_erased", alert=alert.schengen_id)
    audit.record(session, p, "erasure", "alert", alert.id, justification=data.justification,
                 details={"schengen_id": alert.schengen_id, "erased": erased,
                          "case": case.reference if case else None})
    return alert


def _subject(session: Session, p: Principal, alert: Alert, kind: str) -> Entity | None:
    """The alert's subject as an Entity (watch_role "alert") so screening finds it."""
    d = alert.data
    if kind != "object" and (d.get("surname") or d.get("forenames")):
        ent = Entity(kind="person", display_name=" ".join(
                         str(x) for x in (d.get("forenames"), d.get("surname")) if x),
                     first_name=d.get("forenames"), last_name=d.get("surname"),
                     aliases=list(d.get("aliases") or []),
                     date_of_birth=d.get("date_of_birth"), gender=d.get("sex"),
                     nationality=d.get("nationality"), place_of_birth=d.get("place_of_birth"))
    else:
        ident = d.get("object_identifier") or d.get("subject_identifier")
        if not ident:
            return None
        cat = str(d.get("object_category") or "")
        ent = Entity(kind=cat if cat in ENTITY_KINDS.__args__ else "vehicle",  # type: ignore[attr-defined]
                     display_name=str(ident), identifier=str(ident))
    ent.watch_role, ent.source_kind, ent.source_ref = "alert", "sis_alert", alert.schengen_id
    ent.created_by, ent.details = p.user_id, {"article": alert.article}
    marking.copy_markings(alert, ent)
    session.add(ent)
    session.flush()
    intake._add_keys(session, "entity", ent.id, ent.display_name, ent.first_name, ent.last_name,
                     *ent.aliases, idents=(ent.identifier,))
    return ent


def get_alert(session: Session, p: Principal, alert_id: int) -> Alert:
    return load_visible(session, p, Alert, alert_id, "alert")


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
    spec = sirene.form_spec("G")
    rule = load_rules().deadlines[spec.deadline or "sirene_g_form"]
    if data.case_ref or alert.case_id:
        case = case_by_ref(session, p, data.case_ref or str(alert.case_id))
        deadline = add_deadline(case, spec.deadline or "sirene_g_form", rule.label, rule.basis,
                                hit_at, due)
    else:
        case = intake.intake_case(session, p, CaseIn(
            channel="schengen", direction="incoming",
            title=f"SIS hit: Art. {alert.article} alert {alert.schengen_id}",
            external_ref=alert.schengen_id, requesting_country=alert.issuing_country,
            country=alert.issuing_country, priority="urgent" if data.urgent else "high",
            received_at=hit_at))
        deadline = case.deadlines[0]  # the intake limit becomes the G-form limit
        deadline.rule_id, deadline.label, deadline.basis = (spec.deadline or "sirene_g_form",
                                                            rule.label, rule.basis)
        deadline.starts_at, deadline.due_at = hit_at, due
        refresh_next_due(case)
        alert.case_id = alert.case_id or case.id
        if alert.entity_id:
            session.add(CaseEntity(case_id=case.id, entity_id=alert.entity_id, role="alert_subject",
                                   provenance=f"SIS alert {alert.schengen_id}",
                                   added_by=p.user_id))
    session.flush()
    d = alert.data
    fields = {"offence_category": d.get("offence") or d.get("offence_category")
              or load_rules().sis_articles[alert.article].label,
              "alert_reason": d.get("reason") or load_rules().sis_articles[alert.article].label,
              "urgent": data.urgent, "urgent_reason": data.urgent_reason,
              "hit_time_utc": hit_at.isoformat(), "hit_place": data.place,
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
