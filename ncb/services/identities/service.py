"""The identity use cases adapters call: one function per request."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.errors import NotFound
from ncb.services.identities import combine
from ncb.services.identities.person import PersonView, person_view
from ncb.services.identities.resolve import attach
from ncb.services.reading import load_visible
from ncb.store.models import Entity, IdentityChange


def person(session: Session, p: Principal, identity_id: int) -> PersonView:
    return person_view(session, p, identity_id)


def identity_for(session: Session, p: Principal, entity_id: int) -> int:
    ent = load_visible(session, p, Entity, entity_id, "entity")
    return attach(session, ent, p.user_id).identity_id


def merge(session: Session, p: Principal, keep: int, other: int, reason: str) -> IdentityChange:
    return combine.merge(session, p, keep, other, reason)


def split(session: Session, p: Principal, identity_id: int, entity_ids: list[int],
          reason: str) -> IdentityChange:
    return combine.split(session, p, identity_id, entity_ids, reason)


def undo(session: Session, p: Principal, change_id: int, reason: str) -> IdentityChange:
    return combine.undo(session, p, change_id, reason)


def change(session: Session, change_id: int) -> IdentityChange:
    found = session.get(IdentityChange, change_id)
    if found is None:
        raise NotFound(f"no identity change {change_id}")
    return found
