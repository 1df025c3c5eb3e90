"""Seed a synthetic bureau: organisation, a year of cases, and a verified audit chain.

Everything goes in with Core bulk inserts (`connection.execute(insert(table), rows)`) in large
batches inside one transaction; ids are chosen in Python so children never wait for their parents.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, inspect, select, text, update

from ncb.demo.appeals import seed_demo_appeals, seed_demo_tips, supervisor
from ncb.demo.case_words import TABLES, Rows
from ncb.demo.cases import CaseFactory
from ncb.demo.channels import seed_channels
from ncb.demo.guide import DEMO_PASSWORD
from ncb.demo.names import Names
from ncb.demo.network_story import seed_demo_network
from ncb.demo.org import build_org
from ncb.demo.uk_alerts import seed_uk_alerts
from ncb.services import watchlist
from ncb.services.auth import hash_password
from ncb.services.context import SYSTEM
from ncb.services.identities.bulk import resolve_all
from ncb.settings import get_settings
from ncb.store.access import PRINCIPAL
from ncb.store.audit import GENESIS, chain_rows
from ncb.store.db import session_factory, transaction
from ncb.store.migrate import upgrade
from ncb.store.models import AuditEntry, AuditHead, Base

DEMO_URL = "http://127.0.0.1:8000"
FULL_CASES = 27_000
SMALL_CASES = 300
CHUNK = 3_000  # cases generated and written per batch
Progress = Callable[[str, int, int], None]


class DemoError(RuntimeError):
    """The demo cannot be seeded (e.g. the database already holds a bureau)."""


@dataclass
class SeedReport:
    cases: int
    counts: dict[str, int]
    seconds: float
    password: str
    url: str
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, agency
    tips: list[tuple[str, str]] = field(default_factory=list)  # tip reference, PIN
    phases: dict[str, float] = field(default_factory=dict)


def reset(engine: Engine) -> None:
    """Drop every table (ours and Alembic's) so `upgrade` starts from nothing."""
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _write(conn: Connection, table: str, rows: list[dict[str, Any]], batch: int = 20_000) -> None:
    tbl = Base.metadata.tables[table]
    for i in range(0, len(rows), batch):
        conn.execute(insert(tbl), rows[i:i + batch])


def _spread(rng: random.Random, n: int, now: datetime, days: int = 365) -> list[datetime]:
    """`n` receipt times over the last `days`, denser on weekdays and in office hours."""
    start = now - timedelta(days=days)
    span = (now - start).total_seconds() - 60
    out: list[datetime] = []
    while len(out) < n:
        t = start + timedelta(seconds=rng.random() * span)
        weight = (0.6 if t.weekday() >= 5 else 1.0) * (1.0 if 7 <= t.hour < 20 else 0.45)
        if rng.random() < weight:
            out.append(t)
    out.sort()
    return out


def seed(engine: Engine, small: bool = False, cases: int | None = None, seed: int = 2026,
         progress: Progress | None = None, now: datetime | None = None,
         extra_lean_cases: int = 0, channels: bool = True) -> SeedReport:
    """Seed the demo bureau into an empty (or freshly reset) database and return what was made.

    `extra_lean_cases` adds that many more case rows without children (for queue benchmarks).
    """
    began = time.perf_counter()
    phases: dict[str, float] = {}
    tick = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal tick
        t = time.perf_counter()
        phases[name] = round(t - tick, 3)
        tick = t

    report = progress or (lambda _stage, _done, _total: None)
    n_cases = cases if cases is not None else (SMALL_CASES if small else FULL_CASES)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    rng = random.Random(seed)
    upgrade(engine)
    phase("schema")
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Base.metadata.tables["agencies"])):
            raise DemoError("the database already holds agencies; use --reset to start again")
    watchlist.discard(engine)  # an empty database: forget rows this process indexed before a reset
    settings = get_settings()
    names = Names(random.Random(seed + 1))
    password_hash = hash_password(DEMO_PASSWORD, settings)  # once, shared by every demo user
    phase("password")
    org = build_org(rng, names, settings.home_agency, password_hash)
    usernames = {u["id"]: u["username"] for u in org.users}
    factory = CaseFactory(org, names, rng, now, usernames)
    counts: dict[str, int] = {}
    audit: list[tuple[Any, ...]] = []
    user_at = now - timedelta(days=366)
    for u in org.users:
        agency = org.agencies[u["agency_id"] - 1]["code"]
        u["created_at"] = user_at
        audit.append((user_at, None, "collection", "user", str(u["id"]),
                      {"username": u["username"], "agency": agency, "roles": u["roles"],
                       "clearance": u["clearance"]}))
    # A small seed keeps the last weeks only, so its queues look like a working desk.
    receipts = _spread(rng, n_cases, now, days=45 if n_cases <= SMALL_CASES else 365)
    phase("organisation")
    with engine.begin() as conn:
        for table, org_rows in (("agencies", org.agencies), ("sharing_groups", org.groups),
                                ("sharing_group_members", org.members), ("teams", org.teams),
                                ("users", org.users)):
            _write(conn, table, org_rows)
            counts[table] = len(org_rows)
        report("cases", 0, n_cases)
        for start in range(0, n_cases, CHUNK):
            rows = Rows()
            for received in receipts[start:start + CHUNK]:
                factory.case(rows, received)
            for table in TABLES:
                _write(conn, table, rows.tables[table])
                counts[table] = counts.get(table, 0) + len(rows.tables[table])
            audit.extend(rows.audit)
            report("cases", min(start + CHUNK, n_cases), n_cases)
        if extra_lean_cases:
            lean = _spread(rng, extra_lean_cases, now, days=3650)
            for start in range(0, extra_lean_cases, 20_000):
                rows = Rows()
                for received in lean[start:start + 20_000]:
                    factory.case(rows, received, lean=True)
                _write(conn, "cases", rows.tables["cases"])
                counts["cases"] += len(rows.tables["cases"])
                report("extra cases", min(start + 20_000, extra_lean_cases), extra_lean_cases)
        phase("cases")
        report("audit", 0, len(audit))
        counts["audit_log"] = _write_audit(conn, audit, usernames)
        report("audit", len(audit), len(audit))
        _fix_sequences(conn)
        phase("audit")
    tips: list[tuple[str, str]] = []
    if channels:
        report("channels", 0, 1)
        # A session (not a bare connection): the EAW clocks are mirrored by the service.
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
            made = seed_channels(session, org.home_id, now=now, scale=0.05 if small else 1.0,
                                 seed=seed)
            for table, n in made.items():
                counts[table] = counts.get(table, 0) + n
        tips = _seed_public(engine, settings)
        with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
            seed_demo_network(session, now)
        report("channels", 1, 1)
        phase("channels and appeals")
    report("identities", 0, 1)
    with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
        resolved = resolve_all(session)
    counts["identities"] = resolved.identities
    report("identities", 1, 1)
    phase("identities")
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))  # planner statistics, or SQLite picks poor queue indexes
    phase("analyze")
    return SeedReport(cases=n_cases, counts=counts, seconds=round(time.perf_counter() - began, 2),
                      password=DEMO_PASSWORD, url=DEMO_URL, logins=list(org.logins), phases=phases,
                      tips=tips)


