"""The retention review queue: held records the reviewer may see whose review is due.

Every read is an ORM query on the marked record (or joined to it), so the access filter keeps a
record the reviewer may not see, and its reviews, out of the queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.context import settings_of
from ncb.services.errors import Forbidden, InvalidInput
from ncb.services.retention.schedule import KINDS, due_at, due_by, latest_review, period_of, spec
from ncb.store.models import Appeal, Case, RetentionReview, User
from ncb.store.models.base import utcnow


@dataclass
class QueueItem:
    kind: str
    record_id: int
    reference: str
    title: str
    category: str
    due_at: datetime
    overdue: bool
    rule_source: str
    rule_check: bool
    classification: str
    last_review: dict[str, Any] | None = None


@dataclass
class Queue:
    horizon_days: int
    cutoff: datetime
    items: list[QueueItem] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    rules: list[dict[str, Any]] = field(default_factory=list)


def need_reviewer(p: Principal) -> None:
    if not p.has("retention.review"):
        raise Forbidden("your role may not review retention", rule="permission:retention.review")


def describe(kind: str, record: Any) -> tuple[str, str, str]:
    """(reference, title, category) of a record as its reviewer sees it."""
    if kind == "case":
        return record.reference, record.title, record.channel
    if kind == "notice":
        return (f"{record.notice_type} {record.notice_ref}",
                str(record.data.get("name") or record.data.get("title") or "Interpol notice"),
                record.notice_type)
    if kind == "tip":  # never its words nor the sender's reference code: its public id
        return record.public_id, f"Anonymous tip ({record.status})", record.status
    if kind == "appeal":
        state = ("live" if record.published_at and not record.withdrawn_at else
                 "withdrawn" if record.withdrawn_at else "draft")
        return f"appeal {record.id}", f"Public appeal: {record.name} ({state})", record.status
    return (record.schengen_id, f"SIS alert Art. {record.article} ({record.status})",
            f"Art. {record.article}")


def condition(code: str, cutoff: datetime) -> Any:
    """SQL: records of this kind in the queue by `cutoff`."""
    k = KINDS[code]
    cond = due_by(code, cutoff)
    if code == "alert":
        cond = cond & (k.model.status != "erased")  # an erased alert is a tombstone
    if code == "appeal":  # appeals carry no markings: seen with their case
        cond = cond & select(Case.id).where(Case.id == Appeal.case_id).exists()
    return cond


def review_queue(session: Session, p: Principal, *, kind: str | None = None,
                 horizon_days: int | None = None, limit: int | None = None,
                 now: datetime | None = None) -> Queue:
    need_reviewer(p)
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind",
                           rule="code_list")
    rules = load_rules().retention
    horizon = rules.horizon_days if horizon_days is None else horizon_days
    if not 0 <= horizon <= 3660:
        raise InvalidInput("horizon_days: between 0 and 3660", field="horizon_days",
                           rule="range")
    now = now or utcnow()
    limit = limit or settings_of(session).retention_queue_rows  # per kind
    queue = Queue(horizon, now + timedelta(days=horizon))
    for code in [kind] if kind else list(KINDS):
        k = KINDS[code]
        cond = condition(code, queue.cutoff)
        queue.totals[code] = session.scalar(select(func.count()).select_from(k.model)
                                            .where(cond)) or 0
        rows = session.execute(select(k.model, latest_review(code)).where(cond)
                               .order_by(k.anchor, k.model.id).limit(limit)).all()
        for record, latest in rows:
            ref, title, category = describe(code, record)
            per = period_of(code, record)
            due = due_at(code, record, latest)
            queue.items.append(QueueItem(code, record.id, ref, title, category, due, due <= now,
                                         per.source, per.check,
                                         getattr(record, "classification", "unmarked (appeal)")))
        s = spec(code)
        queue.rules.append({"kind": code, "label": s.label, "days": s.review_after.amount,
                            "source": s.source, "periods": {
                                v: {"days": x.review_after.amount, "source": x.source}
                                for v, x in s.periods.items()}})
    _last_reviews(session, queue.items)
    queue.items.sort(key=lambda i: (i.due_at, i.kind, i.record_id))
    return queue


def _last_reviews(session: Session, items: list[QueueItem]) -> None:
    # Reviews of records already in the (filtered) queue only: never of a hidden record.
    by_key = {(i.kind, i.record_id): i for i in items}
    if not by_key:
        return
    ids = {i.record_id for i in items}
    rows = session.execute(select(RetentionReview, User.username)
                           .outerjoin(User, User.id == RetentionReview.decided_by)
                           .where(RetentionReview.record_id.in_(ids))
                           .order_by(RetentionReview.id)).all()
    for review, username in rows:
        item = by_key.get((review.record_kind, review.record_id))
        if item is not None:
            item.last_review = {"decision": review.decision, "reason": review.reason,
                                "by": username or "system", "at": review.decided_at,
                                "next_review_at": review.next_review_at}
