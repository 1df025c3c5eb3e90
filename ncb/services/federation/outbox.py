"""The outbox: envelopes sealed for one peer, numbered per peer, kept until the peer has them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, undefer

from ncb.federation import cursor, envelope
from ncb.services.federation import peers
from ncb.services.federation.node import Node
from ncb.store.models import FedCursor, FedOutbox, utcnow

MAX_REQUEST_BYTES = 2 << 20  # per push request or pull answer, besides the envelope count


def next_seq(session: Session, peer: str) -> int:
    bump = (update(FedCursor).where(FedCursor.peer_code == peer)
            .values(out_seq=FedCursor.out_seq + 1).returning(FedCursor.out_seq))
    seq = session.execute(bump).scalar_one_or_none()
    if seq is None:
        session.add(FedCursor(peer_code=peer))
        session.flush()
        seq = session.execute(bump).scalar_one()
    return int(seq)


def enqueue(session: Session, node: Node, recipient: str, kind: str, payload: dict[str, Any]) -> FedOutbox:
    key = peers.recipient_key(session, recipient)
    seq = next_seq(session, recipient)
    eid, wire = envelope.seal(node.keys, recipient, key, seq, kind, payload)
    row = FedOutbox(envelope_id=eid, recipient=recipient, seq=seq, kind=kind, wire=wire,
                    size=len(wire))
    session.add(row)
    session.flush()
    return row


def within(rows: list[FedOutbox], max_bytes: int) -> list[FedOutbox]:
    """The first rows whose wire sizes fit `max_bytes` (at least one): small requests on a slow
    link, so a cut costs at most one request and a large attachment travels on its own."""
    out: list[FedOutbox] = []
    total = 0
    for r in rows:
        if out and total + r.size > max_bytes:
            break
        out.append(r)
        total += r.size
    return out


def due(session: Session, recipient: str, now: datetime, limit: int) -> list[FedOutbox]:
    """Queued envelopes for `recipient` in sequence order, if the retry delay has passed."""
    head = session.scalar(select(FedOutbox).where(FedOutbox.recipient == recipient,
                                                  FedOutbox.state == "queued")
                          .order_by(FedOutbox.seq).limit(1))
    if head is None or head.next_attempt_at > now:
        return []
    return after(session, recipient, head.seq - 1, limit)


def after(session: Session, recipient: str, seq: int, limit: int) -> list[FedOutbox]:
    """Envelopes for `recipient` above its cursor `seq` (for a peer pulling, or a bundle)."""
    q = (select(FedOutbox).where(FedOutbox.recipient == recipient, FedOutbox.seq > seq)
         .order_by(FedOutbox.seq).limit(limit))
    return list(session.scalars(q.options(undefer(FedOutbox.wire))))


def delivered(session: Session, recipient: str, upto: int) -> int:
    """The peer reports its cursor: everything up to it has arrived."""
    res = session.execute(update(FedOutbox).where(FedOutbox.recipient == recipient,
                                                  FedOutbox.seq <= upto,
                                                  FedOutbox.state == "queued")
                          .values(state="delivered", delivered_at=utcnow(), last_error=None))
    return int(res.rowcount or 0)  # type: ignore[attr-defined]


def failed(session: Session, recipient: str, error: str, base_seconds: float) -> None:
    """A failed delivery: every queued envelope for the peer waits, doubling each time."""
    head = session.scalar(select(FedOutbox).where(FedOutbox.recipient == recipient,
                                                  FedOutbox.state == "queued")
                          .order_by(FedOutbox.seq).limit(1))
    if head is None:
        return
    attempts = head.attempts + 1
    wait = timedelta(seconds=cursor.backoff_seconds(attempts, base_seconds))
    session.execute(update(FedOutbox).where(FedOutbox.recipient == recipient,
                                            FedOutbox.state == "queued")
                    .values(attempts=attempts, next_attempt_at=utcnow() + wait,
                            last_error=error[:300]))


def counts(session: Session) -> dict[tuple[str, str], int]:
    rows = session.execute(select(FedOutbox.recipient, FedOutbox.state, func.count())
                           .group_by(FedOutbox.recipient, FedOutbox.state)).all()
    return {(r, s): int(n) for r, s, n in rows}