def _seed_public(engine: Engine, settings: Any) -> list[tuple[str, str]]:
    """Appeals on the public site, the bureau's own SIS alerts and a few anonymous tips,
    through the services (audited)."""
    with transaction(session_factory(engine), **{PRINCIPAL: SYSTEM}) as session:
        seed_demo_appeals(session)
        seed_uk_alerts(session, supervisor(session))
        return [(r.reference, r.pin) for r in seed_demo_tips(session, settings)]


def _write_audit(conn: Connection, entries: list[tuple[Any, ...]], usernames: dict[int, str]) -> int:
    """Chain the entries in time order, exactly as `ncb.store.audit` does and verifies."""
    head = conn.execute(select(AuditHead.seq, AuditHead.last_hash).where(AuditHead.id == 1)).one()
    seq, prev = head.seq, head.last_hash or GENESIS
    entries.sort(key=lambda e: e[0])
    rows: list[dict[str, Any]] = [
        {"at": at, "actor_user_id": user_id,
         "actor": usernames.get(user_id, "system") if user_id else "system",
         "action": action, "record_kind": kind, "record_id": rid, "justification": None,
         "recipients": [], "details": details}
        for at, user_id, action, kind, rid, details in entries]
    prev = chain_rows(seq, prev, rows)
    seq += len(rows)
    _write(conn, AuditEntry.__tablename__, rows)
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, last_hash=prev))
    return len(rows)


def _fix_sequences(conn: Connection) -> None:
    """PostgreSQL: explicit ids do not move the serial sequences; move them past the max id."""
    if conn.dialect.name != "postgresql":
        return
    for table in inspect(conn).get_table_names():
        tbl = Base.metadata.tables.get(table)
        if tbl is None or "id" not in tbl.c:
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))
