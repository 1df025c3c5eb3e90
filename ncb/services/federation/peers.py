"""Peers: registered out of band by key fingerprint; their keys rotate and can be revoked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.federation import canonical
from ncb.federation.envelope import EnvelopeError
from ncb.federation.keys import KeyError_, PublicKey, normalise_fingerprint
from ncb.services import users
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from ncb.store import audit
from ncb.store.models import Agency, FedCursor, FedKey, FedPeer, utcnow


def public_of(row: FedKey) -> PublicKey:
    return PublicKey(canonical.unb64(row.sign_pub), canonical.unb64(row.enc_pub))


def parse_identity(data: Any) -> tuple[str, PublicKey]:
    if not isinstance(data, dict) or not isinstance(data.get("agency"), str) \
            or not isinstance(data.get("key"), dict):
        raise InvalidInput("identity: needs 'agency' and 'key' (the output of `ncb node identity`)",
                           field="identity", rule="identity_format")
    try:
        return data["agency"], PublicKey.from_json(data["key"])
    except KeyError_ as exc:
        raise InvalidInput(f"identity: {exc}", field="identity", rule="identity_key") from None


def add_peer(
    session: Session, node_principal: Any, identity: Any, fingerprint: str, url: str | None,
    name: str | None = None, country: str | None = None, rank: int = 2,
) -> FedPeer:
    """Register a peer whose identity's fingerprint matches the one confirmed out of band."""
    code, key = parse_identity(identity)
    if normalise_fingerprint(fingerprint) != key.key_id:
        raise InvalidInput("fingerprint: does not match the identity's key; confirm it with the "
                           "peer by another channel", field="fingerprint", rule="fingerprint_match")
    if session.scalar(select(FedPeer).where(FedPeer.agency_code == code)) is not None:
        raise Conflict(f"peer {code} is registered already", field="agency", rule="unique")
    if session.scalar(select(FedKey).where(FedKey.key_id == key.key_id)) is not None:
        raise Conflict("this key is registered already", field="identity", rule="unique")
    if session.scalar(select(Agency).where(Agency.code == code)) is None:
        users.add_agency(session, code, name or code, (country or code[:2]).upper(), "partner",
                         ("bilateral",), rank)
    session.add(FedKey(agency_code=code, key_id=key.key_id, sign_pub=canonical.b64(key.sign_pub),
                       enc_pub=canonical.b64(key.enc_pub), own=False))
    peer = FedPeer(agency_code=code, url=url)
    session.add(peer)
    if session.get(FedCursor, code) is None:
        session.add(FedCursor(peer_code=code))
    session.flush()
    audit.record(session, node_principal, "collection", "fed_peer", code,
                 details={"fingerprint": key.key_id, "url": url})
    return peer


def add_rotated_key(session: Session, code: str, key: PublicKey) -> bool:
    """A peer's new key generation, announced in an envelope signed with its current key."""
    if session.scalar(select(FedKey).where(FedKey.key_id == key.key_id)) is not None:
        return False
    for row in session.scalars(select(FedKey).where(FedKey.agency_code == code,
                                                    FedKey.status == "active")):
        row.status = "retired"
    session.add(FedKey(agency_code=code, key_id=key.key_id, sign_pub=canonical.b64(key.sign_pub),
                       enc_pub=canonical.b64(key.enc_pub), own=False))
    session.flush()
    return True


def revoke(session: Session, node_principal: Any, code: str, key_id: str | None, reason: str) -> int:
    """Revoke one key of a peer (or all of them): its envelopes are refused from now on."""
    if not reason.strip():
        raise InvalidInput("reason: say why the key is revoked", field="reason", rule="required")
    q = select(FedKey).where(FedKey.agency_code == code, FedKey.own.is_(False),
                             FedKey.status != "revoked")
    if key_id:
        q = q.where(FedKey.key_id == normalise_fingerprint(key_id))
    rows = list(session.scalars(q))
    if not rows:
        raise NotFound(f"no unrevoked key of {code}" + (f" with id {key_id}" if key_id else ""))
    for row in rows:
        row.status, row.revoked_at, row.revoke_reason = "revoked", utcnow(), reason[:300]
    left = session.scalar(select(FedKey.id).where(FedKey.agency_code == code,
                                                  FedKey.status != "revoked"))
    peer = session.scalar(select(FedPeer).where(FedPeer.agency_code == code))
    if peer is not None and left is None:
        peer.status = "revoked"
    audit.record(session, node_principal, "alteration", "fed_peer", code,
                 justification=reason, details={"revoked_keys": [r.key_id for r in rows]})
    return len(rows)


def sender_key(session: Session) -> Callable[[str, str], PublicKey]:
    """The verifier lookup for incoming envelopes: unknown and revoked keys are refused."""
    def find(code: str, key_id: str) -> PublicKey:
        row = session.scalar(select(FedKey).where(FedKey.key_id == key_id, FedKey.own.is_(False)))
        if row is None or row.agency_code != code:
            raise EnvelopeError("unknown_key", f"no registered key {key_id[:16]}... for {code}")
        if row.status == "revoked":
            raise EnvelopeError("revoked_key", f"key {key_id[:16]}... of {code} is revoked")
        return public_of(row)
    return find


def recipient_key(session: Session, code: str) -> PublicKey:
    peer = session.scalar(select(FedPeer).where(FedPeer.agency_code == code))
    if peer is None:
        raise InvalidInput(f"{code} is not a registered peer node", field="agencies",
                           rule="known_peer")
    row = session.scalar(select(FedKey).where(FedKey.agency_code == code, FedKey.own.is_(False),
                                              FedKey.status == "active"))
    if row is None or peer.status == "revoked":
        raise Forbidden(f"{code}'s keys are revoked: nothing is sent to it", field="agencies",
                        rule="revoked_peer")
    return public_of(row)


def active_peers(session: Session) -> list[FedPeer]:
    return list(session.scalars(select(FedPeer).where(FedPeer.status == "active")
                                .order_by(FedPeer.agency_code)))
