"""Sign-in, lockout, bearer tokens, logout, problem documents, and 401 on every private route."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ncb.adapters.deps import SessionDep
from ncb.app import is_public
from ncb.services.errors import Conflict
from ncb.store.models import Agency, ApiToken, LoginThrottle, User, utcnow
from tests.conftest import SEED_PASSWORD, Seeded

PROBLEM = "application/problem+json"


def _user(factory: sessionmaker[Session], username: str) -> User:
    with factory() as s:
        return s.scalars(select(User).where(User.username == username)).one()


def _assert_problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = r.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    return body


def test_login_json_sets_httponly_cookie(client: Any, seeded: Seeded) -> None:
    r = client.post("/auth/login", json={"username": "desk", "password": SEED_PASSWORD})
    assert r.status_code == 200, r.text
    assert r.json()["username"] == "desk"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("ncb_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    me = client.get("/auth/me")  # the client keeps the cookie
    assert me.status_code == 200 and me.json()["username"] == "desk"


def test_login_form(client: Any, seeded: Seeded) -> None:
    r = client.post("/auth/login", data={"username": "analyst", "password": SEED_PASSWORD})
    assert r.status_code == 200, r.text
    assert client.get("/auth/me").json()["roles"] == ["analyst"]


def test_wrong_password_is_401_problem(client: Any, seeded: Seeded) -> None:
    r = client.post("/auth/token", json={"username": "desk", "password": "nope-nope"})
    body = _assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"
    assert body["instance"] == "/auth/token"
    unknown = client.post("/auth/token", json={"username": "ghost", "password": "nope-nope"})
    assert _assert_problem(unknown, 401)["detail"] == body["detail"]  # no hint of existence


def test_backoff_instead_of_lock(client: Any, seeded: Seeded, factory: sessionmaker[Session],
                                 settings: Any) -> None:
    """No hard lock any more (tests/api/test_login_guard.py has the rest)."""
    creds = {"username": "desk", "password": "wrong-password"}
    for _ in range(settings.lockout_threshold + 8):
        _assert_problem(client.post("/auth/token", json=creds), 401)
    right = {"username": "desk", "password": SEED_PASSWORD}
    body = _assert_problem(client.post("/auth/token", json=right), 401)
    assert body["detail"] == "wrong username or password" and "locked" not in str(body)
    with factory.begin() as s:  # the back-off (of this source, for this account) runs out
        assert s.execute(update(LoginThrottle).values(
            not_before=utcnow() - timedelta(minutes=1))).rowcount == 1
    assert client.post("/auth/token", json=right).status_code == 200
    user = _user(factory, "desk")
    assert user.failed_logins == 0 and user.locked_until is None


def test_failed_counter_resets_on_success(client: Any, seeded: Seeded,
                                          factory: sessionmaker[Session]) -> None:
    for _ in range(2):
        client.post("/auth/token", json={"username": "analyst", "password": "bad-password"})
    assert _user(factory, "analyst").failed_logins == 2
    r = client.post("/auth/token", json={"username": "analyst", "password": SEED_PASSWORD})
    assert r.status_code == 200
    assert _user(factory, "analyst").failed_logins == 0


def test_bearer_token_and_me(client: Any, seeded: Seeded, factory: sessionmaker[Session]) -> None:
    r = client.post("/auth/token", json={"username": "partner", "password": SEED_PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_at"]
    token = body["access_token"]
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["agency"] == "US-FBI" and me["roles"] == ["partner_user"]
    assert me["clearance"] == "SECRET" and "case.create" in me["permissions"]
    with factory() as s:  # only the keyed hash is stored
        stored = s.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_logout_revokes(client: Any, seeded: Seeded) -> None:
    token = client.post("/auth/token", json={"username": "desk", "password": SEED_PASSWORD}
                        ).json()["access_token"]
    h = {"Authorization": f"Bearer {token}"}
    assert client.get("/auth/me", headers=h).status_code == 200
    assert client.post("/auth/logout", headers=h).status_code == 204
    _assert_problem(client.get("/auth/me", headers=h), 401)


def test_cookie_logout(client: Any, seeded: Seeded, settings: Any) -> None:
    from ncb.services.auth import csrf_for_session

    client.post("/auth/login", json={"username": "desk", "password": SEED_PASSWORD})
    assert client.post("/auth/logout").status_code == 403  # a cross-site form could send that
    token = csrf_for_session(settings, client.cookies["ncb_session"])
    assert client.post("/auth/logout", headers={"X-CSRF-Token": token}).status_code == 204
    client.cookies.clear()
    _assert_problem(client.get("/auth/me"), 401)


def test_expired_token_refused(client: Any, seeded: Seeded,
                               factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        s.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    _assert_problem(client.get("/auth/me", headers=seeded.headers("desk")), 401)


def test_unauthenticated_is_401_problem(client: Any) -> None:
    r = client.get("/auth/me")
    body = _assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"
    assert body["title"] == "Not authenticated"
    bogus = client.get("/auth/me", headers={"Authorization": "Bearer not-a-token"})
    _assert_problem(bogus, 401)


def test_validation_problem_names_field_and_rule(client: Any, seeded: Seeded) -> None:
    body = _assert_problem(client.post("/auth/token", json={"username": "desk"}), 422)
    assert body["errors"] == [{"field": "password", "rule": "missing",
                               "message": "Field required"}]
    r = client.post("/admin/users", headers=seeded.headers("admin"),
                    json={"username": "x" * 81, "password": "long-enough-pw",
                          "display_name": "X", "agency": "GB-NCA", "roles": ["analyst"]})
    errors = _assert_problem(r, 422)["errors"]
    assert {"field": "username", "rule": "string_too_long"} in [
        {k: e[k] for k in ("field", "rule")} for e in errors]
    assert "x" * 81 not in r.text  # submitted values are never echoed


def test_permissions_and_admin_users(client: Any, seeded: Seeded) -> None:
    body = _assert_problem(client.get("/admin/users", headers=seeded.headers("desk")), 403)
    assert body["reasons"]
    users = client.get("/admin/users", headers=seeded.headers("admin")).json()
    assert {u["username"] for u in users} >= {"desk", "partner", "admin"}
    new = {"username": "newbie", "password": "long-enough-pw", "display_name": "New Bie",
           "agency": "GB-NCA", "roles": ["desk_officer"], "clearance": "OFFICIAL",
           "team": "general_desk"}
    r = client.post("/admin/users", headers=seeded.headers("admin"), json=new)
    assert r.status_code == 201, r.text
    assert client.post("/auth/token", json={"username": "newbie",
                                            "password": "long-enough-pw"}).status_code == 200
    _assert_problem(client.post("/admin/users", headers=seeded.headers("admin"), json=new), 409)
    bad = _assert_problem(client.post("/admin/users", headers=seeded.headers("admin"),
                                      json={**new, "username": "n2", "roles": ["wizard"]}), 422)
    assert bad["errors"][0]["field"] == "roles" and bad["errors"][0]["rule"] == "unknown_role"


def test_audit_endpoints(client: Any, seeded: Seeded) -> None:
    _assert_problem(client.get("/audit", headers=seeded.headers("desk")), 403)
    page = client.get("/audit", headers=seeded.headers("supervisor"),
                      params={"record_kind": "user", "limit": 3}).json()
    assert page["total"] == len(seeded.users) and len(page["items"]) == 3
    assert page["items"][0]["seq"] > page["items"][1]["seq"]
    _assert_problem(client.post("/audit/verify", headers=seeded.headers("supervisor")), 403)
    report = client.post("/audit/verify", headers=seeded.headers("admin")).json()
    assert report["ok"] is True and report["checked"] >= len(seeded.users)


def test_health_is_public(client: Any) -> None:
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_openapi_declares_bearer(client: Any, seeded: Seeded) -> None:
    _assert_problem(client.get("/openapi.json"), 401)
    doc = client.get("/openapi.json", headers=seeded.headers("desk")).json()
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert doc["paths"]["/health"]["get"]["security"] == []
    assert {"bearer": []} in doc["paths"]["/auth/me"]["get"]["security"]
    assert "Problem" in doc["components"]["schemas"]


# ------------------------------------------------------------ every private route is guarded

WEB_LOGIN = {"/login", "/logout"}  # the workbench's own sign-in form


def _private_routes(app: Any) -> list[tuple[str, str]]:
    out = []
    for ctx in iter_route_contexts(app.routes):
        path = ctx.path
        if not path or is_public(path) or path in WEB_LOGIN:
            continue
        for method in sorted(ctx.methods or {"GET"}):
            if method != "HEAD":
                out.append((method, path))
    return out


def test_every_private_route_requires_credentials(app: Any, client: Any) -> None:
    routes = _private_routes(app)
    assert ("GET", "/auth/me") in routes and ("GET", "/admin/users") in routes
    failures = []
    for method, path in routes:
        url = re.sub(r"\{[^}:]+(:[^}]+)?\}", "1", path)
        for headers in ({}, {"Authorization": "Bearer forged-token"}):
            r = client.request(method, url, headers=headers, follow_redirects=False)
            html_redirect = r.status_code in (302, 303, 307) and "/login" in r.headers.get(
                "location", "")
            if r.status_code != 401 and not html_redirect:
                failures.append(f"{method} {path} -> {r.status_code}")
    assert not failures, "routes answering without credentials:\n" + "\n".join(failures)


# ------------------------------------------------------------ one transaction per request


@pytest.fixture
def tx_app(app: Any) -> Any:
    router = APIRouter()

    @router.post("/test-tx/{mode}")
    def write_then(mode: str, session: SessionDep) -> dict[str, str]:
        session.add(Agency(code=f"TX-{mode}", name="tx", country="GB", kind="police"))
        session.flush()
        if mode == "conflict":
            raise Conflict("refused after writing")
        if mode == "crash":
            raise RuntimeError("boom")
        return {"ok": mode}

    app.include_router(router)
    return app


def test_failing_request_leaves_nothing_written(
    tx_app: Any, client: Any, seeded: Seeded, factory: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    h = seeded.headers("desk")
    assert client.post("/test-tx/ok", headers=h).status_code == 200
    _assert_problem(client.post("/test-tx/conflict", headers=h), 409)
    with caplog.at_level("ERROR"):
        r = client.post("/test-tx/crash", headers=h, content=b'{"secret": "SUBJECT-DOB-1970"}')
    body = _assert_problem(r, 500)
    assert "boom" not in body["detail"]
    assert "SUBJECT-DOB-1970" not in caplog.text and "/test-tx/crash" in caplog.text
    with factory() as s:
        codes = set(s.scalars(select(Agency.code).where(Agency.code.like("TX-%"))).all())
    assert codes == {"TX-ok"}
