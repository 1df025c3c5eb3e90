"""Apply what arrived: each sender's envelopes in sequence, exactly once, a batch per transaction.

A run of consecutive envelopes from one sender is applied in one transaction together with
the cursor bump and their audit entries (one commit and one identity resolution per batch,
not per envelope: catch-up after a week offline is bound by the work, not by commits). If an
envelope fails with an error nobody expected, the batch rolls back, the envelopes before the
failing one are applied again one per transaction, and the error propagates. A process killed
outright loses the uncommitted batch and applies it again later: never twice, because the
cursor is committed with exactly what it covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker, undefer

from ncb.federation import envelope
from ncb.federation.envelope import EnvelopeError
from ncb.federation.keys import PublicKey
from ncb.services.federation import blobs, peers, recall, received, rotation
from ncb.services.federation.node import Node
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import FedCursor, FedInbox, utcnow

Handler = Callable[[Session, Node, dict[str, Any], dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {
    "case": received.apply_case, "blob": blobs.apply_blob, "recall": recall.apply_recall,
    "recall_ack": recall.apply_ack, "key_rotation": rotation.apply_rotation,
    "group": rotation.apply_group,
}
# Envelopes verified and decrypted on arrival in this same call: envelope id -> (header, payload).
Opened = dict[str, tuple[dict[str, Any], dict[str, Any]]]
BATCH = 500


class _Keys:
    """Sender keys looked up once per batch; a key rotation in the batch clears the cache."""

    def __init__(self, session: Session) -> None:
        self.find = peers.sender_key(session)
        self.cache: dict[tuple[str, str], PublicKey] = {}

    def __call__(self, code: str, key_id: str) -> PublicKey:
        if (code, key_id) not in self.cache:
            self.cache[(code, key_id)] = self.find(code, key_id)  # raises if unknown or revoked
        return self.cache[(code, key_id)]


def _open(row: FedInbox, node: Node, keys: _Keys, opened: Opened) -> tuple[dict[str, Any],
                                                                          dict[str, Any]]:
    if row.envelope_id in opened:  # verified moments ago; only check the key still stands
        header, payload = opened[row.envelope_id]
        keys(header["from"], header["from_key"])
        return header, payload
    parsed, payload = envelope.open_(row.wire, node.keys, keys)  # stored earlier: verify again
    opened[row.envelope_id] = (parsed.header, payload)  # the key may have been revoked since
    return parsed.header, payload


def _apply_one(session: Session, node: Node, row: FedInbox, keys: _Keys, opened: Opened,
               main_cursor: int | None) -> dict[str, Any] | None:
    """Apply one envelope; None if it is an attachment whose case has not been applied yet
    (`main_cursor`: the sender's main-lane cursor, for the attachment lane)."""
    try:
        header, payload = _open(row, node, keys, opened)
        if main_cursor is not None and int(payload.get("after") or 0) > main_cursor:
            return None
        outcome = HANDLERS[row.kind](session, node, header, payload)
    except EnvelopeError as exc:
        outcome = {"refused": f"{exc.rule}: {exc.detail}"}
    if row.kind == "key_rotation":
        keys.cache.clear()
    row.state = "refused" if "refused" in outcome and not outcome.get("applied") else "applied"
    row.applied_at, row.outcome = utcnow(), outcome
    opened.pop(row.envelope_id, None)
    return outcome


@dataclass
class _Progress:
    start: int = 0
    failing: int | None = None  # the sequence being applied when something raised


def apply_batch(factory: sessionmaker[Session], node: Node, sender: str, limit: int,
                opened: Opened, lane: str = "main") -> int:
    """Apply up to `limit` of the sender's next envelopes of a lane in one transaction; how many.

    If one raises, the batch rolls back whole; the envelopes before the failing one are then
    applied one per transaction and the error propagates, so a failure costs only itself.
    """
    progress = _Progress()
    try:
        return _run(factory, node, sender, lane, limit, opened, progress)
    except KeyboardInterrupt:
        raise
    except BaseException:
        if progress.failing is None:
            raise
        for _ in range(progress.failing - progress.start - 1):
            _run(factory, node, sender, lane, 1, opened, _Progress())
        raise


def _run(factory: sessionmaker[Session], node: Node, sender: str, lane: str, limit: int,
         opened: Opened, progress: _Progress) -> int:
    col = FedCursor.blob_in_seq if lane == "blob" else FedCursor.in_seq
    with transaction(factory, **{PRINCIPAL: node.principal()}) as session:
        bump = (update(FedCursor).where(FedCursor.peer_code == sender)
                .values({col: col}).returning(col, FedCursor.in_seq))  # locks the cursor row
        got = session.execute(bump).one_or_none()
        if got is None:
            return 0
        at, main = int(got[0]), (int(got[1]) if lane == "blob" else None)
        progress.start = at
        rows = list(session.scalars(select(FedInbox).options(undefer(FedInbox.wire))
                                    .where(FedInbox.sender == sender, FedInbox.lane == lane,
                                           FedInbox.state == "waiting",
                                           FedInbox.seq > at, FedInbox.seq <= at + limit)
                                    .order_by(FedInbox.seq)))
        keys, log, last = _Keys(session), list[audit.Pending](), at
        for row in rows:
            if row.seq != last + 1:
                break  # a gap: the rest waits for the missing envelope
            progress.failing = row.seq
            outcome = _apply_one(session, node, row, keys, opened, main)
            if outcome is None:
                break  # its case is not here yet: the attachment lane waits for it
            log.append(audit.Pending(
                "collection", "fed_envelope", row.envelope_id, recipients=[node.code],
                details={"outcome": row.state, "kind": row.kind, "seq": row.seq, "sender": sender,
                         "lane": lane, **_summary(outcome)}))
            last = row.seq
        progress.failing = None
        if last > at:
            session.execute(update(FedCursor).where(FedCursor.peer_code == sender)
                            .values({col: last}))
            audit.record_many(session, node.principal(f"node:{sender}"), log)
    return last - at


def _summary(outcome: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if outcome.get("applied"):
        out["applied"] = outcome["applied"][:50]
    if outcome.get("refused"):
        out["refused"] = outcome["refused"] if isinstance(outcome["refused"], str) else \
            [r["id"] for r in outcome["refused"]][:50]
    if outcome.get("markings_refused"):  # altered or unsigned markings: named in the audit
        out["markings_refused"] = outcome["markings_refused"][:50]
        out["markings_reasons"] = [r["reasons"][0] for r in outcome["refused"]
                                   if r["id"] in outcome["markings_refused"]][:50]
    return out


def apply_waiting(factory: sessionmaker[Session], node: Node, limit: int = 100_000,
                  opened: Opened | None = None, batch: int = BATCH) -> int:
    """Apply every envelope that is next in its sender's order, `batch` per transaction: the
    main lane first, then attachments (whose cases are then applied)."""
    with factory() as s:
        pending = set(s.execute(select(FedInbox.sender, FedInbox.lane)
                                .where(FedInbox.state == "waiting").distinct()))
    done = 0
    for lane in ("main", "blob"):
        for sender in sorted(s for s, ln in pending if ln == lane):
            while done < limit:
                want = min(batch, limit - done)
                got = apply_batch(factory, node, sender, want,
                                  opened if opened is not None else {}, lane)
                done += got
                if got < want:
                    break
    return done
