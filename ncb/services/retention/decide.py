"""A reviewer's retention decision on one held record: keep (with a reason and the next review
date) or erase (audited as erasure, the identities it was in updated)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.errors import InvalidInput
from ncb.services.reading import load_visible
from ncb.services.retention.erasure import ErasureReport, erase_case, erase_notice
from ncb.services.retention.erasure_public import erase_appeal, erase_tip, load_appeal
from ncb.services.retention.queue import need_reviewer
from ncb.services.retention.schedule import KINDS, period_of
from ncb.store import audit
from ncb.store import identities as store_identities
from ncb.store.models import Alert, RetentionReview
from ncb.store.models.base import utcnow


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if len(text) < 5:
        raise InvalidInput("reason: say why (at least 5 characters); it is audited",
                           field="reason", rule="required")
    return text


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind",
                           rule="code_list")
    return kind


def keep(session: Session, p: Principal, kind: str, record_id: int, reason: str,
         next_review_at: datetime | None = None) -> RetentionReview:
    """Keep the record: the reason is stored and audited; the next review is at most one period
    away (an earlier date may be set)."""
    need_reviewer(p)
    record = (load_appeal(session, p, record_id) if _kind(kind) == "appeal"
              else load_visible(session, p, KINDS[kind].model, record_id, kind))
    text = _reason(reason)
    now = utcnow()
    longest = now + period_of(kind, record).review_after.as_timedelta()
    if next_review_at is not None:
        if next_review_at.tzinfo is None:
            raise InvalidInput("next_review_at: give a time zone (UTC)", field="next_review_at",
                               rule="aware_datetime")
        if not now + timedelta(days=1) <= next_review_at <= longest:
            raise InvalidInput(f"next_review_at: between tomorrow and {longest.date()} (the "
                               "rule's period)", field="next_review_at", rule="retention.period")
    review = RetentionReview(record_kind=kind, record_id=record.id, decision="keep", reason=text,
                             next_review_at=next_review_at or longest, decided_by=p.user_id,
                             decided_at=now)
    session.add(review)
    session.flush()
    audit.record(session, p, "alteration", kind, record.id, justification=text,
                 details={"retention": "keep", "next_review_at": review.next_review_at.isoformat()})
    return review


def erase(session: Session, p: Principal, kind: str, record_id: int,
          reason: str) -> ErasureReport:
    need_reviewer(p)
    text = _reason(reason)
    if _kind(kind) == "case":
        return erase_case(session, p, record_id, text)
    if kind == "notice":
        return erase_notice(session, p, record_id, text)
    if kind == "tip":
        return erase_tip(session, p, record_id, text)
    if kind == "appeal":
        return erase_appeal(session, p, record_id, text)
    return _erase_alert(session, p, record_id, text)


def _erase_alert(session: Session, p: Principal, alert_id: int, reason: str) -> ErasureReport:
    from ncb.services.channels.schengen_alerts import erase_alert
    from ncb.services.channels.schengen_inputs import EraseIn

    alert = load_visible(session, p, Alert, alert_id, "alert")
    report = ErasureReport("alert", alert.id, alert.schengen_id)
    ident = store_identities.identity_of(session, alert.entity_id) if alert.entity_id else None
    subject = alert.entity_id
    erase_alert(session, p, alert_id, EraseIn(justification=reason))
    session.flush()
    report.erased.append(f"alert {alert.schengen_id} (data; the row stays as a tombstone)")
    if subject is not None:
        report.erased.append(f"entity {subject}")
    if ident is not None:
        left = store_identities.member_count(session, ident)
        audit.record(session, p, "erasure", "identity", ident, justification=reason,
                     details={"appearances_erased": [subject], "appearances_left": left,
                              "retention": "alert", "record": alert.schengen_id})
        report.identities.append({"identity_id": ident, "appearances_left": left})
    return report
