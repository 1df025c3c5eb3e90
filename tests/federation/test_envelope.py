"""Envelopes: round trip; every byte tampered, a foreign key, a wrong recipient are refused."""

from __future__ import annotations

import pytest

from ncb.federation import canonical, envelope
from ncb.federation.envelope import EnvelopeError
from ncb.federation.keys import NodeKeys, PublicKey

UK, FBI, AFP = NodeKeys.generate("GB-NCA"), NodeKeys.generate("US-FBI"), NodeKeys.generate("AU-AFP")
PAYLOAD = {"objects": [{"id": "GB-NCA/case/1", "schema": "ncb:Case",
                        "properties": {"title": ["Fraud ring — Müller"]}}]}


def _lookup(*known: NodeKeys):  # type: ignore[no-untyped-def]
    keys = {(k.agency, k.active.public.key_id): k.active.public for k in known}

    def find(agency: str, key_id: str) -> PublicKey:
        if (agency, key_id) not in keys:
            raise EnvelopeError("unknown_key", "unknown sender key")
        return keys[(agency, key_id)]
    return find


def test_round_trip_carries_payload_id_and_sequence() -> None:
    eid, wire = envelope.seal(UK, "US-FBI", FBI.active.public, 7, "case", PAYLOAD)
    parsed, payload = envelope.open_(wire, FBI, _lookup(UK))
    assert payload == PAYLOAD
    assert parsed.id == eid and parsed.header["seq"] == 7 and parsed.header["from"] == "GB-NCA"
    assert b"M\xc3\xbcller" not in wire and b"Fraud" not in wire  # encrypted on the wire


def test_each_envelope_has_a_unique_id_and_ciphertext() -> None:
    a = envelope.seal(UK, "US-FBI", FBI.active.public, 1, "case", PAYLOAD)
    b = envelope.seal(UK, "US-FBI", FBI.active.public, 1, "case", PAYLOAD)
    assert a[0] != b[0] and a[1] != b[1]


def test_flipping_any_single_byte_is_refused() -> None:
    _, wire = envelope.seal(UK, "US-FBI", FBI.active.public, 1, "case", PAYLOAD)
    for i in range(0, len(wire), 7):
        bad = bytearray(wire)
        bad[i] ^= 0x01
        with pytest.raises(EnvelopeError):
            envelope.open_(bytes(bad), FBI, _lookup(UK))


def test_other_recipient_cannot_open_and_signature_binds_sender() -> None:
    _, wire = envelope.seal(UK, "US-FBI", FBI.active.public, 1, "case", PAYLOAD)
    with pytest.raises(EnvelopeError) as exc:
        envelope.open_(wire, AFP, _lookup(UK))
    assert exc.value.rule == "wrong_recipient"
    with pytest.raises(EnvelopeError) as exc:
        envelope.open_(wire, FBI, _lookup(AFP))
    assert exc.value.rule == "unknown_key"


def test_resigned_header_by_an_impostor_fails_verification() -> None:
    _, wire = envelope.seal(AFP, "US-FBI", FBI.active.public, 1, "case", PAYLOAD)
    doc = canonical.loads(wire)
    doc["header"]["from"], doc["header"]["from_key"] = "GB-NCA", UK.active.public.key_id
    with pytest.raises(EnvelopeError) as exc:
        envelope.open_(canonical.dumps(doc), FBI, _lookup(UK))
    assert exc.value.rule == "bad_signature"


def test_rotated_recipient_still_opens_envelopes_for_its_old_key() -> None:
    _, wire = envelope.seal(UK, "US-FBI", FBI.active.public, 1, "case", PAYLOAD)
    rotated = FBI.rotated()
    assert rotated.active.public.key_id != FBI.active.public.key_id
    assert envelope.open_(wire, rotated, _lookup(UK))[1] == PAYLOAD


def test_malformed_wire_is_refused_by_rule() -> None:
    for junk in (b"", b"{}", b"not json", canonical.dumps({"header": {}, "ct": "", "sig": ""})):
        with pytest.raises(EnvelopeError) as exc:
            envelope.parse(junk)
        assert exc.value.rule == "malformed"
