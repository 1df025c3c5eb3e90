"""Erasure of the public side's records at the end of retention: an anonymous tip, a wanted
appeal. Audited as `erasure` with the reason; what stays (the case note a dispatched tip
became, the tips that named an appeal, the appeal's subject entity) is said in the report."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.errors import Conflict, NotFound
from ncb.services.reading import load_visible
from ncb.services.retention.erasure import ErasureReport
from ncb.services.tips import log_closed_hours
from ncb.store import audit, holdings
from ncb.store.models import Appeal, Case, RetentionReview, Share, Tip
from ncb.store.models.base import utcnow


def load_appeal(session: Session, p: Principal, appeal_id: int) -> Appeal:
    """An appeal (no markings of its own) as far as its case is visible to the caller."""
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"no appeal {appeal_id}")
    load_visible(session, p, Case, appeal.case_id, "case")
    return appeal


def _forget(session: Session, kind: str, record_id: int) -> None:
    session.execute(delete(Share).where(Share.record_kind == kind, Share.record_id == record_id))
    session.execute(
        delete(RetentionReview).where(
            RetentionReview.record_kind == kind, RetentionReview.record_id == record_id
        )
    )
    holdings.forget_received(session, [(kind, record_id)])


def erase_tip(session: Session, p: Principal, tip_id: int, reason: str) -> ErasureReport:
    tip = load_visible(session, p, Tip, tip_id, "tip")
    # The public's own entries are logged once their hour closes (ncb.services.tips); a tip
    # erased before that would leave its arrival out of the log.
    log_closed_hours(session)
    if tip.received_hour + timedelta(hours=1) > utcnow():
        raise Conflict(
            "this tip arrived within the current hour; erase it once the hour has "
            "closed (its arrival is logged then)",
            field="record",
            rule="retention.tip_hour_open",
        )
    report = ErasureReport("tip", tip.id, tip.public_id)  # never the sender's code
    case = session.get(Case, tip.case_id) if tip.case_id else None
    case_ref = case.reference if case else None
    _forget(session, "tip", tip.id)
    session.delete(tip)  # its follow-up messages go with it (ON DELETE CASCADE)
    session.flush()
    report.erased += [
        f"tip {report.reference}",
        "its follow-up messages",
        "the sender's reference code and PIN (they open nothing now)",
    ]
    if case_ref:
        report.kept.append(f"the sanitised note on case {case_ref} (reviewed with the case)")
    audit.record(
        session,
        p,
        "erasure",
        "tip",
        tip_id,
        justification=reason,
        details={"retention": True, "erased": report.erased, "kept": report.kept},
    )
    return report


def erase_appeal(session: Session, p: Principal, appeal_id: int, reason: str) -> ErasureReport:
    appeal = load_appeal(session, p, appeal_id)
    if appeal.published_at is not None and appeal.withdrawn_at is None:
        raise Conflict(
            "this appeal is on the public site: withdraw it first (a recorded decision), then erase",
            field="record",
            rule="retention.appeal_live",
        )
    report = ErasureReport("appeal", appeal.id, f"appeal {appeal.id}")
    case_ref = session.get(Case, appeal.case_id).reference  # type: ignore[union-attr]
    tips = holdings.unlink_appeal_tips(session, appeal.id)
    _forget(session, "appeal", appeal.id)
    entity_id = appeal.entity_id
    session.delete(appeal)
    session.flush()
    report.erased += [f"appeal {appeal_id} ({appeal.name})", "its photo and description"]
    if tips:
        report.kept.append(f"{tips} tip(s) that named it (their own review; the link goes)")
    if entity_id is not None:
        report.kept.append(f"entity {entity_id}: held by case {case_ref}")
    audit.record(
        session,
        p,
        "erasure",
        "appeal",
        appeal_id,
        justification=reason,
        details={"retention": True, "case": case_ref, "erased": report.erased, "kept": report.kept},
    )
    return report
