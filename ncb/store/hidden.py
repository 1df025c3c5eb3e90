"""Reads that must see past the caller's rights, named here so each one is a decision.

Screening stores a hit for every match, whether or not the officer who screens may see the
record matched (the next, cleared, reader must), so it reads a case's links and an entity's
hits whole. A hit on a record the reader may not see is shown as a referral ("a record exists;
contact <agency>") only when the reader is cleared for the record's classification: above it,
nothing is shown, not even that a record exists (docs/security.md, "What a hidden hit reveals").
Each function returns ids or agency names, never content. Tests: tests/store/test_hidden.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.store.children import ALL_ROWS
from ncb.store.models import Agency, CaseEntity, Entity, Hit

UNFILTERED: dict[str, Any] = {ALL_ROWS: True, "skip_access": True}


def case_entity_ids(session: Session, case_id: int) -> set[int]:
    """Every entity linked to the case, seen by the caller or not (screening skips its own)."""
    return set(session.scalars(select(CaseEntity.entity_id).where(CaseEntity.case_id == case_id)
                               .execution_options(**UNFILTERED)))


def case_entities(session: Session, case_id: int) -> list[Entity]:
    """Every entity of the case, to screen again (the hits are stored for cleared readers)."""
    return list(session.scalars(
        select(Entity).join(CaseEntity, CaseEntity.entity_id == Entity.id)
        .where(CaseEntity.case_id == case_id).order_by(Entity.id)
        .execution_options(**UNFILTERED)))


def hits_of_entity(session: Session, entity_id: int) -> dict[int, Hit]:
    """The entity's stored hits by target, so screening again updates instead of duplicating."""
    return {h.target_entity_id: h for h in session.scalars(
        select(Hit).where(Hit.query_entity_id == entity_id).execution_options(**UNFILTERED))}


def referrals(session: Session, p: Principal, entity_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(agency code, name) to contact for each of these entities the caller may not see but is
    cleared for; entities above the caller's clearance are left out (nothing is revealed)."""
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Entity.id, Agency.code, Agency.name)
        .join(Agency, Agency.id == Entity.originator_agency_id)
        .where(Entity.id.in_(ids), Entity.classification_rank <= p.clearance_rank)
        .execution_options(**UNFILTERED)).all()
    return {eid: (code, name) for eid, code, name in rows}


def hidden_hit_referrals(session: Session, p: Principal, case_id: int) -> list[tuple[str, str]]:
    """Agencies to contact about the case's hits on records the caller may not see.

    Only hits of entities the caller sees on the case count (what was screened is theirs to
    know); a target the caller sees is shown as a hit, not a referral.
    """
    pairs = session.execute(select(Hit.query_entity_id, Hit.target_entity_id)
                            .where(Hit.case_id == case_id).execution_options(**UNFILTERED)).all()
    ids = {i for pair in pairs for i in pair}
    if not ids:
        return []
    seen = set(session.scalars(select(Entity.id).where(Entity.id.in_(ids))))  # filtered
    targets = {t for q, t in pairs if q in seen and t not in seen}
    return sorted(set(referrals(session, p, targets).values()))
