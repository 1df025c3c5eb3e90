"""A subject access request as a case: opened with the statutory clock as its deadline (one
calendar month from receipt, extensible once), identities confirmed, decisions, answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels.common import add_deadline, refresh_next_due
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from ncb.services.inputs import CaseIn, MarkingsIn
from ncb.services.intake import intake_case
from ncb.services.reading import case_by_ref
from ncb.store import audit
from ncb.store.models import Case, Identity, SubjectAccessRequest
from ncb.store.models.base import utcnow

CLOCK = "subject_access_reply"
PARTICULARS = ("name", "first_name", "last_name", "date_of_birth", "nationality", "identifier",
               "aliases")


@dataclass
class Particulars:
    name: str
    first_name: str | None = None
    last_name: str | None = None
    date_of_birth: str | None = None
    nationality: str | None = None
    identifier: str | None = None
    aliases: tuple[str, ...] = ()


def need_handler(p: Principal) -> None:
    if not p.has("subject_access.handle"):
        raise Forbidden("your role may not handle subject access requests",
                        rule="permission:subject_access.handle")


def load(session: Session, p: Principal, ref: str) -> tuple[Case, SubjectAccessRequest]:
    """The request's case (through the access filter) and then its row: never the row alone."""
    need_handler(p)
    case = case_by_ref(session, p, ref)
    sar = session.scalar(select(SubjectAccessRequest)
                         .where(SubjectAccessRequest.case_id == case.id))
    if sar is None:
        raise NotFound(f"case {case.reference} is not a subject access request")
    return case, sar


def open_request(session: Session, p: Principal, who: Particulars,
                 received_at: datetime | None = None, note: str = "") -> tuple[Case,
                                                                          SubjectAccessRequest]:
    need_handler(p)
    if len(who.name.strip()) < 2:
        raise InvalidInput("name: the requester's name", field="name", rule="required")
    rules = load_rules().subject_access
    received = (received_at or utcnow()).astimezone(UTC)
    if received > utcnow():
        raise InvalidInput("received_at: cannot be in the future", field="received_at",
                           rule="not_future")
    case = intake_case(session, p, CaseIn(
        channel="data_protection", title=f"Subject access request: {who.name.strip()}"[:300],
        summary=note, received_at=received, requesting_country=who.nationality,
        markings=MarkingsIn(classification="OFFICIAL-SENSITIVE")))
    session.refresh(case, ["deadlines"])
    for d in list(case.deadlines):  # the statutory clock replaces the service level
        d.met_at = received
    add_deadline(case, CLOCK, rules.clock.label, rules.clock.source, received,
                 rules.clock.period.after(received))
    sar = SubjectAccessRequest(case_id=case.id, received_at=received, created_by=p.user_id,
                               particulars={k: v for k, v in who.__dict__.items()
                                            if v not in (None, (), "")} |
                               {"aliases": list(who.aliases)})
    session.add(sar)
    session.flush()
    audit.record(session, p, "collection", "subject_access", case.reference,
                 details={"clock_due": case.next_due_at.isoformat() if case.next_due_at
                          else None})
    return case, sar


def clock(case: Case) -> Any:
    return next((d for d in case.deadlines if d.rule_id == CLOCK and d.met_at is None), None)


def extend(session: Session, p: Principal, ref: str, reason: str) -> Case:
    case, sar = load(session, p, ref)
    if len((reason or "").strip()) < 5:
        raise InvalidInput("reason: say why the reply needs longer", field="reason",
                           rule="required")
    if sar.extended_at is not None:
        raise Conflict("the clock was already extended", field="extension", rule="sar.extended")
    current = clock(case)
    if sar.status == "open" and sar.identity_requested_at and sar.identity_received_at is None:
        raise Conflict("no clock runs while proof of identity is awaited; extend once it has "
                       "arrived", field="extension", rule="sar.identity_awaited")
    if sar.status != "open" or current is None:
        raise Conflict("the request is answered", field="status", rule="sar.answered")
    rules = load_rules().subject_access
    now = utcnow()
    current.met_at = now
    add_deadline(case, CLOCK, rules.extension.label, rules.extension.source, sar.received_at,
                 rules.extension.period.after(current.due_at))
    sar.extended_at, sar.extension_reason = now, reason.strip()
    audit.record(session, p, "alteration", "subject_access", case.reference,
                 justification=reason.strip(), details={"extended_to": case.next_due_at
                                                        and case.next_due_at.isoformat()})
    return case


def confirm_identities(session: Session, p: Principal, ref: str,
                       identity_ids: list[int]) -> SubjectAccessRequest:
    """The handler says which identities are the requester (the pack is made from them)."""
    case, sar = load(session, p, ref)
    from ncb.services.identities.person import person_view

    for ident in identity_ids:
        if session.get(Identity, ident) is None:
            raise InvalidInput(f"identity_ids: no identity {ident}", field="identity_ids",
                               rule="exists")
        person_view(session, p, ident, log=False)  # 404 unless the handler sees an appearance
    sar.identity_ids = sorted(set(identity_ids))
    audit.record(session, p, "combination", "subject_access", case.reference,
                 details={"identities": sar.identity_ids})
    return sar


def decide(session: Session, p: Principal, ref: str, item: str, disclose: bool,
           ground: str | None, note: str = "") -> SubjectAccessRequest:
    """Disclose an item of the pack, or withhold it on a ground from the rules."""
    case, sar = load(session, p, ref)
    kind = item.split(":", 1)[0]
    grounds = load_rules().subject_access.exemptions
    if not disclose:
        if ground not in grounds:
            raise InvalidInput(f"ground: one of {', '.join(grounds)}", field="ground",
                               rule="code_list")
        if kind not in grounds[ground].applies_to:
            raise InvalidInput(f"ground: {ground} does not apply to a {kind}", field="ground",
                               rule="sar.ground_applies")
    sar.decisions = {**sar.decisions, item: {"disclose": disclose,
                                             "ground": None if disclose else ground,
                                             "by": p.user_id, "note": note}}
    audit.record(session, p, "alteration", "subject_access", case.reference,
                 details={"item": item, "disclose": disclose, "ground": ground})
    return sar


def answer(session: Session, p: Principal, ref: str) -> Case:
    case, sar = load(session, p, ref)
    if sar.status == "answered":
        raise Conflict("the request is already answered", field="status", rule="sar.answered")
    now = utcnow()
    for d in case.deadlines:
        if d.rule_id == CLOCK and d.met_at is None:
            d.met_at = now
    refresh_next_due(case)
    sar.status, sar.answered_at = "answered", now
    audit.record(session, p, "alteration", "subject_access", case.reference,
                 details={"answered": now.isoformat()})
    return case


def listing(session: Session, p: Principal, limit: int = 200) -> list[dict[str, Any]]:
    """Requests the handler may see (joined to their cases), nearest clock first."""
    need_handler(p)
    rows = session.execute(select(Case, SubjectAccessRequest)
                           .join(SubjectAccessRequest, SubjectAccessRequest.case_id == Case.id)
                           .order_by(SubjectAccessRequest.status.desc(), Case.next_due_at)
                           .limit(limit)).all()
    return [{"reference": c.reference, "name": s.particulars.get("name", ""),
             "status": s.status, "received_at": s.received_at, "due_at": c.next_due_at,
             "extended": s.extended_at is not None,
             "awaiting_proof": s.identity_requested_at is not None
             and s.identity_received_at is None} for c, s in rows]
