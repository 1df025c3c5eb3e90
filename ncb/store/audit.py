"""Hash-chained audit log: append, and verify that nothing was altered or removed.

Each entry's MAC (HMAC-SHA256 with a key kept outside the database) covers every column and the
previous entry's MAC; signed checkpoints written outside the database catch a cut tail. Writers first bump the
single `audit_head` row, which serialises them (row lock on PostgreSQL, write lock on SQLite),
so concurrent requests cannot fork the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.settings import get_settings
from ncb.store.models import AuditEntry, AuditHead, utcnow

# "refused": a consultation refused (a hidden or absent record; ncb.store.refusals).
ACTIONS = ("collection", "alteration", "consultation", "disclosure", "combination", "erasure",
           "refused")
GENESIS = "0" * 64


HASHED = ("seq", "at", "actor_user_id", "actor", "action", "record_kind", "record_id",
          "justification", "recipients", "details", "prev_hash")  # every column but id and hash


def audit_key() -> bytes:
    """The MAC key of the chain: NCB_AUDIT_KEY, or one derived from NCB_SECRET_KEY.

    The key never lives in the database, so write access to the database is not enough to
    append a forged entry or rewrite one: the forger cannot compute its MAC.
    """
    settings = get_settings()
    if settings.audit_key:
        return settings.audit_key.encode()
    return hmac.new(settings.secret_key.encode(), b"ncb-audit-chain-v2", hashlib.sha256).digest()


def entry_hash(row: dict[str, Any], key: bytes | None = None) -> str:
    """HMAC-SHA256 over every column of an entry (a dict with the HASHED keys)."""
    values = [row[name] for name in HASHED]
    values[1] = row["at"].isoformat(timespec="microseconds")
    body = json.dumps(values, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hmac.new(key or audit_key(), body.encode(), hashlib.sha256).hexdigest()


def chain_rows(seq: int, prev_hash: str, rows: list[dict[str, Any]]) -> str:
    """Number, link and MAC `rows` (in order) after entry `seq`; returns the new head hash.

    The one place entries are chained: `record`, `record_many` and the demo's bulk seeding.
    """
    key = audit_key()
    for row in rows:
        seq += 1
        row["seq"], row["prev_hash"] = seq, prev_hash
        row["hash"] = prev_hash = entry_hash(row, key)
    return prev_hash


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
    row: dict[str, Any] = {
        "at": utcnow(), "actor_user_id": principal.user_id, "actor": principal.username,
        "action": action, "record_kind": record_kind,
        "record_id": None if record_id is None else str(record_id),
        "justification": justification, "recipients": list(recipients or []),
        "details": dict(details or {})}
    digest = chain_rows(head.seq - 1, head.last_hash, [row])
    entry = AuditEntry(**row)
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
    at: datetime | None = None  # an earlier, coarser time (anonymous tips: the hour only)


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
    rows = [{"at": e.at or utcnow(), "actor_user_id": principal.user_id, "actor": principal.username,
             "action": e.action, "record_kind": e.record_kind,
             "record_id": None if e.record_id is None else str(e.record_id),
             "justification": e.justification, "recipients": list(e.recipients or []),
             "details": dict(e.details or {})} for e in entries]
    prev = chain_rows(head.seq - n, head.last_hash, rows)
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
    key = audit_key()
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
            digest = entry_hash({name: getattr(e, name) for name in HASHED}, key)
            if not hmac.compare_digest(digest, e.hash):
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
