"""The in-process screening index over every entity the bureau holds.

Built from the database on first use, then caught up on every screening with the entities
added since (an indexed `id > last_seen` query), so several processes on one PostgreSQL server
stay current without messaging. Access is NOT decided here: the index knows every record and
the screening service decides what a caller may learn about each hit.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from ncb.matching import PersonRecord, Screener
from ncb.store.db import READ_ONLY
from ncb.store.models import Entity

# Entity kinds screened, and the matcher's kind for each.
KIND_MAP = {"person": "person", "travel_document": "document", "vehicle": "vehicle",
            "phone": "phone"}
GAP_SECONDS = 3600.0  # how long an id skipped below the watermark is looked for again
MAX_GAPS = 100_000
FRESHNESS_SECONDS = 2.0
NEW_ENTITIES = "new_entities"  # session.info: entities this transaction added
FORGET = "index_forget"  # ... entity ids it erased
REINDEX = "index_reindex"  # ... entity ids it changed
_COLUMNS = (Entity.id, Entity.kind, Entity.display_name, Entity.first_name, Entity.last_name,
            Entity.aliases, Entity.date_of_birth, Entity.gender, Entity.nationality,
            Entity.place_of_birth, Entity.identifier)


def to_record(row: Any) -> PersonRecord | None:
    kind = KIND_MAP.get(row.kind)
    if kind is None:
        return None
    if kind == "person":
        return PersonRecord(
            id=str(row.id), full_name=row.display_name or "", first_name=row.first_name or "",
            last_name=row.last_name or "", aliases=list(row.aliases or []),
            date_of_birth=row.date_of_birth or "", gender=row.gender or "",
            nationality=row.nationality or "", place_of_birth=row.place_of_birth or "",
            document_number=row.identifier or "",
        )
    return PersonRecord(id=str(row.id), kind=kind, full_name=row.display_name or "",
                        document_number=row.identifier or row.display_name or "")


@dataclass
class WatchIndex:
    screener: Screener = field(default_factory=Screener)
    last_id: int = 0
    seen: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    checked_at: float = 0.0
    dirty: bool = True
    gaps: dict[int, float] = field(default_factory=dict)  # id -> when first missed

    def catch_up(self, engine: Engine, batch: int = 20000) -> int:
        """Add committed entities created since the last look, and late ones below it.

        A separate read-only connection sees only committed rows, so an entity from a
        transaction that later rolls back never enters the index. On PostgreSQL a lower id can
        commit after a higher one (ids are taken at insert, rows appear at commit), however
        long the transaction ran: every id skipped below the watermark is remembered as a gap
        and looked up again at each catch-up until it appears or GAP_SECONDS pass (a gap that
        old was a rollback or an erasure, not a transaction still running).
        """
        added = 0
        with self.lock, engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            added += self._fill_gaps(conn)
            start = self.last_id
            while True:
                ids = list(conn.scalars(select(Entity.id).where(Entity.id > start)
                                        .order_by(Entity.id).limit(batch)))
                if not ids:
                    return added
                self._note_gaps(start, ids)
                start = ids[-1]
                self.last_id = max(self.last_id, start)
                added += self._add(conn, [i for i in ids if i not in self.seen])

    def _note_gaps(self, after: int, ids: list[int]) -> None:
        now = time.monotonic()
        present = set(ids)
        for i in range(after + 1, ids[-1]):
            if i not in present and len(self.gaps) < MAX_GAPS:
                self.gaps.setdefault(i, now)

    def _fill_gaps(self, conn: Any) -> int:
        if not self.gaps:
            return 0
        old = time.monotonic() - GAP_SECONDS
        for i in [i for i, at in self.gaps.items() if at < old]:
            del self.gaps[i]
        wanted = sorted(self.gaps)
        found: list[int] = []
        for k in range(0, len(wanted), 1000):
            found += conn.scalars(select(Entity.id).where(Entity.id.in_(wanted[k:k + 1000])))
        for i in found:
            self.gaps.pop(i, None)
        return self._add(conn, sorted(i for i in found if i not in self.seen))

    def _add(self, conn: Any, new: list[int]) -> int:
        """Index these committed entity ids (sorted, not yet seen)."""
        if not new:
            return 0
        added = 0
        wanted = set(new)
        if new[-1] - new[0] < 2 * len(new):  # dense (a batch of new ids): one range scan
            rows = conn.execute(select(*_COLUMNS).where(Entity.id.between(new[0], new[-1]))
                                ).all()
        else:  # sparse (late ids found in the gaps)
            rows = [r for k in range(0, len(new), 1000) for r in conn.execute(
                select(*_COLUMNS).where(Entity.id.in_(new[k:k + 1000])))]
        for row in rows:
            if row.id in self.seen or row.id not in wanted:
                continue
            self.seen.add(row.id)
            rec = to_record(row)
            if rec is not None:
                self.screener.add(rec)
                added += 1
        return added

    def forget(self, entity_id: int) -> None:
        with self.lock:
            self.screener.remove(str(entity_id))
            self.seen.discard(entity_id)

    def refresh(self, engine: Engine, entity_id: int) -> None:
        """Re-index one committed entity after an edit or erasure."""
        with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            row = conn.execute(select(*_COLUMNS).where(Entity.id == entity_id)).one_or_none()
        with self.lock:
            self.screener.remove(str(entity_id))
            rec = None if row is None else to_record(row)
            if rec is not None:
                self.screener.add(rec)


_INDEXES: dict[str, WatchIndex] = {}
_GUARD = threading.Lock()


def index_for(session: Session) -> WatchIndex:
    return warm(session.get_bind().engine)


def _key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def discard(engine: Engine) -> None:
    """Drop this process's index of the engine's database (it was emptied or replaced).

    Ids start again from 1 in a recreated database, so a kept index would answer with
    entities of the old one and catch up nothing below its old watermark.
    """
    with _GUARD:
        _INDEXES.pop(_key(engine), None)


def warm(engine: Engine) -> WatchIndex:
    """The engine's index, built from the database on first use and caught up since.

    This process's own commits mark it dirty (caught up at the next screening); other
    processes' commits are picked up within FRESHNESS_SECONDS.
    """
    with _GUARD:
        idx = _INDEXES.get(_key(engine))
        if idx is None:
            idx = _INDEXES[_key(engine)] = WatchIndex()
    now = time.monotonic()
    if idx.dirty or now - idx.checked_at > FRESHNESS_SECONDS:
        idx.dirty = False
        idx.checked_at = now
        if idx.catch_up(engine) > 10000:
            gc.freeze()  # a large build is long-lived: keep the collector from re-walking it
    return idx


@event.listens_for(Session, "after_flush")
def _note_new_entities(session: Session, _ctx: object) -> None:
    new = [obj for obj in session.new if isinstance(obj, Entity)]
    if new:
        session.info.setdefault(NEW_ENTITIES, []).extend(new)


def after_commit(session: Session, *, forget: int | None = None,
                 reindex: int | None = None) -> None:
    """Apply an erasure or an edit to the index once (and only if) the transaction commits."""
    if forget is not None:
        session.info.setdefault(FORGET, set()).add(forget)
    if reindex is not None:
        session.info.setdefault(REINDEX, set()).add(reindex)


@event.listens_for(Session, "after_commit")
def _index_committed(session: Session) -> None:
    """The one place the index follows this process's commits: new, edited, erased entities.

    New entities go straight in (no query); edits are re-read; erasures are dropped.
    """
    new = session.info.pop(NEW_ENTITIES, [])
    forget = session.info.pop(FORGET, set())
    reindex = session.info.pop(REINDEX, set())
    if not (new or forget or reindex):
        return
    engine = session.get_bind().engine
    idx = _INDEXES.get(_key(engine))
    if idx is None:  # not built yet: the first screening reads everything committed
        return
    with idx.lock:
        for ent in new:
            if ent.id in idx.seen:
                continue
            idx.seen.add(ent.id)
            rec = to_record(ent)
            if rec is not None:
                idx.screener.add(rec)
    for eid in forget:
        idx.forget(eid)
    for eid in reindex:
        idx.refresh(engine, eid)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    for key in (NEW_ENTITIES, FORGET, REINDEX):
        session.info.pop(key, None)


def reset_indexes() -> None:
    """Drop every in-process index (tests, and after a bulk reseed)."""
    with _GUARD:
        _INDEXES.clear()
