"""Issue 11: tips are named by random public ids in the workbench, the API and their URLs, so
the numbers no longer tell how many tips came or let anyone walk them; the internal ids stay
for the database; a database from before gets a public id for every tip it holds."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from ncb.services import tips
from ncb.store.db import make_engine
from ncb.store.migrate import upgrade
from ncb.store.models import Tip
from tests.services.public_fixtures import Bureau, bureau_fixture  # noqa: F401

BODY = "Seen at the ferry terminal in Santander on Tuesday."


def _send(b: Bureau, n: int) -> None:
    for _ in range(n):
        token = tips.issue_form_token(b.settings, now=time.time() - b.settings.tip_form_min_seconds)
        with b.session(None) as s:
            tips.submit_tip(s, b.settings, BODY, form_token=token)


def test_the_api_and_the_workbench_name_tips_by_random_public_ids(bureau: Bureau) -> None:
    from ncb.app import create_app

    _send(bureau, 3)
    with bureau.session("system") as s:
        internal = sorted(s.scalars(select(Tip.id)).all())
    handler = bureau.seeded.headers("tips")
    with TestClient(create_app(bureau.settings, bureau.engine), raise_server_exceptions=False) as c:
        ids = [t["id"] for t in c.get("/tips", headers=handler).json()]
        assert len(set(ids)) == 3
        assert all(isinstance(i, str) and re.fullmatch(r"[A-Za-z0-9_-]{12}", i) for i in ids)
        assert not {str(n) for n in internal} & set(ids)
        for public_id in ids:
            assert c.get(f"/tips/{public_id}", headers=handler).json()["id"] == public_id
        for n in internal:  # walking numbers finds nothing
            assert c.get(f"/tips/{n}", headers=handler).status_code == 404
            assert c.get(f"/w/tips/{n}", headers=handler).status_code == 404
        queue = c.get("/w/tips?status=all", headers=handler).text
        linked = set(re.findall(r'href="/w/tips/([^"?]+)"', queue))
        assert linked == set(ids)
        assert c.get(f"/w/tips/{ids[0]}", headers=handler).status_code == 200


def test_an_older_database_gets_a_public_id_for_each_tip(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    try:
        upgrade(engine, "federation_lanes_01")  # the head before public ids
        with engine.begin() as conn:
            agency = conn.execute(
                text(
                    "INSERT INTO agencies (code, name, country, kind, channels, "
                    "max_classification_rank) VALUES ('GB-NCA', 'NCA', 'GB', 'ncb', '[]', 4) "
                    "RETURNING id"
                )
            ).scalar_one()
            for n in range(3):
                conn.execute(
                    text(
                        "INSERT INTO tips (reference, pin_hash, body, status, received_hour, "
                        "failed_pins, classification, classification_rank, handling_code, tlp, "
                        "owner_agency_id, originator_agency_id, sharing_scope) VALUES "
                        "(:ref, 'x', 'b', 'received', '2026-12-04 10:00:00+00:00', 0, 'OFFICIAL', "
                        "1, 'P', 'TLP:AMBER', :a, :a, 'own')"
                    ),
                    {"ref": f"REF{n}", "a": agency},
                )
        upgrade(engine)
        with engine.connect() as conn:
            ids = conn.execute(text("SELECT public_id FROM tips")).scalars().all()
        assert len(ids) == 3 and len(set(ids)) == 3 and all(len(i) == 12 for i in ids)
        uniques = inspect(engine).get_unique_constraints("tips")
        assert any(u["column_names"] == ["public_id"] for u in uniques)
    finally:
        engine.dispose()
