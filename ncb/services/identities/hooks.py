"""Every new entity joins an identity before its transaction commits, whatever wrote it.

Intake and case screening resolve their entities themselves (so screening can use the
identity's judgements); notices, alerts and other channel records are caught here.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from ncb.services.identities.resolve import RESOLVED, attach_many, identities_of
from ncb.services.watchlist import NEW_ENTITIES
from ncb.store.models import Entity


@event.listens_for(Session, "before_commit")
def _resolve_new_entities(session: Session) -> None:
    if any(isinstance(obj, Entity) for obj in session.new):
        session.flush()  # so they are in NEW_ENTITIES with their ids
    new = session.info.get(NEW_ENTITIES)
    if not new:
        return
    done = session.info.get(RESOLVED, set())
    todo = [e for e in new if getattr(e, "id", None) is not None and e.id not in done]
    if not todo:
        return
    known = identities_of(session, [e.id for e in todo])
    todo = list({e.id: e for e in todo if e.id not in known}.values())
    if todo:
        attach_many(session, todo)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_resolved(session: Session) -> None:
    session.info.pop(RESOLVED, None)
