"""Store-and-forward over HTTP(S): push our outbox to each peer, pull what waits there for us.

Delivery is confirmed by the peer's cursor per lane (the highest sequence it holds without a
gap), so a link cut mid-transfer loses nothing: the next sync resends from the cursor. Failures
back off (doubling, capped). Pull requests are signed with this node's key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ncb.federation import canonical
from ncb.federation.envelope import LANES
from ncb.services.federation import endpoint, inbox, outbox, peers
from ncb.services.federation.node import Node
from ncb.settings import get_settings
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


def pull_signature(node: Node, after: int, at: int, lane: str = "main") -> str:
    return canonical.b64(node.keys.active.sign.sign(
        endpoint.pull_message(node.code, after, at, lane)))


def push(factory: sessionmaker[Session], node: Node, code: str, url: str, client: httpx.Client,
         batch: int, retry_base: float, max_bytes: int | None = None) -> int:
    """Push both lanes, one request of each in turn (records first): a large attachment waits
    for at most one request of records, and records never wait for a whole attachment queue."""
    if max_bytes is None:
        max_bytes = get_settings().federation_max_request_bytes
    sent, live = 0, list(LANES)
    while live:
        for lane in list(live):
            n, more = _push_one(factory, node, code, url, client, batch, retry_base, max_bytes,
                                lane)
            sent += n
            if not more:
                live.remove(lane)
    return sent


def _push_one(factory: sessionmaker[Session], node: Node, code: str, url: str,
              client: httpx.Client, batch: int, retry_base: float, max_bytes: int,
              lane: str) -> tuple[int, bool]:
    """One request of one lane; (how many the peer confirmed, whether to go on)."""
    with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
        rows = outbox.within(outbox.due(s, code, utcnow(), batch, lane), max_bytes)
        wires = [r.wire.decode() for r in rows]
        top = rows[-1].seq if rows else 0
    if not wires:
        return 0, False
    try:
        resp = client.post(f"{url.rstrip('/')}/federation/inbox", json={"envelopes": wires})
        resp.raise_for_status()
        field_ = "blob_cursors" if lane == "blob" else "cursors"
        upto = int(resp.json()[field_].get(node.code, 0))
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
            outbox.failed(s, code, f"{type(exc).__name__}: {exc}"[:300], retry_base)
        raise
    with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
        sent = outbox.delivered(s, code, upto, lane)
    if upto < top:  # the peer refused some: they stay queued for the next attempt
        with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
            outbox.failed(s, code, f"peer holds up to {upto} of {top} ({lane} lane)", retry_base)
        return sent, False
    return sent, True


def pull(factory: sessionmaker[Session], node: Node, code: str, url: str, client: httpx.Client,
         batch: int) -> int:
    return sum(_pull_lane(factory, node, code, url, client, batch, lane) for lane in LANES)


def _pull_lane(factory: sessionmaker[Session], node: Node, code: str, url: str,
               client: httpx.Client, batch: int, lane: str) -> int:
    got = 0
    while True:
        with factory() as s:
            after = inbox.held_upto(s, code, lane)
        at = int(time.time())
        params: dict[str, Any] = {"agency": node.code, "after": after, "at": at, "limit": batch,
                                  "sig": pull_signature(node, after, at, lane)}
        if lane != "main":
            params["lane"] = lane
        resp = client.get(f"{url.rstrip('/')}/federation/outbox", params=params)
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
         transport: Any = None, max_bytes: int | None = None) -> list[SyncResult]:
    """`max_bytes`: NCB_FEDERATION_MAX_REQUEST_BYTES unless given."""
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

