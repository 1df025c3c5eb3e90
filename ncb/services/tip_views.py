"""What a tip handler's screen or API shows of tips: one call builds the view of a list.

The case a tip went to and the case of the appeal it names are read for the whole list in two
queries (the queue used to ask twice per tip); both go through the access filter, so a case the
reader may not see is shown as none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import tips
from ncb.store.models import Appeal, Case, Tip


@dataclass(frozen=True)
class TipView:
    id: str  # the public id (random), never the row id
    reference: str | None  # the sender's reference code: tip handlers only
    status: str
    body: str | None  # as sent: tip handlers only
    sanitised_body: str | None
    case: str | None
    about_case: str | None  # case of the appeal the sender named
    received_hour: datetime
    messages: list[tips.MessageView] = field(default_factory=list)


def tip_views(
    session: Session, p: Principal, found: Sequence[Tip], with_messages: bool = False
) -> list[TipView]:
    case_ids = {t.case_id for t in found if t.case_id is not None}
    appeal_ids = {t.appeal_id for t in found if t.appeal_id is not None}
    cases = (
        dict(session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids))).all())
        if case_ids
        else {}
    )
    about = (
        dict(
            session.execute(
                select(Appeal.id, Case.reference)
                .join(Case, Appeal.case_id == Case.id)
                .where(Appeal.id.in_(appeal_ids))
            ).all()
        )
        if appeal_ids
        else {}
    )
    raw = tips.may_read_raw(p)
    return [
        TipView(
            id=t.public_id,
            reference=tips.reference_for(p, t),
            status=t.status,
            body=t.body if raw else None,
            sanitised_body=t.sanitised_body,
            case=cases.get(t.case_id) if t.case_id is not None else None,
            about_case=about.get(t.appeal_id) if t.appeal_id is not None else None,
            received_hour=t.received_hour,
            messages=tips.messages(session, p, t) if with_messages else [],
        )
        for t in found
    ]


def tip_view(session: Session, p: Principal, tip: Tip, with_messages: bool = True) -> TipView:
    return tip_views(session, p, [tip], with_messages)[0]
