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
    pair = keys.active
    return {
        "node": keys.agency,
        "key": pair.public.key_id,
        "sig": canonical.b64(pair.sign.sign(signed_bytes(obj))),
    }


def sign_own(keys: NodeKeys, objects: Iterable[Any]) -> None:
    """Sign the markings of every object originating at this node (in place); others keep the
    signature their originator gave them."""
    for obj in objects:
        if isinstance(obj, dict) and origin_node(str(obj.get("id"))) == keys.agency:
            obj["markings_sig"] = sign(keys, obj)


def check(obj: dict[str, Any], key_of: Callable[[str, str], PublicKey]) -> str | None:
    """Why the object's markings cannot be trusted, or None. `key_of(node, key_id)` gives a
    registered key (this node's own included) and raises EnvelopeError if unknown or revoked."""
    sig = obj.get("markings_sig")
    origin = origin_node(obj["id"])
    if not isinstance(sig, dict) or not all(isinstance(sig.get(k), str) for k in ("node", "key", "sig")):
        return f"markings are not signed by the originating node {origin}"
    if sig["node"] != origin:
        return f"markings are signed by {sig['node']}, not by the originating node {origin}"
    try:
        key = key_of(origin, sig["key"])
        key.verifier().verify(canonical.unb64(sig["sig"]), signed_bytes(obj))
    except EnvelopeError as exc:
        return f"markings signature of {origin} cannot be checked: {exc.detail}"
    except (InvalidSignature, ValueError):
        return f"markings were altered after {origin} signed them"
    return None
