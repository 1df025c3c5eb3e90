"""SQLite writers wait for each other: no query runs on the event loop, where waiting for the
write lock stalls every request and deadlocks with the request that holds it."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from ncb.store.db import make_engine

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
CASE = {"channel": "interpol", "title": "Fugitive trace", "country": "FR"}


def _on_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def loop_begins(engine: Engine) -> Iterator[list[str]]:
    """Statements whose transaction began on an event-loop thread."""
    seen: list[str] = []

    def begin(conn: Any) -> None:
        if _on_loop():
            seen.append(threading.current_thread().name)

    event.listen(engine, "begin", begin)
    yield seen
    event.remove(engine, "begin", begin)


def _web_login(client: TestClient, username: str, password: str) -> str:
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": username, "password": password, "csrf": token,
                                    "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return CSRF.search(client.get("/w/eaw").text).group(1)  # type: ignore[union-attr]


def test_no_transaction_begins_on_the_event_loop(client, seeded, loop_begins):
    h = seeded.headers("supervisor")
    ref = client.post("/cases", json=CASE, headers=h).json()["reference"]
    r = client.post(f"/cases/{ref}/attachments", headers=h,
                    files={"file": ("a.txt", b"hello", "text/plain")})
    assert r.status_code == 201, r.text
    appeal = client.post("/appeals", headers=h, json={
        "case": ref, "name": "Kevin MARSH", "wanted_for": "Armed robbery"}).json()["id"]
    r = client.put(f"/appeals/{appeal}/photo", headers=h | {"Content-Type": "image/png"},
                   content=PNG)
    assert r.status_code == 200, r.text
    csrf = _web_login(client, "extradition", seeded.password)
    for path, form in (("/w/eaw/999/certify", {"cert.decision": "certify"}),
                       ("/w/interpol/notices/999/article3", {"article3.rationale": "x"}),
                       ("/w/eaw/new", {"direction": "outgoing"})):
        r = client.post(path, data=form | {"csrf": csrf}, follow_redirects=False)
        assert r.status_code < 500, (path, r.text[:300])
    assert loop_begins == []


@pytest.fixture
def impatient(db_url: str) -> Iterator[Engine]:
    """The same database with a 3 s busy timeout: a deadlock fails fast instead of in 30 s."""
    eng = make_engine(db_url, busy_timeout_ms=3000)
    if eng.dialect.name == "postgresql":  # a lock wait there has no end by default

        @event.listens_for(eng, "connect")
        def _lock_timeout(dbapi_conn: Any, _record: Any) -> None:
            with dbapi_conn.cursor() as cur:
                cur.execute("SET lock_timeout = 3000")
            dbapi_conn.commit()

    yield eng
    eng.dispose()


def test_concurrent_writers_wait_for_each_other(impatient, settings, seeded):
    from ncb.app import create_app

    h = seeded.headers("supervisor")
    statuses: list[int] = []
    with TestClient(create_app(settings, impatient), raise_server_exceptions=False) as c:
        ref = c.post("/cases", json=CASE, headers=h).json()["reference"]

        def upload(n: int) -> None:
            for i in range(n):
                statuses.append(c.post(f"/cases/{ref}/attachments", headers=h, files={
                    "file": (f"a{i}.txt", b"x" * 2000, "text/plain")}).status_code)

        def note(n: int) -> None:
            for i in range(n):
                statuses.append(c.post(f"/cases/{ref}/notes", json={"body": f"note {i}"},
                                       headers=h).status_code)

        threads = [threading.Thread(target=f, args=(12,)) for f in (upload, note, upload, note)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [201] * 48, sorted(set(statuses))
        assert len(c.get(f"/cases/{ref}/notes", headers=h).json()) == 24
        assert len(c.get(f"/cases/{ref}/attachments", headers=h).json()) == 24
