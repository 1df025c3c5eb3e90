"""Tips read for the anonymous public, without the access filter (the named bypasses).

The public has no principal, so the row filter hides every tip and every tip message from it;
a sender must still find their own tip by its reference code (after which the PIN decides),
then read and extend its follow-up thread. These functions are the only places that read tips
or tip messages unfiltered; tests/store/test_tips.py keeps each to its purpose.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ncb.store.children import ALL_ROWS
from ncb.store.models import AuditEntry, AuditHead, Tip, TipMessage

_UNFILTERED = {"skip_access": True}
# Tip messages are child rows (ncb.store.children): only ALL_ROWS reads them without a caller.
_THREAD = {ALL_ROWS: True, "skip_access": True}


def reference_taken(session: Session, reference: str) -> bool:
    """Whether any tip (visible to the caller or not) already has this reference code."""
    found = session.scalar(select(Tip.id).where(Tip.reference == reference)
                           .execution_options(**_UNFILTERED))
    return found is not None


def by_reference(session: Session, reference: str) -> Tip | None:
    """The tip with this reference code, for the sender who must then give its PIN."""
    return session.scalar(select(Tip).where(Tip.reference == reference)
                          .execution_options(**_UNFILTERED))


def thread(session: Session, tip: Tip) -> list[tuple[str, str]]:
    """(kind, body) of the tip's follow-up messages, oldest first, for its sender: call only
    after the reference and PIN check (ncb.services.tips), which is what hands over `tip`."""
    rows = session.execute(select(TipMessage.kind, TipMessage.body)
                           .where(TipMessage.tip_id == tip.id).order_by(TipMessage.id)
                           .execution_options(**_THREAD)).all()
    return [(kind, body) for kind, body in rows]


def answers_since(session: Session, tip: Tip, since: datetime) -> int:
    """How many answers the sender gave to this tip since `since` (the per-tip hourly limit)."""
    return session.scalar(select(func.count(TipMessage.id)).where(
        TipMessage.tip_id == tip.id, TipMessage.kind == "answer", TipMessage.at >= since)
        .execution_options(**_THREAD)) or 0


def lock_chain(session: Session) -> None:
    """Take the audit head's write lock (a no-op update), so two writers of the deferred
    public entries cannot both see the same entries as missing."""
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq))


def unlogged_public_events(session: Session, before: datetime
                           ) -> tuple[list[tuple[int, datetime]], list[tuple[int, int, datetime]]]:
    """Tips (id, hour) and answers (id, tip id, hour) received before `before` whose
    collection by the public is not yet in the audit log."""
    logged_tips: set[int] = set()
    logged_answers: dict[int, int] = {}  # tip id -> how many of its answers are logged
    rows = session.execute(select(AuditEntry.record_id, AuditEntry.details).where(
        AuditEntry.record_kind == "tip", AuditEntry.action == "collection",
        AuditEntry.actor_user_id.is_(None))).all()
    for record_id, details in rows:
        if record_id is None or not record_id.isdigit():
            continue
        if (details or {}).get("follow_up") == "answer":
            logged_answers[int(record_id)] = logged_answers.get(int(record_id), 0) + 1
        else:
            logged_tips.add(int(record_id))
    tips = [(tid, hour) for tid, hour in session.execute(
        select(Tip.id, Tip.received_hour).where(Tip.received_hour < before).order_by(Tip.id)
        .execution_options(**_UNFILTERED)).all() if tid not in logged_tips]
    answers: list[tuple[int, int, datetime]] = []
    seen: dict[int, int] = {}
    for mid, tid, at in session.execute(
            select(TipMessage.id, TipMessage.tip_id, TipMessage.at).where(
                TipMessage.kind == "answer", TipMessage.at < before).order_by(TipMessage.id)
            .execution_options(**{ALL_ROWS: True})):  # every tip's answers, whoever asks
        seen[tid] = seen.get(tid, 0) + 1
        if seen[tid] > logged_answers.get(tid, 0):  # a tip's answers are logged in order
            answers.append((mid, tid, at))
    return tips, answers
