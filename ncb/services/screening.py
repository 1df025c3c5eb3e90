"""Screening inside the gateway: every entity entering a case is checked against all we hold.

Each new entity first joins its identity (ncb.services.identities); judgements are looked up
between identities, so a reviewer's decision holds for every appearance of the same two people.
What a caller learns about a hit depends on the hit record's markings (ncb.services.hit_groups).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.matching import Decision, PersonRecord
from ncb.services.errors import Forbidden, InvalidInput, NotFound
from ncb.services.hit_groups import HitView, hidden_view, summary
from ncb.services.hit_groups import hits_for_case as hits_for_case
from ncb.services.identities import hooks as _hooks  # noqa: F401  (registers the commit hook)
from ncb.services.identities import review as identity_review
from ncb.services.identities.judgements import judged_appearances
from ncb.services.identities.resolve import (
    Attached,
    attach,
    identity_of,
    join_scores,
    matcher_join,
)
from ncb.services.inputs import EntityIn
from ncb.services.reading import case_by_ref
from ncb.services.watchlist import index_for, to_record
from ncb.store import audit, hidden
from ncb.store.models import Case, Entity, Hit, Judgement

DECISIONS = tuple(d.value for d in Decision)
__all__ = ["DECISIONS", "DbJudgements", "HitView", "hits_for_case", "review_hit", "screen_adhoc",
           "screen_entity", "rescreen_case"]


class DbJudgements:
    """The matcher's JudgementStore, answered between identities.

    Reads, in one query, the decision for every appearance of every identity judged against
    the query's identity. `set` keeps the appearance-level record (judgements table); the
    identity-level decision is made by ncb.services.identities.review.
    """

    def __init__(self, session: Session, query_id: str = "", new: bool = False,
                 decided_by: int | None = None, identity_id: int | None = None) -> None:
        self.session = session
        self.decided_by = decided_by
        self.query_id = query_id
        self.known: dict[int, str] = {}
        if query_id.isdigit() and not new:  # a new identity has no judgements yet
            ident = identity_id if identity_id is not None else identity_of(session,
                                                                             int(query_id))
            self.known = judged_appearances(session, ident)

    def get(self, a_id: str, b_id: str) -> Decision | None:
        if not self.known:
            return None
        other = b_id if a_id == self.query_id else a_id
        found = self.known.get(int(other)) if other.isdigit() else None
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


def _candidates(session: Session, query: PersonRecord, top: int,
                att: Attached | None = None) -> list[Any]:
    idx = index_for(session)
    screener = idx.screener
    if att is not None:
        store = DbJudgements(session, query.id, att.created, identity_id=att.identity_id)
    else:  # an ad-hoc query, or a record not yet committed, has no identity judgements
        new = not query.id.isdigit() or int(query.id) not in idx.seen
        store = DbJudgements(session, query.id, new)
    # The screener is shared by every request of the process: its judgements are swapped in
    # and back only while holding the lock, so no request screens with another's.
    with idx.lock:
        old = screener.judgements
        screener.judgements = store
        try:
            return screener.screen(query, top=top)
        finally:
            screener.judgements = old


def screen_entity(
    session: Session, p: Principal, case: Case, entity: Any, *, own: set[int] | None = None,
    audit_to: list[audit.Pending] | None = None,
) -> list[Hit]:
    """Join the entity's identity, screen it, store a hit for every match outside this case.

    `own`: the case's entity ids when the caller knows them (a case made in this request);
    otherwise they are read. `audit_to`: collect the audit entry there for the caller to
    append with the rest of its batch (audit.record_many) instead of appending it now.
    An existing hit on the same pair is updated, not duplicated (re-screening).
    """
    att = attach(session, entity, p.user_id)
    query = to_record(entity)
    if query is None:
        return []
    if own is None:
        own = hidden.case_entity_ids(session, case.id)
    found = _candidates(session, query, 10, att)
    if att.created and entity.kind == "person":
        matcher_join(session, att, join_scores(found))
        if not att.created:  # joined a known identity: apply its judgements
            found = _candidates(session, query, 10, att)
    existing = hidden.hits_of_entity(session, entity.id)  # stored whoever may see them
    stored = []
    for h in found:
        target = int(h.candidate_id)
        if target in own or not (h.match or h.explanation.judgement):
            continue
        hit = existing.get(target)
        if hit is not None:
            hit.score, hit.match = round(h.score, 4), h.match
            hit.explanation, hit.decision = h.explanation.to_dict(), h.explanation.judgement
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


def _view(session: Session, p: Principal, target_id: int, score: float, match: bool,
          decision: str | None, explanation: dict[str, Any]) -> HitView | None:
    """What the caller learns of one candidate; None: nothing (above the caller's clearance)."""
    target = session.get(Entity, target_id)  # filtered by the caller's rights
    if target is None:
        referral = hidden.referrals(session, p, [target_id]).get(target_id)
        return None if referral is None else hidden_view(f"{referral[1]} ({referral[0]})")
    return HitView(None, score, match, decision, True, target.id, summary(target),
                   explanation.get("summary", ""), list(explanation.get("features", [])))


def rescreen_case(session: Session, p: Principal, ref: str) -> int:
    """Screen every entity of a visible case again; hits are updated, never duplicated."""
    if not p.has("screen.run"):
        raise Forbidden("your role may not run screening", rule="permission:screen.run")
    case = case_by_ref(session, p, ref)
    ents = hidden.case_entities(session, case.id)
    own = {e.id for e in ents}
    pending: list[audit.Pending] = []
    new = sum(len(screen_entity(session, p, case, e, own=own, audit_to=pending)) for e in ents)
    pending.append(audit.Pending("consultation", "case", case.reference,
                                 {"rescreened": len(ents), "new_hits": new}))
    audit.record_many(session, p, pending)
    return new


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
    if session.get(Entity, hit.target_entity_id) is None:  # a hidden record is not reviewed
        raise NotFound(f"no hit {hit_id} on case {case.reference}")
    hit.decision, hit.reviewed_by, hit.reviewed_at = decision, p.user_id, datetime.now(UTC)
    DbJudgements(session, decided_by=p.user_id).set(
        str(hit.query_entity_id), str(hit.target_entity_id), decision)
    identity_review.decide(session, p, hit.query_entity_id, hit.target_entity_id, decision,
                           f"hit {hit.id} on case {case.reference}")
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
    out: list[list[HitView]] = []
    withheld = 0
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
        views = [_view(session, p, int(h.candidate_id), round(h.score, 4), h.match,
                       h.explanation.judgement, h.explanation.to_dict())
                 for h in _candidates(session, rec, top)]
        withheld += sum(v is None for v in views)
        out.append([v for v in views if v is not None])
    # The caller is not told of matches above its clearance; the audit keeps their number,
    # so the data protection officer and supervisors can follow them up.
    audit.record(session, p, "consultation", "screening", None,
                 details={"queries": len(queries), "hits": sum(len(r) for r in out),
                          "withheld_above_clearance": withheld})
    return out
