"""Public wanted appeals: draft, publish (an audited supervisor decision), withdraw, mark caught.

The public site reads appeals only through `published_appeals` / `published_appeal` /
`published_photo` / `public_counts`: they select public columns of published, non-withdrawn
appeals and nothing else (no case, no entity, no user).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.context import settings_of
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from ncb.services.reading import case_by_ref
from ncb.services.text import fold
from ncb.settings import Settings
from ncb.store import audit
from ncb.store.models import Appeal, Case, Entity

PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


AppealKind = Literal["wanted", "missing", "unidentified", "witness"]


class AppealIn(BaseModel):
    """The fields a supervisor approves for publication; nothing else reaches the public."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: AppealKind = Field(
        default="wanted", description="A wanted person, a missing person, an unidentified body "
        "(the public is asked who they are) or a witness sought.")
    case: str = Field(description="Reference of the case the appeal serves.")
    entity_id: int | None = Field(default=None, description="The wanted person's entity, if any.")
    name: str = Field(min_length=2, max_length=200)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    age: int | None = Field(default=None, ge=14, le=110)
    year_of_birth: int | None = Field(default=None, ge=1900, le=2100)
    height_cm: int | None = Field(default=None, ge=100, le=250)
    distinguishing_marks: str = Field(default="", max_length=2000)
    wanted_for: str = Field(min_length=3, max_length=1000)
    believed_country: str | None = Field(default=None, min_length=2, max_length=2)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, v: list[str]) -> list[str]:
        return [a.strip()[:200] for a in v if a.strip()]

    @field_validator("believed_country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        if v is None or not v.strip():
            return None
        if not v.isalpha():
            raise ValueError("an ISO 3166 alpha-2 code")
        return v.upper()


@dataclass(frozen=True)
class PublicAppeal:
    """What the public site may show of one appeal."""

    public_id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    has_photo: bool
    age: int | None
    year_of_birth: int | None
    height_cm: int | None
    distinguishing_marks: str
    wanted_for: str
    believed_country: str | None
    status: str
    published_at: datetime


@dataclass(frozen=True)
class Counts:
    listed: int
    caught: int


def _need(p: Principal, *perms: str) -> None:
    if not any(p.has(x) for x in perms):
        raise Forbidden(f"your role lacks the permission {' or '.join(perms)}",
                        rule=f"permission:{perms[0]}")


def size_text(kib: int) -> str:
    """'2 MiB', '300 KiB': a size limit as the forms and refusals state it."""
    return f"{kib // 1024} MiB" if kib % 1024 == 0 else f"{kib} KiB"


def check_photo_size(settings: Settings, size: int) -> None:
    """413 naming the photo when it is over NCB_APPEAL_PHOTO_KIB (adapters check before
    reading the rest of an upload)."""
    if size > settings.appeal_photo_kib * 1024:
        raise TooLarge(f"the photo is larger than {size_text(settings.appeal_photo_kib)}",
                       field="photo")


def _photo_type(session: Session, photo: bytes) -> str:
    check_photo_size(settings_of(session), len(photo))
    for magic, kind in PHOTO_TYPES.items():
        if photo.startswith(magic):
            return kind
    raise InvalidInput("the photo must be a JPEG or PNG image", field="photo", rule="image_type")


def _get(session: Session, appeal_id: int) -> Appeal:
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"no appeal {appeal_id}")
    return appeal


def is_live(a: Appeal) -> bool:
    return a.published_at is not None and a.withdrawn_at is None


# --- workbench use cases ------------------------------------------------------------------


def draft_appeal(session: Session, p: Principal, data: AppealIn,
                 photo: bytes | None = None) -> Appeal:
    """A draft appeal on a fugitive case (appeal.draft); invisible to the public until published."""
    _need(p, "appeal.draft", "appeal.publish")
    case = case_by_ref(session, p, data.case)
    _check_entity(session, data)
    now = datetime.now(UTC)
    appeal = Appeal(public_id=secrets.token_urlsafe(9), case_id=case.id, drafted_by=p.user_id,
                    created_at=now, updated_at=now, status="wanted")
    _apply(appeal, data)
    if photo:
        appeal.photo_type = _photo_type(session, photo)
        appeal.photo = photo
    session.add(appeal)
    session.flush()
    audit.record(session, p, "collection", "appeal", appeal.id,
                 details={"case": case.reference, "draft": True})
    return appeal


