"""Case page exchange forms through TestClient: messages, forwarding, sharing, attachments, nav."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.seeding import PASSWORD

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PARTNER = "XX-ACTIONS"  # a third agency: neither owner nor originator of the test records


@pytest.fixture(scope="module")
def app(live_server_db: str):  # type: ignore[no-untyped-def]
    from ncb.app import create_app
    from ncb.settings import Settings

    application = create_app(Settings(database_url=live_server_db))
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def ref(live_server_db: str) -> str:
    """A fresh OFFICIAL Europol case owned and originated by the home agency, and PARTNER."""
    from ncb.services import users
    from ncb.services.context import SYSTEM
    from ncb.services.inputs import CaseIn
    from ncb.services.intake import intake_case
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import make_engine, session_factory, transaction
    from ncb.store.models import Agency
    from tests.web.seeding import _principal

    engine = make_engine(live_server_db)
    factory = session_factory(engine)
    try:
        with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
            if s.scalar(select(Agency).where(Agency.code == PARTNER)) is None:
                users.add_agency(s, PARTNER, "Test partner police", "NL", "police",
                                 ["europol"], max_classification_rank=4)
        with transaction(factory) as s:
            p = _principal(s, "supervisor")
            s.info[PRINCIPAL] = p
            case = intake_case(s, p, CaseIn(channel="europol", country="NL", crime_area="drugs",
                                            title="Exchange forms test case",
                                            summary="Synthetic."))
            return case.reference
    finally:
        engine.dispose()


def client_for(app, username: str) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf": token, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


@pytest.fixture
def sup(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with client_for(app, "supervisor") as c:
        yield c


def token(c: TestClient, ref: str) -> str:
    page = c.get(f"/w/cases/{ref}")
    assert page.status_code == 200, page.text
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


def record(c: TestClient, ref: str, **fields: str) -> int:
    data = {"csrf": token(c, ref), "msg.direction": "in", "msg.sender": "EUROPOL",
            "msg.subject": "Test message", "msg.body": "Synthetic body."}
    data.update({f"msg.{k}": v for k, v in fields.items()})
    r = c.post(f"/w/cases/{ref}/messages", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    match = re.search(r"message=(\d+)", r.headers["location"])
    assert match is not None
    return int(match.group(1))


def error_beside(html: str, field_id: str) -> str:
    m = re.search(rf'<p class="error-msg" id="{re.escape(field_id)}-err">(.*?)</p>', html, re.S)
    assert m is not None, f"no error beside {field_id}"
    return m.group(1)


def test_forms_show_on_the_case_page(sup: TestClient, ref: str) -> None:
    html = sup.get(f"/w/cases/{ref}").text
    assert f'action="/w/cases/{ref}/messages"' in html
    assert f'action="/w/cases/{ref}/share"' in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html


def test_record_message_and_reply_inherits_strictest(sup: TestClient, ref: str) -> None:
    parent = record(sup, ref, handling_code="H2", subject="H2 intelligence")
    reply = record(sup, ref, direction="out", sender="GB-NCA", recipients="EUROPOL",
                   subject="Our answer", in_reply_to=str(parent), handling_code="H1")
    page = sup.get(f"/w/cases/{ref}?message={reply}")
    assert f"Message #{reply} recorded with handling H2" in page.text
    assert "strictest restriction" in page.text


def test_message_missing_subject_shows_error_beside_field(sup: TestClient, ref: str) -> None:
    r = sup.post(f"/w/cases/{ref}/messages", data={
        "csrf": token(sup, ref), "msg.direction": "in", "msg.sender": "EUROPOL",
        "msg.subject": ""})
    assert r.status_code == 422
    assert error_beside(r.text, "f-msg-subject")


def test_forward_h2_refused_beside_recipients(sup: TestClient, ref: str) -> None:
    mid = record(sup, ref, handling_code="H2", subject="No forwarding")
    r = sup.post(f"/w/cases/{ref}/messages/{mid}/forward",
                 data={"csrf": token(sup, ref), f"fwd.{mid}.recipients": PARTNER})
    assert r.status_code == 422
    assert "provider" in error_beside(r.text, f"fwd-{mid}")
    assert "H2" in error_beside(r.text, f"fwd-{mid}")


def test_forward_allowed(sup: TestClient, ref: str) -> None:
    mid = record(sup, ref, handling_code="H0", subject="Forwardable")
    r = sup.post(f"/w/cases/{ref}/messages/{mid}/forward",
                 data={"csrf": token(sup, ref), f"fwd.{mid}.recipients": PARTNER},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    assert "FW: Forwardable" in sup.get(r.headers["location"]).text


def test_share_case_allowed_and_logged(sup: TestClient, ref: str, live_server_db: str) -> None:
    r = sup.post(f"/w/cases/{ref}/share", data={
        "csrf": token(sup, ref), "share.record": "case", "share.agencies": PARTNER,
        "share.justification": "Joint investigation request"})
    assert r.status_code == 200, r.text
    assert "The disclosure is logged" in r.text
    assert "Allowed" in r.text and "markings permit disclosure" in r.text

    from ncb.services.context import SYSTEM
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import make_engine, session_factory, transaction
    from ncb.store.models import AuditEntry

    engine = make_engine(live_server_db)
    try:
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as s:
            # Logged under the case reference, so the case page's audit panel shows it.
            rows = s.scalars(select(AuditEntry).where(
                AuditEntry.action == "disclosure", AuditEntry.record_kind == "case",
                AuditEntry.record_id == ref)).all()
            assert rows and rows[-1].recipients == [PARTNER]
            assert rows[-1].justification == "Joint investigation request"
    finally:
        engine.dispose()


def test_share_tlp_amber_refused_with_reason(sup: TestClient, ref: str) -> None:
    mid = record(sup, ref, originator="US-FBI", tlp="TLP:AMBER", handling_code="P",
                 subject="FBI reporting")
    r = sup.post(f"/w/cases/{ref}/share", data={
        "csrf": token(sup, ref), "share.record": f"message:{mid}", "share.agencies": PARTNER,
        "share.justification": "Onward sharing attempt"})
    assert r.status_code == 403
    assert "Refused" in r.text
    assert "TLP:AMBER: recipient organisation and its clients only" in r.text
    assert "disclosure refused for" in error_beside(r.text, "f-share-agencies")


def test_share_needs_a_justification(sup: TestClient, ref: str) -> None:
    r = sup.post(f"/w/cases/{ref}/share", data={
        "csrf": token(sup, ref), "share.agencies": PARTNER, "share.justification": ""})
    assert r.status_code == 422
    assert error_beside(r.text, "f-share-justification")


def test_upload_and_download(sup: TestClient, ref: str) -> None:
    r = sup.post(f"/w/cases/{ref}/attachments", data={"csrf": token(sup, ref)},
                 files={"file": ("evidence notes.txt", b"synthetic evidence", "text/plain")},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    page = sup.get(r.headers["location"]).text
    link = re.search(rf'href="(/w/cases/{ref}/attachments/\d+)" download>evidence notes.txt', page)
    assert link is not None
    got = sup.get(link.group(1))
    assert got.status_code == 200 and got.content == b"synthetic evidence"
    assert "attachment;" in got.headers["content-disposition"]


def test_oversize_upload_refused_with_large_file_route(
        sup: TestClient, ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sup.app.state.settings, "max_attachment_mb", 1)  # type: ignore[attr-defined]
    r = sup.post(f"/w/cases/{ref}/attachments", data={"csrf": token(sup, ref)},
                 files={"file": ("big.bin", b"x" * (1024 * 1024 + 10), "application/octet-stream")})
    assert r.status_code == 413
    assert "large-file exchange route" in error_beside(r.text, "f-att-file")


@pytest.mark.parametrize("path,data", [
    ("messages", {"msg.direction": "in", "msg.sender": "X", "msg.subject": "Forged"}),
    ("share", {"share.agencies": PARTNER, "share.justification": "Forged share"}),
    ("attachments", {}),
])
def test_csrf_required(sup: TestClient, ref: str, path: str, data: dict[str, str]) -> None:
    files = {"file": ("f.txt", b"x", "text/plain")} if path == "attachments" else None
    r = sup.post(f"/w/cases/{ref}/{path}", data=data, files=files)
    assert r.status_code == 403 and "Form expired" in r.text
    r = sup.post(f"/w/cases/{ref}/messages/1/forward", data={"fwd.1.recipients": PARTNER})
    assert r.status_code == 403 and "Form expired" in r.text


def test_nav_links_by_role(app) -> None:  # type: ignore[no-untyped-def]
    with client_for(app, "supervisor") as c:  # tip.dispatch, appeal.publish
        html = c.get("/w/search").text
        assert 'href="/w/tips"' in html and 'href="/w/appeals"' in html
    with client_for(app, "desk") as c:
        html = c.get("/w/search").text
        assert 'href="/w/tips"' not in html and 'href="/w/appeals"' not in html


def test_nav_links_for_tip_handler(app) -> None:  # type: ignore[no-untyped-def]
    from ncb.domain.policy import Principal
    from ncb.web.templating import viewer

    def principal(perms: set[str]) -> Principal:
        return Principal(user_id=1, username="t", agency_id=1, agency_code="GB",
                         roles=frozenset({"tip_handler"}), permissions=frozenset(perms),
                         clearance_rank=1)

    me = viewer(principal({"tip.handle", "appeal.draft"}))
    assert me is not None and me["tips"] and me["appeals"]
    me = viewer(principal({"case.note"}))
    assert me is not None and not me["tips"] and not me["appeals"]
