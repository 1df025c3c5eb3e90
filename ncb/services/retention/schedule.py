"""When each held record falls due for review, from the rules (ncb/rules/data_protection.yaml).

A record is first due `review_after` its date (per channel, notice type, SIS article, or the
tip's or appeal's status); after a review that keeps it, on the next review date that review set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true

from ncb.rules import load_rules
from ncb.rules.data_protection_models import RecordRetention, ReviewPeriod
from ncb.store.models import Alert, Appeal, Case, Notice, RetentionReview, Tip


@dataclass(frozen=True)
class Kind:
    """How one record type is read: model, the date its period runs from (in SQL, and read
    from a loaded row), the period key."""

    code: str
    model: Any
    anchor: Any
    start: Callable[[Any], datetime]
    by: Any


def _appeal_start(a: Any) -> datetime:
    return a.caught_at or a.published_at or a.created_at


KINDS: dict[str, Kind] = {
    "case": Kind("case", Case, Case.received_at, lambda r: r.received_at, Case.channel),
    "notice": Kind("notice", Notice, Notice.created_at, lambda r: r.created_at,
                   Notice.notice_type),
    "alert": Kind("alert", Alert, Alert.created_at, lambda r: r.created_at, Alert.article),
    # The hour of arrival only (the tip keeps no finer time).
    "tip": Kind("tip", Tip, Tip.received_hour, lambda r: r.received_hour, Tip.status),
    # A live appeal from its publication, a caught fugitive's from the capture.
    "appeal": Kind("appeal", Appeal,
                   func.coalesce(Appeal.caught_at, Appeal.published_at, Appeal.created_at),
                   _appeal_start, Appeal.status),
}


def spec(kind: str) -> RecordRetention:
    return load_rules().retention.record_types[kind]  # type: ignore[index]


def period_of(kind: str, record: Any) -> ReviewPeriod:
    return spec(kind).period_for(getattr(record, KINDS[kind].by.key))


def latest_review(kind: str) -> Any:
    """The record's latest next-review date (a correlated scalar subquery), or NULL."""
    model = KINDS[kind].model
    return (select(func.max(RetentionReview.next_review_at))
            .where(RetentionReview.record_kind == kind, RetentionReview.record_id == model.id)
            .correlate(model).scalar_subquery())


def due_by(kind: str, cutoff: datetime) -> ColumnElement[bool]:
    """SQL: the record is due for review on or before `cutoff`."""
    k, s = KINDS[kind], spec(kind)
    first = [and_(k.by == value, k.anchor <= cutoff - per.review_after.as_timedelta())
             for value, per in s.periods.items()]
    others = or_(k.by.is_(None), k.by.not_in(list(s.periods))) if s.periods else true()
    first.append(and_(others, k.anchor <= cutoff - s.review_after.as_timedelta()))
    latest = latest_review(kind)
    return or_(and_(latest.is_(None), or_(*first)), latest <= cutoff)


def due_at(kind: str, record: Any, latest: datetime | None) -> datetime:
    """The record's review date: the last review's next date, else its date plus the period."""
    if latest is not None:
        return latest
    return KINDS[kind].start(record) + period_of(kind, record).review_after.as_timedelta()
