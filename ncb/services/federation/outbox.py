"""The outbox: envelopes sealed for one peer, numbered per peer and lane, kept until the peer has
them. Attachment contents (`blob`) have their own lane and sequence, so records overtake a
large attachment and an attachment does not wait behind a backlog of records."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, undefer

from ncb.federation import cursor, envelope
from ncb.services.federation import objects, peers
from ncb.services.federation.node import Node
from ncb.store.models import FedCursor, FedOutbox, utcnow

LANES = envelope.LANES


def _out(lane: str) -> Any:
    return FedCursor.blob_out_seq if lane == "blob" else FedCursor.out_seq


def next_seq(session: Session, peer: str, lane: str = "main") -> int:
    col = _out(lane)
    bump = (update(FedCursor).where(FedCursor.peer_code == peer)
            .values({col: col + 1}).returning(col))
    seq = session.execute(bump).scalar_one_or_none()
    if seq is None:
        session.add(FedCursor(peer_code=peer))
        session.flush()
        seq = session.execute(bump).scalar_one()
    return int(seq)


def enqueue(session: Session, node: Node, recipient: str, kind: str, payload: dict[str, Any],
            data: bytes | None = None) -> FedOutbox:
    """Seal for `recipient` with the next sequence of the kind's lane. Objects this node
    originates leave with their markings signed (relayed ones carry the originator's)."""
    key = peers.recipient_key(session, recipient)
    lane = envelope.lane_of(kind)
    seq = next_seq(session, recipient, lane)
    if kind == "case":
        objects.seal_markings(session, node.keys, payload.get("objects", []))
    eid, wire = envelope.seal(node.keys, recipient, key, seq, kind, payload, data=data)
    row = FedOutbox(envelope_id=eid, recipient=recipient, lane=lane, seq=seq, kind=kind,
                    wire=wire, size=len(wire))
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


def due(session: Session, recipient: str, now: datetime, limit: int,
        lane: str = "main") -> list[FedOutbox]:
    """Queued envelopes of one lane for `recipient` in sequence order, once the retry delay
    has passed."""
    head = session.scalar(select(FedOutbox).where(FedOutbox.recipient == recipient,
                                                  FedOutbox.lane == lane,
                                                  FedOutbox.state == "queued")
                          .order_by(FedOutbox.seq).limit(1))
    if head is None or head.next_attempt_at > now:
        return []
    return after(session, recipient, head.seq - 1, limit, lane)


def after(session: Session, recipient: str, seq: int, limit: int,
          lane: str = "main") -> list[FedOutbox]:
    """Envelopes of one lane for `recipient` above its cursor `seq` (a peer pulling, a bundle)."""
    q = (select(FedOutbox).where(FedOutbox.recipient == recipient, FedOutbox.lane == lane,
                                 FedOutbox.seq > seq)
         .order_by(FedOutbox.seq).limit(limit))
    return list(session.scalars(q.options(undefer(FedOutbox.wire))))


def delivered(session: Session, recipient: str, upto: int, lane: str = "main") -> int:
    """The peer reports its cursor in a lane: everything up to it has arrived."""
    res = session.execute(update(FedOutbox).where(FedOutbox.recipient == recipient,
                                                  FedOutbox.lane == lane,
                                                  FedOutbox.seq <= upto,
                                                  FedOutbox.state == "queued")
                          .values(state="delivered", delivered_at=utcnow(), last_error=None))
    return int(res.rowcount or 0)  # type: ignore[attr-defined]


def failed(session: Session, recipient: str, error: str, base_seconds: float) -> None:
    """A failed delivery: every queued envelope for the peer (both lanes: the link is the
    same) waits, doubling each time."""
    head = session.scalar(select(FedOutbox).where(FedOutbox.recipient == recipient,
                                                  FedOutbox.state == "queued")
                          .order_by(FedOutbox.attempts.desc(), FedOutbox.seq).limit(1))
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
