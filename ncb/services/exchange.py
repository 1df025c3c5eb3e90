"""Messages, attachments and disclosure: everything that crosses the bureau's boundary is logged."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain import europol
from ncb.domain.policy import Principal, Recipient, can_receive
from ncb.services import guard, lookup, marking
from ncb.services.casework import _event, _need
from ncb.services.errors import Forbidden, InvalidInput, NotFound, TooLarge
from ncb.services.exchange_inputs import MessageIn, ShareIn
from ncb.services.inputs import MarkingsIn
from ncb.services.reading import case_by_ref, load_visible
from ncb.settings import Settings
from ncb.store import audit
from ncb.store.access import marking_of
from ncb.store.models import (
    Agency,
    Attachment,
    Case,
    Entity,
    Message,
    Note,
    Share,
    SharingGroupMember,
)

EUROPOL_CODES = ("H0", "H1", "H2", "H3")
KINDS: dict[str, Any] = {"case": Case, "entity": Entity, "message": Message, "note": Note,
                         "attachment": Attachment}


def add_message(session: Session, p: Principal, ref: str, data: MessageIn) -> Message:
    _need(p, "message.send")
    case = case_by_ref(session, p, ref)
    guard.need_case_write(p, case, "message.send")
    msg = Message(case_id=case.id, direction=data.direction, channel=case.channel,
                  sender=data.sender, recipients=list(data.recipients), subject=data.subject,
                  body=data.body, in_reply_to=data.in_reply_to,
                  provider_permission=data.provider_permission)
    m = data.markings
    if data.in_reply_to is not None:
        parent = session.scalar(select(Message).where(Message.id == data.in_reply_to,
                                                      Message.case_id == case.id))
        if parent is None:
            raise InvalidInput(f"in_reply_to: no message {data.in_reply_to} on this case",
                               field="in_reply_to", rule="same_case")
        # A reply inherits the strictest restriction of what it answers.
        # Europol codes (H0-H3) have an order; other schemes keep the reply's own or the
        # parent's code.
        codes = [c for c in (parent.handling_code, m.handling_code if m else None)
                 if c and c.upper() in EUROPOL_CODES]
        strictest = europol.reply_handling(codes) if codes else None
        base = m or MarkingsIn(classification=parent.classification, tlp=parent.tlp,
                               handling_code=parent.handling_code,
                               handling_conditions=parent.handling_conditions)
        m = base.model_copy(update={"handling_code": strictest or base.handling_code,
                                    "handling_conditions": base.handling_conditions
                                    or parent.handling_conditions})
    marking.add_marked(session, p, msg, m, case)
    _event(session, case, p, "message", message_id=msg.id, direction=data.direction)
    action = "disclosure" if data.direction == "out" else "collection"
    audit.record(session, p, action, "message", msg.id, recipients=list(data.recipients),
                 details={"case": case.reference, "subject": data.subject})
    return msg


def forward_message(
    session: Session, p: Principal, ref: str, message_id: int, recipients: list[str]
) -> Message:
    """Forward a message: H2 needs the provider's recorded permission."""
    _need(p, "message.send")
    if not recipients:
        raise InvalidInput("recipients: name at least one recipient", field="recipients",
                           rule="required")
    case = case_by_ref(session, p, ref)
    orig = session.scalar(select(Message).where(Message.id == message_id,
                                                Message.case_id == case.id))
    if orig is None:
        raise NotFound(f"no message {message_id} on case {case.reference}")
    code = (orig.handling_code or "").upper()
    if code in EUROPOL_CODES:
        europol.check_forward(code, orig.provider_permission)
    elif code in ("4", "5"):
        raise Forbidden(f"handling code {code} (legacy 5x5x5) forbids passing this message on; "
                        "refer to the originator", field="handling_code", rule="no_forward")
    data = MessageIn(direction="out", sender=p.agency_code, recipients=recipients,
                     subject=f"FW: {orig.subject}", body=orig.body, in_reply_to=orig.id,
                     provider_permission=orig.provider_permission)
    return add_message(session, p, ref, data)


def add_attachment(
    session: Session, p: Principal, ref: str, filename: str, content_type: str, content: bytes,
    markings: MarkingsIn | None = None, *, settings: Settings,
) -> Attachment:
    """Attach a file to the case; above NCB_MAX_ATTACHMENT_MB (the app's `settings`) it is
    refused with the large-file route."""
    _need(p, "case.note")
    limit = settings.max_attachment_mb * 1024 * 1024
    if len(content) > limit:
        raise TooLarge(
            f"{filename} is {len(content) / 1048576:.1f} MB; attachments above "
            f"{settings.max_attachment_mb} MB are refused here: send it through the "
            "large-file exchange route and attach its reference instead",
            field="file", rule="max_size", limit_bytes=limit,
        )
    if not filename.strip():
        raise InvalidInput("file: a file name is required", field="file", rule="required")
    case = case_by_ref(session, p, ref)
    guard.need_case_write(p, case, "case.note")
    att = Attachment(case_id=case.id, filename=filename[:255], content_type=content_type[:120],
                     size=len(content), sha256=hashlib.sha256(content).hexdigest(), data=content,
                     uploaded_by=p.user_id)
    marking.add_marked(session, p, att, markings, case)
    _event(session, case, p, "attachment", attachment_id=att.id, filename=att.filename)
    audit.record(session, p, "collection", "attachment", att.id,
                 details={"case": case.reference, "sha256": att.sha256, "size": att.size})
    return att


def open_attachment(session: Session, p: Principal, ref: str, att_id: int) -> Attachment:
    """An attachment of a visible case, its download logged as a consultation."""
    case = case_by_ref(session, p, ref)
    att = session.scalar(select(Attachment).where(Attachment.id == att_id,
                                                  Attachment.case_id == case.id))
    if att is None:
        raise NotFound(f"no attachment {att_id} on case {case.reference}")
    audit.record(session, p, "consultation", "attachment", att.id,
                 details={"case": case.reference})
    return att


def share(session: Session, p: Principal, kind: str, rid: int, data: ShareIn) -> list[dict[str, Any]]:
    """Disclose a record to named agencies: all pass the policy or nothing is shared."""
    _need(p, "case.note")
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind", rule="code_list")
    record = load_visible(session, p, KINDS[kind], rid, kind)
    mk = marking_of(session, record)
    guard.check_disclosure(p, mk.originator_agency_id)
    results = []
    refused = []
    targets: list[Agency] = []
    for i, code in enumerate(data.agencies):
        agency = lookup.agency(session, code, f"agencies[{i}]")
        groups = frozenset(session.scalars(select(SharingGroupMember.group_id).where(
            SharingGroupMember.agency_id == agency.id)).all())
        d = can_receive(Recipient(agency.id, agency.code, agency.max_classification_rank, groups),
                        mk, p.agency_id, data.provider_permission)
        results.append({"agency": code, "allowed": d.allowed, "reasons": list(d.reasons)})
        if d.allowed:
            targets.append(agency)
        else:
            refused.append(code)
    if refused:
        raise Forbidden(f"disclosure refused for {', '.join(refused)}", field="agencies",
                        rule="markings", decisions=results)
    for agency in targets:
        if agency.id not in mk.shared_agency_ids:
            session.add(Share(record_kind=kind, record_id=rid, agency_id=agency.id,
                              shared_by=p.user_id, conditions=record.handling_conditions))
    # A case is logged under its reference, like every other entry about it.
    audit.record(session, p, "disclosure", kind, getattr(record, "reference", None) or rid,
                 justification=data.justification,
                 recipients=[a.code for a in targets])
    return results
