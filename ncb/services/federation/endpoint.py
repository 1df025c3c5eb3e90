"""What a node answers to other nodes: its identity, pushed envelopes, signed pull requests."""

from __future__ import annotations

import time
from typing import Any

from cryptography.exceptions import InvalidSignature
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.federation import canonical
from ncb.services.errors import Forbidden, InvalidInput
from ncb.services.federation import inbox, outbox, peers
from ncb.services.federation.node import Node
from ncb.store.models import FedKey

PULL_WINDOW_S = 300
MAX_PUSH = 5000


def accept_push(factory: sessionmaker[Session], node: Node, wires: list[str]) -> dict[str, Any]:
    """Store the batch (one transaction), apply what is next in order, report cursors."""
    if len(wires) > MAX_PUSH:
        raise InvalidInput(f"envelopes: at most {MAX_PUSH} per request", field="envelopes",
                           rule="max_items")
    receipts, _ = inbox.take(factory, node, [w.encode() for w in wires])
    senders = sorted({r.sender for r in receipts if r.sender})
    with factory() as s:
        cursors = {code: inbox.held_upto(s, code) for code in senders}
    return {"receipts": [r.as_dict() for r in receipts], "cursors": cursors}


def serve_pull(session: Session, node: Node, agency: str, after: int, at: int, sig: str,
               limit: int) -> list[str]:
    """Envelopes queued for `agency` above its cursor, if the request is signed by its key."""
    if abs(time.time() - at) > PULL_WINDOW_S:
        raise Forbidden("pull request is too old or from the future", field="at", rule="fresh")
    row = session.scalar(select(FedKey).where(FedKey.agency_code == agency, FedKey.own.is_(False),
                                              FedKey.status == "active"))
    if row is None:
        raise Forbidden(f"{agency} has no active key here", field="agency", rule="known_peer")
    try:
        peers.public_of(row).verifier().verify(canonical.unb64(sig),
                                              f"pull|{agency}|{after}|{at}".encode())
    except (InvalidSignature, ValueError):
        raise Forbidden("pull request signature does not verify", field="sig",
                        rule="signature") from None
    outbox.delivered(session, agency, after)  # the peer holds everything up to its cursor
    rows = outbox.within(outbox.after(session, agency, after, limit), outbox.MAX_REQUEST_BYTES)
    return [r.wire.decode() for r in rows]
