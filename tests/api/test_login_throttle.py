"""Issue 11: a stranger's failed sign-ins hold back only the stranger's own source (or a known
browser's own cookie), never the owner signing in from elsewhere, even from a new browser;
the counts are kept in the database (a restart or another worker sees them) under keys that
hold neither the address nor the cookie."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.login_guard import DEVICE_COOKIE
from ncb.store.models import LoginThrottle
from tests.conftest import SEED_PASSWORD, Seeded

WRONG = {"username": "supervisor", "password": "wrong-password"}
RIGHT = {"username": "supervisor", "password": SEED_PASSWORD}
STRANGER = ("203.0.113.9", 40000)
OWNER = ("198.51.100.7", 40001)


def _new_app(engine: Any, settings: Any) -> Any:
    from ncb.app import create_app

    return create_app(settings, engine)


def test_a_stranger_cannot_delay_the_first_sign_in_from_a_new_browser(
    app: Any, seeded: Seeded, settings: Any
) -> None:
    with TestClient(app, client=STRANGER) as stranger:
        for _ in range(settings.lockout_threshold + 10):  # used to hold the account 15 min
            assert stranger.post("/auth/login", json=WRONG).status_code == 401
        assert stranger.post("/auth/login", json=RIGHT).status_code == 401  # its own back-off
    with TestClient(app, client=OWNER) as new_browser:  # no device cookie yet
        r = new_browser.post("/auth/login", json=RIGHT)
        assert r.status_code == 200, r.text
        assert DEVICE_COOKIE in new_browser.cookies


def test_one_ipv6_subscriber_is_one_source(app: Any, seeded: Seeded, settings: Any) -> None:
    for n in range(settings.lockout_threshold + 4):  # a new address of the same /64 each time
        with TestClient(app, client=(f"2001:db8:1:2::{n + 1:x}", 40000)) as c:
            c.post("/auth/token", json=WRONG)
    with TestClient(app, client=("2001:db8:1:2::ffff", 40000)) as same_prefix:
        assert same_prefix.post("/auth/token", json=RIGHT).status_code == 401
    with TestClient(app, client=("2001:db8:1:3::1", 40000)) as other_subscriber:
        assert other_subscriber.post("/auth/token", json=RIGHT).status_code == 200


def test_a_known_browser_loses_its_pass_in_every_worker_and_after_a_restart(
    engine: Any, seeded: Seeded, settings: Any
) -> None:
    first = _new_app(engine, settings)
    with TestClient(first, client=OWNER) as mine:
        assert mine.post("/auth/login", json=RIGHT).status_code == 200
        cookie = mine.cookies[DEVICE_COOKIE]
        for _ in range(settings.lockout_threshold):
            mine.post("/auth/login", json=WRONG)
    with TestClient(first, client=STRANGER) as stranger:  # the owner's source backs off too
        for _ in range(settings.lockout_threshold + 8):
            stranger.post("/auth/token", json=WRONG)
    first.state.engine.dispose()
    # Another worker or the restarted server: its own process state, the same database.
    second = _new_app(engine, settings)
    with TestClient(second, client=STRANGER, cookies={DEVICE_COOKIE: cookie}) as mine_again:
        assert mine_again.post("/auth/login", json=RIGHT).status_code == 401


def test_the_table_holds_no_address_and_no_cookie(
    client: Any, app: Any, seeded: Seeded, factory: sessionmaker[Session]
) -> None:
    with TestClient(app, client=STRANGER) as c:
        assert c.post("/auth/login", json=RIGHT).status_code == 200
        cookie = c.cookies[DEVICE_COOKIE]
        c.post("/auth/login", json=WRONG)  # counted against the device cookie
    with TestClient(app, client=OWNER) as other:
        other.post("/auth/login", json=WRONG)  # counted against this source
    with factory() as s:
        rows = s.execute(select(LoginThrottle.key, LoginThrottle.failures)).all()
    assert sorted(k[:2] for k, _ in rows) == ["d:", "s:"] and all(n == 1 for _, n in rows)
    nonce = cookie.split(".")[1]
    for key, _ in rows:
        assert STRANGER[0] not in key and OWNER[0] not in key and nonce not in key
