"""Reading, correcting and erasing entities; the screening index follows every change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services import watchlist
from ncb.services.errors import Conflict, Forbidden, InvalidInput
from ncb.services.inputs import EntityPatch
from ncb.services.reading import case_by_ref, load_visible
from ncb.services.text import keys_for
from ncb.store import audit
from ncb.store.models import Appeal, CaseEntity, Entity, Hit, Judgement, SearchKey, Share


def of_case(session: Session, p: Principal, ref: str) -> list[Entity]:
    """The entities linked to case `ref` that the caller may see, oldest first."""
    case = case_by_ref(session, p, ref)
    return list(session.scalars(select(Entity).join(CaseEntity, CaseEntity.entity_id == Entity.id)
                                .where(CaseEntity.case_id == case.id).order_by(Entity.id)))


def get_entity(session: Session, p: Principal, entity_id: int) -> Entity:
    ent = load_visible(session, p, Entity, entity_id, "entity")
    audit.record(session, p, "consultation", "entity", ent.id)
    return ent


def update_entity(session: Session, p: Principal, entity_id: int, data: EntityPatch) -> Entity:
    if not p.has("entity.create"):
        raise Forbidden("your role may not change entities", rule="permission:entity.create")
    ent = load_visible(session, p, Entity, entity_id, "entity")
    changes: dict[str, Any] = {}
    for name, value in data.model_dump(exclude_unset=True).items():
        column = "display_name" if name == "name" else name
        if value is None and column in ("display_name", "aliases"):
            hint = "send [] to clear the aliases" if name == "aliases" else "cannot be emptied"
            raise InvalidInput(f"{name}: {hint}", field=name, rule="required")
        if getattr(ent, column) != value:
            changes[column] = [getattr(ent, column), value]
            setattr(ent, column, value)
    if not changes:
        return ent
    ent.updated_at = datetime.now(UTC)
    session.execute(delete(SearchKey).where(SearchKey.record_kind == "entity",
                                            SearchKey.record_id == ent.id))
    for key in keys_for(ent.display_name, ent.first_name, ent.last_name, *ent.aliases,
                        identifiers=(ent.identifier,)):
        session.add(SearchKey(record_kind="entity", record_id=ent.id, key=key))
    audit.record(session, p, "alteration", "entity", ent.id, details={"changed": sorted(changes)})
    session.flush()
    watchlist.after_commit(session, reindex=ent.id)
    return ent


def erase_entity(session: Session, p: Principal, entity_id: int, justification: str) -> None:
    """Erasure (retention expired, or unlawful processing): the record and its links go."""
    if not p.has("case.read_desk"):
        raise Forbidden("only a supervisor may erase records", rule="permission:case.read_desk")
    if len((justification or "").strip()) < 5:
        raise InvalidInput("justification: state why the record is erased", field="justification",
                           rule="required_for_erasure")
    ent = load_visible(session, p, Entity, entity_id, "entity")
    appeal = session.scalar(select(Appeal.id).where(Appeal.entity_id == ent.id).limit(1))
    if appeal is not None:  # the public appeal shows this person: withdraw or re-point it first
        raise Conflict(f"appeal {appeal} names this entity; change or remove that appeal first",
                       field="entity_id", rule="in_use", appeal=appeal)
    for model, col in ((Hit, Hit.query_entity_id), (Hit, Hit.target_entity_id),
                       (Judgement, Judgement.a_entity_id), (Judgement, Judgement.b_entity_id),
                       (CaseEntity, CaseEntity.entity_id)):
        session.execute(delete(model).where(col == ent.id))
    session.execute(delete(SearchKey).where(SearchKey.record_kind == "entity",
                                            SearchKey.record_id == ent.id))
    session.execute(delete(Share).where(Share.record_kind == "entity", Share.record_id == ent.id))
    session.delete(ent)
    audit.record(session, p, "erasure", "entity", entity_id, justification=justification)
    watchlist.after_commit(session, forget=entity_id)
