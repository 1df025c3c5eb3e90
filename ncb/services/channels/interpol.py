"""Interpol: notices and diffusions (draft, Article 3, review, public extract, cancellation),
bulk import/export in the public notice JSON layout, and SLTD travel-document checks.

Parsing, the Article 3 assessment and the export layout are ncb.domain.interpol's; an import is
validated whole first and written in the caller's one transaction, so nothing is half-imported.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ncb.domain import interpol as domain
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import intake, marking
from ncb.services.casework import _event
from ncb.services.channels.common import need, not_future, now_utc
from ncb.services.channels.interpol_inputs import (
    STATUSES,
    Article3In,
    CancelIn,
    ConsentIn,
    NoticeIn,
    ReviewIn,
    SltdCheckIn,
    SltdIn,
)
from ncb.services.channels.notice_exchange import export_notices, import_notices, unwrap
from ncb.services.channels.notice_numbers import REF_ATTEMPTS, _next_ref
from ncb.services.channels.notice_subjects import _entity_for
from ncb.services.channels.sltd import norm_doc, sltd_add, sltd_check
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from ncb.services.inputs import CaseIn, MarkingsIn
from ncb.services.reading import case_by_ref, load_visible
from ncb.store import audit
from ncb.store.models import Entity, Notice


def draft(session: Session, p: Principal, data: NoticeIn) -> Notice:
    """Draft a notice (or diffusion) on an outgoing Interpol case; review deadline from intake."""
    need(p, "notice.draft")
    kind = load_rules().notice_types[data.notice_type]
    if kind.kind == "diffusion" and not data.recipients:
        raise InvalidInput("recipients: a diffusion names the NCBs it goes to (or 'all')",
                           field="recipients", rule="interpol.diffusion.recipients")
    try:
        rec = domain.NoticeRecord.model_validate(
            {**data.subject, "entity_id": f"{now_utc().year}-1", "notice_type": data.notice_type})
    except Exception as exc:  # pydantic ValidationError: name the subject field
        errs: list[Any] = getattr(exc, "errors", lambda: [])()
        first = errs[0] if errs else {"loc": (), "msg": str(exc)}
        field = "subject." + ".".join(str(x) for x in first["loc"])
        raise InvalidInput(f"{field}: {first['msg']}", field=field, rule="interpol.notice_json"
                           ) from None
    case = case_by_ref(session, p, data.case_ref) if data.case_ref else intake.intake_case(
        session, p, CaseIn(channel="interpol", direction="outgoing",
                           title=f"{kind.label}: {rec.forename or ''} {rec.name}".strip(),
                           requesting_country=data.requesting_country, priority="high",
                           markings=data.markings or MarkingsIn()))
    for attempt in range(REF_ATTEMPTS):
        ref = _next_ref(session)
        rec = rec.model_copy(update={"entity_id": ref})
        notice = Notice(notice_ref=ref, notice_type=data.notice_type, direction="outgoing",
                        status="draft", requesting_country=data.requesting_country,
                        case_id=case.id, data=domain.export_notice(rec),
                        recipients=list(data.recipients),
                        public_consent=data.notice_type == "un_special",
                        public_extract=data.notice_type == "un_special")
        marking.copy_markings(case, notice)
        try:
            with session.begin_nested():
                session.add(notice)
                session.flush()
            break
        except IntegrityError:  # an import or another draft took the number meanwhile
            if attempt == REF_ATTEMPTS - 1:
                raise Conflict("could not draw a free notice number; try again",
                               field="notice_ref", rule="interpol.notice_ref.unique") from None
    notice.entity_id = _entity_for(session, p, notice, rec).id
    _event(session, case, p, "notice_drafted", notice=notice.id, type=data.notice_type)
    audit.record(session, p, "collection", "notice", notice.id,
                 details={"type": data.notice_type, "case": case.reference})
    return notice


def get(session: Session, p: Principal, notice_id: int) -> Notice:
    return load_visible(session, p, Notice, notice_id, "notice")


def article3(session: Session, p: Principal, notice_id: int, data: Article3In) -> Notice:
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    at = not_future(data.assessed_at or now_utc(), "assessed_at")
    a = domain.article3_check(n.notice_ref, data.concerns, data.rationale, p.username, at)
    n.article3 = a.model_dump(mode="json")
    n.updated_at = now_utc()
    audit.record(session, p, "alteration", "notice", n.id, justification=data.rationale,
                 details={"article3": {"compliant": a.compliant, "concerns": a.concerns}})
    return n


def submit(session: Session, p: Principal, notice_id: int) -> Notice:
    """Send for review (notices) or directly to the chosen NCBs (diffusions): Article 3 first."""
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    if n.status != "draft":
        raise Conflict(f"notice is {n.status}, not draft", field="status", rule="interpol.draft")
    if not n.article3:
        raise InvalidInput("article3: record the Article 3 assessment first", field="article3",
                           rule="interpol.article3.required")
    if not n.article3.get("compliant"):
        raise Forbidden("Article 3 concerns recorded: " + ", ".join(n.article3["concerns"])
                        + "; " + n.article3["recommendation"], field="article3",
                        rule="interpol.article3")
    kind = load_rules().notice_types[n.notice_type]
    n.status = "review" if kind.reviewed else "sent"
    n.updated_at = now_utc()
    action = "disclosure"
    recipients = list(n.recipients) if not kind.reviewed else ["INTERPOL General Secretariat"]
    audit.record(session, p, action, "notice", n.id, recipients=recipients,
                 details={"status": n.status, "type": n.notice_type})
    return n


def review(session: Session, p: Principal, notice_id: int, data: ReviewIn) -> Notice:
    """The General Secretariat's answer, recorded; publication meets the case's review limit."""
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    if n.status != "review":
        raise Conflict(f"notice is {n.status}, not under review", field="status",
                       rule="interpol.review")
    n.status, n.review_note, n.updated_at = data.outcome, data.note, now_utc()
    audit.record(session, p, "alteration", "notice", n.id,
                 details={"review": data.outcome, "note": data.note})
    return n


def public_consent(session: Session, p: Principal, notice_id: int, data: ConsentIn) -> Notice:
    """A public extract exists only with the requesting country's consent (UN notices: always)."""
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    if n.notice_type == "un_special":
        return n
    n.public_consent = data.consent
    n.public_extract = data.consent and n.status == "published"
    audit.record(session, p, "alteration", "notice", n.id,
                 details={"public_consent": data.consent, "note": data.note})
    return n


