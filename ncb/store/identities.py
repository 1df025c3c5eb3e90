"""Identity reads that must see past the caller's rights, kept here and named.

An identity's hidden appearances are never shown, but their existence is ("records exist;
contact <agency>"), so the originating agency of each is read without the access filter. Only
the agency comes back: no content, no entity id. Resolution (every entity joins an identity,
whatever its markings) and a reviewer's decision (the other side may be hidden from them) read
entities the same way, and hand them to the identity tables only, never to a page.
tests/store/test_identities.py shows what each returns and that these are the only bypasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ncb.store.models import Agency, Entity, IdentityMember

SKIP = {"skip_access": True}


def hidden_appearance_contacts(
    session: Session, identity_id: int, visible_ids: Iterable[int]
) -> list[tuple[str, str, int]]:
    """(agency code, agency name, count) for the identity's appearances not in `visible_ids`."""
    seen = set(visible_ids)
    rows = session.execute(
        select(IdentityMember.entity_id, Agency.code, Agency.name)
        .join(Entity, Entity.id == IdentityMember.entity_id)
        .join(Agency, Agency.id == Entity.originator_agency_id)
        .where(IdentityMember.identity_id == identity_id).execution_options(**SKIP)).all()
    counts: dict[tuple[str, str], int] = {}
    for eid, code, name in rows:
        if eid not in seen:
            counts[(code, name)] = counts.get((code, name), 0) + 1
    return sorted((code, name, n) for (code, name), n in counts.items())


def entity_contacts(session: Session, entity_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Originating agency (code, name) of entities the caller may not see (hidden hits)."""
    ids = list(set(entity_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Entity.id, Agency.code, Agency.name)
        .join(Agency, Agency.id == Entity.originator_agency_id)
        .where(Entity.id.in_(ids)).execution_options(**SKIP)).all()
    return {eid: (code, name) for eid, code, name in rows}



def entity_to_attach(session: Session, entity_id: int) -> Entity | None:
    """The entity a reviewer's decision joins to an identity, even one hidden from them."""
    return session.get(Entity, entity_id, execution_options=SKIP)


def unresolved_entity_ids(session: Session) -> list[int]:
    """Ids of every entity without an identity yet, oldest first."""
    return list(session.scalars(
        select(Entity.id).where(~select(IdentityMember.entity_id)
                                .where(IdentityMember.entity_id == Entity.id).exists())
        .order_by(Entity.id).execution_options(**SKIP)))


def entity_columns(session: Session, columns: Sequence[InstrumentedAttribute[Any]],
                   ids: Sequence[int]) -> list[dict[str, Any]]:
    """The given Entity columns of the entities `ids` (resolution's batch read), by id."""
    rows = session.execute(select(*columns).where(Entity.id.in_(list(ids))).order_by(Entity.id)
                           .execution_options(**SKIP))
    return [dict(r._mapping) for r in rows]
