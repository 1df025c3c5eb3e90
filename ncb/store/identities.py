"""Identity reads that must see past the caller's rights, kept here and named.

An identity's hidden appearances are never shown, but their existence is ("records exist;
contact <agency>"), so the originating agency of each is read without the access filter. Only
the agency comes back: no content, no entity id.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

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

