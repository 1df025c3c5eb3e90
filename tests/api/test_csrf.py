"""Issue 11: every write authenticated by the session cookie carries a CSRF token: the JSON
and multipart API in the X-CSRF-Token header, the workbench forms in their `csrf` field.
Bearer tokens (never sent by a browser on its own) need none."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ncb.adapters.deps import OWN_CSRF_PREFIXES
from ncb.services.auth import csrf_for_session
from ncb.web.deps import checked_form
from tests.api.test_cases import new_case
from tests.conftest import SEED_PASSWORD, Seeded


def _signed_in(app: Any) -> TestClient:
    c = TestClient(app, raise_server_exceptions=False)
    assert c.post("/auth/login", json={"username": "supervisor",
                                       "password": SEED_PASSWORD}).status_code == 200
    return c


def test_cookie_write_without_the_header_is_refused(app: Any, seeded: Seeded,
                                                    settings: Any) -> None:
    with _signed_in(app) as c:
        ref = new_case(c, seeded.headers("supervisor"))["reference"]
        # A cross-site form can send the cookie and a multipart body, not a header.
        r = c.post(f"/cases/{ref}/attachments", files={"file": ("x.txt", b"hello", "text/plain")})
        assert r.status_code == 403 and r.json()["errors"][0]["rule"] == "csrf"
        r = c.post(f"/cases/{ref}/notes", json={"body": "cross-site note"})
        assert r.status_code == 403 and r.json()["errors"][0]["field"] == "x-csrf-token"
        token = csrf_for_session(settings, c.cookies["ncb_session"])
        r = c.post(f"/cases/{ref}/notes", json={"body": "a note from the page"},
                   headers={"X-CSRF-Token": token})
        assert r.status_code == 201, r.text
        assert c.get(f"/cases/{ref}").status_code == 200  # reads need no token


def test_bearer_writes_need_no_csrf_token(client: Any, seeded: Seeded) -> None:
    headers = seeded.headers("supervisor")
    ref = new_case(client, headers)["reference"]
    r = client.post(f"/cases/{ref}/notes", json={"body": "a note from a script"}, headers=headers)
    assert r.status_code == 201, r.text


def _depends_on(dependant: Any, call: Any) -> bool:
    return any(d.call is call or _depends_on(d, call) for d in dependant.dependencies)


def test_every_workbench_write_checks_its_form_token(app: Any) -> None:
    unchecked = []
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.path.startswith(OWN_CSRF_PREFIXES):
            continue
        if route.path.startswith("/public/"):
            continue  # no session there; tip forms carry their own signed token
        writes = set(route.methods) - {"GET", "HEAD", "OPTIONS"}
        if writes and not _depends_on(route.dependant, checked_form):
            unchecked.append(f"{sorted(route.methods)} {route.path}")
    assert unchecked == []
