"""Screening inside the gateway: every entity entering a case is checked against all we hold.

What a caller learns about a hit depends on the hit record's markings: full details when they
may see it, otherwise only that a record exists and which agency to contact. Judgements made by
reviewers are stored and applied to every later screening of the same pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.matching import Decision, PersonRecord
from ncb.services.errors import Forbidden, InvalidInput, NotFound
from ncb.services.inputs import EntityIn
from ncb.services.reading import case_by_ref
from ncb.services.watchlist import index_for, to_record
from ncb.store import audit
from ncb.store.models import Agency, Case, CaseEntity, Entity, Hit, Judgement

DECISIONS = tuple(d.value for d in Decision)


class DbJudgements:
    """The matcher's JudgementStore on the judgements table.

    Reads every judgement on the query record in one query; `set` stores a reviewer's decision
    (lower entity id first) so later screenings of the pair apply it.
    """

    def __init__(self, session: Session, query_id: str = "", new: bool = False,
                 decided_by: int | None = None) -> None:
        self.session = session
        self.decided_by = decided_by
        self.known: dict[tuple[int, int], str] = {}
        if query_id.isdigit() and not new:  # a record made in this request has none yet
            qid = int(query_id)
            rows = session.execute(
                select(Judgement.a_entity_id, Judgement.b_entity_id, Judgement.decision)
                .where(or_(Judgement.a_entity_id == qid, Judgement.b_entity_id == qid)))
            self.known = {(a, b): d for a, b, d in rows}

    def get(self, a_id: str, b_id: str) -> Decision | None:
        if not (self.known and a_id.isdigit() and b_id.isdigit()):
            return None
        lo, hi = sorted((int(a_id), int(b_id)))
        found = self.known.get((lo, hi))
        return Decision(found) if found else None

    def set(self, a_id: str, b_id: str, decision: Decision | str) -> None:
        value = Decision(decision).value
        lo, hi = sorted((int(a_id), int(b_id)))
        now = datetime.now(UTC)
        j = self.session.scalar(select(Judgement).where(Judgement.a_entity_id == lo,
                                                        Judgement.b_entity_id == hi))
        if j is None:
            self.session.add(Judgement(a_entity_id=lo, b_entity_id=hi, decision=value,
                                       decided_by=self.decided_by, decided_at=now))
        else:
            j.decision, j.decided_by, j.decided_at = value, self.decided_by, now
        self.known[(lo, hi)] = value


@dataclass(frozen=True)
class HitView:
    id: int | None
    score: float
    match: bool
    decision: str | None
    visible: bool
    target_id: int | None
    target_summary: str
    explanation: str
    features: list[dict[str, Any]]
    contact: str | None = None


def _candidates(session: Session, query: PersonRecord, top: int) -> list[Any]:
    idx = index_for(session)
    screener = idx.screener
    old = screener.judgements
    # A record not yet committed (or an ad-hoc query) cannot have judgements: skip the read.
    new = not query.id.isdigit() or int(query.id) not in idx.seen
    screener.judgements = DbJudgements(session, query.id, new)
    try:
        with idx.lock:
            return screener.screen(query, top=top)
    finally:
        screener.judgements = old


def screen_entity(
    session: Session, p: Principal, case: Case, entity: Any, *, own: set[int] | None = None,
    audit_to: list[audit.Pending] | None = None,
) -> list[Hit]:
    """Screen one case entity; store a hit for every match outside this case.

    `own`: the case's entity ids when the caller knows them (a case made in this request);
    otherwise they are read. `audit_to`: collect the audit entry there for the caller to
    append with the rest of its batch (audit.record_many) instead of appending it now.
    """
    query = to_record(entity)
    if query is None:
        return []
    if own is None:
        own = set(session.scalars(select(CaseEntity.entity_id)
                                  .where(CaseEntity.case_id == case.id)
                                  .execution_options(skip_access=True)))
    stored = []
    for h in _candidates(session, query, top=10):
        target = int(h.candidate_id)
        if target in own or not h.match:
            continue
        hit = Hit(case_id=case.id, query_entity_id=entity.id, target_entity_id=target,
                  score=round(h.score, 4), match=h.match, explanation=h.explanation.to_dict(),
                  decision=h.explanation.judgement)
        session.add(hit)
        stored.append(hit)
    if stored:
        session.flush()
        entry = audit.Pending("combination", "case", case.reference,
                              {"screened_entity": entity.id, "hits": [x.id for x in stored]})
        if audit_to is not None:
            audit_to.append(entry)
        else:
            audit.record(session, p, entry.action, entry.record_kind, entry.record_id,
                         details=entry.details)
    return stored


def _view(session: Session, hit_id: int | None, target_id: int, score: float, match: bool,
          decision: str | None, explanation: dict[str, Any]) -> HitView:
    target = session.get(Entity, target_id)  # filtered by the caller's rights
    if target is None:
        agency = session.execute(
            select(Agency.code, Agency.name).join(Entity, Entity.originator_agency_id == Agency.id)
            .where(Entity.id == target_id).execution_options(skip_access=True)
        ).one_or_none()
        contact = f"{agency.name} ({agency.code})" if agency else "the bureau's duty officer"
        return HitView(hit_id, score, match, decision, False, None,
                       f"a record exists; contact {contact}", "", [], contact)
    bits = [target.display_name, target.date_of_birth or "", target.nationality or "",
            target.identifier or "", f"[{target.source_kind} {target.source_ref or ''}]".strip()]
    return HitView(hit_id, score, match, decision, True, target.id,
                   " · ".join(b for b in bits if b), explanation.get("summary", ""),
                   list(explanation.get("features", [])))


def hits_for_case(session: Session, p: Principal, case: Case) -> list[HitView]:
    rows = session.scalars(select(Hit).where(Hit.case_id == case.id)
                           .order_by(Hit.score.desc(), Hit.id))
    return [_view(session, h.id, h.target_entity_id, h.score, h.match, h.decision,
                  h.explanation) for h in rows]


def review_hit(session: Session, p: Principal, ref: str, hit_id: int, decision: str) -> Hit:
    if not p.has("hit.review"):
        raise Forbidden("your role may not review hits", rule="permission:hit.review")
    if decision not in DECISIONS:
        raise InvalidInput(f"decision must be one of {', '.join(DECISIONS)}", field="decision",
                           rule="code_list")
    case = case_by_ref(session, p, ref)
    hit = session.scalar(select(Hit).where(Hit.id == hit_id, Hit.case_id == case.id))
    if hit is None:
        raise NotFound(f"no hit {hit_id} on case {case.reference}")
    hit.decision, hit.reviewed_by, hit.reviewed_at = decision, p.user_id, datetime.now(UTC)
    DbJudgements(session, decided_by=p.user_id).set(
        str(hit.query_entity_id), str(hit.target_entity_id), decision)
    audit.record(session, p, "combination", "hit", hit.id,
                 details={"case": case.reference, "decision": decision,
                          "pair": [hit.query_entity_id, hit.target_entity_id]})
    return hit


def screen_adhoc(session: Session, p: Principal, queries: list[EntityIn], top: int = 10
                 ) -> list[list[HitView]]:
    """Screen entities that are not (yet) in a case: the API's POST /screen."""
    if not p.has("screen.run"):
        raise Forbidden("your role may not run screening", rule="permission:screen.run")
    if not 1 <= top <= 50:
        raise InvalidInput("top must be between 1 and 50", field="top", rule="range")
    out = []
    for i, q in enumerate(queries):
        ent = Entity(id=None, kind=q.kind, display_name=q.display_name, first_name=q.first_name,
                     last_name=q.last_name, aliases=list(q.aliases), date_of_birth=q.date_of_birth,
                     gender=q.gender, nationality=q.nationality, place_of_birth=q.place_of_birth,
                     identifier=q.identifier)
        rec = to_record(ent)
        if rec is None:
            raise InvalidInput(f"entities[{i}].kind: {q.kind} cannot be screened",
                               field=f"entities[{i}].kind", rule="screenable_kind")
        rec.id = f"q{i}"
        out.append([_view(session, None, int(h.candidate_id), round(h.score, 4), h.match,
                          h.explanation.judgement, h.explanation.to_dict())
                    for h in _candidates(session, rec, top)])
    audit.record(session, p, "consultation", "screening", None,
                 details={"queries": len(queries), "hits": sum(len(r) for r in out)})
    return out
