"""Fast workbench checks through TestClient: redirects, CSRF, refusals that leak nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.seeding import PASSWORD, PRIVATE_SUMMARY, SENSITIVE_TITLE, case_reference

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def app(live_server_db: str):  # type: ignore[no-untyped-def]
    from ncb.app import create_app
    from ncb.settings import Settings

    application = create_app(Settings(database_url=live_server_db))
    yield application
    application.state.engine.dispose()


def client_for(app, username: str | None = None) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    if username:
        token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
        r = client.post("/login", data={"username": username, "password": PASSWORD,
                                        "csrf": token, "next": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
    return client


@pytest.fixture
def desk(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with client_for(app, "desk") as c:
        yield c


def test_pages_redirect_to_login_but_api_answers_401(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    r = c.get("/w/queues/mine?channel=interpol", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Fw%2Fqueues%2Fmine%3Fchannel%3Dinterpol"
    assert c.get("/cases/queue/mine").status_code == 401
    page = c.get("/login")
    assert page.status_code == 200 and 'for="f-username"' in page.text


def test_wrong_password_rerenders_the_form(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    token = CSRF.search(c.get("/login").text).group(1)  # type: ignore[union-attr]
    r = c.post("/login", data={"username": "desk", "password": "nope-nope", "csrf": token})
    assert r.status_code == 401
    assert "Wrong username or password" in r.text
    assert "ncb_session" not in r.headers.get("set-cookie", "")


def test_login_needs_the_csrf_token(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    c.get("/login")
    r = c.post("/login", data={"username": "desk", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403
    assert "ncb_session" not in r.headers.get("set-cookie", "")


def test_state_changes_refused_without_csrf(desk: TestClient, live_server_db: str) -> None:
    ref = case_reference(live_server_db, SENSITIVE_TITLE)
    r = desk.post(f"/w/cases/{ref}/notes", data={"body": "forged note"})
    assert r.status_code == 403
    assert "Form expired" in r.text
    r = desk.post("/w/cases/new", data={"channel": "interpol", "title": "Forged case",
                                       "csrf": "0" * 40})
    assert r.status_code == 403


def test_partner_gets_a_404_page_that_leaks_nothing(app, live_server_db: str) -> None:  # type: ignore[no-untyped-def]
    ref = case_reference(live_server_db, SENSITIVE_TITLE)
    with client_for(app, "partner.fbi") as c:
        r = c.get(f"/w/cases/{ref}")
    # The page for a case that does not exist (issue 11): nothing says this one does.
    assert r.status_code == 404
    assert "Not found" in r.text
    for secret in (SENSITIVE_TITLE, PRIVATE_SUMMARY, "Van Dijk", "marking-banner", "TLP:RED", "H2"):
        assert secret not in r.text


def test_unknown_case_is_a_404_page(desk: TestClient) -> None:
    r = desk.get("/w/cases/NCB-1999-0000001")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")


def test_new_case_errors_are_shown_beside_their_fields(desk: TestClient) -> None:
    token = CSRF.search(desk.get("/w/cases/new").text).group(1)  # type: ignore[union-attr]
    r = desk.post("/w/cases/new", data={
        "csrf": token, "channel": "interpol", "title": "ab", "country": "ZZ",
        "person.first_name": "Ivan", "person.date_of_birth": "13/04/1980",
        "markings.classification": "OFFICIAL", "markings.handling_code": "P"})
    assert r.status_code == 422
    for fid in ("f-title-err", "f-person-date-of-birth-err", "f-country-err"):
        assert f'id="{fid}"' in r.text, fid
    assert 'value="Ivan"' in r.text  # what was typed is kept


def test_queue_filters_sort_and_paging(desk: TestClient) -> None:
    r = desk.get("/w/queues/team?sort=priority&channel=interpol")
    assert r.status_code == 200
    assert '<option value="interpol" selected>' in r.text
    r = desk.get("/w/queues/nope")
    assert r.status_code == 404
    r = desk.get("/w/queues/desk")
    assert r.status_code == 403  # a desk officer does not see the whole desk


def test_static_htmx_is_vendored(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    r = c.get("/static/vendor/htmx/htmx.min.js")
    assert r.status_code == 200 and "htmx" in r.text[:2000]
    assert c.get("/static/../app.py").status_code == 404


def test_sign_in_page_lists_demo_users_only_in_demo_mode(app, live_server_db: str) -> None:  # type: ignore[no-untyped-def]
    from ncb.app import create_app
    from ncb.demo.guide import DEMO_LOGINS, DEMO_PASSWORD
    from ncb.settings import Settings

    assert DEMO_PASSWORD not in TestClient(app).get("/login").text
    demo = create_app(Settings(database_url=live_server_db, demo_mode=True))
    try:
        page = TestClient(demo).get("/login").text
    finally:
        demo.state.engine.dispose()
    assert DEMO_PASSWORD in page
    for login in DEMO_LOGINS:
        assert f"<code>{login.username}</code>" in page


def test_a_partner_lands_on_their_requests_and_what_was_shared(app) -> None:  # type: ignore[no-untyped-def]
    with client_for(app, "partner.fbi") as partner:
        r = partner.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/w/partner"
        page = partner.get("/w/partner")
        assert page.status_code == 200
        assert "<h1>Our requests and what was shared with us</h1>" in page.text
        assert 'href="/w/queues/ours"' in page.text and "My post" not in page.text
        tabs = partner.get("/w/queues/ours").text
        assert "Our requests" in tabs and "Shared with us" in tabs and "My team" not in tabs
        assert partner.get("/w/queues/shared").status_code == 200
    with client_for(app, "desk") as desk:
        assert desk.get("/w/partner").status_code == 403  # an officer has the queues instead


def test_dashboard_at_risk_window_is_the_setting(app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    with client_for(app, "supervisor") as c:
        assert "Deadlines at risk (next 48 hours)" in c.get("/w/dashboard").text
        # NCB_AT_RISK_HOURS=6 in this app's settings (not the process-wide ones)
        monkeypatch.setattr(app.state.settings, "at_risk_hours", 6)
        page = c.get("/w/dashboard")
        assert page.status_code == 200
        assert "Deadlines at risk (next 6 hours)" in page.text
        assert "next 48 hours" not in page.text


def test_dashboard_lists_as_many_cases_as_the_setting(app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def overdue_rows(html: str) -> int:
        section = html.split('id="h-over"', 1)[1].split("</section>", 1)[0]
        return section.count('<a href="/w/cases/')

    with client_for(app, "supervisor") as c:
        assert overdue_rows(c.get("/w/dashboard").text) > 1  # the seeded bureau has several
        monkeypatch.setattr(app.state.settings, "dashboard_listed", 1)  # NCB_DASHBOARD_LISTED=1
        page = c.get("/w/dashboard").text
        assert overdue_rows(page) == 1
        assert "All overdue cases →" in page
