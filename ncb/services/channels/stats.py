"""EAW statistics as the central authority publishes them, for one calendar year (UTC)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.store import audit
from ncb.store.models import Warrant, WarrantEvent

ARREST = ("arrest", "provisional_arrest")


def eaw_stats(session: Session, p: Principal, year: int) -> dict[str, Any]:
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    incoming = Warrant.direction == "incoming"
    received = session.scalars(select(Warrant.id).where(
        incoming, Warrant.received_at >= start, Warrant.received_at < end)).all()
    certified = session.scalars(select(Warrant.id).where(
        incoming, Warrant.certified_at >= start, Warrant.certified_at < end)).all()
    rows = session.execute(
        select(WarrantEvent.warrant_id, WarrantEvent.kind, WarrantEvent.at,
               WarrantEvent.details, Warrant.refusal_ground)
        .join(Warrant, Warrant.id == WarrantEvent.warrant_id)
        .where(incoming, WarrantEvent.at < end)
        .order_by(WarrantEvent.at, WarrantEvent.id)).all()
    arrests: set[int] = set()
    surrenders: set[int] = set()
    first_arrest: dict[int, datetime] = {}
    consent: set[int] = set()
    decided: dict[int, datetime] = {}
    refusals: Counter[str] = Counter()
    for wid, kind, at, details, ground in rows:
        if kind in ARREST:
            first_arrest.setdefault(wid, at)
            if at >= start:
                arrests.add(wid)
        elif kind == "consent":
            consent.add(wid)
        elif kind == "surrender" and at >= start:
            surrenders.add(wid)
        elif kind == "final_decision" and at >= start and wid not in decided:
            decided[wid] = at
            if (details or {}).get("outcome") == "refused":
                refusals[(details or {}).get("refusal_ground") or ground or "unspecified"] += 1
    with_c = [(decided[w] - first_arrest[w]).total_seconds() / 86400
              for w in decided if w in first_arrest and w in consent]
    without = [(decided[w] - first_arrest[w]).total_seconds() / 86400
               for w in decided if w in first_arrest and w not in consent]
    out = {
        "year": year,
        "requests_received": len(received),
        "certified": len(certified),
        "arrests": len(arrests),
        "surrenders": len(surrenders),
        "final_decisions": len(decided),
        "refusals_by_ground": dict(sorted(refusals.items())),
        "median_days_arrest_to_decision": {
            "with_consent": round(median(with_c), 1) if with_c else None,
            "without_consent": round(median(without), 1) if without else None,
            "with_consent_n": len(with_c), "without_consent_n": len(without),
        },
    }
    audit.record(session, p, "consultation", "warrant", None,
                 details={"statistics": year})
    return out
