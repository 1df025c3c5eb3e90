"""What the Interpol pages show: notices by type and status, one notice with its case."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels import interpol
from ncb.store.models import Case, Notice


def notice_list(session: Session, p: Principal, notice_type: str, status: str, page: int,
                size: int) -> dict[str, Any]:
    """One page of notices, most recently changed first."""
    q = select(Notice).order_by(Notice.updated_at.desc(), Notice.id.desc())
    if notice_type:
        q = q.where(Notice.notice_type == notice_type)
    if status:
        q = q.where(Notice.status == status)
    rows = list(session.scalars(q.offset((max(page, 1) - 1) * size).limit(size + 1)))
    return {"items": rows[:size], "has_next": len(rows) > size, "statuses": interpol.STATUSES,
            "can_draft": p.has("notice.draft")}


def notice_page(session: Session, p: Principal, notice_id: int) -> dict[str, Any]:
    n = interpol.get(session, p, notice_id)
    rules = load_rules()
    return {"n": n, "case": session.get(Case, n.case_id) if n.case_id else None,
            "kind": rules.notice_types.get(n.notice_type),
            "characters": list(rules.article3_characters.items()),
            "can_draft": p.has("notice.draft")}
