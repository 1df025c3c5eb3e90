"""Identity reads that must see past the caller's rights, kept here and named.

An identity's hidden appearances are never shown, but their existence is ("records exist;
contact <agency>"), so the originating agency of each is read without the access filter. Only
the agency comes back: no content, no entity id. Resolution (every entity joins an identity,
whatever its markings) and a reviewer's decision (the other side may be hidden from them) read
entities the same way, and hand them to the identity tables only, never to a page.
Identity members and keys are child rows of their entity (ncb.store.children): a caller sees the
membership and the keys of the appearances they may see, no others. Resolution, merges, splits,
erasure and the matcher's judgements must reason over every appearance, so they read members
and keys through the functions below (ids only, never content). tests/store/test_identities.py
shows what each returns and that these are the only bypasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ncb.store.children import ALL_ROWS
from ncb.store.models import Agency, Entity, IdentityJudgement, IdentityKey, IdentityMember

SKIP = {"skip_access": True}
ALL = {ALL_ROWS: True, "skip_access": True}  # members and keys of every appearance too
_CHUNK = 500  # ids or keys per IN (...) lookup


def hidden_appearance_contacts(
    session: Session, identity_id: int, visible_ids: Iterable[int]
) -> list[tuple[str, str, int]]:
    """(agency code, agency name, count) for the identity's appearances not in `visible_ids`."""
    seen = set(visible_ids)
    rows = session.execute(
        select(IdentityMember.entity_id, Agency.code, Agency.name)
        .join(Entity, Entity.id == IdentityMember.entity_id)
        .join(Agency, Agency.id == Entity.originator_agency_id)
        .where(IdentityMember.identity_id == identity_id).execution_options(**ALL)).all()
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


def identity_of(session: Session, entity_id: int) -> int | None:
    """The identity an entity belongs to, whoever may see it."""
    return session.scalar(select(IdentityMember.identity_id)
                          .where(IdentityMember.entity_id == entity_id).execution_options(**ALL))


def identities_of(session: Session, entity_ids: Iterable[int]) -> dict[int, int]:
    """entity id -> identity id, for those of `entity_ids` that have one."""
    ids = list(set(entity_ids))
    out: dict[int, int] = {}
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(select(IdentityMember.entity_id, IdentityMember.identity_id)
                               .where(IdentityMember.entity_id.in_(ids[i:i + _CHUNK]))
                               .execution_options(**ALL))
        out.update({eid: ident for eid, ident in rows})
    return out


def identities_holding(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """key -> the oldest identity one of whose appearances holds it (resolution by identifier)."""
    found: dict[str, int] = {}
    for i in range(0, len(keys), _CHUNK):
        rows = session.execute(
            select(IdentityKey.key, IdentityMember.identity_id)
            .join(IdentityMember, IdentityMember.entity_id == IdentityKey.entity_id)
            .where(IdentityKey.key.in_(list(keys[i:i + _CHUNK]))).execution_options(**ALL))
        for key, ident in rows:
            found[key] = min(ident, found.get(key, ident))
    return found


def member_ids(session: Session, identity_id: int, newest: int | None = None) -> list[int]:
    """Entity ids of every appearance of the identity, oldest first (or the `newest` n, newest
    first: the matcher's sample)."""
    q = select(IdentityMember.entity_id).where(IdentityMember.identity_id == identity_id)
    if newest is None:
        q = q.order_by(IdentityMember.entity_id)
    else:
        q = q.order_by(IdentityMember.entity_id.desc()).limit(newest)
    return list(session.scalars(q.execution_options(**ALL)))


def judged_appearances(session: Session, identity_id: int) -> dict[int, str]:
    """entity id -> decision, for every appearance of every identity judged against this one
    (a reviewer's "not a match" holds for appearances the screening officer may not see)."""
    j, m = IdentityJudgement, IdentityMember
    rows = session.execute(
        select(m.entity_id, j.decision)
        .join(j, or_(and_(j.a_identity_id == identity_id, m.identity_id == j.b_identity_id),
                     and_(j.b_identity_id == identity_id, m.identity_id == j.a_identity_id)))
        .where(or_(j.a_identity_id == identity_id, j.b_identity_id == identity_id))
        .execution_options(**ALL))
    return {eid: decision for eid, decision in rows}


def member_count(session: Session, identity_id: int) -> int:
    """How many appearances the identity has left, seen by the caller or not (erasure)."""
    return session.scalar(select(func.count()).select_from(IdentityMember)
                          .where(IdentityMember.identity_id == identity_id)
                          .execution_options(**ALL)) or 0
