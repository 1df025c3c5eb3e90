"""Queue queries (ncb.services.queues.queue) timed through an access-filtered ORM session."""

from __future__ import annotations

import gc
import statistics
import time
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from ncb.services import queues
from ncb.services.context import principal_for
from ncb.services.queues import QueueFilter
from ncb.store.access import PRINCIPAL
from ncb.store.models import User

# (label, username, queue name, filter, sort)
QUERIES: list[tuple[str, str, str, QueueFilter, str]] = [
    ("mine", "desk", "mine", QueueFilter(), "due"),
    ("team", "desk", "team", QueueFilter(), "due"),
    ("due 24h", "desk", "due", QueueFilter(), "due"),
    ("overdue", "desk", "overdue", QueueFilter(), "due"),
    ("desk", "supervisor", "desk", QueueFilter(), "due"),
    ("desk by priority", "supervisor", "desk", QueueFilter(), "priority"),
    ("desk newest", "supervisor", "desk", QueueFilter(), "newest"),
    ("desk interpol+ES", "supervisor", "desk", QueueFilter(channel="interpol", country="ES"), "due"),
    ("desk urgent", "supervisor", "desk", QueueFilter(priority="urgent"), "due"),
    ("desk drugs", "supervisor", "desk", QueueFilter(crime_area="drugs"), "due"),
    ("desk status=closed", "supervisor", "desk", QueueFilter(status="closed"), "due"),
    ("overdue (supervisor)", "supervisor", "overdue", QueueFilter(), "due"),
    ("unassigned", "supervisor", "unassigned", QueueFilter(), "due"),
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def run(engine: Engine, runs: int = 200) -> list[dict[str, Any]]:
    results = []
    with Session(engine) as session:
        principals = {}
        for username in {q[1] for q in QUERIES}:
            user = session.scalars(select(User).where(User.username == username)).one()
            principals[username] = principal_for(session, user)
        for label, username, name, f, sort in QUERIES:
            p = principals[username]
            session.info[PRINCIPAL] = p
            times = []
            size = 0
            gc.collect()
            for _ in range(runs):
                began = time.perf_counter()
                page = queues.queue(session, p, name, f, sort=sort)
                times.append((time.perf_counter() - began) * 1000)
                size = len(page.items)
                session.commit()  # one transaction per query, as one API request has
                session.expunge_all()
            results.append({"query": label, "rows": size, "p50": statistics.median(times),
                            "p99": _percentile(times, 0.99), "runs": runs, "args": (p, name, f, sort)})
    for r in results:
        r["plan"] = plan(engine, *r.pop("args")) if engine.dialect.name == "sqlite" else ""
    return results


def plan(engine: Engine, p: Any, name: str, f: QueueFilter, sort: str) -> str:
    """EXPLAIN QUERY PLAN of the queue's SQL with the access filter applied."""
    from ncb.store.access import visible_clause
    from ncb.store.models import Case

    stmt = queues.queue_statement(p, name, f, sort=sort).where(visible_clause(Case, p)).limit(51)
    try:
        sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        with engine.connect() as conn:
            rows = conn.execute(text("EXPLAIN QUERY PLAN " + sql)).all()
    except Exception as exc:  # noqa: BLE001 - a plan is a diagnostic, never fatal
        return f"plan unavailable: {type(exc).__name__}"
    return "; ".join(r[-1] for r in rows)
