"""Issue 11, authentication: one answer for a throttled account, an unknown user and a wrong
password; a stranger's failures cannot keep a user out of a browser they signed in from;
Secure cookies behind HTTPS (directly, by setting, or from a trusted proxy)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ncb.cli.serve import proxy_options
from ncb.services.login_guard import DEVICE_COOKIE
from ncb.store.models import LoginThrottle, User, utcnow
from tests.conftest import SEED_PASSWORD, Seeded

WRONG = {"username": "supervisor", "password": "wrong-password"}
RIGHT = {"username": "supervisor", "password": SEED_PASSWORD}


def _refusal(r: Any) -> tuple[int, str, str, str | None]:
    body = r.json()
    return r.status_code, body["title"], body["detail"], r.headers.get("www-authenticate")


def _throttle(client: Any, settings: Any) -> None:
    for _ in range(settings.lockout_threshold + 8):  # back-off 256 s
        client.post("/auth/token", json=WRONG)


def test_same_answer_and_work_for_throttled_unknown_and_wrong(
        client: Any, seeded: Seeded, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    verified: list[int] = []
    real = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str, password: str) -> bool:
        verified.append(1)
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    answers, work = [], []
    wrong = client.post("/auth/token", json={"username": "desk", "password": "nope-nope"})
    answers.append(_refusal(wrong))
    work.append(len(verified))
    unknown = client.post("/auth/token", json={"username": "ghost", "password": "nope-nope"})
    answers.append(_refusal(unknown))
    work.append(len(verified) - sum(work))
    _throttle(client, settings)
    before = len(verified)
    throttled = client.post("/auth/token", json=RIGHT)  # the right password, unchecked
    answers.append(_refusal(throttled))
    work.append(len(verified) - before)
    assert answers[0] == answers[1] == answers[2] == (
        401, "Login failed", "wrong username or password", "Bearer")
    assert "locked" not in throttled.text.lower()
    assert work == [1, 1, 1]  # one argon2 verification each: no timing difference to measure


def test_a_stranger_cannot_lock_out_a_browser_the_user_signed_in_from(
        app: Any, seeded: Seeded, settings: Any) -> None:
    with TestClient(app) as mine, TestClient(app) as stranger:
        assert mine.post("/auth/login", json=RIGHT).status_code == 200
        assert DEVICE_COOKIE in mine.cookies
        mine.post("/auth/logout", headers={"x-csrf-token": _csrf(mine, settings)})
        for _ in range(settings.lockout_threshold * 4):  # the fuzzer's 5 used to lock it
            assert stranger.post("/auth/login", json=WRONG).status_code == 401
        assert stranger.post("/auth/login", json=RIGHT).status_code == 401  # back-off: unchecked
        r = mine.post("/auth/login", json=RIGHT)
        assert r.status_code == 200, r.text


def test_backoff_ends_and_success_resets(client: Any, seeded: Seeded, settings: Any,
                                         factory: sessionmaker[Session]) -> None:
    _throttle(client, settings)
    with factory() as s:
        (row,) = s.scalars(select(LoginThrottle)).all()  # this source, this account
        left = row.not_before - utcnow()
        assert timedelta(0) < left <= timedelta(minutes=settings.lockout_minutes)
    with factory.begin() as s:  # the back-off runs out
        s.execute(update(LoginThrottle).values(not_before=utcnow() - timedelta(seconds=1)))
    assert client.post("/auth/token", json=RIGHT).status_code == 200
    with factory() as s:
        user = s.scalars(select(User).where(User.username == "supervisor")).one()
        assert user.failed_logins == 0 and user.locked_until is None
        assert s.scalars(select(LoginThrottle)).all() == []  # success forgets the source


def test_a_known_browser_that_keeps_failing_loses_its_pass(app: Any, seeded: Seeded,
                                                           settings: Any) -> None:
    with TestClient(app) as mine:
        mine.post("/auth/login", json=RIGHT)
        for _ in range(settings.lockout_threshold):
            mine.post("/auth/login", json=WRONG)
        with TestClient(app) as stranger:
            _throttle(stranger, settings)
        assert mine.post("/auth/login", json=RIGHT).status_code == 401


def _csrf(c: Any, settings: Any) -> str:
    from ncb.services.auth import csrf_for_session

    return csrf_for_session(settings, c.cookies["ncb_session"])


def _cookie_flags(r: Any, name: str) -> str:
    for header in r.headers.get_list("set-cookie"):
        if header.startswith(name + "="):
            return header
    raise AssertionError(f"no {name} cookie set")


def test_cookies_secure_over_https(app: Any, seeded: Seeded, settings: Any) -> None:
    with TestClient(app, base_url="https://ncb.example") as c:
        r = c.post("/auth/login", json=RIGHT)
        assert "Secure" in _cookie_flags(r, "ncb_session")
        assert "Secure" in _cookie_flags(r, DEVICE_COOKIE)
    with TestClient(app) as c:  # plain http on loopback (the demo): not Secure
        assert "Secure" not in _cookie_flags(c.post("/auth/login", json=RIGHT), "ncb_session")


def test_cookie_secure_setting_and_trusted_proxy(engine: Any, seeded: Seeded,
                                                 settings: Any) -> None:
    from ncb.app import create_app

    forced = settings.model_copy(update={"cookie_secure": True})
    with TestClient(create_app(forced, engine)) as c:  # TLS ended by an untrusted proxy
        assert "Secure" in _cookie_flags(c.get("/login"), "ncb_csrf")
        r = c.post("/auth/login", json=RIGHT)
        assert r.status_code == 200 and "Secure" in _cookie_flags(r, "ncb_session")
    assert proxy_options("") == {"proxy_headers": False}
    assert proxy_options(" 10.0.0.5, 10.0.0.6 ") == {
        "proxy_headers": True, "forwarded_allow_ips": "10.0.0.5,10.0.0.6"}

