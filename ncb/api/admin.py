"""User administration (permission `user.admin`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ncb.adapters.deps import SessionDep, SettingsDep, require
from ncb.api.problems import PROBLEM_SCHEMA
from ncb.services import users

router = APIRouter(
    prefix="/admin", tags=["admin"], dependencies=[Depends(require("user.admin"))],
    responses={401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA},
)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    agency: str | None
    roles: list[str]
    clearance: str
    team_id: int | None
    post: str | None
    active: bool


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(max_length=1024)  # shortest: NCB_MIN_PASSWORD_LENGTH (service)
    display_name: str = Field(min_length=1, max_length=200)
    agency: str = Field(min_length=1, max_length=40)
    roles: list[str] = Field(min_length=1)
    clearance: str = "OFFICIAL"
    team: str | None = None
    post: str | None = Field(default=None, max_length=80)
    post_countries: list[str] = Field(default_factory=list)


@router.get("/users", response_model=list[UserOut], summary="List users")
def list_users(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[UserOut]:
    return [UserOut(**users.user_summary(u)) for u in users.list_users(session, limit, offset)]


@router.post("/users", response_model=UserOut, status_code=201,
             responses={409: PROBLEM_SCHEMA, 422: PROBLEM_SCHEMA}, summary="Add a user")
def add_user(body: UserIn, session: SessionDep, settings: SettingsDep) -> UserOut:
    user = users.add_user(
        session, body.username, body.password, body.display_name, body.agency, body.roles,
        body.clearance, team_code=body.team, post=body.post, post_countries=body.post_countries,
        settings=settings,
    )
    return UserOut(**users.user_summary(user))
