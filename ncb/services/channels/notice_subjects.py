"""A notice's person as an Entity (watch_role "notice") so screening finds it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ncb.domain import interpol as domain
from ncb.domain.policy import Principal
from ncb.services import intake, marking
from ncb.store.models import Entity, Notice


def _iso_dob(dob: str | None) -> str | None:
    return dob.replace("/", "-") if dob else None


def _entity_for(session: Session, p: Principal, notice: Notice, rec: domain.NoticeRecord
                ) -> Entity:
    """The notice's person as an Entity (watch_role "notice") so screening finds it."""
    ent = Entity(kind="person", display_name=" ".join(x for x in (rec.forename, rec.name) if x),
                 first_name=rec.forename, last_name=rec.name, aliases=[],
                 date_of_birth=_iso_dob(rec.date_of_birth), gender=rec.sex_id,
                 nationality=rec.nationalities[0] if rec.nationalities else None,
                 place_of_birth=rec.place_of_birth,
                 details={"notice_type": rec.notice_type, "notice": rec.entity_id},
                 watch_role="notice", source_kind="interpol_notice", source_ref=rec.entity_id,
                 created_by=p.user_id)
    marking.copy_markings(notice, ent)
    session.add(ent)
    session.flush()
    intake._add_keys(session, "entity", ent.id, ent.display_name, ent.first_name, ent.last_name)
    return ent


