"""Markings signed by the node an object originates at, so no relay can alter them unnoticed.

The envelope is signed by whoever sends it; a relay (US-FBI passing on GB-NCA's case) signs
its envelope, not GB-NCA's markings. So each object also carries `markings_sig`: the
originating node's Ed25519 signature over a canonical encoding of the object's id, version
and markings. The originating node is the first part of the object id (`GB-NCA/case/12`),
which keeps its originator's id across hops. A relay passes the signature on unchanged; the
receiver verifies it with the originating node's registered key before judging the markings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cryptography.exceptions import InvalidSignature

from ncb.federation import canonical
from ncb.federation.envelope import EnvelopeError
from ncb.federation.keys import NodeKeys, PublicKey

CONTEXT = b"ncb-markings-v1."  # domain separation: this signature means nothing elsewhere


def origin_node(oid: str) -> str:
    return oid.split("/", 1)[0]


def signed_bytes(obj: dict[str, Any]) -> bytes:
    return CONTEXT + canonical.dumps(
        {"id": obj["id"], "version": int(obj.get("version") or 1), "markings": obj["markings"]}
    )


def sign(keys: NodeKeys, obj: dict[str, Any]) -> dict[str, str]:
    """The full form: which node, which key, the signature (what a relay passes on)."""
    pair = keys.active
    return {"node": keys.agency, "key": pair.public.key_id,
            "sig": canonical.b64(pair.sign.sign(signed_bytes(obj)))}


def sign_own(keys: NodeKeys, objects: Iterable[Any]) -> None:
    """Sign the markings of every object originating at this node (in place); others keep the
    signature their originator gave them. Compact form (`sig` only): the node and key are the
    envelope's sender and signing key, which the receiver fills in (~100 bytes less per object)."""
    for obj in objects:
        if isinstance(obj, dict) and origin_node(str(obj.get("id"))) == keys.agency:
            obj["markings_sig"] = {"sig": sign(keys, obj)["sig"]}


def full(obj: dict[str, Any], sender: str, sender_key: str) -> dict[str, str]:
    """The signature in full form, the compact one completed from the envelope's header."""
    sig = obj["markings_sig"]
    return {"node": sig.get("node", sender), "key": sig.get("key", sender_key), "sig": sig["sig"]}


def check(obj: dict[str, Any], key_of: Callable[[str, str], PublicKey], sender: str,
          sender_key: str) -> str | None:
    """Why the object's markings cannot be trusted, or None. `sender`, `sender_key`: the
    envelope's (for the compact form). `key_of(node, key_id)` gives a registered key (this
    node's own included) and raises EnvelopeError if unknown or revoked."""
    sig = obj.get("markings_sig")
    origin = origin_node(obj["id"])
    if not isinstance(sig, dict) or not isinstance(sig.get("sig"), str):
        return f"markings are not signed by the originating node {origin}"
    node, key_id = sig.get("node", sender), sig.get("key", sender_key)
    if not isinstance(node, str) or not isinstance(key_id, str):
        return f"markings signature of {origin} is malformed"
    if node != origin:
        return f"markings are signed by {node}, not by the originating node {origin}"
    try:
        key = key_of(origin, key_id)
        key.verifier().verify(canonical.unb64(sig["sig"]), signed_bytes(obj))
    except EnvelopeError as exc:
        return f"markings signature of {origin} cannot be checked: {exc.detail}"
    except (InvalidSignature, ValueError):
        return f"markings were altered after {origin} signed them"
    return None
