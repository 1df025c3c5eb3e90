"""What the case page's exchange forms show (messages, reply options, who may do what) and
which record of a case a share form names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.inputs import handling_codes
from ncb.services.reading import case_by_ref
from ncb.settings import Settings
from ncb.store.ids import parse_id
from ncb.store.models import Attachment, Case, Message

NOTHING = {"messages": [], "can_send": False, "can_share": False, "can_upload": False}


def case_exchange(session: Session, p: Principal, case: Case, settings: Settings) -> dict[str, Any]:
    """Messages of the case (only those visible to `p`), who may do what, the upload limit."""
    rows = list(session.scalars(select(Message).where(Message.case_id == case.id)
                                .order_by(Message.id)))
    return {
        "messages": rows,
        "reply_options": [("", "Not a reply")] + [
            (str(m.id), f"#{m.id} {m.subject[:60]} (handling {m.handling_code or 'none'})")
            for m in rows],
        "can_send": p.has("message.send"),
        "can_share": p.has("record.share"),
        "can_upload": p.has("case.note"),
        "handling_codes": sorted(handling_codes()),
        "tlp": list(load_rules().tlp),
        "max_mb": settings.max_attachment_mb,
    }


def share_target(session: Session, p: Principal, ref: str, value: str | None) -> tuple[str, int]:
    """'case', 'message:12' or 'attachment:3' of case `ref`, as (kind, id)."""
    case = case_by_ref(session, p, ref)
    kind, _, rid = (value or "case").partition(":")
    if kind == "case":
        return "case", case.id
    model: Any = {"message": Message, "attachment": Attachment}.get(kind)
    record_id = parse_id(rid)
    if model is None or record_id is None:
        raise DomainError("record", "code_list", "choose what to share from the list")
    found = session.scalar(select(model.id).where(model.id == record_id, model.case_id == case.id))
    if found is None:
        raise DomainError("record", "same_case", "that record is not on this case")
    return kind, int(found)
