"""The inbox: verify on arrival and keep in order per sender (applying is `apply.py`).

`receive` verifies and stores one envelope; `receive_many` a pushed or pulled batch in one
transaction with one look-up each for ids, sequences and cursors already held. Refusals are
audited. `apply_waiting` (re-exported) applies what is next in each sender's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ncb.federation import cursor, envelope
from ncb.federation.envelope import EnvelopeError
from ncb.services.federation import peers
from ncb.services.federation.apply import HANDLERS, Opened, apply_waiting
from ncb.services.federation.node import Node
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import FedCursor, FedInbox, utcnow

__all__ = ["HANDLERS", "Receipt", "apply_waiting", "receive", "receive_many", "take"]
LOOKUP_CHUNK = 500  # ids per IN (...) query, well inside every database's parameter limit


@dataclass(frozen=True)
class Receipt:
    envelope_id: str | None
    state: str  # accepted | duplicate | refused
    rule: str | None = None
    detail: str | None = None
    sender: str | None = None  # as claimed in the header (not part of the answer)

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
    return Receipt(h.get("id"), "refused", rule, detail, str(h["from"]) if "from" in h else None)


def receive(session: Session, node: Node, wire: bytes) -> Receipt:
    return receive_many(session, node, [wire])[0]


def receive_many(session: Session, node: Node, wires: list[bytes],
                 opened: Opened | None = None) -> list[Receipt]:
    """Verify and store envelopes in order, stopping after an accepted key rotation.

    Returns one receipt per envelope handled (a prefix of `wires`): after a rotation the
    caller applies it first, because later envelopes are signed with the announced key.
    Payloads of accepted envelopes go into `opened`, so applying them does not decrypt twice.
    """
    keys = peers.sender_key(session)
    checked: list[tuple[int, envelope.Parsed, dict[str, Any]]] = []
    receipts: list[Receipt | None] = []
    for i, wire in enumerate(wires):
        try:
            parsed, payload = envelope.open_(wire, node.keys, keys)
        except EnvelopeError as exc:
            receipts.append(refuse(session, node, wire, exc.rule, exc.detail))
            continue
        receipts.append(None)
        checked.append((i, parsed, payload))
        if parsed.header["kind"] == "key_rotation":
            break
    held = _held_ids(session, [p.id for _, p, _ in checked])
    taken, cursors = _taken(session, [p for _, p, _ in checked])
    rows: list[dict[str, Any]] = []
    for i, parsed, payload in checked:
        h = parsed.header
        who, lane = str(h["from"]), parsed.lane
        if parsed.id in held:
            receipts[i] = Receipt(parsed.id, "duplicate", sender=who)
            continue
        if (who, lane, h["seq"]) in taken or h["seq"] <= cursors.get((who, lane), 0):
            receipts[i] = refuse(session, node, wires[i], "sequence_reused", f"sequence {h['seq']} "
                                 f"({lane} lane) from {who} was already used by another envelope")
            continue
        held.add(parsed.id)
        taken.add((who, lane, h["seq"]))
        rows.append({"envelope_id": parsed.id, "sender": who, "lane": lane, "seq": h["seq"],
                     "kind": h["kind"], "wire": wires[i], "state": "waiting",
                     "received_at": utcnow(), "outcome": {}})
        receipts[i] = Receipt(parsed.id, "accepted", sender=who)
        if opened is not None:
            opened[parsed.id] = (h, payload)
    if rows:
        _store(session, rows, receipts, opened)
    return [r for r in receipts if r is not None]


def take(factory: sessionmaker[Session], node: Node, wires: list[bytes],
         chunk: int = 1000) -> tuple[list[Receipt], int]:
    """Receive `wires` (a push, a pull or a bundle) `chunk` per transaction, then apply in order.

    A key rotation is applied before the envelopes after it, which are signed with its key.
    Returns the receipts and how many envelopes were applied.
    """
    receipts: list[Receipt] = []
    applied = 0
    opened: Opened = {}
    while len(receipts) < len(wires):
        with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
            got = receive_many(s, node, wires[len(receipts):len(receipts) + chunk], opened)
        receipts += got
        if got and got[-1].state == "accepted" and len(receipts) < len(wires):
            applied += apply_waiting(factory, node, opened=opened)  # cheap when nothing is next
    return receipts, applied + apply_waiting(factory, node, opened=opened)


def _held_ids(session: Session, ids: list[str]) -> set[str]:
    out: set[str] = set()
    for n in range(0, len(ids), LOOKUP_CHUNK):
        out.update(session.scalars(select(FedInbox.envelope_id)
                                   .where(FedInbox.envelope_id.in_(ids[n:n + LOOKUP_CHUNK]))))
    return out


def _taken(session: Session, parsed: list[envelope.Parsed]
           ) -> tuple[set[tuple[str, str, int]], dict[tuple[str, str], int]]:
    """Per sender and lane in the batch: its sequences already held here (in the batch's
    range), its cursor."""
    spans: dict[tuple[str, str], list[int]] = {}
    for p in parsed:
        spans.setdefault((str(p.header["from"]), p.lane), []).append(int(p.header["seq"]))
    taken: set[tuple[str, str, int]] = set()
    cursors: dict[tuple[str, str], int] = {}
    for (who, lane), seqs in spans.items():
        cursors[(who, lane)] = cursor_of(session, who, lane)
        taken.update((who, lane, int(q)) for q in session.scalars(
            select(FedInbox.seq).where(FedInbox.sender == who, FedInbox.lane == lane,
                                       FedInbox.seq.between(min(seqs), max(seqs)))))
    return taken, cursors


def _store(session: Session, rows: list[dict[str, Any]], receipts: list[Receipt | None],
           opened: Opened | None) -> None:
    """One insert for the batch; if another request stored some meanwhile, one at a time."""
    if _inserted(session, rows):
        return
    for row in rows:
        if _inserted(session, [row]):
            continue
        # The same envelope arriving twice at once: this request answers "duplicate".
        for i, r in enumerate(receipts):
            if r is not None and r.envelope_id == row["envelope_id"]:
                receipts[i] = Receipt(r.envelope_id, "duplicate", sender=r.sender)
        if opened is not None:
            opened.pop(row["envelope_id"], None)


def _inserted(session: Session, rows: list[dict[str, Any]]) -> bool:
    """Whether the rows went in together; False (and nothing written) if one is already stored."""
    try:
        with session.begin_nested():
            session.execute(insert(FedInbox), rows)
    except IntegrityError:
        return False
    return True


def cursor_of(session: Session, sender: str, lane: str = "main") -> int:
    cur = session.get(FedCursor, sender)
    if cur is None:
        return 0
    return cur.blob_in_seq if lane == "blob" else cur.in_seq


def waiting_gaps(session: Session) -> dict[str, int]:
    """Per sender, how many envelopes wait behind a gap (an earlier one not yet here)."""
    rows = session.execute(select(FedInbox.sender, FedInbox.lane, FedInbox.seq)
                           .where(FedInbox.state == "waiting"))
    by: dict[tuple[str, str], list[int]] = {}
    for sender, lane, seq in rows:
        by.setdefault((sender, lane), []).append(seq)
    out: dict[str, int] = {}
    for (s, lane), seqs in by.items():
        behind = len(seqs) - len(cursor.runnable(cursor_of(session, s, lane), seqs))
        out[s] = out.get(s, 0) + behind
    return out


def waiting_runnable(session: Session, sender: str, lane: str = "main") -> list[int]:
    """Sequences held here beyond the cursor without a gap (stored, not yet applied)."""
    seqs = session.scalars(select(FedInbox.seq).where(FedInbox.sender == sender,
                                                      FedInbox.lane == lane,
                                                      FedInbox.state == "waiting"))
    return cursor.runnable(cursor_of(session, sender, lane), seqs)


def held_upto(session: Session, sender: str, lane: str = "main") -> int:
    """The highest sequence of a lane from `sender` held here with nothing missing before it."""
    return cursor_of(session, sender, lane) + len(waiting_runnable(session, sender, lane))