def public_extract(session: Session, p: Principal, notice_id: int) -> dict[str, Any]:
    n = get(session, p, notice_id)
    if not (n.public_consent and n.status == "published"):
        raise Forbidden("no public extract: the requesting country has not agreed to publication"
                        " or the notice is not published", field="public_consent",
                        rule="interpol.public_extract.consent")
    audit.record(session, p, "disclosure", "notice", n.id, recipients=["public"],
                 details={"extract": True})
    return dict(n.data)


def cancel(session: Session, p: Principal, notice_id: int, data: CancelIn) -> Notice:
    need(p, "notice.draft")
    n = get(session, p, notice_id)
    if n.status == "cancelled":
        raise Conflict("notice already cancelled", field="status", rule="interpol.cancelled")
    n.status, n.cancel_reason, n.public_extract = "cancelled", data.reason, False
    n.updated_at = now_utc()
    if n.entity_id:  # a cancelled notice no longer makes its person "wanted"
        ent = session.get(Entity, n.entity_id)
        if ent is not None:
            ent.watch_role = None
    audit.record(session, p, "alteration", "notice", n.id, justification=data.reason,
                 details={"status": "cancelled"})
    return n


def by_ref(session: Session, p: Principal, ref: str) -> Notice:
    n = session.scalar(select(Notice).where(Notice.notice_ref == ref))
    if n is None:
        raise NotFound(f"no notice {ref}")
    return n


__all__ = ["REF_ATTEMPTS", "STATUSES", "Article3In", "CancelIn", "ConsentIn", "NoticeIn", "ReviewIn",
           "SltdCheckIn", "SltdIn", "article3", "by_ref", "cancel", "draft", "export_notices", "get",
           "import_notices", "norm_doc", "public_consent", "public_extract", "review", "sltd_add",
           "sltd_check", "submit", "unwrap"]
