"""Europol (SIENA) messages: handling codes and the 4x4 evaluation set by the provider.

The exchange rules themselves (reply inheritance, H2 forwarding, the 50 MB limit) live in
ncb.services.exchange and ncb.domain.europol; this adds the SIENA-shaped input and the recorded
provider permission that later forwarding depends on.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain import europol as domain
from ncb.domain.policy import Principal
from ncb.services import exchange
from ncb.services.casework import _event
from ncb.services.channels.common import need
from ncb.services.errors import InvalidInput, NotFound
from ncb.services.exchange_inputs import MessageIn
from ncb.services.inputs import MarkingsIn, Strict
from ncb.services.reading import case_by_ref
from ncb.store import audit
from ncb.store.models import Message


class SienaMessageIn(Strict):
    direction: Literal["in", "out"]
    sender: str = Field(min_length=1, max_length=200)
    recipients: list[str] = Field(default_factory=list, max_length=100)
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(default="", max_length=100000)
    handling_code: Literal["H0", "H1", "H2", "H3"]
    handling_conditions: str | None = Field(default=None, max_length=2000,
                                            description="H3: the provider's restriction")
    source_reliability: str | None = Field(default=None, description="4x4 source: A, B, C, X")
    information_accuracy: str | None = Field(default=None, description="4x4 information: 1-4")
    classification: str = "OFFICIAL"
    in_reply_to: int | None = None
    provider_permission: bool = False


class PermissionIn(Strict):
    note: str = Field(min_length=3, max_length=2000, description="How and when it was given")


def send(session: Session, p: Principal, ref: str, data: SienaMessageIn) -> Message:
    if data.handling_code == "H3" and not (data.handling_conditions or "").strip():
        raise InvalidInput("handling_conditions: H3 carries the provider's restriction as text",
                           field="handling_conditions", rule="europol.handling.H3")
    if (data.source_reliability is None) != (data.information_accuracy is None):
        raise InvalidInput("evaluation: give both source_reliability and information_accuracy",
                           field="source_reliability", rule="europol.evaluation")
    ev = None
    if data.source_reliability is not None:
        ev = domain.validate_evaluation(data.source_reliability, data.information_accuracy or "")
    markings = MarkingsIn(classification=data.classification, handling_code=data.handling_code,
                          handling_conditions=data.handling_conditions, tlp=None,
                          source_grade=ev.source if ev else None,
                          intel_grade=ev.information if ev else None)
    return exchange.add_message(session, p, ref, MessageIn(
        direction=data.direction, sender=data.sender, recipients=data.recipients,
        subject=data.subject, body=data.body, in_reply_to=data.in_reply_to,
        provider_permission=data.provider_permission, markings=markings))


def record_permission(session: Session, p: Principal, ref: str, message_id: int,
                      data: PermissionIn) -> Message:
    """Record the provider's permission to pass a message on (needed for H2)."""
    need(p, "message.send")
    case = case_by_ref(session, p, ref)
    msg = session.scalar(select(Message).where(Message.id == message_id,
                                               Message.case_id == case.id))
    if msg is None:
        raise NotFound(f"no message {message_id} on case {case.reference}")
    msg.provider_permission = True
    _event(session, case, p, "provider_permission", message_id=msg.id)
    audit.record(session, p, "alteration", "message", msg.id, justification=data.note,
                 details={"provider_permission": True, "case": case.reference})
    return msg
