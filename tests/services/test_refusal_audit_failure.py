"""A refusal the audit log cannot record fails closed (issue 11), on SQLite and PostgreSQL.

The database refuses every new audit row (a trigger, as a full disk or a revoked grant would).
A partner asking for a case hidden from it, or for one that does not exist, then gets neither
the case nor the usual 404 as if the attempt had been logged: a 503 problem saying the refusal
could not be recorded, the same for both; the error log names who asked for what and why.
Once the log writes again, the same request is the usual 404 and the refusal is in the log.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine, select, text

from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.models import AuditEntry

SQLITE = (
    "CREATE TRIGGER audit_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit disk full'); END"
)
PG = [
    "CREATE FUNCTION audit_full() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit disk full'; END $$",
    "CREATE TRIGGER audit_full BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_full()",
]


def _break_audit(engine: Engine) -> None:
    with engine.begin() as conn:
        for stmt in [SQLITE] if engine.dialect.name == "sqlite" else PG:
            conn.execute(text(stmt))


def _mend_audit(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "DROP TRIGGER audit_full"
                if engine.dialect.name == "sqlite"
                else "DROP TRIGGER audit_full ON audit_log"
            )
        )


def _refusals(factory: Any) -> list[AuditEntry]:
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "refused")))


def test_a_refusal_that_cannot_be_logged_fails_closed(client, seeded, factory, engine, caplog) -> None:
    r = client.post(
        "/cases",
        json={"channel": "bilateral", "title": "Bureau only", "country": "FR", "crime_area": "drugs"},
        headers=seeded.headers("supervisor"),
    )
    assert r.status_code == 201, r.text
    hidden, absent = r.json()["id"], r.json()["id"] + 1000
    fbi = seeded.headers("partner")
    _break_audit(engine)
    with caplog.at_level(logging.ERROR, logger="ncb.store.db"):
        answers = [client.get(f"/cases/{rid}", headers=fbi) for rid in (hidden, absent)]
    for got in answers:
        assert got.status_code == 503, got.text
        assert got.headers["content-type"] == "application/problem+json"
        body = got.json()
        assert body["title"] == "Audit log unavailable"
        assert body["errors"][0]["rule"] == "audit_unavailable"
        assert "Bureau only" not in got.text
    # Nothing tells hidden from absent (but the id asked, in the problem's instance).
    assert answers[0].text.replace(f"/{hidden}", "/ID") == answers[1].text.replace(f"/{absent}", "/ID")
    lines = [rec.getMessage() for rec in caplog.records if "NOT in the audit log" in rec.getMessage()]
    assert len(lines) == 2
    assert f"actor=partner kind=case asked={hidden}" in lines[0]
    assert "not shared with your agency" in lines[0] and "no such record" in lines[1]
    assert _refusals(factory) == []
    _mend_audit(engine)
    again = client.get(f"/cases/{hidden}", headers=fbi)
    assert again.status_code == 404
    [logged] = _refusals(factory)
    assert logged.actor == "partner" and logged.record_id == str(hidden)
