"""Appeals and tips API: draft, publish (audited), withdraw, mark caught; the tip queue and its
handling (sanitise, dispatch to a case, follow-up questions, close). The public side is
`ncb.web.public`; nothing here is reachable without credentials.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ncb.adapters.deps import PrincipalDep, SessionDep, get_settings_dep
from ncb.domain.policy import Principal
from ncb.services import appeals, tips
from ncb.services.appeals import AppealIn
from ncb.services.errors import InvalidInput
from ncb.services.tip_views import TipView, tip_view, tip_views
from ncb.store.models import Appeal

router = APIRouter(tags=["appeals and tips"])


class AppealOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    public_id: str
    kind: str = "wanted"
    case: str | None = None
    entity_id: int | None
    name: str
    aliases: list[str]
    has_photo: bool = False
    age: int | None
    year_of_birth: int | None
    height_cm: int | None
    distinguishing_marks: str
    wanted_for: str
    believed_country: str | None
    status: str
    live: bool = False
    published_at: datetime | None
    approved_by: int | None
    withdrawn_at: datetime | None


class TipMessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    n: int = Field(description="Place in this tip's thread (1 = first); message row ids are "
                   "internal (global and sequential, they would tell how many follow-ups all "
                   "tips had)")
    kind: str
    body: str | None = Field(description="An answer in the sender's words only for tip "
                             "handlers (tip.handle); null for others")
    at: datetime


class TipOut(BaseModel):
    id: str = Field(description="The tip's public id (random: it tells neither how many tips "
                    "came nor their order); the path parameter of /tips/{tip_id}")
    reference: str | None = Field(description="The sender's reference code (half of their "
                                  "credential): only for tip handlers (tip.handle), null "
                                  "for others")
    status: str
    body: str | None = Field(description="As sent; only for tip handlers (tip.handle)")
    sanitised_body: str | None
    case: str | None
    about_case: str | None = Field(description="Case of the appeal the sender named")
    received_hour: datetime
    messages: list[TipMessageOut] = []


class PublishIn(BaseModel):
    justification: str = Field(min_length=3, max_length=1000)


class ReasonIn(BaseModel):
    reason: str = Field(default="", max_length=1000)


class StatusIn(BaseModel):
    status: str = Field(pattern="^(wanted|caught)$")


class SanitiseIn(BaseModel):
    sanitised_body: str = Field(max_length=tips.MAX_TIP_CHARS)


class DispatchIn(BaseModel):
    case: str
    justification: str | None = None


class QuestionIn(BaseModel):
    question: str = Field(max_length=tips.MAX_ANSWER_CHARS)


def appeal_out(session: Any, a: Appeal) -> AppealOut:
    out = AppealOut.model_validate(a)
    out.case = appeals.case_reference(session, a)
    out.has_photo = a.photo_type is not None
    out.live = appeals.is_live(a)
    return out


def tip_out(view: TipView) -> TipOut:
    return TipOut.model_validate(view, from_attributes=True)


# --- appeals -------------------------------------------------------------------------------


@router.get("/appeals", response_model=list[AppealOut])
def list_appeals(session: SessionDep, p: PrincipalDep) -> list[AppealOut]:
    return [appeal_out(session, a) for a in appeals.list_appeals(session, p)]


@router.post("/appeals", status_code=status.HTTP_201_CREATED, response_model=AppealOut)
def draft(body: AppealIn, session: SessionDep, p: PrincipalDep) -> AppealOut:
    """A draft appeal on a fugitive case (appeal.draft); not public until published."""
    return appeal_out(session, appeals.draft_appeal(session, p, body))


@router.get("/appeals/{appeal_id}", response_model=AppealOut)
def get_appeal(appeal_id: int, session: SessionDep, p: PrincipalDep) -> AppealOut:
    return appeal_out(session, appeals.get_appeal(session, p, appeal_id))


@router.put("/appeals/{appeal_id}", response_model=AppealOut)
def update_appeal(appeal_id: int, body: AppealIn, session: SessionDep, p: PrincipalDep) -> AppealOut:
    """Edit; a live appeal only by a supervisor (appeal.publish)."""
    return appeal_out(session, appeals.update_appeal(session, p, appeal_id, body))


@router.put("/appeals/{appeal_id}/photo", response_model=AppealOut,
            openapi_extra={"requestBody": {"content": {"image/jpeg": {}, "image/png": {}}}})
async def put_photo(appeal_id: int, request: Request, session: SessionDep,
                    p: PrincipalDep) -> AppealOut:
    """The photo as the raw request body (JPEG or PNG, at most NCB_APPEAL_PHOTO_KIB: 2 MiB)."""
    data = await request.body()
    appeals.check_photo_size(get_settings_dep(request), len(data))
    if not data:
        raise InvalidInput("send the image as the request body", field="photo")
    return await run_in_threadpool(_replace_photo, session, p, appeal_id, data)


def _replace_photo(session: Session, p: Principal, appeal_id: int, data: bytes) -> AppealOut:
    # Off the event loop: waiting there for SQLite's write lock would stall every request.
    return appeal_out(session, appeals.replace_photo(session, p, appeal_id, data))


@router.post("/appeals/{appeal_id}/publish", response_model=AppealOut)
def publish(appeal_id: int, body: PublishIn, session: SessionDep, p: PrincipalDep) -> AppealOut:
    """Approve for the public site (appeal.publish); logged as a disclosure to the public."""
    return appeal_out(session, appeals.publish_appeal(session, p, appeal_id, body.justification))


@router.post("/appeals/{appeal_id}/withdraw", response_model=AppealOut)
def withdraw(appeal_id: int, session: SessionDep, p: PrincipalDep,
             body: Annotated[ReasonIn | None, Body()] = None) -> AppealOut:
    """Remove from the public site at once (appeal.publish)."""
    reason = body.reason if body else ""
    return appeal_out(session, appeals.withdraw_appeal(session, p, appeal_id, reason))


@router.post("/appeals/{appeal_id}/status", response_model=AppealOut)
def set_status(appeal_id: int, body: StatusIn, session: SessionDep, p: PrincipalDep) -> AppealOut:
    return appeal_out(session, appeals.set_status(session, p, appeal_id, body.status))


# --- tips ----------------------------------------------------------------------------------


@router.get("/tips", response_model=list[TipOut])
def tip_queue(session: SessionDep, p: PrincipalDep,
              status_: Annotated[str | None, Query(alias="status")] = None) -> list[TipOut]:
    return [tip_out(v) for v in tip_views(session, p, tips.queue(session, p, status_))]


@router.get("/tips/{tip_id}", response_model=TipOut)
def get_tip(tip_id: str, session: SessionDep, p: PrincipalDep) -> TipOut:
    """Open a tip (the consultation is logged)."""
    return tip_out(tip_view(session, p, tips.open_tip(session, p, tip_id)))


@router.post("/tips/{tip_id}/sanitise", response_model=TipOut)
def sanitise(tip_id: str, body: SanitiseIn, session: SessionDep, p: PrincipalDep) -> TipOut:
    return tip_out(tip_view(session, p, tips.sanitise(session, p, tip_id, body.sanitised_body)))


@router.post("/tips/{tip_id}/dispatch", response_model=TipOut)
def dispatch(tip_id: str, body: DispatchIn, session: SessionDep, p: PrincipalDep) -> TipOut:
    """Send the sanitised tip to a case (tip.dispatch); logged as a disclosure."""
    tip = tips.dispatch(session, p, tip_id, body.case, body.justification)
    return tip_out(tip_view(session, p, tip))


@router.post("/tips/{tip_id}/questions", status_code=status.HTTP_201_CREATED,
             response_model=TipMessageOut)
def ask(tip_id: str, body: QuestionIn, session: SessionDep, p: PrincipalDep) -> TipMessageOut:
    """A follow-up question the sender reads with their reference code and PIN."""
    msg = tips.ask(session, p, tip_id, body.question)
    return TipMessageOut.model_validate(tips.message_view(session, p, msg))


@router.post("/tips/{tip_id}/close", response_model=TipOut)
def close(tip_id: str, session: SessionDep, p: PrincipalDep) -> TipOut:
    return tip_out(tip_view(session, p, tips.close(session, p, tip_id)))