def _check_entity(session: Session, data: AppealIn) -> None:
    if data.entity_id is not None and session.get(Entity, data.entity_id) is None:
        raise InvalidInput(f"no visible entity {data.entity_id}", field="entity_id",
                           rule="known_entity")


def _apply(appeal: Appeal, data: AppealIn) -> None:
    for name in ("kind", "entity_id", "name", "age", "year_of_birth", "height_cm",
                 "distinguishing_marks", "wanted_for", "believed_country"):
        setattr(appeal, name, getattr(data, name))
    appeal.aliases = list(data.aliases)


def update_appeal(session: Session, p: Principal, appeal_id: int, data: AppealIn,
                  photo: bytes | None = None, remove_photo: bool = False) -> Appeal:
    """Edit a draft (appeal.draft); a live appeal changes only by a supervisor (appeal.publish)."""
    appeal = _get(session, appeal_id)
    _need(p, "appeal.publish") if is_live(appeal) else _need(p, "appeal.draft", "appeal.publish")
    case = case_by_ref(session, p, data.case)
    _check_entity(session, data)
    appeal.case_id = case.id
    _apply(appeal, data)
    if photo:
        appeal.photo_type = _photo_type(session, photo)
        appeal.photo = photo
    elif remove_photo:
        appeal.photo, appeal.photo_type = None, None
    appeal.updated_at = datetime.now(UTC)
    audit.record(session, p, "alteration", "appeal", appeal.id,
                 details={"live": is_live(appeal), "photo": bool(photo) or remove_photo})
    return appeal


def replace_photo(session: Session, p: Principal, appeal_id: int, photo: bytes) -> Appeal:
    """Only the photo changes (the API's PUT of the image): the rest as it stands, checked and
    audited as any edit."""
    a = get_appeal(session, p, appeal_id)
    current = AppealIn(case=case_reference(session, a) or "", entity_id=a.entity_id, name=a.name,
                       aliases=list(a.aliases or []), age=a.age, year_of_birth=a.year_of_birth,
                       height_cm=a.height_cm, distinguishing_marks=a.distinguishing_marks,
                       wanted_for=a.wanted_for, believed_country=a.believed_country)
    return update_appeal(session, p, appeal_id, current, photo=photo)


def publish_appeal(session: Session, p: Principal, appeal_id: int, justification: str) -> Appeal:
    """Approve an appeal for the public site: a supervisor's explicit, audited disclosure."""
    _need(p, "appeal.publish")
    if not (justification or "").strip():
        raise InvalidInput("state why this appeal is published", field="justification",
                           rule="required")
    appeal = _get(session, appeal_id)
    if is_live(appeal):
        raise Conflict("this appeal is already published")
    now = datetime.now(UTC)
    appeal.published_at, appeal.approved_by = now, p.user_id
    appeal.withdrawn_at, appeal.withdrawn_by = None, None
    appeal.updated_at = now
    case = session.get(Case, appeal.case_id)
    audit.record(session, p, "disclosure", "appeal", appeal.id, justification=justification.strip(),
                 recipients=["public"],
                 details={"case": case.reference if case else None, "name": appeal.name})
    return appeal


def withdraw_appeal(session: Session, p: Principal, appeal_id: int, reason: str) -> Appeal:
    """Take an appeal off the public site at once (appeal.publish)."""
    _need(p, "appeal.publish")
    appeal = _get(session, appeal_id)
    if not is_live(appeal):
        raise Conflict("this appeal is not on the public site")
    now = datetime.now(UTC)
    appeal.withdrawn_at, appeal.withdrawn_by, appeal.updated_at = now, p.user_id, now
    audit.record(session, p, "alteration", "appeal", appeal.id,
                 justification=(reason or "").strip() or None, details={"withdrawn": True})
    return appeal


def set_status(session: Session, p: Principal, appeal_id: int, status: str) -> Appeal:
    """Mark a fugitive caught (or wanted again); the public list shows it (appeal.publish)."""
    _need(p, "appeal.publish")
    if status not in ("wanted", "caught"):
        raise InvalidInput("status must be wanted or caught", field="status", rule="one_of")
    appeal = _get(session, appeal_id)
    if appeal.status != status:
        old, appeal.status = appeal.status, status
        appeal.caught_at = datetime.now(UTC) if status == "caught" else None
        appeal.updated_at = datetime.now(UTC)
        audit.record(session, p, "alteration", "appeal", appeal.id,
                     details={"status": [old, status]})
    return appeal


