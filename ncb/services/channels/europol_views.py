"""What the Europol pages show: SIENA cases with their message counts, one case's messages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.reading import case_by_ref
from ncb.store.models import Case, Message


def case_list(session: Session, p: Principal, latest: int) -> dict[str, Any]:
    """The `latest` Europol cases (NCB_EUROPOL_LATEST_CASES), newest first, with message counts."""
    cases = list(session.scalars(select(Case).where(Case.channel == "europol")
                                 .order_by(Case.received_at.desc()).limit(latest)))
    counts = {int(cid): int(n) for cid, n in session.execute(
        select(Message.case_id, func.count()).where(Message.case_id.in_(
            [c.id for c in cases] or [0])).group_by(Message.case_id)).all()}
    return {"cases": cases, "counts": counts}


def case_page(session: Session, p: Principal, ref: str) -> dict[str, Any]:
    """One Europol case, its messages in order, the code lists the send form offers."""
    case = case_by_ref(session, p, ref)
    messages = list(session.scalars(select(Message).where(Message.case_id == case.id)
                                    .order_by(Message.sent_at, Message.id)))
    rules = load_rules()
    scheme = rules.grading["europol_4x4"]
    return {"case": case, "messages": messages, "codes": rules.handling_codes["europol"].codes,
            "source_codes": scheme.source_codes, "info_codes": scheme.information_codes,
            "can_send": p.has("message.send")}
