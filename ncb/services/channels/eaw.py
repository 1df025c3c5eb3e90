"""EAW central authority: warrant intake, certification, life-cycle events, clocks as deadlines.

Every rule (sections, thresholds, refusal grounds, clocks, allowed status moves) comes from
ncb.domain.eaw / eaw_clocks / workflow; this module stores, audits and keeps the case deadlines
in step with the clocks, so `next_due_at` is always the earliest unmet limit.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain import eaw as domain
from ncb.domain import workflow
from ncb.domain.eaw_clocks import known_events
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import intake, marking
from ncb.services.casework import _event
from ncb.services.channels import eaw_events
from ncb.services.channels.common import need, not_future, now_utc, refresh_next_due
from ncb.services.channels.eaw_inputs import (
    EVENT_STATUS,
    OUTGOING_STEPS,
    STATUS_EVENTS,
    TERMINAL,
    CertifyIn,
    EventIn,
    TranslationIn,
    TransmitIn,
    WarrantIn,
)
from ncb.services.channels.eaw_limits import clocks, events, get, release_required, sync_clocks
from ncb.services.channels.eaw_outgoing import translation, transmit
from ncb.services.errors import Conflict, InvalidInput, NotFound
from ncb.services.inputs import CaseIn, EntityIn
from ncb.store import audit
from ncb.store.models import Case, Message, Warrant, WarrantEvent


def event_kinds() -> set[str]:
    return known_events() | STATUS_EVENTS


def _check_sections(data: WarrantIn) -> None:
    missing = domain.missing_sections(data.warrant)
    if missing:
        labels = load_rules().eaw_sections
        named = ", ".join(f"({m}) {labels[m].label}" for m in missing)
        raise InvalidInput(f"warrant: missing section(s) {named}", field="warrant.sections",
                           rule="eaw.sections.required", missing_sections=missing)


def receive(session: Session, p: Principal, data: WarrantIn,
            direction: Literal["incoming", "outgoing"] = "incoming") -> Warrant:
    """Incoming EAW (or an outgoing draft): a case on channel `eaw` and its Warrant record."""
    need(p, "case.create")
    if direction == "incoming":
        _check_sections(data)
    w = data.warrant
    ident = w.identity
    person = []
    if ident is not None:
        person = [EntityIn(kind="person", first_name=ident.forenames, last_name=ident.name,
                           aliases=list(ident.aliases),
                           date_of_birth=ident.date_of_birth.isoformat()
                           if ident.date_of_birth else None,
                           gender=ident.sex, nationality=ident.nationality[0] if ident.nationality else None,
                           place_of_birth=ident.place_of_birth or None, role="requested_person",
                           provenance=f"EAW {data.reference}")]
    other = data.issuing_country if direction == "incoming" else data.executing_country
    name = f"{ident.forenames} {ident.name}" if ident else "(identity to complete)"
    case = intake.intake_case(session, p, CaseIn(
        channel="eaw", direction=direction, title=f"EAW {data.reference}: {name}"[:300],
        external_ref=data.reference[:80], requesting_country=data.issuing_country,
        country=other, crime_area=None, priority="high", received_at=data.received_at,
        markings=data.markings, entities=person,
    ))
    status = workflow.initial_status("eaw") if direction == "incoming" else OUTGOING_STEPS[0]
    warrant = Warrant(case_id=case.id, direction=direction, reference=data.reference,
                      issuing_country=data.issuing_country,
                      executing_country=data.executing_country, status=status,
                      sections=w.model_dump(mode="json"),
                      translation={"translated": w.translated, "history": []},
                      proportionality_notes=data.proportionality_notes,
                      received_at=case.received_at)
    marking.copy_markings(case, warrant)
    session.add(warrant)
    session.flush()
    _event(session, case, p, "warrant", warrant_id=warrant.id, direction=direction)
    audit.record(session, p, "collection", "warrant", warrant.id,
                 details={"case": case.reference, "reference": data.reference,
                          "direction": direction})
    session.flush()  # written: the caller's view reads it back
    return warrant


def draft_outgoing(session: Session, p: Principal, data: WarrantIn) -> tuple[Warrant, list[str]]:
    """An outgoing EAW draft: stored even when incomplete; the missing sections are returned."""
    warrant = receive(session, p, data, direction="outgoing")
    return warrant, domain.missing_sections(data.warrant)


def _against_section_c(w: Warrant, data: CertifyIn) -> tuple[int | None, int | None]:
    """The months the officer certifies on must be those of section (c) of the warrant.

    A figure the warrant gives and the officer contradicts is refused (422 naming the field); a
    figure the officer leaves out is taken from the warrant.
    """
    sec = (w.sections or {}).get("sentence") or {}
    pairs = (("offence_max_months", data.offence_max_months, sec.get("max_penalty_months"),
              "maximum penalty"),
             ("sentence_months", data.sentence_months, sec.get("sentence_months"),
              "sentence passed"))
    out: list[int | None] = []
    for field, given, stated, what in pairs:
        if given is not None and stated is not None and given != stated:
            raise InvalidInput(f"{field}: {given} months does not match the {what} in section "
                               f"(c) of the warrant ({stated} months)", field=field,
                               rule="eaw.certification.section_c", section_c=sec)
        out.append(given if given is not None else stated)
    return out[0], out[1]


def certify(session: Session, p: Principal, warrant_id: int, data: CertifyIn) -> Warrant:
    """The designated authority's decision, with the check and the officer's reasons audited."""
    need(p, "eaw.certify")
    w = get(session, p, warrant_id)
    if w.direction != "incoming":
        raise Conflict("only incoming warrants are certified", field="warrant", rule="direction")
    offence_months, sentence_months = _against_section_c(w, data)
    result = domain.certification_check(offence_months, sentence_months,
                                        data.list_offence_code, data.dual_criminality,
                                        data.refusal_grounds)
    if data.decision == "certify" and not result.certifiable:
        raise InvalidInput("cannot certify: " + "; ".join(result.reasons), field="decision",
                           rule="eaw.certification", reasons=result.reasons, notes=result.notes)
    target = "certified" if data.decision == "certify" else "not_certified"
    workflow.check_transition(w.status, target, "eaw")
    now = now_utc()
    old, w.status = w.status, target
    w.certification = {"decision": data.decision, "officer": p.username, "at": now.isoformat(),
                       "reasons": data.reasons, "check": result.model_dump(mode="json"),
                       "input": data.model_dump(mode="json", exclude={"reasons"})}
    if data.proportionality_notes:
        w.proportionality_notes = data.proportionality_notes
    if target == "certified":
        w.certified_at = now
    case = session.get(Case, w.case_id)
    assert case is not None
    for d in case.deadlines:  # the intake service level is answered by the decision
        if d.met_at is None and not d.rule_id.startswith(("eaw_", "uk_")):
            d.met_at = now
    if target == "not_certified":
        w.outcome = "not_certified"
    refresh_next_due(case)
    _event(session, case, p, "certification", warrant_id=w.id, decision=data.decision,
           status=[old, target])
    audit.record(session, p, "alteration", "warrant", w.id, justification=data.reasons,
                 details={"decision": data.decision, "certifiable": result.certifiable,
                          "threshold": result.threshold, "check_reasons": result.reasons,
                          "notes": result.notes, "case": case.reference})
    return w


def _move(w: Warrant, kind: str) -> tuple[str, str] | None:
    target = EVENT_STATUS.get(kind)
    if target == w.status:
        return None
    if w.direction == "outgoing":
        if target is None:
            return None
        old, w.status = w.status, target
        return old, target
    if kind == "consent" and w.status == "arrested":  # consent is given before the judge
        target = "initial_hearing"
    if kind in ("decision", "final_decision") and w.status in ("decided", "appeal"):
        return None
    if kind in ("initial_hearing", "consent") and w.status != "arrested":
        return None
    if kind in ("decision", "final_decision") and w.status == "arrested":
        raise Conflict(f"{kind}: the judge decides at a hearing; record the initial hearing "
                       "(EA 2003 s.4, s.7) or the consent given before the judge (s.45) first",
                       field="kind", rule="eaw.hearing_first")
    if target is None:
        return None
    workflow.check_transition(w.status, target, "eaw")
    old, w.status = w.status, target
    return old, target


def _check_event_inputs(data: EventIn) -> None:
    """What an event must carry before it is stored (Art. 17(4) reasons, Art. 23(3) date)."""
    if data.kind == "extension" and not data.reason.strip():
        raise InvalidInput("reason: an extension needs the reasons given to the issuing "
                           "authority (FD 2002/584/JHA Art. 17(4))", field="reason",
                           rule="eaw.extension.reason")
    if data.kind == "force_majeure" and data.new_date is None:
        raise InvalidInput("new_date: force majeure needs the new surrender date agreed "
                           "(Art. 23(3))", field="new_date", rule="eaw.force_majeure")


def record_event(session: Session, p: Principal, warrant_id: int, data: EventIn) -> Warrant:
    """Store one life-cycle event, move the status, recompute every clock and the case deadlines."""
    need(p, "case.transition")
    w = get(session, p, warrant_id)
    if data.kind not in event_kinds():
        raise InvalidInput(f"kind: unknown event {data.kind!r}; known: "
                           + ", ".join(sorted(event_kinds())), field="kind", rule="code_list")
    _check_event_inputs(data)
    if data.kind == "decision" and w.consent and w.direction == "incoming":
        raise InvalidInput(f"kind: {eaw_events.CONSENT_IS_FINAL}", field="kind",
                           rule="eaw.consent_decision_is_final")
    if w.status in TERMINAL:
        raise Conflict(f"warrant is {w.status}; no further events", field="kind",
                       rule="eaw.terminal")
    if w.direction == "incoming" and w.status == "received":
        raise Conflict("certify the warrant before recording its execution", field="kind",
                       rule="eaw.certify_first")
    at = not_future(data.at, "at")
    if (data.kind in ("final_decision", "decision") and data.outcome == "refused"
            and data.refusal_ground not in load_rules().eaw_refusal_grounds):
        raise InvalidInput("refusal_ground: a refusal names its ground (eaw_refusal_grounds)",
                           field="refusal_ground", rule="code_list")
    ev = WarrantEvent(warrant_id=w.id, kind=data.kind, at=at, reason=data.reason,
                      new_date=data.new_date, recorded_by=p.user_id,
                      details={k: v for k, v in (("outcome", data.outcome),
                                                 ("refusal_ground", data.refusal_ground)) if v})
    session.add(ev)
    moved = _move(w, data.kind)
    if data.kind == "consent":
        w.consent = True
    if data.kind == "final_decision":
        w.outcome = data.outcome or "ordered"
        w.refusal_ground = data.refusal_ground
        if w.outcome == "refused":
            if w.direction == "incoming":
                workflow.check_transition(w.status, "discharged", "eaw")
            w.status = "discharged"
    if data.kind == "surrender":
        w.outcome = "surrendered"
    session.flush()
    case = session.get(Case, w.case_id)
    assert case is not None
    sync_clocks(session, w, case)
    _event(session, case, p, "warrant_event", warrant_id=w.id, event=data.kind,
           at=at.isoformat(), status=list(moved) if moved else None)
    audit.record(session, p, "alteration", "warrant", w.id, justification=data.reason or None,
                 details={"event": data.kind, "at": at.isoformat(), "case": case.reference})
    if data.kind == "extension":
        _inform_issuing_authority(session, p, w, case, data.reason)
    session.flush()  # written: the caller's view reads it back
    return w


def _inform_issuing_authority(session: Session, p: Principal, w: Warrant, case: Case,
                              reasons: str) -> None:
    """Art. 17(4): the issuing authority is told of the extension and its reasons."""
    to = f"issuing judicial authority ({w.issuing_country})"
    msg = Message(case_id=case.id, direction="out", channel="eaw", sender=p.agency_code,
                  recipients=[to], subject=f"EAW {w.reference}: time limit extended by 30 days",
                  body=reasons)
    marking.copy_markings(case, msg)
    session.add(msg)
    session.flush()
    audit.record(session, p, "disclosure", "message", msg.id, recipients=[to],
                 justification="FD 2002/584/JHA Art. 17(4): reasons for the extension",
                 details={"case": case.reference, "warrant": w.id})


def warrant_view(session: Session, w: Warrant, with_events: bool = True) -> dict[str, Any]:
    case = session.get(Case, w.case_id)
    out: dict[str, Any] = {
        "id": w.id, "case_reference": case.reference if case else None,
        "case_next_due_at": case.next_due_at if case else None, "direction": w.direction,
        "reference": w.reference, "issuing_country": w.issuing_country,
        "executing_country": w.executing_country, "status": w.status, "sections": w.sections,
        "translation": w.translation, "certification": w.certification,
        "proportionality_notes": w.proportionality_notes, "consent": w.consent,
        "outcome": w.outcome, "refusal_ground": w.refusal_ground,
        "release_required": w.release_required, "release_reasons": w.release_reasons,
        "received_at": w.received_at, "certified_at": w.certified_at,
        "transmitted_at": w.transmitted_at, "classification": w.classification,
    }
    if with_events:
        out["events"] = [{"kind": e.kind, "at": e.at, "reason": e.reason,
                          "new_date": e.new_date, "details": e.details}
                         for e in events(session, w)]
        out["deadlines"] = [{"id": d.id, "rule_id": d.rule_id, "label": d.label,
                             "due_at": d.due_at, "met_at": d.met_at}
                            for d in (case.deadlines if case else [])]
    return out


def by_reference(session: Session, p: Principal, ref: str) -> Warrant:
    w = session.scalar(select(Warrant).where(Warrant.reference == ref))
    if w is None:
        raise NotFound(f"no warrant {ref}")
    return w


__all__ = ["OUTGOING_STEPS", "TERMINAL", "CertifyIn", "EventIn", "TranslationIn", "TransmitIn",
           "WarrantIn", "by_reference", "certify", "clocks", "draft_outgoing", "event_kinds", "events",
           "get", "receive", "record_event", "release_required", "translation", "transmit",
           "warrant_view"]
