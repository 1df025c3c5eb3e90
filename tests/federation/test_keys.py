"""Node keys: fingerprints, sealed key files, public identities."""

from __future__ import annotations

import pytest

from ncb.federation import sealed
from ncb.federation.keys import KeyError_, NodeKeys, PublicKey, display, normalise_fingerprint


def test_key_file_round_trips_only_with_the_passphrase() -> None:
    keys = NodeKeys.generate("GB-NCA").rotated()
    blob = keys.seal("liaison passphrase", log_n=10)
    assert keys.active.public.key_id.encode() not in blob
    back = NodeKeys.unseal(blob, "liaison passphrase")
    assert [g.public for g in back.generations] == [g.public for g in keys.generations]
    with pytest.raises(sealed.SealError):
        NodeKeys.unseal(blob, "wrong")


def test_printed_fingerprint_is_accepted_back() -> None:
    key = NodeKeys.generate("US-FBI").active.public
    assert normalise_fingerprint(display(key.key_id).upper()) == key.key_id
    assert PublicKey.from_json(key.to_json()) == key


def test_identity_with_a_substituted_key_is_refused() -> None:
    a, b = NodeKeys.generate("A").active.public, NodeKeys.generate("B").active.public
    forged = {**b.to_json(), "fingerprint": a.key_id}
    with pytest.raises(KeyError_):
        PublicKey.from_json(forged)


def test_sealed_chunks_cannot_be_truncated_or_reordered() -> None:
    data = bytes(range(256)) * 9000  # > 2 chunks
    blob = sealed.seal(data, "pw", log_n=10)
    assert sealed.unseal(blob, "pw") == data
    head = len(sealed.MAGIC) + 21
    chunk = sealed.CHUNK + sealed.TAG
    with pytest.raises(sealed.SealError):
        sealed.unseal(blob[:head + 2 * chunk], "pw")  # last chunk cut off
    swapped = blob[:head] + blob[head + chunk:head + 2 * chunk] + blob[head:head + chunk] \
        + blob[head + 2 * chunk:]
    with pytest.raises(sealed.SealError):
        sealed.unseal(swapped, "pw")
