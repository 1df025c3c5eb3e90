"""Request dependencies: the caller (`current_principal`), one transaction (`uow`), `require`.

Use in a router:

    @router.get("/things", dependencies=[Depends(require("case.read_desk"))])
    def things(session: Session = UOW, principal: Principal = PRINCIPAL_DEP): ...

`uow` opens one transaction per request with the principal on the session, so every ORM query
is filtered (ncb.store.access); it commits after the endpoint (before the response is sent)
and rolls back if the endpoint raises.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from ncb.domain.policy import Principal
from ncb.services.auth import SESSION_COOKIE, NotAuthenticated, authenticate, csrf_for_session
from ncb.services.context import SYSTEM, principal_for, unit_of_work
from ncb.services.errors import Forbidden
from ncb.settings import Settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import READ_ONLY

bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearer",
                           description="A token from POST /auth/token")
cookie_scheme = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, scheme_name="session",
                             description="The browser session cookie set by POST /auth/login")


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.factory
    return factory


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Workbench pages check the token of their forms themselves (ncb.web.deps.checked_form, which
# tests/api/test_csrf.py keeps on every one of their writes); the public site has no session.
OWN_CSRF_PREFIXES = ("/w/", "/logout", "/login", "/public/")
CSRF_HEADER = "x-csrf-token"


def cookie_csrf(request: Request, settings: Settings, session_token: str) -> None:
    """A write authenticated by the session cookie must carry the page's CSRF token in the
    X-CSRF-Token header (a cross-site form can send the cookie, never the header); bearer
    tokens are never sent by a browser on its own, so they need none."""
    if request.method in SAFE_METHODS or request.url.path.startswith(OWN_CSRF_PREFIXES):
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent, csrf_for_session(settings, session_token)):
        raise Forbidden("a write with the session cookie needs the X-CSRF-Token header of "
                        "this site's pages", field=CSRF_HEADER, rule="csrf")


def request_token(request: Request) -> str | None:
    """The bearer token from `Authorization`, else the session cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(SESSION_COOKIE) or None


def _has_bearer(request: Request) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(value.strip())


def current_principal(
    request: Request,
    factory: Annotated[sessionmaker[Session], Depends(get_factory)],
    settings: Annotated[Settings, Depends(get_settings_dep)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
    _cookie: Annotated[str | None, Depends(cookie_scheme)] = None,
) -> Principal:
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    token = request_token(request)
    if token is None:
        raise NotAuthenticated("sign in: send a bearer token or the session cookie")
    if token == request.cookies.get(SESSION_COOKIE) and not _has_bearer(request):
        cookie_csrf(request, settings, token)
    # Read-only: on SQLite this begins deferred, so checking a token never waits for writers.
    with factory() as session:
        session.info[PRINCIPAL] = SYSTEM
        session.connection(execution_options={READ_ONLY: True})
        user = authenticate(session, token, settings)
        if user is None:
            raise NotAuthenticated("the token is unknown, expired or revoked")
        principal = principal_for(session, user)
    request.state.principal = principal
    return principal


def uow(
    factory: Annotated[sessionmaker[Session], Depends(get_factory)],
    principal: Annotated[Principal, Depends(current_principal)],
) -> Iterator[Session]:
    with unit_of_work(factory, principal) as session:
        yield session


def require(permission: str, why: str | None = None) -> Callable[[Principal], Principal]:
    """A dependency that answers 403 unless the caller holds `permission`.

    `why` is the sentence the workbench shows ("your role may not record warrants").
    """

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.has(permission):
            if why:
                raise Forbidden(why, rule=f"permission:{permission}")
            raise Forbidden(f"this needs the {permission!r} permission",
                            reasons=[f"none of your roles grants {permission}"])
        return principal

    dependency.__name__ = f"require_{permission.replace('.', '_')}"
    return dependency


# Ready-made annotations. `scope="function"` makes the transaction end (commit or rollback)
# when the endpoint returns, before the response goes out, so a failed commit is never a 200.
PrincipalDep = Annotated[Principal, Depends(current_principal)]
SessionDep = Annotated[Session, Depends(uow, scope="function")]
FactoryDep = Annotated[sessionmaker[Session], Depends(get_factory)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
