"""Search over cases and entities by reference, names in any script and document numbers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.errors import InvalidInput
from ncb.services.text import ident_key, word_keys
from ncb.store import audit
from ncb.store.models import Case, Entity, SearchKey


@dataclass(frozen=True)
class SearchResult:
    cases: list[Case]
    entities: list[Entity]


def search(session: Session, p: Principal, q: str, limit: int = 25) -> SearchResult:
    q = (q or "").strip()
    if len(q) < 2:
        raise InvalidInput("q: type at least 2 characters", field="q", rule="min_length")
    if not 1 <= limit <= 100:
        raise InvalidInput("limit must be between 1 and 100", field="limit", rule="range")
    whole = ident_key(q)
    words = word_keys(q)
    need = max(1, len(words))
    hits: dict[str, list[int]] = {}
    for kind in ("case", "entity"):
        # Records matching every word, or the whole query as one identifier/reference.
        by_words = (
            select(SearchKey.record_id)
            .where(SearchKey.record_kind == kind, SearchKey.key.in_(words or [whole or ""]))
            .group_by(SearchKey.record_id)
            .having(func.count(func.distinct(SearchKey.key)) >= need)
        )
        by_ident = select(SearchKey.record_id).where(
            SearchKey.record_kind == kind, SearchKey.key == (whole or "")
        )
        ids = set(session.scalars(by_words.limit(500))) | set(session.scalars(by_ident.limit(500)))
        hits[kind] = sorted(ids)
    cases = list(session.scalars(
        select(Case).where(Case.id.in_(hits["case"])).order_by(Case.created_at.desc()).limit(limit)
    ))
    ref = list(session.scalars(select(Case).where(Case.reference == q.upper()).limit(1)))
    cases = ref + [c for c in cases if c not in ref]
    entities = list(session.scalars(
        select(Entity).where(Entity.id.in_(hits["entity"])).order_by(Entity.id.desc()).limit(limit)
    ))
    audit.record(session, p, "consultation", "search", None,
                 details={"q": q, "cases": len(cases), "entities": len(entities)})
    return SearchResult(cases[:limit], entities)
