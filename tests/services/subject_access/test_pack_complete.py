"""A subject access pack holds everything held on the person, however much the person page
cuts for the screen (SQLite and PostgreSQL): the page says "showing N of M", the pack, the API
and `ncb sar pack` give every record and every fact."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from ncb.services.context import unit_of_work
from ncb.services.identities.person import person_view
from ncb.services.subject_access import pack
from ncb.settings import Settings
from ncb.store.identities import ALL
from ncb.store.models import Case, Entity, IdentityMember
from tests.services.subject_access.test_subject_access import new_case, open_sar

LIMIT = Settings().person_section_rows  # rows per section on the person page (NCB_PERSON_SECTION_ROWS)


def confirmed(client: Any, h: dict[str, str]) -> tuple[str, int]:
    sar = open_sar(client, h)
    ident = sar["candidates"][0]["identity_id"]
    r = client.put(f"/sar/{sar['reference']}/identities", json={"identity_ids": [ident]}, headers=h)
    assert r.status_code == 200, r.text
    return sar["reference"], int(ident)


def close(factory: Any, ids: list[int]) -> None:
    with factory() as s:
        s.execute(
            update(Case)
            .where(Case.id.in_(ids))
            .values(closed_at=datetime.now(UTC), status="closed")
            .execution_options(skip_access=True)
        )
        s.commit()


def test_pack_holds_every_case_the_page_cuts(client, seeded, factory):
    h = seeded.headers("supervisor")
    cases = [new_case(client, h, f"Card fraud {i}") for i in range(5)]
    close(factory, [c["id"] for c in cases])
    ref, ident = confirmed(client, h)
    sup = seeded.principals["supervisor"]
    with unit_of_work(factory, sup) as s:
        page = person_view(s, sup, ident, log=False, limit=3)
        assert len(page.cases) == 3 and len(page.appearances) == 3
        assert page.truncated() == {"cases": (3, 5), "appearances": (3, 5)}
        # The appearances past the cut are visible ones, not "records exist; contact ...".
        assert page.restricted == []
        full = pack.build(s, sup, ref, find=False, batch=2)  # batches smaller than the data
    want = {f"bilateral case {c['reference']}" for c in cases}
    assert {i.label for i in full.items if i.disclose} == want
    body = client.get(f"/sar/{ref}/pack", headers=h).json()
    assert {r["record"] for r in body["records"]} == want and body["withheld"] == []


def test_more_appearances_than_the_page_limit(client, seeded, factory, settings, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from ncb.cli import app
    from ncb.settings import get_settings
    from tests.services.retention.test_retention import _page

    h = seeded.headers("supervisor")
    closed = new_case(client, h, "Card fraud 2021 (closed)")
    close(factory, [closed["id"]])
    ref, ident = confirmed(client, h)
    with factory() as s:  # LIMIT more appearances of her, as a bulk import would leave them
        ana = s.scalars(
            select(Entity)
            .join(IdentityMember, IdentityMember.entity_id == Entity.id)
            .where(IdentityMember.identity_id == ident)
            .execution_options(**ALL)
        ).one()
        marks = {
            k: getattr(ana, k)
            for k in ("owner_agency_id", "originator_agency_id", "classification", "classification_rank")
        }
        extra = [
            Entity(
                kind="person",
                display_name="Ana Lupu",
                identifier=f"RO9{i:06d}",
                source_kind="import",
                source_ref=f"batch-{i}",
                **marks,
            )
            for i in range(LIMIT)
        ]
        s.add_all(extra)
        s.flush()
        s.add_all(
            IdentityMember(entity_id=e.id, identity_id=ident, method="document", reason="bulk import")
            for e in extra
        )
        s.commit()
    last = f"RO9{LIMIT - 1:06d}"  # said only by the appearance past the page's limit
    body = client.get(f"/sar/{ref}/pack", headers=h).json()
    said = {(f["label"], f["value"]) for f in body["personal_data"]}
    assert ("identifier", last) in said and ("identifier", "RO5550123") in said
    assert len([v for label, v in said if label == "identifier"]) == LIMIT + 1
    monkeypatch.setenv("NCB_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        out = tmp_path / "pack.json"
        r = CliRunner().invoke(app, ["sar", "pack", ref, str(out), "--as", "supervisor"])
        assert r.exit_code == 0, r.output
    finally:
        get_settings.cache_clear()
    assert json.loads(out.read_text()) == body  # the CLI gives the same complete pack
    with client:
        html = _page(client, seeded, "supervisor", f"/w/identities/{ident}")
    assert f"showing {LIMIT} of {LIMIT + 1} appearances" in html
    assert f"Appearances (showing {LIMIT} of {LIMIT + 1})" in html
    assert "record(s) exist" not in html
    person = client.get(f"/identities/{ident}", headers=h).json()  # the API says the cut too
    assert person["truncated"]["appearances"] == {"shown": LIMIT, "total": LIMIT + 1}