def list_appeals(session: Session, p: Principal) -> list[Appeal]:
    _need(p, "appeal.draft", "appeal.publish")
    return list(session.scalars(select(Appeal).order_by(Appeal.created_at.desc())).all())


def get_appeal(session: Session, p: Principal, appeal_id: int) -> Appeal:
    _need(p, "appeal.draft", "appeal.publish")
    return _get(session, appeal_id)


def case_reference(session: Session, appeal: Appeal) -> str | None:
    return session.scalar(select(Case.reference).where(Case.id == appeal.case_id))


# --- the public side: published, non-withdrawn appeals only --------------------------------

_PUBLIC_COLUMNS = (
    Appeal.public_id, Appeal.kind, Appeal.name, Appeal.aliases, Appeal.photo_type, Appeal.age,
    Appeal.year_of_birth, Appeal.height_cm, Appeal.distinguishing_marks, Appeal.wanted_for,
    Appeal.believed_country, Appeal.status, Appeal.published_at,
)


def _live() -> Any:
    return (Appeal.published_at.is_not(None)) & (Appeal.withdrawn_at.is_(None))


def _published_select() -> Select[Any]:
    """The one query the public site runs: public columns of live appeals, nothing joined."""
    return select(*_PUBLIC_COLUMNS).where(_live())


def _public(row: Any) -> PublicAppeal:
    return PublicAppeal(
        public_id=row.public_id, kind=row.kind, name=row.name, aliases=tuple(row.aliases or ()),
        has_photo=row.photo_type is not None, age=row.age, year_of_birth=row.year_of_birth,
        height_cm=row.height_cm, distinguishing_marks=row.distinguishing_marks or "",
        wanted_for=row.wanted_for, believed_country=row.believed_country, status=row.status,
        published_at=row.published_at,
    )


def published_appeals(session: Session, q: str | None = None, country: str | None = None,
                      status: str | None = None) -> list[PublicAppeal]:
    """Live appeals, wanted first; `q` matches names and aliases in any script or accent."""
    stmt = _published_select()
    if country:
        stmt = stmt.where(Appeal.believed_country == country.upper()[:2])
    if status in ("wanted", "caught"):
        stmt = stmt.where(Appeal.status == status)
    stmt = stmt.order_by(Appeal.status.desc(), Appeal.published_at.desc(), Appeal.id.desc())
    found = [_public(r) for r in session.execute(stmt).all()]
    needle = fold(q or "").strip()
    if needle:
        found = [a for a in found
                 if any(needle in fold(n) for n in (a.name, *a.aliases))]
    return found


def published_appeal(session: Session, public_id: str) -> PublicAppeal | None:
    row = session.execute(_published_select().where(Appeal.public_id == public_id)).first()
    return _public(row) if row else None


def published_photo(session: Session, public_id: str) -> tuple[bytes, str] | None:
    row = session.execute(
        select(Appeal.photo, Appeal.photo_type).where(_live(), Appeal.public_id == public_id)
    ).first()
    if row is None or row.photo is None or row.photo_type is None:
        return None
    return bytes(row.photo), row.photo_type


def public_counts(session: Session) -> Counts:
    row = session.execute(
        select(func.count(), func.count().filter(Appeal.status == "caught"))
        .where(_live(), Appeal.kind == "wanted")  # the fugitives' tally (Captura's results)
    ).one()
    return Counts(listed=int(row[0]), caught=int(row[1]))


def public_countries(session: Session) -> list[str]:
    return sorted(c for c in session.scalars(
        select(Appeal.believed_country).where(_live()).distinct()
    ).all() if c)


def live_choices(session: Session) -> list[tuple[str, str]]:
    """(public_id, name) of live wanted appeals, for the tip form's "about whom" choice."""
    stmt = select(Appeal.public_id, Appeal.name).where(_live(), Appeal.status == "wanted")
    return [(r.public_id, r.name) for r in session.execute(stmt.order_by(Appeal.name)).all()]
