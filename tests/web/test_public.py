"""The public site over HTTP (no browser): headers, anonymity, isolation from the bureau's data."""

from __future__ import annotations

import ast
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from ncb.services import appeals, tip_forms, tips
from ncb.services.appeals import AppealIn
from ncb.store.models import Tip
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401

CLIENT_IP = "198.51.100.23"
FORWARDED_IP = "203.0.113.77"
USER_AGENT = "CanaryBrowser/9.9 (UA-7f3a-canary)"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SAFE_PREFIXES = ("/public", "/static/")


@pytest.fixture
def site(bureau: Bureau, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Bureau, TestClient]]:
    from ncb.app import create_app

    monkeypatch.setattr(bureau.settings, "tip_form_min_seconds", 0)  # no human pause
    with bureau.session("tips") as s:
        a = appeals.draft_appeal(s, bureau.p("tips"), AppealIn(
            case=bureau.case_ref, name="Kevin MARSH", aliases=["Kev"], age=44, height_cm=180,
            distinguishing_marks="Swallow tattoo", wanted_for="Armed robbery",
            believed_country="ES"), photo=PNG)
        aid = a.id
    with bureau.session("supervisor") as s:
        appeals.publish_appeal(s, bureau.p("supervisor"), aid, "Captura launch")
    app = create_app(bureau.settings, bureau.engine)
    with TestClient(app, client=(CLIENT_IP, 40123), raise_server_exceptions=False,
                    headers={"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED_IP,
                             "X-Real-IP": FORWARDED_IP, "Forwarded": f"for={FORWARDED_IP}"}) as c:
        yield bureau, c


def _token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "no form token on the page"
    return found.group(1)


def _send_tip(c: TestClient, body: str, about: str = "") -> tuple[str, str]:
    token = _token(c.get("/public/tip").text)
    r = c.post("/public/tip", data={"token": token, "body": body, "about": about})
    assert r.status_code == 201, r.text
    ref = re.search(r'id="reference" class="code">(\w+)<', r.text).group(1)  # type: ignore[union-attr]
    pin = re.search(r'id="pin" class="code">(\d+)<', r.text).group(1)  # type: ignore[union-attr]
    return ref, pin


def _all_rows(b: Bureau) -> dict[str, list[str]]:
    meta = MetaData()
    meta.reflect(b.engine)
    out: dict[str, list[str]] = {}
    with b.engine.connect() as conn:
        for table in meta.sorted_tables:
            out[table.name] = [repr(tuple(row)) for row in conn.execute(select(table))]
    return out


def test_security_headers_on_every_public_page(site: tuple[Bureau, TestClient]) -> None:
    _, c = site
    pid = appeals_public_id(site[0])
    for path in ("/public", "/public/", f"/public/appeals/{pid}", f"/public/appeals/{pid}/photo",
                 "/public/tip", "/public/follow-up", "/public/about", "/public/nope"):
        r = c.get(path)
        assert r.headers["referrer-policy"] == "no-referrer", path
        assert r.headers["cache-control"] == "no-store", path
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "http" not in csp
        # No script anywhere but the tip form's proof of work, from this site only.
        assert "script-src" not in csp or (path == "/public/tip" and "script-src 'self'" in csp)
        assert "set-cookie" not in r.headers, path


def appeals_public_id(b: Bureau) -> str:
    with b.session(None) as s:
        return appeals.published_appeals(s)[0].public_id


def test_list_search_and_detail(site: tuple[Bureau, TestClient]) -> None:
    b, c = site
    r = c.get("/public")
    assert "Kevin MARSH" in r.text and "0</strong> caught of <strong>1</strong>" in r.text
    assert "Kevin MARSH" not in c.get("/public", params={"q": "nobody"}).text
    assert "Kevin MARSH" in c.get("/public", params={"q": "kev", "country": "es"}).text
    pid = appeals_public_id(b)
    assert c.get(f"/public/appeals/{pid}/photo").content == PNG
    page = c.get(f"/public/appeals/{pid}").text
    assert "Swallow tattoo" in page and b.case_ref not in page and b.case_ref not in r.text


