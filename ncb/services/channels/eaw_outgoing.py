"""Outgoing EAWs (the UK asks another state): translation and transmission."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ncb.domain import eaw as domain
from ncb.domain.policy import Principal
from ncb.services.casework import _event
from ncb.services.channels.common import need, not_future

# Events that only move the status (the clock events come from the rules' eaw_clocks).
from ncb.services.channels.eaw_inputs import OUTGOING_STEPS, TranslationIn, TransmitIn
from ncb.services.channels.eaw_limits import get
from ncb.services.errors import Conflict, InvalidInput
from ncb.store import audit
from ncb.store.models import Case, Warrant


def translation(session: Session, p: Principal, warrant_id: int, data: TranslationIn) -> Warrant:
    need(p, "case.transition")
    w = get(session, p, warrant_id)
    at = not_future(data.at, "at")
    hist = list((w.translation or {}).get("history", []))
    hist.append({"language": data.language, "status": data.status, "at": at.isoformat(),
                 "by": p.username})
    done = data.status == "received" or bool((w.translation or {}).get("translated"))
    w.translation = {"translated": done, "history": hist}
    if done and w.direction == "outgoing" and w.status == "drafted":
        w.status = "translated"
    audit.record(session, p, "alteration", "warrant", w.id,
                 details={"translation": data.status, "language": data.language})
    return w


def transmit(session: Session, p: Principal, warrant_id: int, data: TransmitIn) -> Warrant:
    """Send an outgoing warrant: complete sections and a translation are required."""
    need(p, "message.send")
    w = get(session, p, warrant_id)
    if w.direction != "outgoing":
        raise Conflict("only outgoing warrants are transmitted", field="warrant", rule="direction")
    if w.status not in OUTGOING_STEPS[:2]:
        raise Conflict(f"warrant is already {w.status}", field="status", rule="eaw.outgoing")
    missing = domain.missing_sections(domain.Warrant.model_validate(w.sections))
    if missing:
        raise InvalidInput("warrant: complete section(s) " + ", ".join(missing)
                           + " before transmission", field="warrant.sections",
                           rule="eaw.sections.required", missing_sections=missing)
    if not (w.translation or {}).get("translated"):
        raise InvalidInput("warrant: the translation has not been received", field="translation",
                           rule="eaw.translation.required")
    at = not_future(data.at, "at")
    w.status, w.transmitted_at = "transmitted", at
    case = session.get(Case, w.case_id)
    assert case is not None
    _event(session, case, p, "warrant_transmitted", warrant_id=w.id, recipients=data.recipients)
    audit.record(session, p, "disclosure", "warrant", w.id, recipients=list(data.recipients),
                 justification=data.justification or "EAW transmission",
                 details={"case": case.reference, "executing_country": w.executing_country})
    return w


