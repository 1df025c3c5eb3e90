"""The inbox: verify on arrival, keep in order per sender, apply each envelope exactly once.

`receive` only verifies and stores (refusals audited). `apply_waiting` applies the next
envelope of each sender in its own transaction together with the cursor, so a node killed
mid-apply rolls that one envelope back and applies it again on restart, never twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker, undefer

from ncb.federation import cursor, envelope
from ncb.federation.envelope import EnvelopeError
from ncb.services.federation import peers, recall, received, rotation
from ncb.services.federation.node import Node
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import FedCursor, FedInbox, utcnow

Handler = Callable[[Session, Node, dict[str, Any], dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {
    "case": received.apply_case, "blob": received.apply_blob, "recall": recall.apply_recall,
    "recall_ack": recall.apply_ack, "key_rotation": rotation.apply_rotation,
    "group": rotation.apply_group,
}


@dataclass(frozen=True)
class Receipt:
    envelope_id: str | None
    state: str  # accepted | duplicate | refused
    rule: str | None = None
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"envelope_id": self.envelope_id, "state": self.state, "rule": self.rule,
                "detail": self.detail}


def _claimed(wire: bytes) -> dict[str, Any]:
    try:
        return envelope.parse(wire).header
    except EnvelopeError:
        return {}


def refuse(session: Session, node: Node, wire: bytes, rule: str, detail: str) -> Receipt:
    h = _claimed(wire)
    sender = str(h.get("from", "?"))[:40]
    audit.record(session, node.principal(f"node:{sender}"), "collection", "fed_envelope",
                 h.get("id"), details={"outcome": "refused", "rule": rule, "detail": detail,
                                       "claimed_sender": sender, "seq": h.get("seq"),
                                       "bytes": len(wire)})
    return Receipt(h.get("id"), "refused", rule, detail)


def receive(session: Session, node: Node, wire: bytes) -> Receipt:
    try:
        parsed, _ = envelope.open_(wire, node.keys, peers.sender_key(session))
    except EnvelopeError as exc:
        return refuse(session, node, wire, exc.rule, exc.detail)
    h = parsed.header
    if session.scalar(select(FedInbox.id).where(FedInbox.envelope_id == parsed.id)) is not None:
        return Receipt(parsed.id, "duplicate")
    cur = session.get(FedCursor, h["from"])
    taken = session.scalar(select(FedInbox.envelope_id).where(FedInbox.sender == h["from"],
                                                              FedInbox.seq == h["seq"]))
    if taken is not None or (cur is not None and h["seq"] <= cur.in_seq):
        return refuse(session, node, wire, "sequence_reused",
                      f"sequence {h['seq']} from {h['from']} was already used by another envelope")
    try:
        with session.begin_nested():
            session.add(FedInbox(envelope_id=parsed.id, sender=h["from"], seq=h["seq"],
                                 kind=h["kind"], wire=wire))
    except IntegrityError:  # the same envelope arriving twice at once
        return Receipt(parsed.id, "duplicate")
    return Receipt(parsed.id, "accepted")


def cursor_of(session: Session, sender: str) -> int:
    cur = session.get(FedCursor, sender)
    return cur.in_seq if cur else 0


def apply_next(session: Session, node: Node, sender: str) -> bool:
    """Apply the sender's next envelope if it is here; False when there is a gap or none."""
    bump = (update(FedCursor).where(FedCursor.peer_code == sender)
            .values(in_seq=FedCursor.in_seq).returning(FedCursor.in_seq))  # locks the cursor
    at = session.execute(bump).scalar_one_or_none()
    if at is None:
        return False
    row = session.scalar(select(FedInbox).options(undefer(FedInbox.wire))
                         .where(FedInbox.sender == sender, FedInbox.seq == at + 1,
                                FedInbox.state == "waiting"))
    if row is None:
        return False
    try:
        parsed, payload = envelope.open_(row.wire, node.keys, peers.sender_key(session))
        outcome = HANDLERS[parsed.header["kind"]](session, node, parsed.header, payload)
    except EnvelopeError as exc:  # e.g. the key was revoked after arrival
        outcome = {"refused": f"{exc.rule}: {exc.detail}"}
    row.state = "refused" if "refused" in outcome and not outcome.get("applied") else "applied"
    row.applied_at, row.outcome = utcnow(), outcome
    session.execute(update(FedCursor).where(FedCursor.peer_code == sender)
                    .values(in_seq=row.seq))
    audit.record(session, node.principal(f"node:{sender}"), "collection", "fed_envelope",
                 row.envelope_id, recipients=[node.code],
                 details={"outcome": row.state, "kind": row.kind, "seq": row.seq,
                          "sender": sender, **_summary(outcome)})
    return True


def _summary(outcome: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if outcome.get("applied"):
        out["applied"] = outcome["applied"][:50]
    if outcome.get("refused"):
        out["refused"] = outcome["refused"] if isinstance(outcome["refused"], str) else \
            [r["id"] for r in outcome["refused"]][:50]
    return out


def apply_waiting(factory: sessionmaker[Session], node: Node, limit: int = 100_000) -> int:
    """Apply every envelope that is next in its sender's order; one transaction each."""
    with factory() as s:
        senders = list(s.scalars(select(FedInbox.sender).where(FedInbox.state == "waiting")
                                 .distinct()))
    done = 0
    for sender in senders:
        while done < limit:
            with transaction(factory, **{PRINCIPAL: node.principal()}) as session:
                if not apply_next(session, node, sender):
                    break
            done += 1
    return done


def waiting_gaps(session: Session) -> dict[str, int]:
    """Per sender, how many envelopes wait behind a gap (an earlier one not yet here)."""
    rows = session.execute(select(FedInbox.sender, FedInbox.seq).where(FedInbox.state == "waiting"))
    by: dict[str, list[int]] = {}
    for sender, seq in rows:
        by.setdefault(sender, []).append(seq)
    return {s: len(seqs) - len(cursor.runnable(cursor_of(session, s), seqs)) for s, seqs in by.items()}


def waiting_runnable(session: Session, sender: str) -> list[int]:
    """Sequences held here beyond the cursor without a gap (stored, not yet applied)."""
    seqs = session.scalars(select(FedInbox.seq).where(FedInbox.sender == sender,
                                                      FedInbox.state == "waiting"))
    return cursor.runnable(cursor_of(session, sender), seqs)


def held_upto(session: Session, sender: str) -> int:
    """The highest sequence from `sender` this node holds with nothing missing before it."""
    return cursor_of(session, sender) + len(waiting_runnable(session, sender))
