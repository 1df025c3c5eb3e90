"""Node identity: an Ed25519 signing key and an X25519 encryption key per key generation.

A node's public identity (agency code + public keys) is exchanged out of band and checked
by its fingerprint: SHA-256 over a domain tag and both raw public keys.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from ncb.federation import canonical, sealed

TAG = b"ncb-node-key-v1"
_RAW = (Encoding.Raw, PublicFormat.Raw)


class KeyError_(ValueError):
    """A key file or a public identity that cannot be used (named, never printed)."""


def fingerprint(sign_pub: bytes, enc_pub: bytes) -> str:
    return hashlib.sha256(TAG + sign_pub + enc_pub).hexdigest()


def normalise_fingerprint(text: str) -> str:
    """Accept a fingerprint as printed (groups, colons, any case)."""
    return re.sub(r"[\s:\-]", "", text).lower()


def display(fp: str) -> str:
    return " ".join(fp[i:i + 4] for i in range(0, len(fp), 4))


@dataclass(frozen=True)
class PublicKey:
    """One generation of a node's public keys."""

    sign_pub: bytes
    enc_pub: bytes

    @property
    def key_id(self) -> str:
        return fingerprint(self.sign_pub, self.enc_pub)

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.sign_pub)

    def encryptor(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.enc_pub)

    def to_json(self) -> dict[str, str]:
        return {"sign": canonical.b64(self.sign_pub), "enc": canonical.b64(self.enc_pub),
                "fingerprint": self.key_id}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PublicKey:
        try:
            key = cls(canonical.unb64(data["sign"]), canonical.unb64(data["enc"]))
            key.verifier()
            key.encryptor()
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyError_(f"public key is malformed ({type(exc).__name__})") from None
        claimed = data.get("fingerprint")
        if claimed is not None and normalise_fingerprint(str(claimed)) != key.key_id:
            raise KeyError_("public key does not match its stated fingerprint")
        return key


@dataclass(frozen=True)
class KeyPair:
    """One generation of a node's private keys."""

    sign: Ed25519PrivateKey
    enc: X25519PrivateKey
    created_at: str

    @classmethod
    def generate(cls) -> KeyPair:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate(),
                   datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.sign.public_key().public_bytes(*_RAW),
                         self.enc.public_key().public_bytes(*_RAW))

    def _raw(self) -> dict[str, str]:
        fmt = (Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return {"sign": canonical.b64(self.sign.private_bytes(*fmt)),
                "enc": canonical.b64(self.enc.private_bytes(*fmt)), "created_at": self.created_at}


@dataclass(frozen=True)
class NodeKeys:
    """A node's agency code and its key generations, newest (the active one) last."""

    agency: str
    generations: tuple[KeyPair, ...] = field(default_factory=tuple)

    @classmethod
    def generate(cls, agency: str) -> NodeKeys:
        return cls(agency, (KeyPair.generate(),))

    @property
    def active(self) -> KeyPair:
        return self.generations[-1]

    def rotated(self) -> NodeKeys:
        return NodeKeys(self.agency, (*self.generations, KeyPair.generate()))

    def by_key_id(self, key_id: str) -> KeyPair | None:
        for pair in self.generations:
            if pair.public.key_id == key_id:
                return pair
        return None

    def identity(self) -> dict[str, Any]:
        """The public identity to hand to peers out of band."""
        return {"agency": self.agency, "key": self.active.public.to_json()}

    def seal(self, passphrase: str, log_n: int = sealed.DEFAULT_LOG_N) -> bytes:
        body = canonical.dumps({"agency": self.agency,
                                "generations": [g._raw() for g in self.generations]})
        return sealed.seal(body, passphrase, log_n)

    @classmethod
    def unseal(cls, blob: bytes, passphrase: str) -> NodeKeys:
        data = canonical.loads(sealed.unseal(blob, passphrase))
        gens = tuple(
            KeyPair(Ed25519PrivateKey.from_private_bytes(canonical.unb64(g["sign"])),
                    X25519PrivateKey.from_private_bytes(canonical.unb64(g["enc"])),
                    g["created_at"])
            for g in data["generations"]
        )
        if not gens:
            raise KeyError_("key file holds no key")
        return cls(data["agency"], gens)
