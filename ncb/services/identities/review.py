"""A reviewer's decision on two appearances, carried to their identities.

match: the two identities merge (audited, undoable) and the survivor is marked confirmed.
no_match: the decision is stored between the identities; if they were one identity (joined by
an identifier or the matcher), the reviewed appearance is first split off, so the decision can
hold between two identities.
unsure: stored between the identities; nothing moves.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.matching import Decision
from ncb.services.identities import combine, judgements
from ncb.services.identities.resolve import attach, identity_of
from ncb.store import identities


def _identity(session: Session, entity_id: int, author: int | None) -> int:
    found = identity_of(session, entity_id)
    if found is not None:
        return found
    ent = identities.entity_to_attach(session, entity_id)
    if ent is None:
        raise ValueError(f"entity {entity_id} does not exist")
    return attach(session, ent, author).identity_id


def decide(session: Session, p: Principal, query_entity: int, target_entity: int,
           decision: str, context: str) -> int:
    """Apply `decision` between the identities of two appearances; the query's identity after."""
    value = Decision(decision)
    qi = _identity(session, query_entity, p.user_id)
    ti = _identity(session, target_entity, p.user_id)
    if value is Decision.MATCH:
        if qi != ti:
            keep, gone = sorted((qi, ti))
            combine.merge(session, p, keep, gone, f"reviewer: match ({context})",
                          override=True, confirm=True)
            return keep
        judgements.put(session, qi, qi, value, p.user_id, query_entity, target_entity)
        return qi
    if qi == ti:
        if value is Decision.UNSURE:
            return qi
        change = combine.split(session, p, qi, [query_entity],
                               f"reviewer: not a match ({context})")
        qi = change.other_identity_id
    judgements.put(session, qi, ti, value, p.user_id, query_entity, target_entity)
    return qi
