"""Intake throughput: POST /cases through the whole app vs a Core bulk insert of the same cases."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select

from ncb.app import create_app
from ncb.demo import DEMO_PASSWORD
from ncb.demo.case_words import TABLES, Rows
from ncb.demo.cases import CaseFactory
from ncb.demo.names import Names
from ncb.demo.org import Org
from ncb.store.models import Agency, Base, SharingGroup, Team, User

ENTITY_FIELDS = ("kind", "first_name", "last_name", "aliases", "date_of_birth", "gender",
                 "nationality", "place_of_birth", "identifier", "details")


def _org(engine: Engine) -> Org:
    """Enough of the seeded organisation (ids by code) for the case factory."""
    with engine.connect() as conn:
        agencies = [dict(r._mapping) for r in conn.execute(select(Agency.__table__))]
        teams = [dict(r._mapping) for r in conn.execute(select(Team.__table__))]
        groups = {r.code: r.id for r in conn.execute(select(SharingGroup.code, SharingGroup.id))}
        users = conn.execute(select(User.id, User.username, User.team_id, User.roles)).all()
    home = next(a for a in agencies if a["kind"] == "ncb" and a["country"] == "GB")
    org = Org(home_id=home["id"], agencies=agencies, teams=teams)
    org.agency_by_code = {a["code"]: a["id"] for a in agencies}
    org.agency_rank = {a["id"]: a["max_classification_rank"] for a in agencies}
    org.group_by_code = groups
    org.team_by_code = {t["code"]: t["id"] for t in teams}
    org.officers_by_team = {t["id"]: [] for t in teams}
    for u in users:
        if u.team_id and set(u.roles) & {"desk_officer", "supervisor", "extradition_officer"}:
            org.officers_by_team[u.team_id].append(u.id)
    org.posts = {"Madrid": ["ES", "PT", "MA"]}
    return org


def make_cases(engine: Engine, n: int, seed: int) -> tuple[Rows, dict[int, str]]:
    """`n` new cases (with children) whose ids follow the database's current maximum ids."""
    org = _org(engine)
    with engine.connect() as conn:
        usernames = dict(conn.execute(select(User.id, User.username)).all())
        start = {t: conn.scalar(select(func.coalesce(func.max(Base.metadata.tables[t].c.id), 0)))
                 for t in TABLES}
    rng = random.Random(seed)
    factory = CaseFactory(org, Names(random.Random(seed + 1)), rng, datetime.now(UTC), usernames)
    factory.ids = {t: start[t] + 1_000_000 for t in TABLES}  # room for the API run in between
    rows = Rows()
    now = datetime.now(UTC)
    for i in range(n):
        factory.case(rows, now.replace(microsecond=0) - (n - i) * (now - now.replace(hour=0)) / n)
    return rows, {a["id"]: a["code"] for a in org.agencies}


def payloads(rows: Rows, agency_codes: dict[int, str]) -> list[dict[str, Any]]:
    """The same cases as API request bodies (CaseIn)."""
    ents: dict[int, list[dict[str, Any]]] = {}
    by_id = {e["id"]: e for e in rows.tables["entities"]}
    for link in rows.tables["case_entities"]:
        e = by_id[link["entity_id"]]
        body = {k: e[k] for k in ENTITY_FIELDS if e.get(k) not in (None, [], {})}
        body["name"] = e["display_name"]
        body["role"] = link["role"]
        ents.setdefault(link["case_id"], []).append(body)
    out = []
    for c in rows.tables["cases"]:
        body: dict[str, Any] = {
            "channel": c["channel"], "direction": c["direction"], "title": c["title"],
            "summary": c["summary"], "country": c["country"], "crime_area": c["crime_area"],
            "priority": c["priority"], "received_at": c["received_at"].isoformat(),
            "markings": {"classification": c["classification"],
                         "handling_code": c["handling_code"],
                         "handling_conditions": c["handling_conditions"], "tlp": c["tlp"]},
            "entities": ents.get(c["id"], []),
        }
        for key in ("request_type", "external_ref", "requesting_country"):
            if c.get(key):
                body[key] = c[key]
        if c["requesting_agency_id"]:
            body["requesting_agency"] = agency_codes[c["requesting_agency_id"]]
        out.append(body)
    return out


def api_intake(engine: Engine, bodies: list[dict[str, Any]], username: str = "desk",
               screen: bool = True) -> dict[str, Any]:
    """POST every body; `screen=False` stubs entity screening out (a diagnostic, not the product)."""
    from ncb.services import screening

    app = create_app(engine=engine)
    real = screening.screen_entity
    if not screen:
        screening.screen_entity = lambda *_a, **_k: []  # type: ignore[assignment]
    try:
        return _post_all(app, bodies, username)
    finally:
        screening.screen_entity = real  # type: ignore[assignment]


def _post_all(app: Any, bodies: list[dict[str, Any]], username: str,
              batch: int | None = None) -> dict[str, Any]:
    """POST each body to /cases, or `batch` of them at a time to /cases/batch; timed."""
    with TestClient(app) as client:
        token = client.post("/auth/token", json={"username": username,
                                                 "password": DEMO_PASSWORD})
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        client.post("/cases", json=bodies[0], headers=headers).raise_for_status()  # warm up
        rest = bodies[1:]
        step = batch or 1
        began = time.perf_counter()
        failures = 0
        for i in range(0, len(rest), step):
            if batch:
                r = client.post("/cases/batch", json={"cases": rest[i:i + step]}, headers=headers)
            else:
                r = client.post("/cases", json=rest[i], headers=headers)
            if r.status_code != 201:
                failures += 1
                if failures == 1:
                    print("first failure:", r.status_code, r.text[:500])
        seconds = time.perf_counter() - began
    n = len(rest)
    return {"cases": n, "seconds": seconds, "per_s": n / seconds, "failures": failures,
            "requests_per_s": -(-n // step) / seconds}


def api_batch_intake(engine: Engine, bodies: list[dict[str, Any]], batch: int = 50,
                     username: str = "desk") -> dict[str, Any]:
    """POST /cases/batch: a channel feed's cases, `batch` per request and transaction."""
    return _post_all(create_app(engine=engine), bodies, username, batch)


def raw_insert(engine: Engine, rows: Rows) -> dict[str, Any]:
    """Baseline: the same cases and children written with Core bulk inserts, one transaction."""
    began = time.perf_counter()
    with engine.begin() as conn:
        for table in ("cases", "deadlines", "case_events", "entities", "case_entities",
                      "search_keys", "shares"):
            data = rows.tables[table]
            if data:
                conn.execute(insert(Base.metadata.tables[table]), data)
    seconds = time.perf_counter() - began
    n = len(rows.tables["cases"])
    return {"cases": n, "seconds": seconds, "per_s": n / seconds}
