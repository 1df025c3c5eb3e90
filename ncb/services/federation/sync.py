"""Store-and-forward over HTTP(S): push our outbox to each peer, pull what waits there for us.

Delivery is confirmed by the peer's cursor (the highest sequence it holds without a gap), so
a link cut mid-transfer loses nothing: the next sync resends from the cursor. Failures back
off (doubling, capped). Pull requests are signed with this node's key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.federation import canonical
from ncb.services.federation import inbox, outbox, peers
from ncb.services.federation.node import Node
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import FedPeer, utcnow


@dataclass
class SyncResult:
    peer: str
    pushed: int = 0
    pulled: int = 0
    applied: int = 0
    errors: list[str] = field(default_factory=list)


def pull_signature(node: Node, after: int, at: int) -> str:
    return canonical.b64(node.keys.active.sign.sign(f"pull|{node.code}|{after}|{at}".encode()))


def push(factory: sessionmaker[Session], node: Node, code: str, url: str, client: httpx.Client,
         batch: int, retry_base: float, max_bytes: int = outbox.MAX_REQUEST_BYTES) -> int:
    sent = 0
    while True:
        with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
            rows = outbox.within(outbox.due(s, code, utcnow(), batch), max_bytes)
            wires = [r.wire.decode() for r in rows]
            top = rows[-1].seq if rows else 0
        if not wires:
            return sent
        try:
            resp = client.post(f"{url.rstrip('/')}/federation/inbox", json={"envelopes": wires})
            resp.raise_for_status()
            upto = int(resp.json()["cursors"].get(node.code, 0))
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
                outbox.failed(s, code, f"{type(exc).__name__}: {exc}"[:300], retry_base)
            raise
        with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
            sent += outbox.delivered(s, code, upto)
        if upto < top:  # the peer refused some: they stay queued for the next attempt
            with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
                outbox.failed(s, code, f"peer holds up to {upto} of {top}", retry_base)
            return sent


def pull(factory: sessionmaker[Session], node: Node, code: str, url: str, client: httpx.Client,
         batch: int) -> int:
    got = 0
    while True:
        with factory() as s:
            after = inbox.held_upto(s, code)
        at = int(time.time())
        resp = client.get(f"{url.rstrip('/')}/federation/outbox",
                          params={"agency": node.code, "after": after, "at": at, "limit": batch,
                                  "sig": pull_signature(node, after, at)})
        resp.raise_for_status()
        wires = [w.encode() for w in resp.json()["envelopes"]]
        if not wires:
            return got
        receipts, _ = inbox.take(factory, node, wires)
        got += sum(r.state == "accepted" for r in receipts)
        if not any(r.state == "accepted" for r in receipts):
            return got


def sync(factory: sessionmaker[Session], node: Node, only: list[str] | None = None,
         batch: int = 200, retry_base: float = 5.0, timeout: float = 30.0,
         transport: Any = None, max_bytes: int = outbox.MAX_REQUEST_BYTES) -> list[SyncResult]:
    with factory() as s:
        targets = [(p.agency_code, p.url) for p in peers.active_peers(s)
                   if p.url and (not only or p.agency_code in only)]
    out = []
    with httpx.Client(timeout=timeout, transport=transport) as client:
        for code, url in targets:
            res = SyncResult(code)
            for step in ("push", "pull"):
                try:
                    if step == "push":
                        res.pushed = push(factory, node, code, str(url), client, batch, retry_base,
                                          max_bytes)
                    else:
                        res.pulled = pull(factory, node, code, str(url), client, batch)
                except (httpx.HTTPError, ValueError, KeyError) as exc:
                    res.errors.append(f"{step}: {type(exc).__name__}: {exc}"[:300])
            with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
                peer = s.scalar(select(FedPeer).where(FedPeer.agency_code == code))
                if peer is not None:
                    peer.last_sync_at = utcnow()
                    peer.last_error = "; ".join(res.errors)[:300] or None
            out.append(res)
    return out

