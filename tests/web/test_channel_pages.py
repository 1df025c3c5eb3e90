"""Channel pages through TestClient (EAW, Schengen, Interpol, Europol) and one browser check:
each family renders, shows a refusal beside its field, and refuses a role without permission."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import login, shot
from tests.web.seeding import PASSWORD

CSRF = re.compile(r'name="csrf" value="([^"]+)"')

WARRANT = {
    "identity": {"name": "Kowalczyk", "forenames": "Janusz", "date_of_birth": "1981-02-03",
                 "nationality": ["PL"], "sex": "M"},
    "decision": {"kind": "arrest_warrant", "reference": "II K 123/26"},
    "sentence": {"max_penalty_months": 96},
    "trial": {"appeared_in_person": True},
    "offences": {"count": 1, "description": "Investment fraud", "list_offences": ["fraud"]},
    "issuing_authority": {"name": "Sad Okregowy w Krakowie", "country": "PL",
                          "signed_by": "SSO A. Nowak"},
}


def _with(url: str, username: str, fn: Any) -> Any:
    from sqlalchemy import select

    from ncb.services.context import principal_for
    from ncb.store.access import PRINCIPAL
    from ncb.store.db import make_engine, session_factory, transaction
    from ncb.store.models import User

    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as s:
            p = principal_for(s, s.scalar(select(User).where(User.username == username)))
            s.info[PRINCIPAL] = p
            return fn(s, p)
    finally:
        engine.dispose()


def new_warrant(url: str, ref: str, certify: bool = True) -> int:
    from ncb.services.channels import eaw

    def go(s: Any, p: Any) -> int:
        w = eaw.receive(s, p, eaw.WarrantIn.model_validate(
            {"reference": ref, "issuing_country": "PL", "warrant": WARRANT}))
        s.flush()
        if certify:
            eaw.certify(s, p, w.id, eaw.CertifyIn(decision="certify", reasons="list offence",
                                                  offence_max_months=96,
                                                  list_offence_code="fraud"))
        return w.id
    return int(_with(url, "extradition", go))


@pytest.fixture(scope="module")
def records(live_server_db: str) -> dict[str, Any]:
    from ncb.services.channels import eaw, interpol, schengen
    from ncb.services.inputs import CaseIn
    from ncb.services.intake import intake_case

    out: dict[str, Any] = {"received": new_warrant(live_server_db, "PL-EAW-PAGES-1", False),
                           "certified": new_warrant(live_server_db, "PL-EAW-PAGES-2")}

    def expired(s: Any, p: Any) -> int:  # arrested 70 days ago, no decision: release
        w = eaw.receive(s, p, eaw.WarrantIn.model_validate(
            {"reference": "PL-EAW-PAGES-3", "issuing_country": "PL", "warrant": WARRANT}))
        s.flush()
        eaw.certify(s, p, w.id, eaw.CertifyIn(decision="certify", reasons="list offence",
                                              offence_max_months=96, list_offence_code="fraud"))
        eaw.record_event(s, p, w.id, eaw.EventIn(
            kind="arrest", at=datetime.now(UTC) - timedelta(days=70)))
        return w.id
    out["expired"] = _with(live_server_db, "extradition", expired)

    def alert(s: Any, p: Any) -> int:
        return schengen.create_alert(s, p, schengen.AlertIn(
            article="26", issuing_country="DE", data={
                "surname": "Brandt", "forenames": "Klaus", "date_of_birth": "1975-05-06",
                "warrant_reference": "DE-EAW-77", "issuing_authority": "AG Köln",
                "offence": "robbery"})).id
    out["alert"] = _with(live_server_db, "desk", alert)

    def notice(s: Any, p: Any) -> int:
        return interpol.draft(s, p, interpol.NoticeIn(
            notice_type="red", subject={"name": "Moreau", "forename": "Luc",
                                        "date_of_birth": "1970/01/01"})).id
    out["notice"] = _with(live_server_db, "desk", notice)

    def siena(s: Any, p: Any) -> str:
        from ncb.services.channels import europol

        case = intake_case(s, p, CaseIn(channel="europol", country="NL", title="SIENA pages"))
        s.flush()
        europol.send(s, p, case.reference, europol.SienaMessageIn(
            direction="in", sender="NL-POL", subject="Courier route", body="Rotterdam",
            handling_code="H2", source_reliability="B", information_accuracy="2"))
        return str(case.reference)
    out["europol"] = _with(live_server_db, "desk", siena)
    return out


@pytest.fixture(scope="module")
def app(live_server_db: str):  # type: ignore[no-untyped-def]
    from ncb.app import create_app
    from ncb.settings import Settings

    application = create_app(Settings(database_url=live_server_db))
    yield application
    application.state.engine.dispose()


def client_for(app: Any, username: str) -> TestClient:
    client = TestClient(app)
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf": token, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


@pytest.fixture
def extradition(app: Any) -> Iterator[TestClient]:
    with client_for(app, "extradition") as c:
        yield c


@pytest.fixture
def desk(app: Any) -> Iterator[TestClient]:
    with client_for(app, "desk") as c:
        yield c


def token(c: TestClient, url: str) -> str:
    r = c.get(url)
    assert r.status_code == 200, r.text[:500]
    return CSRF.search(r.text).group(1)  # type: ignore[union-attr]


def err(html: str, fid: str) -> str:
    m = re.search(rf'id="{re.escape(fid)}"[^>]*>(.*?)</p>', html, re.S)
    assert m, f"no error beside {fid}"
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


# ---------------------------------------------------------------- EAW


def test_eaw_list_warrant_and_release(extradition: TestClient, records: dict[str, Any]) -> None:
    r = extradition.get("/w/eaw?direction=incoming")
    assert r.status_code == 200 and "PL-EAW-PAGES-1" in r.text
    r = extradition.get(f"/w/eaw/{records['received']}")
    assert r.status_code == 200
    for letter in "abcdefghi":
        assert f"({letter})" in r.text
    assert f'action="/w/eaw/{records["received"]}/certify"' in r.text
    r = extradition.get(f"/w/eaw/{records['expired']}")
    assert "RELEASE REQUIRED" in r.text and "Final decision (no consent)" in r.text
    assert "Art." in r.text or "FD 2002/584" in r.text  # the legal basis is shown
    r = extradition.get("/w/eaw/release-required")
    assert r.status_code == 200 and "PL-EAW-PAGES-3" in r.text


def test_eaw_certify_errors_beside_fields(extradition: TestClient, records: dict[str, Any]
                                          ) -> None:
    url = f"/w/eaw/{records['received']}"
    csrf = token(extradition, url)
    r = extradition.post(f"{url}/certify", data={
        "csrf": csrf, "cert.decision": "certify", "cert.reasons": "x",
        "cert.sentence_months": "2", "cert.dual_criminality": "yes"})
    assert r.status_code == 422
    assert "at least 3" in err(r.text, "f-cert-reasons-err")
    r = extradition.post(f"{url}/certify", data={
        "csrf": csrf, "cert.decision": "certify", "cert.reasons": "short sentence",
        "cert.sentence_months": "2", "cert.dual_criminality": "yes",
        "cert.refusal_grounds": ["amnesty"]})
    assert r.status_code == 422
    msg = err(r.text, "f-cert-decision-err")
    assert "below the 4-month minimum" in msg and "amnesty" in msg
    assert 'value="amnesty" checked' in r.text
    r = extradition.post(f"{url}/certify", data={
        "csrf": csrf, "cert.decision": "refuse", "cert.reasons": "amnesty applies",
        "cert.offence_max_months": "24", "cert.refusal_grounds": ["amnesty"]})
    assert r.status_code == 422  # section (c) of the warrant says 96 months
    assert "section (c)" in err(r.text, "f-cert-offence-max-months-err")
    r = extradition.post(f"{url}/certify", data={
        "csrf": csrf, "cert.decision": "refuse", "cert.reasons": "amnesty applies",
        "cert.offence_max_months": "96", "cert.refusal_grounds": ["amnesty"]},
        follow_redirects=True)
    assert r.status_code == 200 and "Decision recorded." in r.text
    assert "amnesty applies" in r.text and "not certified" in r.text


def test_eaw_event_errors_and_permission(extradition: TestClient, app: Any,
                                         records: dict[str, Any]) -> None:
    url = f"/w/eaw/{records['certified']}"
    csrf = token(extradition, url)
    future = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    r = extradition.post(f"{url}/events", data={"csrf": csrf, "event.kind": "arrest",
                                                "event.at": future})
    assert r.status_code == 422 and "future" in err(r.text, "f-event-at-err")
    r = extradition.post(f"{url}/events", data={"csrf": csrf, "event.kind": "force_majeure",
                                                "event.at": "2026-01-01T10:00"})
    assert r.status_code == 422 and "new surrender date" in err(r.text, "f-event-new-date-err")
    with client_for(app, "partner.fbi") as partner:
        r = partner.post(f"/w/eaw/{records['received']}/certify",
                         data={"csrf": token(partner, "/w/eaw"), "cert.decision": "certify"})
        assert r.status_code == 403 and "Access refused" in r.text
    with client_for(app, "desk") as desk:
        page = desk.get(url)
        assert 'action="/w/eaw/' not in page.text.split("h-cert")[1].split("</section>")[0]
        r = desk.post(f"/w/eaw/{records['received']}/certify",
                      data={"csrf": token(desk, "/w/eaw"), "cert.decision": "certify"})
        assert r.status_code == 403


FORM_WARRANT = {
    "issuing_country": "PL", "a.name": "Zielinski", "a.forenames": "Marek",
    "a.date_of_birth": "1979-06-01", "a.nationality": "pl", "a.sex": "M",
    "b.kind": "arrest_warrant", "b.reference": "III K 9/26", "c.max_penalty_months": "96",
    "d.appeared_in_person": "yes", "e.count": "1", "e.description": "Card fraud",
    "e.list_offences": ["fraud"], "i.name": "Sad Rejonowy Gdansk", "i.country": "PL",
    "i.signed_by": "SSR K. Lis", "translated": "yes"}


def test_eaw_new_incoming_warrant_form(extradition: TestClient) -> None:
    r = extradition.get("/w/eaw/new")
    assert r.status_code == 200
    for letter in "abcdefghi":
        assert f'id="section-{letter}"' in r.text
    csrf = CSRF.search(r.text).group(1)  # type: ignore[union-attr]
    partial = {k: v for k, v in FORM_WARRANT.items() if not k.startswith(("a.", "d."))}
    r = extradition.post("/w/eaw/new", data=partial | {"csrf": csrf, "reference": "PL-EAW-W1"})
    assert r.status_code == 422
    assert "(a)" in err(r.text, "f-sec-a") and "(d)" in err(r.text, "f-sec-d")
    summary = err(r.text, "f---all--")
    assert "(a)" in summary and "(d)" in summary and "(b)" not in summary
    assert 'value="PL-EAW-W1"' in r.text and 'value="fraud" checked' in r.text
    bad = FORM_WARRANT | {"a.date_of_birth": "1979-13-01", "e.count": "0"}
    r = extradition.post("/w/eaw/new", data=bad | {"csrf": csrf, "reference": "PL-EAW-W1"})
    assert r.status_code == 422
    assert err(r.text, "f-a-date-of-birth-err") and "1" in err(r.text, "f-e-count-err")
    r = extradition.post("/w/eaw/new", data=FORM_WARRANT | {"csrf": csrf, "reference": ""})
    assert r.status_code == 422 and err(r.text, "f-reference-err")
    r = extradition.post("/w/eaw/new", data=FORM_WARRANT | {"csrf": csrf,
                                                             "reference": "PL-EAW-W1"},
                         follow_redirects=True)
    assert r.status_code == 200 and "Warrant recorded." in r.text
    assert "PL-EAW-W1" in r.text and "Zielinski" in r.text and "received" in r.text


def test_eaw_outgoing_translation_and_transmit_forms(extradition: TestClient) -> None:
    csrf = token(extradition, "/w/eaw/new?direction=outgoing")
    out = {k: v for k, v in FORM_WARRANT.items() if k != "translated"} | {
        "csrf": csrf, "direction": "outgoing", "issuing_country": "GB",
        "executing_country": "ES", "i.country": "GB"}
    r = extradition.post("/w/eaw/new", data={k: v for k, v in out.items()
                                              if not k.startswith("d.")}
                         | {"reference": "GB-EAW-W2"}, follow_redirects=True)
    assert r.status_code == 200 and "Warrant recorded." in r.text, r.text[-2000:]
    incomplete = str(r.url).split("/w/eaw/")[1].split("?")[0]
    assert "Complete before transmission: section (d)" in r.text
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    r = extradition.post(f"/w/eaw/{incomplete}/transmit", data={
        "csrf": csrf, "tx.recipients": "ES SIRENE", "tx.at": now})
    assert r.status_code == 422 and "section(s) d " in err(r.text, "f-tx")
    r = extradition.post("/w/eaw/new", data=out | {"reference": "GB-EAW-W3"},
                         follow_redirects=True)
    wid = str(r.url).split("/w/eaw/")[1].split("?")[0]
    url = f"/w/eaw/{wid}"
    assert 'action="/w/eaw/' + wid + '/translation"' in r.text
    r = extradition.post(f"{url}/transmit", data={"csrf": csrf, "tx.recipients": "ES SIRENE",
                                                  "tx.at": now})
    assert r.status_code == 422 and "translation" in err(r.text, "f-tx")
    r = extradition.post(f"{url}/translation", data={"csrf": csrf, "tr.status": "received",
                                                     "tr.at": now})
    assert r.status_code == 422 and err(r.text, "f-tr-language-err")
    r = extradition.post(f"{url}/translation", data={
        "csrf": csrf, "tr.language": "es", "tr.status": "received", "tr.at": now},
        follow_redirects=True)
    assert r.status_code == 200 and "Translation recorded." in r.text and "translated" in r.text
    r = extradition.post(f"{url}/transmit", data={"csrf": csrf, "tx.recipients": "",
                                                  "tx.at": now})
    assert r.status_code == 422 and err(r.text, "f-tx-recipients-err")
    r = extradition.post(f"{url}/transmit", data={
        "csrf": csrf, "tx.recipients": "ES SIRENE, Audiencia Nacional", "tx.at": now},
        follow_redirects=True)
    assert r.status_code == 200 and "Warrant transmitted." in r.text
    assert "transmitted" in r.text and 'action="/w/eaw/' + wid + '/transmit"' not in r.text


def test_eaw_statistics_chart(extradition: TestClient, records: dict[str, Any]) -> None:
    r = extradition.get(f"/w/eaw/stats?year={datetime.now(UTC).year}")
    assert r.status_code == 200
    assert "<svg" in r.text and "Requests received" in r.text
    assert "Median days from arrest to final decision" in r.text
    r = extradition.get("/w/eaw/stats?year=1900")
    assert r.status_code == 422 and err(r.text, "f-year-err")


# ---------------------------------------------------------------- Schengen


def test_schengen_alert_hit_opens_g_form(desk: TestClient, records: dict[str, Any]) -> None:
    r = desk.get("/w/schengen?article=26")
    assert r.status_code == 200 and "Brandt" in r.text or "DE-SIS" in r.text
    url = f"/w/schengen/alerts/{records['alert']}"
    csrf = token(desk, url)
    r = desk.post(f"{url}/hit", data={"csrf": csrf, "hit.hit_at": "2026-01-01T10:00",
                                      "hit.place": "Dover", "hit.action_taken": "",
                                      "hit.urgent": "yes"})
    assert r.status_code == 422
    assert err(r.text, "f-hit-action-taken-err")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    r = desk.post(f"{url}/hit", data={"csrf": csrf, "hit.hit_at": now, "hit.place": "Dover",
                                      "hit.action_taken": "Arrested; EAW requested"},
                  follow_redirects=True)
    assert r.status_code == 200 and "/w/schengen/forms/" in str(r.url)
    assert "Form G" in r.text and "012" in r.text and "in 11 h" in r.text
    assert "Send the form" in r.text


def test_schengen_alert_erasure_by_supervisor(desk: TestClient, app: Any) -> None:
    csrf = token(desk, "/w/schengen/alerts/new?article=26")
    r = desk.post("/w/schengen/alerts/new", data={
        "csrf": csrf, "article": "26", "issuing_country": "FR", "data.surname": "Erasmus",
        "data.forenames": "Petra", "data.date_of_birth": "1980-01-02",
        "data.warrant_reference": "FR-EAW-ERASE",
        "data.issuing_authority": "TJ Nice", "data.offence": "fraud"}, follow_redirects=True)
    assert r.status_code == 200 and "Alert recorded" in r.text
    url = str(r.url).split("?")[0]
    assert 'action="' + url.split("testserver")[-1] + '/erase"' not in r.text  # desk: no form
    with client_for(app, "supervisor") as sup:
        path = url.split("testserver")[-1]
        csrf = token(sup, path)
        assert f'action="{path}/erase"' in sup.get(path).text
        r = sup.post(f"{path}/erase", data={"csrf": csrf, "erase.justification": ""})
        assert r.status_code == 422 and err(r.text, "f-erase-justification-err")
        r = sup.post(f"{path}/erase", data={"csrf": csrf,
                                            "erase.justification": "entered in error"})
        assert r.status_code == 200 and "Alert erased" in r.text
        assert "Erasmus" not in r.text and "erased" in r.text


def test_schengen_alert_and_form_validation(desk: TestClient, app: Any) -> None:
    csrf = token(desk, "/w/schengen/alerts/new?article=26")
    r = desk.post("/w/schengen/alerts/new", data={
        "csrf": csrf, "article": "26", "issuing_country": "GB", "data.surname": "Smith"})
    assert r.status_code == 422 and "Art. 26 alerts need" in err(r.text, "f-data-forenames-err")
    csrf = token(desk, "/w/schengen/forms/new?type=M")
    r = desk.post("/w/schengen/forms/new", data={
        "csrf": csrf, "form_type": "M", "direction": "out", "recipient": "FR",
        "fields.subject": "Query", "fields.urgent": "yes"})
    assert r.status_code == 422
    assert "012 (message_text) is required" in err(r.text, "f-fields-message-text-err")
    assert "urgent_reason" in err(r.text, "f-fields-urgent-reason-err")
    with client_for(app, "analyst") as analyst:
        assert analyst.get("/w/schengen/forms/new?type=M").status_code == 403


# ---------------------------------------------------------------- Interpol


def test_interpol_notice_workflow(desk: TestClient, records: dict[str, Any]) -> None:
    url = f"/w/interpol/notices/{records['notice']}"
    r = desk.get("/w/interpol")
    assert r.status_code == 200 and "Moreau" in r.text
    csrf = token(desk, url)
    r = desk.post(f"{url}/submit", data={"csrf": csrf})
    assert r.status_code == 422 and "Article 3" in err(r.text, "f-submit")
    r = desk.post(f"{url}/article3", data={"csrf": csrf, "article3.rationale": ""})
    assert r.status_code == 422 and err(r.text, "f-article3-rationale-err")
    r = desk.post(f"{url}/article3", data={"csrf": csrf, "article3.rationale": "ordinary fraud"},
                  follow_redirects=True)
    assert "Article 3 assessment recorded" in r.text
    r = desk.post(f"{url}/submit", data={"csrf": csrf}, follow_redirects=True)
    assert "Notice submitted" in r.text
    r = desk.post(f"{url}/review", data={"csrf": csrf, "review.outcome": "published"},
                  follow_redirects=True)
    assert "published" in r.text
    r = desk.post(f"{url}/cancel", data={"csrf": csrf, "cancel.reason": "x"})
    assert r.status_code == 422 and err(r.text, "f-cancel-reason-err")
    csrf = token(desk, "/w/interpol/notices/new")
    r = desk.post("/w/interpol/notices/new", data={"csrf": csrf, "notice_type": "red",
                                                   "requesting_country": "GB",
                                                   "subject.name": "Doe",
                                                   "subject.date_of_birth": "1980-13-01"})
    assert r.status_code == 422 and err(r.text, "f-subject-date-of-birth-err")


def test_interpol_import_reports_bad_records_and_imports_nothing(
        desk: TestClient, live_server_db: str) -> None:
    csrf = token(desk, "/w/interpol/import")
    items = [{"entity_id": "2019/11111", "name": "GOOD"},
             {"entity_id": "bad", "name": "X"},
             {"entity_id": "2019/22222", "name": ""}]
    r = desk.post("/w/interpol/import", data={"csrf": csrf, "type": "red"}, files={
        "file": ("notices.json", io.BytesIO(json.dumps(items).encode()), "application/json")})
    assert r.status_code == 422
    assert "<td>1</td>" in r.text and "<td>2</td>" in r.text
    assert desk.get("/w/interpol?type=red").text.count("2019-11111") == 0
    good = {"_embedded": {"notices": [{"entity_id": "2019/33333", "name": "IMPORTED"}]}}
    r = desk.post("/w/interpol/import", data={"csrf": csrf, "type": "red"}, files={
        "file": ("n.json", io.BytesIO(json.dumps(good).encode()), "application/json")})
    assert r.status_code == 200 and "Imported 1" in r.text
    r = desk.post("/w/interpol/import", data={"csrf": csrf, "type": "red"}, files={
        "file": ("n.json", io.BytesIO(b"{not json"), "application/json")})
    assert r.status_code == 422 and "not valid JSON" in err(r.text, "f-file-err")


def test_sltd_check(desk: TestClient, app: Any) -> None:
    csrf = token(desk, "/w/interpol/sltd")
    r = desk.post("/w/interpol/sltd", data={"csrf": csrf, "number": "X"})
    assert r.status_code == 422 and err(r.text, "f-number-err")
    r = desk.post("/w/interpol/sltd", data={"csrf": csrf, "number": "ZZ9999999"})
    assert r.status_code == 200 and "No hit" in r.text
    with client_for(app, "partner.fbi") as partner:
        r = partner.post("/w/interpol/sltd", data={"csrf": token(partner, "/w/interpol/sltd"),
                                                   "number": "ZZ9999999"})
        assert r.status_code == 403


# ---------------------------------------------------------------- Europol


def test_europol_messages_and_h2_forward(desk: TestClient, app: Any,
                                         records: dict[str, Any]) -> None:
    ref = records["europol"]
    r = desk.get(f"/w/europol/{ref}")
    assert r.status_code == 200 and "Courier route" in r.text and "H2" in r.text
    assert "B2" in r.text or ("B" in r.text and "2" in r.text)
    csrf = CSRF.search(r.text).group(1)  # type: ignore[union-attr]
    mid = re.search(r"/messages/(\d+)/forward", r.text).group(1)  # type: ignore[union-attr]
    r = desk.post(f"/w/europol/{ref}/messages/{mid}/forward",
                  data={"csrf": csrf, f"fw{mid}.recipients": "FR-PN"})
    assert r.status_code == 422
    assert "record the provider&#39;s permission" in err(r.text, f"f-fw{mid}-recipients-err")
    r = desk.post(f"/w/europol/{ref}/messages", data={
        "csrf": csrf, "msg.direction": "out", "msg.sender": "GB-NCA", "msg.subject": "Reply",
        "msg.handling_code": "H3"})
    assert r.status_code == 422 and err(r.text, "f-msg-handling-conditions-err")
    r = desk.post(f"/w/europol/{ref}/messages", data={
        "csrf": csrf, "msg.direction": "out", "msg.sender": "GB-NCA", "msg.subject": "Reply",
        "msg.handling_code": "H1", "msg.source_reliability": "Q",
        "msg.information_accuracy": "2"})
    assert r.status_code == 422 and err(r.text, "f-msg-source-reliability-err")
    r = desk.post(f"/w/europol/{ref}/messages/{mid}/permission",
                  data={"csrf": csrf, f"perm{mid}.note": "by phone, 10:00"},
                  follow_redirects=True)
    assert "permission recorded" in r.text
    r = desk.post(f"/w/europol/{ref}/messages/{mid}/forward",
                  data={"csrf": csrf, f"fw{mid}.recipients": "FR-PN"}, follow_redirects=True)
    assert "Message forwarded" in r.text
    with client_for(app, "analyst") as analyst:
        r = analyst.post(f"/w/europol/{ref}/messages", data={
            "csrf": token(analyst, "/w/europol"), "msg.subject": "x"})
        assert r.status_code == 403


# ---------------------------------------------------------------- browser


@pytest.mark.browser
def test_record_an_arrest_then_see_the_clocks(page: Any, live_server_db: str) -> None:
    wid = new_warrant(live_server_db, "PL-EAW-BROWSER-1")
    login(page, "extradition")
    page.goto(f"/w/eaw/{wid}")
    assert "No clock is running" in page.locator("#clocks").inner_text()
    page.select_option("#f-event-kind", "arrest")
    page.get_by_role("button", name="Record the event").click()
    page.wait_for_url(re.compile(r"done=event"))
    clocks = page.locator("#clocks").inner_text()
    assert "Final decision (no consent)" in clocks and "running" in clocks
    assert "in 59 d" in clocks or "in 60 d" in clocks
    assert page.get_by_role("status").inner_text().startswith("Event recorded")
    shot(page, "channels-eaw-clocks")
