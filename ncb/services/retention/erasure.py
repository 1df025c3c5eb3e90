"""Erasure at the end of retention: the record, what hangs off it, and the identities it was in.

Nothing is erased silently: a record with attached records the reviewer may not see is refused
(their originator must review them), every erased record is audited as `erasure`, entities still
used elsewhere are kept and said so, and each identity that lost an appearance is audited with
what it has left (an identity left with none loses its judgements; its page then answers 404).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.entities import erase_entity
from ncb.services.errors import Conflict
from ncb.services.reading import load_visible
from ncb.store import audit, holdings
from ncb.store import identities as store_identities
from ncb.store.models import (
    Case,
    CaseEntity,
    Entity,
    IdentityJudgement,
    Notice,
    RetentionReview,
    SearchKey,
    Share,
)
from ncb.store.models.base import utcnow


@dataclass
class ErasureReport:
    kind: str
    record_id: int
    reference: str
    erased: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    identities: list[dict[str, int]] = field(default_factory=list)


def _refuse_hidden(session: Session, p: Principal, held: dict[str, list[tuple[int, str]]],
                   what: str) -> None:
    hidden: dict[str, int] = {}
    for kind, rows in held.items():
        if not rows:
            continue
        model = {k: m for k, m in holdings.CASE_CHILDREN} | {"entity": Entity}
        ids = [i for i, _ in rows]
        seen = set(session.scalars(select(model[kind].id).where(model[kind].id.in_(ids))))
        for rid, agency in rows:
            if rid not in seen:
                hidden[agency] = hidden.get(agency, 0) + 1
    if hidden:
        who = ", ".join(f"{n} from {a}" for a, n in sorted(hidden.items()))
        raise Conflict(f"{what} holds records you may not see ({who}); erasure needs a reviewer "
                       "who may see them, or their originator", field="record",
                       rule="retention.hidden_records")


def _erase_entities(session: Session, p: Principal, report: ErasureReport,
                    entity_ids: list[int], used: set[int], reason: str) -> None:
    """Erase entities not used elsewhere; audit each identity that lost an appearance."""
    members = store_identities.identities_of(session, entity_ids)
    touched: set[int] = set()
    for eid in sorted(entity_ids):
        if eid in used:
            report.kept.append(f"entity {eid}: still held for another case or record")
            continue
        erase_entity(session, p, eid, reason)
        report.erased.append(f"entity {eid}")
        if eid in members:
            touched.add(members[eid])
    session.flush()
    for ident in sorted(touched):
        left = store_identities.member_count(session, ident)
        gone = [e for e in entity_ids if members.get(e) == ident and e not in used]
        if left == 0:  # nobody left to judge: the judgements about this identity go too
            session.execute(delete(IdentityJudgement).where(
                (IdentityJudgement.a_identity_id == ident)
                | (IdentityJudgement.b_identity_id == ident)))
        audit.record(session, p, "erasure", "identity", ident, justification=reason,
                     details={"appearances_erased": gone, "appearances_left": left,
                              "retention": report.kind, "record": report.reference})
        report.identities.append({"identity_id": ident, "appearances_left": left})


def erase_case(session: Session, p: Principal, case_id: int, reason: str) -> ErasureReport:
    case = load_visible(session, p, Case, case_id, "case")
    report = ErasureReport("case", case.id, case.reference)
    blockers = holdings.case_blockers(session, case.id)
    if blockers:
        raise Conflict(f"case {case.reference} is named by {', '.join(blockers)}; close or "
                       "re-file those first", field="record", rule="retention.in_use")
    held = holdings.case_children(session, case.id)
    _refuse_hidden(session, p, held, f"case {case.reference}")
    entity_ids = [i for i, _ in held["entity"]]
    used = holdings.entities_used_elsewhere(session, entity_ids, case_id=case.id)
    session.execute(delete(CaseEntity).where(CaseEntity.case_id == case.id))
    _erase_entities(session, p, report, entity_ids, used, reason)
    for kind, rows in held.items():
        if kind != "entity" and rows:
            session.execute(delete(Share).where(Share.record_kind == kind,
                                                Share.record_id.in_([i for i, _ in rows])))
            report.erased.append(f"{len(rows)} {kind}(s)")
    children = [(k, i) for k, rows in held.items() if k != "entity" for i, _ in rows]
    holdings.forget_received(session, [("case", case.id), *children])
    session.execute(delete(Share).where(Share.record_kind == "case", Share.record_id == case.id))
    session.execute(delete(SearchKey).where(SearchKey.record_kind == "case",
                                            SearchKey.record_id == case.id))
    session.execute(delete(RetentionReview).where(RetentionReview.record_kind == "case",
                                                  RetentionReview.record_id == case.id))
    session.expunge(case)
    # Core delete: the database cascades deadlines, tasks, events, hits and the children above.
    session.execute(delete(Case).where(Case.id == report.record_id)
                    .execution_options(synchronize_session=False))
    report.erased.insert(0, f"case {report.reference}")
    audit.record(session, p, "erasure", "case", report.reference, justification=reason,
                 details={"retention": True, "erased": report.erased, "kept": report.kept,
                          "identities": report.identities, "at": utcnow().isoformat()})
    return report


def erase_notice(session: Session, p: Principal, notice_id: int, reason: str) -> ErasureReport:
    notice = load_visible(session, p, Notice, notice_id, "notice")
    report = ErasureReport("notice", notice.id, f"{notice.notice_type} {notice.notice_ref}")
    entity_id = notice.entity_id
    session.execute(delete(Share).where(Share.record_kind == "notice",
                                        Share.record_id == notice.id))
    session.execute(delete(RetentionReview).where(RetentionReview.record_kind == "notice",
                                                  RetentionReview.record_id == notice.id))
    holdings.forget_received(session, [("notice", notice.id)])
    session.delete(notice)
    session.flush()
    report.erased.append(f"notice {report.reference}")
    if entity_id is not None:
        if session.get(Entity, entity_id) is None:
            report.kept.append(f"entity {entity_id}: not yours to erase (another originator)")
        else:
            used = holdings.entities_used_elsewhere(session, [entity_id], notice_id=notice_id)
            _erase_entities(session, p, report, [entity_id], used, reason)
    audit.record(session, p, "erasure", "notice", notice_id, justification=reason,
                 details={"retention": True, "erased": report.erased, "kept": report.kept,
                          "identities": report.identities})
    return report
