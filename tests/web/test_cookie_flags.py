"""Issue 11: every cookie the workbench and the API set or clear over HTTPS is Secure, HttpOnly
and SameSite (the justification grant of a sensitive case used to go out without Secure)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.seeding import PASSWORD, SENSITIVE_TITLE, case_reference

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
HTTPS = "https://ncb.example"


@pytest.fixture(scope="module")
def app(live_server_db: str) -> Iterator[Any]:
    from ncb.app import create_app
    from ncb.settings import Settings

    application = create_app(Settings(database_url=live_server_db))
    yield application
    application.state.engine.dispose()


def cookies_set(r: Any) -> dict[str, str]:
    """Each Set-Cookie header of a response, by cookie name."""
    return {h.split("=", 1)[0]: h for h in r.headers.get_list("set-cookie")}


def assert_flags(header: str, samesite: str = "strict") -> None:
    parts = {p.strip().split("=")[0].lower(): p.strip() for p in header.split(";")}
    assert "secure" in parts, header
    assert "httponly" in parts, header
    assert parts.get("samesite", "").lower() == f"samesite={samesite}", header
    assert parts.get("path") == "Path=/", header


def _csrf(c: TestClient, path: str) -> str:
    found = CSRF.search(c.get(path).text)
    assert found, path
    return found.group(1)


def test_every_workbench_cookie_is_secure_over_https(app: Any, live_server_db: str) -> None:
    ref = case_reference(live_server_db, SENSITIVE_TITLE)
    with TestClient(app, base_url=HTTPS) as c:
        page = c.get("/login")
        assert_flags(cookies_set(page)["ncb_csrf"])  # the signed-out form's CSRF cookie
        r = c.post(
            "/login",
            data={
                "username": "supervisor",
                "password": PASSWORD,
                "csrf": CSRF.search(page.text).group(1),  # type: ignore[union-attr]
                "next": "/",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303
        signed_in = cookies_set(r)
        assert_flags(signed_in["ncb_session"], "lax")
        assert_flags(signed_in["ncb_device"])
        assert_flags(signed_in["ncb_csrf"])  # cleared with the same flags
        assert "justify" in c.get(f"/w/cases/{ref}").text.lower()
        opened = c.post(
            f"/w/cases/{ref}/open",
            data={"csrf": _csrf(c, "/w/dashboard"), "justification": "Answering the SIENA request"},
        )
        assert opened.status_code == 200 and SENSITIVE_TITLE in opened.text
        assert_flags(cookies_set(opened)["ncb_justified"])
        out = c.post("/logout", data={"csrf": _csrf(c, "/w/dashboard")}, follow_redirects=False)
        cleared = cookies_set(out)
        assert_flags(cleared["ncb_session"], "lax")
        assert_flags(cleared["ncb_justified"])


def test_a_new_sensitive_case_grants_with_a_secure_cookie(app: Any) -> None:
    with TestClient(app, base_url=HTTPS) as c:
        c.post(
            "/login",
            data={"username": "supervisor", "password": PASSWORD, "csrf": _csrf(c, "/login"), "next": "/"},
        )
        r = c.post(
            "/w/cases/new",
            data={
                "csrf": _csrf(c, "/w/cases/new"),
                "channel": "interpol",
                "direction": "incoming",
                "request_type": "person_trace",
                "title": "Cookie flags: a sensitive trace request",
                "markings.classification": "OFFICIAL-SENSITIVE",
                "markings.tlp": "TLP:AMBER",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, re.findall(r"-err\">[^<]*<[^<]*<", r.text)
        assert_flags(cookies_set(r)["ncb_justified"])


def test_api_sign_in_and_out_cookies_are_secure_over_https(app: Any) -> None:
    with TestClient(app, base_url=HTTPS) as c:
        r = c.post("/auth/login", json={"username": "desk", "password": PASSWORD})
        assert r.status_code == 200
        assert_flags(cookies_set(r)["ncb_session"], "lax")
        assert_flags(cookies_set(r)["ncb_device"])
        from ncb.services.auth import csrf_for_session

        token = csrf_for_session(app.state.settings, c.cookies["ncb_session"])
        out = c.post("/auth/logout", headers={"x-csrf-token": token})
        assert out.status_code == 204
        assert_flags(cookies_set(out)["ncb_session"], "lax")


def test_plain_http_on_loopback_is_not_secure(app: Any) -> None:
    with TestClient(app) as c:  # the demo on http://127.0.0.1: a Secure cookie would be lost
        assert "secure" not in cookies_set(c.get("/login"))["ncb_csrf"].lower()