def test_withdrawal_removes_the_appeal_at_once(site: tuple[Bureau, TestClient]) -> None:
    b, c = site
    pid = appeals_public_id(b)
    with b.session("supervisor") as s:
        aid = s.scalar(select(appeals.Appeal.id).where(appeals.Appeal.public_id == pid))
        appeals.withdraw_appeal(s, b.p("supervisor"), aid, "caught")
    assert "Kevin MARSH" not in c.get("/public").text
    assert c.get(f"/public/appeals/{pid}").status_code == 404
    assert c.get(f"/public/appeals/{pid}/photo").status_code == 404


def test_tip_submission_leaves_no_address_or_user_agent(
    site: tuple[Bureau, TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    b, c = site
    caplog.set_level(logging.DEBUG)  # every logger, every level
    logging.getLogger().setLevel(logging.DEBUG)
    ref, pin = _send_tip(c, "Seen at the marina in Puerto Banus, drives a black Range Rover.",
                         appeals_public_id(b))
    thread = c.post("/public/follow-up", data={"reference": ref, "pin": pin})
    assert thread.status_code == 200
    with b.session("tips") as s:
        tid = s.scalar(select(Tip.public_id).where(Tip.reference == ref))
        tips.ask(s, b.p("tips"), tid, "Which day?")
    r = c.post("/public/follow-up/answer", data={
        "reference": ref, "pin": pin, "body": "Last Tuesday.",
        "token": _token(c.post("/public/follow-up", data={"reference": ref, "pin": pin}).text)})
    assert r.status_code == 200 and "Last Tuesday." in r.text
    canaries = (CLIENT_IP, FORWARDED_IP, USER_AGENT, "UA-7f3a", "CanaryBrowser", "40123", pin)
    for record in caplog.records:
        text = f"{record.name} {record.getMessage()} {record.args!r} {record.__dict__!r}"
        for canary in canaries:
            assert canary not in text, f"{canary!r} logged by {record.name}"
    rows = _all_rows(b)
    assert rows["tips"] and len(rows["tip_messages"]) == 2
    for table, values in rows.items():
        for row in values:
            for canary in canaries[:-1]:
                assert canary not in row, f"{canary!r} stored in table {table}"
    for row in rows["tips"] + rows["tip_messages"]:  # (elsewhere 6 digits may occur by chance)
        assert pin not in row


def test_pin_lockout_and_neutral_refusal(site: tuple[Bureau, TestClient]) -> None:
    _, c = site
    ref, pin = _send_tip(c, "He is working at a car wash near the port.")
    wrong = "000000" if pin != "000000" else "111111"
    first = c.post("/public/follow-up", data={"reference": ref, "pin": wrong})
    unknown = c.post("/public/follow-up", data={"reference": "ZZZZZZZZZZ", "pin": wrong})
    assert first.status_code == unknown.status_code == 403
    for _ in range(tips.MAX_PIN_FAILURES - 1):
        c.post("/public/follow-up", data={"reference": ref, "pin": wrong})
    assert c.post("/public/follow-up", data={"reference": ref, "pin": pin}).status_code == 423


def test_abuse_limits(site: tuple[Bureau, TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    _, c = site
    token = _token(c.get("/public/tip").text)
    big = c.post("/public/tip", data={"token": token, "body": "x" * (70 * 1024)})
    assert big.status_code == 413
    assert c.post("/public/tip", json={"body": "hello there"}).status_code == 415
    assert c.post("/public/tip", data={"token": "1.2.3", "body": "A real tip text."}).status_code == 422
    token = _token(c.get("/public/tip").text)
    assert c.post("/public/tip", data={"token": token, "body": "Seen him at the beach."}).status_code == 201
    again = c.post("/public/tip", data={"token": token, "body": "Seen him at the beach."})
    assert again.status_code == 422 and "already sent" in again.text
    for _ in range(tip_forms.FREE_PER_WINDOW):  # a flood: forms now need a proof of work
        tip_forms.SUBMISSIONS.add()
    form = c.get("/public/tip").text
    assert 'data-work="0"' not in form and 'src="/static/tip-work.js"' in form
    token = _token(form)
    busy = c.post("/public/tip", data={"token": token, "body": "Seen him at the beach."})
    assert busy.status_code == 429 and "Seen him at the beach." in busy.text
    stamp = tip_forms.solve(token, tips.current_bits())
    sent = c.post("/public/tip", data={"token": token, "stamp": stamp,
                                       "body": "Seen him at the beach."})
    assert sent.status_code == 201
    assert "script-src 'self'" in sent.headers["content-security-policy"]
    assert c.get("/static/tip-work.js").status_code == 200


def test_without_javascript_a_flooded_form_waits_then_goes_through(
        site: tuple[Bureau, TestClient]) -> None:
    b, c = site
    for _ in range(tip_forms.FREE_PER_WINDOW):  # a flood
        tip_forms.SUBMISSIONS.add()
    form = c.get("/public/tip").text
    note = re.search(r'<noscript><p class="hint" id="tip-slow-lane">([^<]+)<', form)
    assert note and "open for 1 minute" in note.group(1)
    token = _token(form)
    early = c.post("/public/tip", data={"token": token, "body": "Seen him at the market."})
    assert early.status_code == 429 and "wait a few minutes" in early.text
    assert _token(early.text) == token  # the same form: the time already waited counts
    assert "Seen him at the market." in early.text
    aged = tips.issue_form_token(b.settings, now=time.time() - tip_forms.slow_wait(
        tips.current_bits()))  # what that token is after the wait
    sent = c.post("/public/tip", data={"token": aged, "body": "Seen him at the market."})
    assert sent.status_code == 201 and 'id="pin"' in sent.text


def test_a_pin_flood_from_one_address_does_not_stop_another(
        site: tuple[Bureau, TestClient]) -> None:
    b, c = site
    ref, pin = _send_tip(c, "Seen near the harbour on Sunday.")
    for n in range(tips.PIN_FAILURES_PER_HOUR):
        c.post("/public/follow-up", data={"reference": f"{n:010d}", "pin": "123456"})
    stopped = c.post("/public/follow-up", data={"reference": ref, "pin": pin})
    assert stopped.status_code == 429 and "from your connection" in stopped.text
    from ncb.app import create_app

    with TestClient(create_app(b.settings, b.engine), client=("192.0.2.200", 40000)) as other:
        r = other.post("/public/follow-up", data={"reference": ref, "pin": pin})
        assert r.status_code == 200 and ref in r.text


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"]*)"', html)


def test_public_pages_link_only_to_public_routes(site: tuple[Bureau, TestClient]) -> None:
    b, c = site
    ref, pin = _send_tip(c, "Crawl test: seen near the bus station.")
    seen: set[str] = set()
    todo = ["/public"]
    pages: list[str] = []
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        r = c.get(path)
        if "text/html" in r.headers.get("content-type", ""):
            pages.append(r.text)
            for link in _links(r.text):
                if link.startswith("#"):
                    continue
                assert link.startswith(SAFE_PREFIXES), f"{path} links to {link}"
                if link.startswith("/public"):
                    todo.append(link.split("#")[0])
    pages.append(c.post("/public/follow-up", data={"reference": ref, "pin": pin}).text)
    for html in pages:
        for link in _links(html):
            assert link.startswith("#") or link.startswith(SAFE_PREFIXES), link
    assert len(seen) >= 5


@pytest.mark.parametrize("path", ["/cases", "/cases/new", "/queues/mine", "/audit", "/search?q=a",
                                  "/w/tips", "/w/appeals", "/w/queues/mine", "/appeals", "/tips",
                                  "/dashboard", "/docs", "/openapi.json"])
def test_internal_routes_need_a_session(site: tuple[Bureau, TestClient], path: str) -> None:
    _, c = site
    r = c.get(path, follow_redirects=False)
    assert r.status_code in (401, 303, 307, 302, 404, 405), (path, r.status_code)
    if r.status_code in (302, 303, 307):
        assert r.headers["location"].startswith("/login")


def test_public_package_imports_nothing_internal() -> None:
    root = Path(__file__).resolve().parents[2] / "ncb" / "web" / "public"
    banned = ("ncb.api", "ncb.web.templating", "ncb.web.deps", "ncb.web.pages", "ncb.services.auth",
              "ncb.services.reading", "ncb.services.casework", "ncb.store.models", "ncb.store.access")
    for file in root.glob("*.py"):
        tree = ast.parse(file.read_text())
        for node in ast.walk(tree):
            names: list[Any] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                assert not name.startswith(banned), f"{file.name} imports {name}"
