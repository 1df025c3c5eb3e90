"""Judgements between identities: a reviewer's "not a match" holds for every appearance.

The matcher asks about two records (entity ids); the answer is looked up between their
identities, so a new appearance of either person, on any case, gets the same answer.
A "match" merges the two identities and marks the survivor confirmed (a self-judgement).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ncb.matching import Decision
from ncb.store import identities as store_identities
from ncb.store.models import IdentityJudgement

J = IdentityJudgement


def judged_appearances(session: Session, identity_id: int | None) -> dict[int, str]:
    """entity id -> decision, for every appearance of every identity judged against this one."""
    if identity_id is None:
        return {}
    return store_identities.judged_appearances(session, identity_id)


def between(session: Session, a: int, b: int) -> IdentityJudgement | None:
    lo, hi = sorted((a, b))
    return session.scalar(select(J).where(J.a_identity_id == lo, J.b_identity_id == hi))


def put(session: Session, a: int, b: int, decision: Decision | str, by: int | None,
        a_entity: int | None = None, b_entity: int | None = None) -> IdentityJudgement:
    """Store (or change) the decision between identities a and b (lower id first)."""
    value = Decision(decision).value
    lo, hi = sorted((a, b))
    now = datetime.now(UTC)
    found = between(session, lo, hi)
    if found is None:
        found = J(a_identity_id=lo, b_identity_id=hi, decision=value, decided_by=by,
                  decided_at=now, a_entity_id=a_entity, b_entity_id=b_entity)
        session.add(found)
    else:
        found.decision, found.decided_by, found.decided_at = value, by, now
        found.a_entity_id, found.b_entity_id = a_entity, b_entity
    session.flush()
    return found


def of_identity(session: Session, identity_id: int) -> list[IdentityJudgement]:
    return list(session.scalars(select(J).where(
        or_(J.a_identity_id == identity_id, J.b_identity_id == identity_id)).order_by(J.id)))
