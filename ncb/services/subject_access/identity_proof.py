"""Proof of identity for a subject access request (DPA 2018 s.52(4), s.54(3)(b)).

The handler may ask the requester for information to confirm who they are. The applicable
period is one month from the latest "relevant time", and the receipt of that information is
one: so while proof is awaited no clock runs (the case shows it waits), and when the proof
arrives the clock starts again, one month from its arrival (plus the extension, if one was
given). Both steps are audited.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels.common import add_deadline, refresh_next_due
from ncb.services.errors import Conflict, InvalidInput
from ncb.services.subject_access.requests import CLOCK, clock, load
from ncb.store import audit
from ncb.store.models import Case, SubjectAccessRequest
from ncb.store.models.base import utcnow


def waiting(sar: SubjectAccessRequest) -> bool:
    """Proof was asked for and has not arrived: no clock runs."""
    return sar.identity_requested_at is not None and sar.identity_received_at is None


def ask_for_proof(session: Session, p: Principal, ref: str, what: str) -> Case:
    """Ask the requester for proof of identity; the clock stops until it arrives."""
    case, sar = load(session, p, ref)
    text = (what or "").strip()
    if len(text) < 5:
        raise InvalidInput(
            "what: say what proof is asked for (it is sent to the requester)", field="what", rule="required"
        )
    if sar.status != "open":
        raise Conflict("the request is answered", field="status", rule="sar.answered")
    if sar.identity_requested_at is not None:
        raise Conflict(
            f"proof of identity was already asked for on {sar.identity_requested_at:%Y-%m-%d}",
            field="identity",
            rule="sar.identity_asked",
        )
    now = utcnow()
    current = clock(case)
    if current is not None:
        current.met_at = now  # suspended, not met: the new clock runs from the proof
    refresh_next_due(case)
    sar.identity_requested_at, sar.identity_request = now, text
    audit.record(
        session,
        p,
        "alteration",
        "subject_access",
        case.reference,
        justification=text,
        details={"identity_proof": "requested", "clock": "waits for the proof (DPA 2018 s.54(3))"},
    )
    return case


def proof_received(session: Session, p: Principal, ref: str, received_at: datetime | None = None) -> Case:
    """The proof asked for arrived: one month from its arrival is the new reply date."""
    case, sar = load(session, p, ref)
    if not waiting(sar):
        raise Conflict(
            "no proof of identity is awaited on this request", field="identity", rule="sar.identity_not_asked"
        )
    now = utcnow()
    when = (received_at or now).astimezone(UTC)
    asked = sar.identity_requested_at or now
    if when > now:
        raise InvalidInput("received_at: cannot be in the future", field="received_at", rule="not_future")
    if when < asked:
        raise InvalidInput(
            f"received_at: not before the proof was asked for ({asked:%Y-%m-%d})",
            field="received_at",
            rule="after_request",
        )
    rules = load_rules().subject_access
    due = rules.identity_clock.period.after(when)
    label, basis = rules.identity_clock.label, rules.identity_clock.source
    if sar.extended_at is not None:
        due = rules.extension.period.after(due)
        label, basis = f"{label}, extended", f"{basis}; {rules.extension.source}"
    add_deadline(case, CLOCK, label, basis, when, due)
    sar.identity_received_at = when
    audit.record(
        session,
        p,
        "alteration",
        "subject_access",
        case.reference,
        details={"identity_proof": "received", "received_at": when.isoformat(), "clock_due": due.isoformat()},
    )
    return case
