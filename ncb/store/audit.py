"""Hash-chained audit log: append, and verify that nothing was altered or removed.

Each entry's hash covers its content and the previous entry's hash. Writers first bump the
single `audit_head` row, which serialises them (row lock on PostgreSQL, write lock on SQLite),
so concurrent requests cannot fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.store.models import AuditEntry, AuditHead, utcnow

ACTIONS = ("collection", "alteration", "consultation", "disclosure", "combination", "erasure")
GENESIS = "0" * 64


def _digest(
    seq: int, at: datetime, actor: str, action: str, record_kind: str, record_id: str | None,
    justification: str | None, recipients: list[Any], details: dict[str, Any], prev_hash: str,
) -> str:
    body = json.dumps(
        [seq, at.isoformat(timespec="microseconds"), actor, action, record_kind, record_id,
         justification, recipients, details, prev_hash],
        sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def ensure_head(session: Session) -> None:
    if session.get(AuditHead, 1) is None:
        session.add(AuditHead(id=1, seq=0, last_hash=GENESIS))
        session.flush()


def record(
    session: Session,
    principal: Principal,
    action: str,
    record_kind: str,
    record_id: object = None,
    *,
    justification: str | None = None,
    recipients: list[str] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    if action not in ACTIONS:
        raise ValueError(f"audit action must be one of {', '.join(ACTIONS)}, not {action!r}")
    bump = (update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1)
            .returning(AuditHead.seq, AuditHead.last_hash))
    head = session.execute(bump).one_or_none()
    if head is None:
        ensure_head(session)
        head = session.execute(bump).one()
    at = utcnow()
    rid = None if record_id is None else str(record_id)
    recips = list(recipients or [])
    det = dict(details or {})
    digest = _digest(head.seq, at, principal.username, action, record_kind, rid, justification,
                     recips, det, head.last_hash)
    entry = AuditEntry(
        seq=head.seq, at=at, actor_user_id=principal.user_id, actor=principal.username,
        action=action, record_kind=record_kind, record_id=rid, justification=justification,
        recipients=recips, details=det, prev_hash=head.last_hash, hash=digest,
    )
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=digest))
    return entry


class Pending(NamedTuple):
    """An entry to append later with `record_many` (same fields as `record`'s arguments)."""

    action: str
    record_kind: str
    record_id: object = None
    details: dict[str, Any] | None = None
    justification: str | None = None
    recipients: list[str] | None = None


def record_many(session: Session, principal: Principal, entries: list[Pending]) -> None:
    """Append several entries, in order, with one bump of the chain head (a batch's log).

    Each entry is hashed and linked exactly as `record` would have done one by one, so
    `verify` cannot tell the difference; the rows go in with one executemany.
    """
    if not entries:
        return
    for e in entries:
        if e.action not in ACTIONS:
            raise ValueError(f"audit action must be one of {', '.join(ACTIONS)}, not {e.action!r}")
    n = len(entries)
    bump = (update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + n)
            .returning(AuditHead.seq, AuditHead.last_hash))
    head = session.execute(bump).one_or_none()
    if head is None:
        ensure_head(session)
        head = session.execute(bump).one()
    seq, prev = head.seq - n, head.last_hash
    rows = []
    for e in entries:
        seq += 1
        at = utcnow()
        rid = None if e.record_id is None else str(e.record_id)
        recips = list(e.recipients or [])
        det = dict(e.details or {})
        digest = _digest(seq, at, principal.username, e.action, e.record_kind, rid,
                         e.justification, recips, det, prev)
        rows.append({"seq": seq, "at": at, "actor_user_id": principal.user_id,
                     "actor": principal.username, "action": e.action,
                     "record_kind": e.record_kind, "record_id": rid,
                     "justification": e.justification, "recipients": recips, "details": det,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    # Plain executemany (no RETURNING): rows are inserted one after another, ids in chain order.
    session.connection().execute(insert(cast(Table, AuditEntry.__table__)), rows)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=prev))


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None


def verify(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first entry whose hash or link does not hold."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            break
        for e in rows:
            last_id = e.id
            if e.seq != expected_seq:
                return ChainReport(False, checked, e.seq, f"expected entry {expected_seq}, found "
                                   f"{e.seq}: an entry is missing or out of order")
            if e.prev_hash != prev:
                return ChainReport(False, checked, e.seq, "link to the previous entry is broken")
            digest = _digest(e.seq, e.at, e.actor, e.action, e.record_kind, e.record_id,
                             e.justification, list(e.recipients or []), dict(e.details or {}),
                             e.prev_hash)
            if digest != e.hash:
                return ChainReport(False, checked, e.seq, "content does not match its hash")
            prev = e.hash
            expected_seq += 1
            checked += 1
        session.expunge_all()
    head = session.get(AuditHead, 1)
    if head is not None and head.seq != checked:
        return ChainReport(False, checked, checked + 1,
                           f"chain head says {head.seq} entries, found {checked}: tail removed")
    return ChainReport(True, checked)
