"""What the node pages show: this node, its peers and their keys, outbox/inbox, conflicts, recalls.

View models only (no ORM rows leave the service), and every use case needs `node.manage`
(duty supervisors and administrators): key fingerprints and the queues are the node's plumbing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.federation.keys import display
from ncb.services.errors import Forbidden, InvalidInput
from ncb.services.federation import peers, recall
from ncb.store.models import FedConflict, FedInbox, FedKey, FedOutbox, FedPeer

PERMISSION = "node.manage"
OUTBOX_STATES = ("queued", "delivered")
INBOX_STATES = ("waiting", "applied", "refused")


@dataclass(frozen=True)
class KeyView:
    key_id: str
    fingerprint: str  # grouped by four, as read over the phone
    status: str
    added_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None


@dataclass(frozen=True)
class PeerView:
    agency: str
    url: str | None
    status: str
    last_sync_at: datetime | None
    last_error: str | None
    keys: list[KeyView]
    queued: int
    delivered: int


@dataclass(frozen=True)
class EnvelopeView:
    envelope_id: str
    peer: str  # recipient (outbox) or sender (inbox)
    seq: int
    kind: str
    state: str
    at: datetime
    done_at: datetime | None
    note: str | None  # last error (outbox) or outcome (inbox)


@dataclass(frozen=True)
class ConflictView:
    id: int
    origin_id: str
    field: str
    base_value: Any
    local_value: Any
    remote_value: Any
    remote_agency: str
    envelope_id: str
    created_at: datetime


@dataclass(frozen=True)
class NodeOverview:
    agency: str | None
    keys: list[KeyView]
    peers: list[PeerView]
    outbox: list[EnvelopeView]
    outbox_counts: dict[str, int]
    inbox: list[EnvelopeView]
    inbox_counts: dict[str, int]
    conflicts: list[ConflictView]
    recalls: list[recall.RecallView]


def need_manage(p: Principal) -> None:
    if not p.has(PERMISSION):
        raise Forbidden("your role may not manage this federation node",
                        rule=f"permission:{PERMISSION}")


def _key(row: FedKey) -> KeyView:
    return KeyView(row.key_id, display(row.key_id), row.status, row.added_at, row.revoked_at,
                   row.revoke_reason)


def _outcome(outcome: dict[str, Any] | None) -> str | None:
    if not outcome:
        return None
    parts = []
    if outcome.get("applied"):
        parts.append(f"applied {len(outcome['applied'])} object(s)")
    refused = outcome.get("refused")
    if isinstance(refused, str):
        parts.append(f"refused: {refused}")
    elif refused:
        parts.append(f"refused {len(refused)} object(s)")
    return "; ".join(parts) or None


def _state(value: str | None, allowed: tuple[str, ...], field: str) -> str | None:
    if value and value not in allowed:
        raise InvalidInput(f"{field} must be one of {', '.join(allowed)}", field=field,
                           rule="code_list")
    return value or None


def overview(session: Session, p: Principal, outbox_state: str | None = None,
             inbox_state: str | None = None, limit: int = 50) -> NodeOverview:
    need_manage(p)
    out_state = _state(outbox_state, OUTBOX_STATES, "outbox_state")
    in_state = _state(inbox_state, INBOX_STATES, "inbox_state")
    own = list(session.scalars(select(FedKey).where(FedKey.own.is_(True))
                               .order_by(FedKey.added_at.desc(), FedKey.id.desc())))
    per_peer = {(r, s): int(n) for r, s, n in session.execute(
        select(FedOutbox.recipient, FedOutbox.state, func.count())
        .group_by(FedOutbox.recipient, FedOutbox.state))}
    peer_rows = list(session.scalars(select(FedPeer).order_by(FedPeer.agency_code)))
    keys_by: dict[str, list[KeyView]] = {}
    for k in session.scalars(select(FedKey).where(FedKey.own.is_(False))
                             .order_by(FedKey.added_at.desc(), FedKey.id.desc())):
        keys_by.setdefault(k.agency_code, []).append(_key(k))
    peer_views = [PeerView(r.agency_code, r.url, r.status, r.last_sync_at, r.last_error,
                           keys_by.get(r.agency_code, []),
                           per_peer.get((r.agency_code, "queued"), 0),
                           per_peer.get((r.agency_code, "delivered"), 0)) for r in peer_rows]
    oq = select(FedOutbox).order_by(FedOutbox.id.desc()).limit(limit)
    if out_state:
        oq = oq.where(FedOutbox.state == out_state)
    iq = select(FedInbox).order_by(FedInbox.id.desc()).limit(limit)
    if in_state:
        iq = iq.where(FedInbox.state == in_state)
    outbox = [EnvelopeView(r.envelope_id, r.recipient, r.seq, r.kind, r.state, r.created_at,
                           r.delivered_at, r.last_error) for r in session.scalars(oq)]
    inbox = [EnvelopeView(r.envelope_id, r.sender, r.seq, r.kind, r.state, r.received_at,
                          r.applied_at, _outcome(r.outcome)) for r in session.scalars(iq)]
    conflicts = [ConflictView(c.id, c.origin_id, c.field, c.base_value, c.local_value,
                              c.remote_value, c.remote_agency, c.envelope_id, c.created_at)
                 for c in session.scalars(select(FedConflict)
                                          .where(FedConflict.resolved_at.is_(None))
                                          .order_by(FedConflict.id))]
    return NodeOverview(
        agency=own[0].agency_code if own else None, keys=[_key(k) for k in own],
        peers=peer_views, outbox=outbox,
        outbox_counts=_counts(session, FedOutbox.state, OUTBOX_STATES),
        inbox=inbox, inbox_counts=_counts(session, FedInbox.state, INBOX_STATES),
        conflicts=conflicts, recalls=recall.recalls(session))


def _counts(session: Session, column: Any, states: tuple[str, ...]) -> dict[str, int]:
    got = {s: int(n) for s, n in session.execute(select(column, func.count()).group_by(column))}
    return {s: got.get(s, 0) for s in states}


def revoke_peer(session: Session, p: Principal, agency: str, key_id: str | None,
                reason: str) -> int:
    """An officer revokes a peer's key from the page; audited under their own name."""
    need_manage(p)
    return peers.revoke(session, p, agency, key_id, reason)
