"""Envelopes: signed by the sender (Ed25519), encrypted for one recipient (X25519 + HKDF + AES-GCM).

HPKE-style base mode: a fresh ephemeral X25519 key per envelope, ECDH with the recipient's
key, HKDF-SHA256 binding both public keys into the derived key, AES-256-GCM with the
canonical header as associated data. The signature covers the header and the ciphertext
(verified before anything is decrypted); the header's content hash covers the plaintext,
which carries a random salt so the hash cannot confirm a guessed payload.

Wire form (canonical JSON): {"header": {...}, "ct": b64, "sig": b64}.
One envelope has one recipient: release is decided per recipient, so contents differ.

Version 2 (sent now) adds `lane` to the header: attachment contents (`blob`) are numbered in
their own sequence so they neither hold back records nor wait behind a backlog of them; and
the plaintext may end in raw bytes (after a newline, which canonical JSON never holds), so an
attachment is base64'd once, at the outer layer, not twice. Version 1 is still read.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ncb.federation import canonical
from ncb.federation.keys import NodeKeys, PublicKey

VERSION = 2
SUPPORTED = (1, 2)
INFO = b"ncb-federation-envelope-v1"  # the KDF label; the header (with its version) is the AAD
KINDS = ("case", "blob", "recall", "recall_ack", "group", "key_rotation")
LANES = ("main", "blob")
HEADER_V1 = ("v", "id", "kind", "from", "from_key", "to", "to_key", "seq", "at",
             "content_hash", "epk", "nonce")
HEADER_FIELDS = {1: HEADER_V1, 2: (*HEADER_V1, "lane")}


def lane_of(kind: str) -> str:
    """Attachment contents travel in their own lane; everything else keeps one order."""
    return "blob" if kind == "blob" else "main"


class EnvelopeError(ValueError):
    """An envelope refused; `rule` names why (for the audit and the sender's report)."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail


@dataclass(frozen=True)
class Parsed:
    header: dict[str, Any]
    ct: bytes
    sig: bytes

    @property
    def id(self) -> str:
        return str(self.header["id"])

    @property
    def lane(self) -> str:
        return str(self.header.get("lane", "main"))  # version 1: one sequence for all

    def signed_bytes(self) -> bytes:
        return canonical.dumps(self.header) + b"." + self.ct


def _kdf(shared: bytes, epk: bytes, rpk: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO + epk + rpk).derive(shared)


def seal(
    keys: NodeKeys, recipient: str, recipient_key: PublicKey, seq: int, kind: str,
    payload: dict[str, Any], *, envelope_id: str | None = None, at: datetime | None = None,
    data: bytes | None = None, version: int = VERSION,
) -> tuple[str, bytes]:
    """Sign and encrypt `payload` (and raw `data`, e.g. attachment contents) for `recipient`;
    returns (envelope id, wire bytes). `seq` counts in the kind's lane (version 1: one
    sequence for all kinds, and no raw data)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if kind not in KINDS:
        raise ValueError(f"envelope kind must be one of {', '.join(KINDS)}")
    if version not in SUPPORTED or (version == 1 and data is not None):
        raise ValueError(f"cannot seal version {version} with these contents")
    eid = envelope_id or uuid.uuid4().hex
    plaintext = canonical.dumps({"salt": canonical.b64(os.urandom(16)), "payload": payload})
    if data is not None:
        plaintext += b"\n" + data
    eph = X25519PrivateKey.generate()
    epk = eph.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _kdf(eph.exchange(recipient_key.encryptor()), epk, recipient_key.enc_pub)
    nonce = os.urandom(12)
    header: dict[str, Any] = {
        "v": version, "id": eid, "kind": kind, "from": keys.agency,
        "from_key": keys.active.public.key_id, "to": recipient, "to_key": recipient_key.key_id,
        "seq": seq, "at": (at or datetime.now(UTC)).isoformat(timespec="microseconds"),
        "content_hash": canonical.sha256_hex(plaintext), "epk": canonical.b64(epk),
        "nonce": canonical.b64(nonce),
    }
    if version >= 2:
        header["lane"] = lane_of(kind)
    ct = AESGCM(key).encrypt(nonce, plaintext, canonical.dumps(header))
    sig = keys.active.sign.sign(canonical.dumps(header) + b"." + ct)
    return eid, canonical.dumps({"header": header, "ct": canonical.b64(ct), "sig": canonical.b64(sig)})


def parse(wire: bytes) -> Parsed:
    """Structure only (no keys needed): refuses anything that is not a well-formed envelope."""
    try:
        doc = canonical.loads(wire)
        header, ct, sig = doc["header"], canonical.unb64(doc["ct"]), canonical.unb64(doc["sig"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise EnvelopeError("malformed", "not a well-formed envelope") from None
    if not isinstance(header, dict):
        raise EnvelopeError("malformed", "envelope header is not an object")
    version = header.get("v")
    if not isinstance(version, int) or isinstance(version, bool):
        raise EnvelopeError("malformed", "envelope header has no version number")
    if version not in SUPPORTED:
        raise EnvelopeError("unsupported_version", f"envelope version {version!r} is not "
                            f"supported; this node reads {', '.join(map(str, SUPPORTED))}")
    if sorted(header) != sorted(HEADER_FIELDS[version]):
        raise EnvelopeError("malformed", "envelope header has missing or extra fields")
    if header["kind"] not in KINDS:
        raise EnvelopeError("malformed", f"unsupported envelope kind {header['kind']!r}")
    if version >= 2 and header["lane"] != lane_of(header["kind"]):
        raise EnvelopeError("malformed", f"a {header['kind']} envelope travels in the "
                            f"{lane_of(header['kind'])} lane")
    if not isinstance(header["seq"], int) or header["seq"] < 1:
        raise EnvelopeError("malformed", "envelope sequence must be a positive integer")
    if set(doc) != {"header", "ct", "sig"}:
        raise EnvelopeError("malformed", "envelope has extra fields")
    return Parsed(header, ct, sig)


def verify(parsed: Parsed, sender_key: PublicKey) -> None:
    if sender_key.key_id != parsed.header["from_key"]:
        raise EnvelopeError("unknown_key", "envelope signed with a key other than the one given")
    try:
        sender_key.verifier().verify(parsed.sig, parsed.signed_bytes())
    except InvalidSignature:
        raise EnvelopeError("bad_signature", "signature does not verify: altered in transit "
                            "or not from the stated sender") from None


def decrypt(parsed: Parsed, keys: NodeKeys) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    h = parsed.header
    if h["to"] != keys.agency:
        raise EnvelopeError("wrong_recipient", f"envelope is addressed to {h['to']}")
    pair = keys.by_key_id(h["to_key"])
    if pair is None:
        raise EnvelopeError("unknown_key", "envelope is encrypted for a key this node does not hold")
    try:
        epk = canonical.unb64(h["epk"])
        key = _kdf(pair.enc.exchange(PublicKey(b"", epk).encryptor()), epk, pair.public.enc_pub)
        plaintext = AESGCM(key).decrypt(canonical.unb64(h["nonce"]), parsed.ct,
                                        canonical.dumps(h))
    except (InvalidTag, ValueError):
        raise EnvelopeError("undecryptable", "envelope does not decrypt") from None
    if canonical.sha256_hex(plaintext) != h["content_hash"]:
        raise EnvelopeError("hash_mismatch", "content hash does not match the decrypted payload")
    text, sep, data = plaintext.partition(b"\n") if h["v"] >= 2 else (plaintext, b"", b"")
    try:
        payload = canonical.loads(text).get("payload")
    except (ValueError, UnicodeDecodeError, AttributeError):
        payload = None
    if not isinstance(payload, dict):
        raise EnvelopeError("malformed", "envelope payload is not an object")
    if sep:
        payload["data"] = data  # raw bytes after the JSON (version 2)
    return payload


def open_(
    wire: bytes, keys: NodeKeys, sender_key: Callable[[str, str], PublicKey]
) -> tuple[Parsed, dict[str, Any]]:
    """Parse, verify (with `sender_key(agency, key_id)`, which raises if unknown or revoked), decrypt."""
    parsed = parse(wire)
    verify(parsed, sender_key(parsed.header["from"], parsed.header["from_key"]))
    return parsed, decrypt(parsed, keys)
