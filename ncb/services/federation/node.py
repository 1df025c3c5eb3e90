"""This node: its keys (sealed file on disk), its agency, and the principal it acts as."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.federation import canonical, sealed
from ncb.federation.keys import NodeKeys
from ncb.services import users
from ncb.services.errors import Conflict, InvalidInput
from ncb.store.models import Agency, FedKey


@dataclass(frozen=True)
class Node:
    keys: NodeKeys
    agency_id: int

    @property
    def code(self) -> str:
        return self.keys.agency

    def principal(self, actor: str = "federation") -> Principal:
        """Federation work is done in the system context, logged under `node:<peer>`."""
        return Principal(user_id=None, username=actor, agency_id=self.agency_id,
                         agency_code=self.code, system=True)


def write_key_file(path: Path, keys: NodeKeys, passphrase: str, log_n: int) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(keys.seal(passphrase, log_n))
    os.replace(tmp, path)  # never a half-written key file


def read_key_file(path: Path, passphrase: str) -> NodeKeys:
    if not path.is_file():
        raise InvalidInput(f"no node key file at {path}; run `ncb node init` first",
                           field="NCB_NODE_KEY_FILE", rule="node_initialised")
    try:
        return NodeKeys.unseal(path.read_bytes(), passphrase)
    except sealed.SealError as exc:
        raise InvalidInput(str(exc), field="NCB_NODE_PASSPHRASE", rule="passphrase") from None


def _store_key(session: Session, agency: str, keys: NodeKeys) -> None:
    pub = keys.active.public
    session.execute(update(FedKey).where(FedKey.own.is_(True), FedKey.status == "active")
                    .values(status="retired"))
    session.add(FedKey(agency_code=agency, key_id=pub.key_id, sign_pub=canonical.b64(pub.sign_pub),
                       enc_pub=canonical.b64(pub.enc_pub), own=True, status="active"))
    session.flush()


def init_node(
    session: Session, agency: str, name: str, country: str, rank: int, path: Path,
    passphrase: str, log_n: int,
) -> NodeKeys:
    """Generate keys, seal them to `path`, register this node's agency and public keys."""
    if not passphrase:
        raise InvalidInput("set NCB_NODE_PASSPHRASE: the key file is sealed with it",
                           field="NCB_NODE_PASSPHRASE", rule="required")
    if session.scalar(select(FedKey.id).where(FedKey.own.is_(True))) is not None or path.exists():
        raise Conflict("this node already has keys; use `ncb node rotate`", field="node",
                       rule="initialised_once")
    if session.scalar(select(Agency).where(Agency.code == agency)) is None:
        users.add_agency(session, agency, name, country, "ncb", (), rank)
    keys = NodeKeys.generate(agency)
    _store_key(session, agency, keys)
    write_key_file(path, keys, passphrase, log_n)
    return keys


def rotate(session: Session, node: Node, path: Path, passphrase: str, log_n: int) -> NodeKeys:
    """A new key generation; old ones stay in the file to open envelopes still in flight."""
    keys = node.keys.rotated()
    _store_key(session, node.code, keys)
    write_key_file(path, keys, passphrase, log_n)
    return keys


def load(session: Session, path: Path, passphrase: str) -> Node:
    keys = read_key_file(path, passphrase)
    own = session.scalar(select(FedKey).where(FedKey.own.is_(True), FedKey.status == "active"))
    if own is None or own.key_id != keys.active.public.key_id:
        raise InvalidInput("the key file does not belong to this database's node",
                           field="NCB_NODE_KEY_FILE", rule="matching_keys")
    agency = session.scalar(select(Agency).where(Agency.code == keys.agency))
    if agency is None:
        raise InvalidInput(f"agency {keys.agency} is not registered", field="node", rule="known_agency")
    return Node(keys, agency.id)


def from_settings(session: Session, settings: Any) -> Node:
    return load(session, Path(settings.node_key_file), settings.node_passphrase)
