"""Every cookie the workbench and the API set or clear, with the same flags.

One place, so a new cookie cannot forget one: HttpOnly (no script reads it), a SameSite
policy, path `/`, and `Secure` whenever the request came over HTTPS (directly or from a
trusted proxy) or NCB_COOKIE_SECURE is set (ncb.services.auth.cookie_secure).
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request, Response

from ncb.services.auth import cookie_secure

SameSite = Literal["lax", "strict"]


def _secure(request: Request) -> bool:
    return cookie_secure(request.app.state.settings, request.url.scheme)


def set_cookie(
    response: Response,
    request: Request,
    name: str,
    value: str,
    max_age: int | None = None,
    samesite: SameSite = "strict",
) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite=samesite, secure=_secure(request), path="/"
    )


def clear_cookie(response: Response, request: Request, name: str, samesite: SameSite = "strict") -> None:
    response.delete_cookie(name, httponly=True, samesite=samesite, secure=_secure(request), path="/")
