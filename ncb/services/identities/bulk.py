"""Resolve every entity that has no identity yet: after a bulk load, a migration or an import.

Two passes: deterministic keys for everything (batched Core inserts), then the matcher for the
persons left alone in a new identity, each screened once against the whole watch index and
joined only above the rules' threshold and in agreement with the identity (resolve.matcher_join).
Judgements between identities made by reviewers are never touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy.orm import Session

from ncb.rules import load_rules
from ncb.services.identities.resolve import Attached, attach_many, join_scores, matcher_join
from ncb.services.watchlist import index_for, to_record
from ncb.store import identities
from ncb.store.models import Entity

BATCH = 5_000
Progress = Callable[[str, int, int], None]
_COLUMNS = (Entity.id, Entity.kind, Entity.display_name, Entity.first_name, Entity.last_name,
            Entity.aliases, Entity.date_of_birth, Entity.gender, Entity.nationality,
            Entity.place_of_birth, Entity.identifier, Entity.details, Entity.created_by)


@dataclass
class ResolveReport:
    entities: int = 0
    identities: int = 0
    by_identifier: int = 0
    by_matcher: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def unresolved_ids(session: Session) -> list[int]:
    """Entities without an identity (system work: every entity, whatever its markings)."""
    return identities.unresolved_entity_ids(session)


def resolve_all(session: Session, *, matcher: bool = True,
                progress: Progress | None = None) -> ResolveReport:
    """Give every unresolved entity an identity; returns what was joined and how long it took."""
    report = ResolveReport()
    tick = time.perf_counter()
    ids = unresolved_ids(session)
    report.entities = len(ids)
    fresh_people: list[tuple[Attached, SimpleNamespace]] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        rows = [SimpleNamespace(**r) for r in identities.entity_columns(session, _COLUMNS, chunk)]
        for att, row in zip(attach_many(session, rows), rows, strict=True):
            if att.created:
                report.identities += 1
                if row.kind == "person":
                    fresh_people.append((att, row))
            else:
                report.by_identifier += 1
        if progress:
            progress("identities: identifiers", min(start + BATCH, len(ids)), len(ids))
    report.seconds["identifiers"] = round(time.perf_counter() - tick, 3)
    tick = time.perf_counter()
    if matcher and fresh_people:
        session.flush()
        idx = index_for(session)
        screener = idx.screener
        wide = screener.candidates
        narrow = load_rules().identities.matcher.bulk_candidates
        for i, (att, row) in enumerate(fresh_people):
            record = to_record(row)
            if record is None or not row.date_of_birth:  # no join without an agreeing date
                continue
            with idx.lock:
                screener.candidates = narrow
                try:
                    found = screener.screen(record, top=narrow)
                finally:
                    screener.candidates = wide
            if matcher_join(session, att, join_scores(found)) and not att.created:
                report.by_matcher += 1
                report.identities -= 1
            if progress and (i % 1000 == 0 or i == len(fresh_people) - 1):
                progress("identities: matcher", i + 1, len(fresh_people))
    report.seconds["matcher"] = round(time.perf_counter() - tick, 3)
    return report
