"""What a node answers to other nodes: its identity, pushed envelopes, signed pull requests."""

from __future__ import annotations

import time
from typing import Any

from cryptography.exceptions import InvalidSignature
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.federation import canonical, envelope
from ncb.federation.envelope import EnvelopeError
from ncb.services.errors import Forbidden, InvalidInput
from ncb.services.federation import inbox, outbox, peers
from ncb.services.federation.node import Node
from ncb.settings import Settings, get_settings
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import FedKey


def accept_push(factory: sessionmaker[Session], node: Node, wires: list[str] | list[bytes],
                max_push: int | None = None) -> dict[str, Any]:
    """Store the batch (one transaction), apply what is next in order, report each lane's
    cursors. An envelope version this node cannot read refuses the whole request (422).
    `max_push`: NCB_FEDERATION_MAX_PUSH unless given."""
    most = max_push if max_push is not None else get_settings().federation_max_push
    if len(wires) > most:
        raise InvalidInput(f"envelopes: at most {most} per request", field="envelopes",
                           rule="max_items")
    raw = [w if isinstance(w, bytes) else w.encode() for w in wires]
    _refuse_unknown_versions(factory, node, raw)
    receipts, _ = inbox.take(factory, node, raw)
    senders = sorted({r.sender for r in receipts if r.sender})
    with factory() as s:
        cursors = {code: inbox.held_upto(s, code) for code in senders}
        blobs = {code: inbox.held_upto(s, code, "blob") for code in senders}
    return {"receipts": [r.as_dict() for r in receipts], "cursors": cursors,
            "blob_cursors": blobs}


def _refuse_unknown_versions(factory: sessionmaker[Session], node: Node, raw: list[bytes]) -> None:
    """A sender speaking a newer protocol learns it from the status, not from a receipt it
    may not read; the refusal is audited like any other."""
    for i, wire in enumerate(raw):
        try:
            envelope.parse(wire)
        except EnvelopeError as exc:
            if exc.rule != "unsupported_version":
                continue  # judged envelope by envelope (receipts)
            with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
                inbox.refuse(s, node, wire, exc.rule, exc.detail)
            raise InvalidInput(f"envelopes[{i}]: {exc.detail}", field=f"envelopes[{i}]",
                               rule="envelope_version",
                               supported=list(envelope.SUPPORTED)) from None


def pull_message(agency: str, after: int, at: int, lane: str = "main") -> bytes:
    """What a pull request signs (the main lane's form is the one version 1 used)."""
    return (f"pull|{agency}|{after}|{at}" if lane == "main"
            else f"pull|{agency}|{lane}|{after}|{at}").encode()


def serve_pull(session: Session, node: Node, agency: str, after: int, at: int, sig: str,
               limit: int, lane: str = "main", settings: Settings | None = None) -> list[str]:
    """Envelopes of a lane queued for `agency` above its cursor, if signed by its key
    (within NCB_FEDERATION_PULL_WINDOW_SECONDS; NCB_FEDERATION_MAX_REQUEST_BYTES at most)."""
    conf = settings or get_settings()
    if lane not in envelope.LANES:
        raise InvalidInput(f"lane: one of {', '.join(envelope.LANES)}", field="lane",
                           rule="one_of")
    if abs(time.time() - at) > conf.federation_pull_window_seconds:
        raise Forbidden("pull request is too old or from the future", field="at", rule="fresh")
    row = session.scalar(select(FedKey).where(FedKey.agency_code == agency, FedKey.own.is_(False),
                                              FedKey.status == "active"))
    if row is None:
        raise Forbidden(f"{agency} has no active key here", field="agency", rule="known_peer")
    try:
        peers.public_of(row).verifier().verify(canonical.unb64(sig),
                                              pull_message(agency, after, at, lane))
    except (InvalidSignature, ValueError):
        raise Forbidden("pull request signature does not verify", field="sig",
                        rule="signature") from None
    outbox.delivered(session, agency, after, lane)  # the peer holds everything up to it
    rows = outbox.within(outbox.after(session, agency, after, limit, lane),
                         conf.federation_max_request_bytes)
    return [r.wire.decode() for r in rows]
