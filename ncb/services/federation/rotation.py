"""Key rotation announcements and sharing groups as signed, versioned objects.

A rotation is announced in an envelope signed with the current key, so a peer trusts the new
key exactly as far as it trusted the old one. A group is owned by the node that published
it; members apply a newer version only from that owner.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncb.federation.keys import KeyError_, NodeKeys, PublicKey
from ncb.services.errors import Forbidden, InvalidInput
from ncb.services.federation import outbox, peers
from ncb.services.federation.node import Node
from ncb.services.federation.received import agency_id_for
from ncb.store import audit
from ncb.store.models import FedGroup, SharingGroup, SharingGroupMember, utcnow


def announce_rotation(session: Session, old: Node, new_keys: NodeKeys) -> list[str]:
    """Queue the new public key to every active peer, signed with the old key."""
    sent = []
    for peer in peers.active_peers(session):
        outbox.enqueue(session, old, peer.agency_code, "key_rotation",
                       {"key": new_keys.active.public.to_json()})
        sent.append(peer.agency_code)
    return sent


def apply_rotation(session: Session, node: Node, header: dict[str, Any],
                   payload: dict[str, Any]) -> dict[str, Any]:
    try:
        key = PublicKey.from_json(payload.get("key") or {})
    except KeyError_ as exc:
        return {"refused": str(exc)}
    added = peers.add_rotated_key(session, header["from"], key)
    audit.record(session, node.principal(f"node:{header['from']}"), "alteration", "fed_peer",
                 header["from"], details={"new_key": key.key_id, "envelope_id": header["id"],
                                          "added": added})
    return {"applied": [key.key_id]}


def _set_members(session: Session, code: str, name: str, members: list[str]) -> None:
    group = session.scalar(select(SharingGroup).where(SharingGroup.code == code))
    if group is None:
        group = SharingGroup(code=code, name=name)
        session.add(group)
        session.flush()
    group.name = name
    session.execute(delete(SharingGroupMember).where(SharingGroupMember.group_id == group.id))
    for m in sorted(set(members)):
        session.add(SharingGroupMember(group_id=group.id, agency_id=agency_id_for(session, m)))
    session.flush()


def publish_group(session: Session, node: Node, code: str, name: str, members: list[str]) -> FedGroup:
    """A new version of a group this node owns, sent to every member and every removed member."""
    if not code.strip() or not members:
        raise InvalidInput("a group needs a code and at least one member", field="members",
                           rule="required")
    row = session.scalar(select(FedGroup).where(FedGroup.code == code))
    if row is not None and row.owner != node.code:
        raise Forbidden(f"group {code} is owned by {row.owner}; only it can change the members",
                        field="code", rule="group_owner")
    before = set(row.members) if row else set()
    if row is None:
        row = FedGroup(code=code, owner=node.code, version=0, members=[])
        session.add(row)
    row.version, row.members, row.updated_at = row.version + 1, sorted(set(members)), utcnow()
    _set_members(session, code, name, row.members)
    payload = {"code": code, "name": name, "version": row.version, "members": row.members,
               "owner": node.code}
    for peer in sorted((before | set(row.members)) - {node.code}):
        if peer in {p.agency_code for p in peers.active_peers(session)}:
            row.envelope_id = outbox.enqueue(session, node, peer, "group", payload).envelope_id
    audit.record(session, node.principal(), "alteration", "sharing_group", code,
                 details={"version": row.version, "members": row.members})
    return row


def apply_group(session: Session, node: Node, header: dict[str, Any],
                payload: dict[str, Any]) -> dict[str, Any]:
    code, version = str(payload.get("code", ""))[:40], payload.get("version")
    members = payload.get("members")
    if not code or not isinstance(version, int) or not isinstance(members, list):
        return {"refused": "group needs code, version and members"}
    row = session.scalar(select(FedGroup).where(FedGroup.code == code))
    if row is not None and row.owner != header["from"]:
        return {"refused": f"group {code} is owned by {row.owner}, not {header['from']}"}
    if row is not None and version <= row.version:
        return {"applied": []}
    if row is None:
        row = FedGroup(code=code, owner=header["from"])
        session.add(row)
    row.version, row.members, row.envelope_id = version, [str(m) for m in members], header["id"]
    row.updated_at = utcnow()
    _set_members(session, code, str(payload.get("name") or code)[:200], row.members)
    audit.record(session, node.principal(f"node:{header['from']}"), "alteration", "sharing_group",
                 code, details={"version": version, "members": row.members,
                                "envelope_id": header["id"]})
    return {"applied": [f"{code}@{version}"]}

