"""Sign in and out: browser session cookie (`/auth/login`) or bearer token (`/auth/token`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ncb.adapters.cookies import clear_cookie, set_cookie
from ncb.adapters.deps import FactoryDep, PrincipalDep, SessionDep, SettingsDep, request_token
from ncb.api.problems import PROBLEM_SCHEMA
from ncb.services import users
from ncb.services.auth import SESSION_COOKIE, logout, sign_in
from ncb.services.errors import InvalidInput
from ncb.services.login_guard import DEVICE_COOKIE, device_cookie

router = APIRouter(prefix="/auth", tags=["auth"])

PUBLIC_PATHS = frozenset({"/auth/login", "/auth/token"})


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1024)


class LoginOut(BaseModel):
    username: str
    expires_at: datetime


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class Me(BaseModel):
    id: int | None
    username: str
    display_name: str
    agency: str
    agency_name: str | None
    team_id: int | None
    roles: list[str]
    clearance: str
    permissions: list[str]


_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": Credentials.model_json_schema()},
        "application/x-www-form-urlencoded": {"schema": Credentials.model_json_schema()},
    },
}
_REFUSED: dict[int | str, dict[str, Any]] = {401: PROBLEM_SCHEMA, 422: PROBLEM_SCHEMA}


async def _credentials(request: Request) -> Credentials:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw: Any
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        raw = {k: v for k, v in form.items() if isinstance(v, str)}
    else:
        try:
            raw = json.loads(await request.body() or b"null")
        except ValueError:
            raise InvalidInput("body must be JSON or a form", field="body",
                               rule="json_invalid") from None
    try:
        return Credentials.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        raise InvalidInput(first["msg"], field=field, rule=first["type"]) from None


@router.post("/login", response_model=LoginOut, responses=_REFUSED,
             openapi_extra={"requestBody": _BODY},
             summary="Sign in; sets the HttpOnly session cookie")
async def login_route(
    request: Request, response: Response, factory: FactoryDep, settings: SettingsDep
) -> LoginOut:
    creds = await _credentials(request)
    user, issued = await run_in_threadpool(
        sign_in, factory, creds.username, creds.password, "session", settings,
        request.cookies.get(DEVICE_COOKIE), request.client.host if request.client else None)
    set_cookie(response, request, SESSION_COOKIE, issued.token, settings.session_hours * 3600,
               samesite="lax")
    # This browser now skips the account's back-off (a stranger's failures cannot lock it out).
    set_cookie(response, request, DEVICE_COOKIE, device_cookie(settings, user.id),
               settings.device_cookie_days * 86400)
    return LoginOut(username=user.username, expires_at=issued.expires_at)


@router.post("/token", response_model=TokenOut, responses=_REFUSED,
             openapi_extra={"requestBody": _BODY}, summary="Get a bearer token for the API")
async def token_route(request: Request, factory: FactoryDep, settings: SettingsDep) -> TokenOut:
    creds = await _credentials(request)
    _user, issued = await run_in_threadpool(
        sign_in, factory, creds.username, creds.password, "bearer", settings,
        request.cookies.get(DEVICE_COOKIE), request.client.host if request.client else None)
    return TokenOut(access_token=issued.token, expires_at=issued.expires_at)


@router.post("/logout", status_code=204, responses={401: PROBLEM_SCHEMA},
             summary="Revoke the token or session used for this request")
def logout_route(
    request: Request, session: SessionDep, _principal: PrincipalDep, settings: SettingsDep
) -> Response:
    logout(session, request_token(request), settings)
    response = Response(status_code=204)
    clear_cookie(response, request, SESSION_COOKIE, samesite="lax")
    return response


@router.get("/me", response_model=Me, responses={401: PROBLEM_SCHEMA},
            summary="Who am I: agency, roles, clearance, permissions")
def me(session: SessionDep, principal: PrincipalDep) -> Me:
    me = users.profile(session, principal)
    return Me(id=me.user_id, username=me.username, display_name=me.display_name,
              agency=me.agency, agency_name=me.agency_name, team_id=me.team_id, roles=me.roles,
              clearance=me.clearance, permissions=me.permissions)
