"""Sign-in and sign-out pages over ncb.services.auth; sets and clears the `ncb_session` cookie."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ncb.adapters.cookies import clear_cookie, set_cookie
from ncb.adapters.deps import FactoryDep, SettingsDep
from ncb.services.auth import SESSION_COOKIE, LoginFailed, logout, sign_in
from ncb.services.context import SYSTEM
from ncb.services.login_guard import DEVICE_COOKIE, device_cookie
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.web.deps import FormDep, text
from ncb.web.templating import GRANT_COOKIE, PRE_SESSION_COOKIE, WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def safe_next(value: str | None) -> str:
    """Only a local path: never an open redirect to another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": safe_next(next), "errors": {},
                                          "demo_logins": _demo_logins(request)})


def _demo_logins(request: Request) -> dict[str, Any] | None:
    if not request.app.state.settings.demo_mode:
        return None
    from ncb.demo.guide import DEMO_LOGINS, DEMO_PASSWORD  # demo mode only: not loaded otherwise

    return {"users": DEMO_LOGINS, "password": DEMO_PASSWORD}


@router.post("/login")
def login_submit(request: Request, form: FormDep, factory: FactoryDep,
                 settings: SettingsDep) -> Response:
    username = text(form, "username") or ""
    password = str(form.get("password") or "")
    nxt = safe_next(text(form, "next"))
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "Enter your username."
    if not password:
        errors["password"] = "Enter your password."
    if not errors:
        try:
            user, issued = sign_in(factory, username, password, "session", settings,
                                   request.cookies.get(DEVICE_COOKIE),
                                   request.client.host if request.client else None)
        except LoginFailed:  # one answer for an unknown user, a throttled account, a wrong password
            errors["__all__"] = "Wrong username or password."
        else:
            response = RedirectResponse(nxt, status_code=303)
            set_cookie(response, request, SESSION_COOKIE, issued.token,
                       settings.session_hours * 3600, samesite="lax")
            set_cookie(response, request, DEVICE_COOKIE, device_cookie(settings, user.id),
                       settings.device_cookie_days * 86400)
            clear_cookie(response, request, PRE_SESSION_COOKIE)
            return response
    return render(request, "login.html", {"next": nxt, "errors": errors, "username": username,
                                          "demo_logins": _demo_logins(request)},
                  status=401 if "__all__" in errors else 422)


@router.post("/logout")
def logout_submit(request: Request, _form: FormDep, factory: FactoryDep,
                  settings: SettingsDep) -> Response:
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as session:
        logout(session, request.cookies.get(SESSION_COOKIE), settings)
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    clear_cookie(response, request, SESSION_COOKIE, samesite="lax")
    clear_cookie(response, request, GRANT_COOKIE)
    return response
