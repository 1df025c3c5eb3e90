"""Screening and access (issue 11): what a hidden hit reveals, per clearance; a race-free shared
screener; an index that finds entities committed late, far below its watermark.

The rule (docs/security.md, "What a hidden hit reveals"): a record the caller may see is a
hit with its score and features; one the caller is cleared for but which is not shared with its
agency is a referral ("a record exists; contact <agency>") with nothing else; one above the
caller's clearance is not mentioned at all, and the audit entry counts it as withheld.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert, select

from ncb.matching import PersonRecord, Screener
from ncb.services import watchlist
from ncb.services.context import SYSTEM
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import AuditEntry, Entity

VIKTOR = {"kind": "person", "first_name": "Viktor", "last_name": "Petrenko",
          "date_of_birth": "1970-01-02", "nationality": "UA", "provenance": "test"}
DMITRI = {"kind": "person", "first_name": "Dmitri", "last_name": "Volkov",
          "date_of_birth": "1980-05-06", "nationality": "RU", "provenance": "test"}


def _case(client: Any, headers: dict[str, str], entities: list[dict[str, Any]],
          **markings: Any) -> str:
    r = client.post("/cases", json={"channel": "bilateral", "title": "Screening test",
                                    "country": "FR", "crime_area": "drugs",
                                    "entities": entities, "markings": markings}, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["reference"])


def _fbi_record(factory: Any, seeded: Any) -> None:
    """An OFFICIAL person record held and provided by the FBI, not shared with the bureau."""
    fbi = seeded.agencies["US-FBI"]
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        s.add(Entity(kind="person", display_name="Dmitri Volkov", first_name="Dmitri",
                     last_name="Volkov", date_of_birth="1980-05-06", nationality="RU",
                     owner_agency_id=fbi, originator_agency_id=fbi, sharing_scope="own"))


def _screen(client: Any, headers: dict[str, str], who: dict[str, Any]) -> list[dict[str, Any]]:
    body = {k: v for k, v in who.items() if k != "provenance"}
    r = client.post("/screen", json={"entities": [body]}, headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json())


def test_a_hidden_hit_reveals_only_what_the_clearance_allows(client, seeded, factory):
    _case(client, seeded.headers("supervisor"), [VIKTOR], classification="SECRET")
    _fbi_record(factory, seeded)
    desk, sup = seeded.headers("desk"), seeded.headers("supervisor")
    # Above the desk officer's clearance: not even that a record exists.
    assert _screen(client, desk, VIKTOR) == []
    seen = _screen(client, sup, VIKTOR)
    assert seen and seen[0]["visible"] and "Petrenko" in seen[0]["candidate"]
    # Within the clearance but not shared: a referral to the agency, nothing of the record.
    referral = _screen(client, desk, DMITRI)
    assert [(r["visible"], r["role"], r["score"], r["features"]) for r in referral] == [
        (False, "restricted", 0.0, [])]
    assert "US-FBI" in referral[0]["candidate"] and "Volkov" not in str(referral)
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM
        logged = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "screening")
                           .order_by(AuditEntry.seq)).all()
    assert [e.details["withheld_above_clearance"] for e in logged] == [1, 0, 0]


def test_stored_hits_on_a_case_follow_the_same_rule(client, seeded, factory):
    _case(client, seeded.headers("supervisor"), [VIKTOR], classification="SECRET")
    _fbi_record(factory, seeded)
    desk = seeded.headers("desk")
    ref = _case(client, desk, [VIKTOR, DMITRI])
    rows = client.get(f"/cases/{ref}/hits", headers=desk).json()
    assert [(r["role"], "US-FBI" in r["candidate"]) for r in rows] == [("restricted", True)]
    full = client.get(f"/cases/{ref}/hits", headers=seeded.headers("supervisor")).json()
    assert any(r["visible"] and "Petrenko" in r["candidate"] for r in full)


class _Guarded(Screener):
    """Records whether each change of the shared judgements happened under the index lock."""

    lock: Any = None
    changes: list[bool] = []

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "judgements" and type(self).lock is not None:
            type(self).changes.append(type(self).lock.locked())
        super().__setattr__(name, value)


def test_judgements_are_swapped_only_under_the_index_lock(client, seeded, engine):
    _case(client, seeded.headers("desk"), [VIKTOR])
    idx = watchlist.warm(engine)
    _Guarded.lock, _Guarded.changes = idx.lock, []
    idx.screener.__class__ = _Guarded
    try:
        assert _screen(client, seeded.headers("desk"), VIKTOR)
        _case(client, seeded.headers("desk"), [DMITRI])  # screening a case's entity too
    finally:
        idx.screener.__class__ = Screener
        _Guarded.lock = None
    assert _Guarded.changes and all(_Guarded.changes), _Guarded.changes


def test_catch_up_finds_an_entity_committed_late_far_below_the_watermark(engine, seeded):
    home = seeded.agencies["GB-NCA"]
    table = cast(Table, Entity.__table__)

    def put(ids: list[int]) -> None:  # committed by "another process": no session hook
        with engine.begin() as conn:
            conn.execute(insert(table), [
                {"id": i, "kind": "person", "display_name": f"Person {i}", "first_name": "Anna",
                 "last_name": f"Kowalska{i}", "date_of_birth": "1990-01-01",
                 "owner_agency_id": home, "originator_agency_id": home} for i in ids])

    late = 5050
    put([i for i in range(5000, 5600) if i != late])
    idx = watchlist.WatchIndex()
    idx.catch_up(engine)
    assert late not in idx.seen and idx.last_id == 5599
    put([late])  # its transaction began before the others and committed after them
    assert idx.catch_up(engine) == 1
    assert late in idx.seen and late not in idx.gaps
    found = idx.screener.screen(PersonRecord(id="q", full_name=f"Anna Kowalska{late}",
                                             first_name="Anna", last_name=f"Kowalska{late}",
                                             date_of_birth="1990-01-01"))
    assert str(late) in {h.candidate_id for h in found}
