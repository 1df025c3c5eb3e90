"""What the bureau holds on a case or entity, read past the caller's rights, kept here and named.

Retention erasure must not remove records the reviewer may not see (nothing is erased silently),
and an entity still used elsewhere must survive a case's erasure; both need the full picture.
Only ids, kinds and the originating agency come back: no content.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.store.children import ALL_ROWS
from ncb.store.models import (
    Agency,
    Alert,
    Appeal,
    Attachment,
    CaseEntity,
    Entity,
    Message,
    Note,
    Notice,
    SireneForm,
    Tip,
    Warrant,
)

# Links (case_entities) are child rows: ALL_ROWS lifts their filter too (ncb.store.children).
SKIP = {"skip_access": True, ALL_ROWS: True}
# Marked records that go with a case when it is erased (database cascades).
CASE_CHILDREN: tuple[tuple[str, Any], ...] = (
    ("note", Note), ("message", Message), ("attachment", Attachment), ("warrant", Warrant),
    ("sirene_form", SireneForm))


def case_children(session: Session, case_id: int) -> dict[str, list[tuple[int, str]]]:
    """Every child record of a case and every entity linked to it: kind -> [(id, agency code)]."""
    out: dict[str, list[tuple[int, str]]] = {}
    for kind, model in CASE_CHILDREN:
        rows = session.execute(select(model.id, Agency.code)
                               .join(Agency, Agency.id == model.originator_agency_id)
                               .where(model.case_id == case_id).execution_options(**SKIP)).all()
        out[kind] = [(int(i), str(c)) for i, c in rows]
    rows = session.execute(select(Entity.id, Agency.code)
                           .join(CaseEntity, CaseEntity.entity_id == Entity.id)
                           .join(Agency, Agency.id == Entity.originator_agency_id)
                           .where(CaseEntity.case_id == case_id).distinct()
                           .execution_options(**SKIP)).all()
    out["entity"] = [(int(i), str(c)) for i, c in rows]
    return out


def case_blockers(session: Session, case_id: int) -> list[str]:
    """Records that name the case and would be orphaned by its erasure (appeals, tips)."""
    appeals = session.scalars(select(Appeal.id).where(Appeal.case_id == case_id)
                              .execution_options(**SKIP)).all()
    tips = session.scalars(select(Tip.id).where(Tip.case_id == case_id)
                           .execution_options(**SKIP)).all()
    return [f"appeal {a}" for a in appeals] + [f"tip {t}" for t in tips]


def entities_used_elsewhere(session: Session, entity_ids: Iterable[int],
                            case_id: int | None = None, notice_id: int | None = None) -> set[int]:
    """Entities still linked to another case, a notice, an alert or an appeal."""
    ids = list(set(entity_ids))
    if not ids:
        return set()
    used = set(session.scalars(select(CaseEntity.entity_id).where(
        CaseEntity.entity_id.in_(ids), CaseEntity.case_id != (case_id or -1))
        .execution_options(**SKIP)))
    used |= set(session.scalars(select(Notice.entity_id).where(
        Notice.entity_id.in_(ids), Notice.id != (notice_id or -1)).execution_options(**SKIP)))
    for model in (Alert, Appeal):
        used |= set(session.scalars(select(model.entity_id).where(model.entity_id.in_(ids))
                                    .execution_options(**SKIP)))
    return {int(i) for i in used if i is not None}


def unlink_appeal_tips(session: Session, appeal_id: int) -> int:
    """Tips naming an erased appeal keep their own review: only their link to it goes (every
    such tip, seen by the reviewer or not, else the appeal's row could not be deleted)."""
    from sqlalchemy import update

    result: Any = session.execute(update(Tip).where(Tip.appeal_id == appeal_id)
                                  .values(appeal_id=None).execution_options(**SKIP))
    return int(result.rowcount or 0)


def forget_received(session: Session, records: Iterable[tuple[str, int]]) -> int:
    """Drop what federation kept of erased local records (the last received version is content)."""
    from sqlalchemy import and_, delete, or_

    from ncb.store.models import FedObject

    pairs = list(records)
    if not pairs:
        return 0
    result: Any = session.execute(delete(FedObject).where(or_(*[
        and_(FedObject.local_kind == kind, FedObject.local_id == rid) for kind, rid in pairs])))
    return int(result.rowcount or 0)
