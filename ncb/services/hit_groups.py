"""A case's screening hits as the reviewer reads them: one line per identity, ordered by role.

Hits on several appearances of one person (a Red Notice and an alert on the same identity) are
one group; records that ask for action (wanted, alert, notice, partner intelligence) come
first, other cases the person appears in follow as context. The decision shown is the one held
between the two identities, so a judgement made on any case shows here too. A hit on a record
the reader may not see is one line per originating agency: "records exist; contact ..." with
no score, no decision and nothing to review, and only when the reader is cleared for the
record's classification (ncb.store.hidden).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.store.hidden import hidden_hit_referrals
from ncb.store.models import Case, Entity, Hit, IdentityJudgement, IdentityMember

RESTRICTED = "restricted"


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
    role: str = "case"
    role_label: str = ""
    context: bool = False
    identity_id: int | None = None
    appearances: list[str] = field(default_factory=list)
    query_summary: str = ""
    hit_ids: tuple[int, ...] = ()  # every hit of the case in this group


def summary(target: Entity) -> str:
    bits = [target.display_name, target.date_of_birth or "", target.nationality or "",
            target.identifier or "", f"[{target.source_kind} {target.source_ref or ''}]".strip()]
    return " · ".join(b for b in bits if b)


def hidden_view(contact: str) -> HitView:
    return HitView(None, 0.0, False, None, False, None, f"a record exists; contact {contact}",
                   "", [], contact, RESTRICTED, "Restricted")


def role_of(watch_role: str | None) -> tuple[int, str, str, bool]:
    roles = load_rules().identities.hit_roles
    r = roles.get(watch_role or "case") or roles["case"]
    return r.order, watch_role if watch_role in roles else "case", r.label, r.context


def _decisions(session: Session, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    ids = {i for pair in pairs for i in pair}
    if not ids:
        return {}
    rows = session.execute(select(IdentityJudgement.a_identity_id, IdentityJudgement.b_identity_id,
                                  IdentityJudgement.decision)
                           .where(IdentityJudgement.a_identity_id.in_(ids),
                                  IdentityJudgement.b_identity_id.in_(ids)))
    return {(a, b): d for a, b, d in rows}


def hits_for_case(session: Session, p: Principal, case: Case) -> list[HitView]:
    qm, tm = aliased(IdentityMember), aliased(IdentityMember)
    rows = session.execute(
        select(Hit, qm.identity_id, tm.identity_id)
        .outerjoin(qm, qm.entity_id == Hit.query_entity_id)
        .outerjoin(tm, tm.entity_id == Hit.target_entity_id)
        .where(Hit.case_id == case.id).order_by(Hit.score.desc(), Hit.id)).all()
    if not rows:
        return [hidden_view(f"{name} ({code})")
                for code, name in hidden_hit_referrals(session, p, case.id)]
    ids = {h.target_entity_id for h, _, _ in rows} | {h.query_entity_id for h, _, _ in rows}
    seen = {e.id: e for e in session.scalars(select(Entity).where(Entity.id.in_(ids)))}
    held = _decisions(session, {tuple(sorted((q, t))) for _, q, t in rows  # type: ignore[misc]
                                if q is not None and t is not None})
    groups: dict[Any, list[tuple[Hit, int | None, int | None]]] = {}
    for hit, qi, ti in rows:  # the filter leaves only hits whose case and entities are visible
        if hit.target_entity_id in seen and hit.query_entity_id in seen:
            groups.setdefault(("i", ti) if ti is not None else ("e", hit.target_entity_id),
                              []).append((hit, qi, ti))
    views = [_group_view(seen, held, members) for members in groups.values()]
    views.sort(key=lambda v: (role_of(v.role)[0], -v.score, v.id or 0))
    # Hidden targets: a referral per agency, only for records within the reader's clearance.
    for code, name in hidden_hit_referrals(session, p, case.id):
        views.append(hidden_view(f"{name} ({code})"))
    return views


def _group_view(seen: dict[int, Entity], held: dict[tuple[int, int], str],
                members: list[tuple[Hit, int | None, int | None]]) -> HitView:
    best, qi, ti = members[0]  # rows come best score first
    targets = list(dict.fromkeys(h.target_entity_id for h, _, _ in members))
    ranked = sorted(targets, key=lambda t: role_of(seen[t].watch_role)[0])
    _, role, label, context = role_of(seen[ranked[0]].watch_role)
    decision = best.decision
    if qi is not None and ti is not None:
        decision = held.get((min(qi, ti), max(qi, ti)), decision) if qi != ti else (
            held.get((qi, qi), decision))
    if context:
        refs = sorted({seen[t].source_ref or "?" for t in ranked})
        head = f"{label} case {', '.join(refs)}: {summary(seen[ranked[0]])}"
    else:
        head = summary(seen[ranked[0]])
    query = seen.get(best.query_entity_id)
    return HitView(best.id, best.score, best.match if decision is None else decision == "match",
                   decision, True, ranked[0], head, best.explanation.get("summary", ""),
                   list(best.explanation.get("features", [])), None, role, label, context, ti,
                   [summary(seen[t]) for t in ranked[1:]],
                   query.display_name if query is not None else "",
                   tuple(h.id for h, _, _ in members))

