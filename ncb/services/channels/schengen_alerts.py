"""SIS alerts: recording one by article (its subject as a screened entity, its review date as a
deadline) and erasing one."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import intake, lookup, marking
from ncb.services.casework import _event
from ncb.services.channels.common import add_deadline, need, now_utc, refresh_next_due
from ncb.services.channels.schengen_inputs import REVIEW_BASIS, REVIEW_RULE, AlertIn, EraseIn, _blank
from ncb.services.entities import erase_entity
from ncb.services.errors import Conflict, Forbidden, InvalidInput
from ncb.services.inputs import ENTITY_KINDS, CaseIn, MarkingsIn
from ncb.services.reading import case_by_ref, load_visible
from ncb.store import audit
from ncb.store.models import Alert, Case, CaseEntity, Entity


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
    session.flush()  # written: the caller's view reads it back
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


