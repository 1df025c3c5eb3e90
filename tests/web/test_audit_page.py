"""The workbench audit page: filters, CSV export, and who may open it."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.web.test_workbench_pages import app, client_for  # noqa: F401  (fixture)


def test_supervisor_filters_the_log_by_who_and_what(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with client_for(app, "supervisor") as sup:
        page = sup.get("/w/audit", params={"action": "collection"})
        assert page.status_code == 200
        assert "Audit log" in page.text and "Download CSV" in page.text
        rows = page.text.split("<tbody>")[1].split("</tbody>")[0]
        assert rows.count("<tr>") >= 1
        assert rows.count('<span class="badge">collection</span>') == rows.count("<tr>")
        none = sup.get("/w/audit", params={"actor": "nobody-by-this-name"})
        assert "No entries match." in none.text


def test_csv_export_matches_the_filter_and_is_itself_recorded(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with client_for(app, "dpo") as dpo:
        assert dpo.get("/w/audit").status_code == 200  # the data-protection officer may read it
        got = dpo.get("/w/audit.csv", params={"action": "consultation"})
        assert got.status_code == 200
        assert got.headers["content-type"].startswith("text/csv")
        assert "attachment" in got.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(got.text)))
        assert rows and {r["action"] for r in rows} == {"consultation"}
        seqs = [int(r["seq"]) for r in rows]
        assert seqs == sorted(seqs)  # oldest first, as a log is read
        # The export itself is in the log: a disclosure of the audit log to the DPO.
        again = dpo.get("/w/audit.csv", params={"record_kind": "audit_log", "actor": "dpo"})
        actions = [r["action"] for r in csv.DictReader(io.StringIO(again.text))]
        assert "disclosure" in actions and "consultation" in actions


def test_a_bad_date_is_named_and_nothing_is_listed(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with client_for(app, "supervisor") as sup:
        r = sup.get("/w/audit", params={"since": "yesterday"})
        assert r.status_code == 422
        assert "since must be a date as YYYY-MM-DD" in r.text
        assert "<tbody>" not in r.text


def test_desk_officers_and_partners_are_refused(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    for username in ("desk", "partner.fbi"):
        with client_for(app, username) as c:
            assert c.get("/w/audit").status_code == 403
            assert c.get("/w/audit.csv").status_code == 403
            assert 'href="/w/audit"' not in c.get("/w/queues/mine").text
    assert TestClient(app).get("/w/audit", follow_redirects=False).status_code == 303


def test_page_and_export_sizes_are_the_settings(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    monkeypatch.setattr(app.state.settings, "audit_page_size", 2)  # NCB_AUDIT_PAGE_SIZE=2
    monkeypatch.setattr(app.state.settings, "audit_export_rows", 3)  # NCB_AUDIT_EXPORT_ROWS=3
    with client_for(app, "supervisor") as sup:
        rows = sup.get("/w/audit").text.split("<tbody>")[1].split("</tbody>")[0]
        assert rows.count("<tr>") == 2
        got = sup.get("/w/audit.csv")
        assert len(list(csv.DictReader(io.StringIO(got.text)))) == 3
