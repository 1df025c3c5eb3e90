"""Federation protocol throughput: envelopes/s sealed (signed + encrypted) and opened (verified +
decrypted), beside plain JSON serialise/parse of the same payload in the same run, and bytes
on the wire for a typical case (case + 3 notes + 2 persons).

    .venv/bin/python -m bench.federation [--n 2000]
"""

from __future__ import annotations

import argparse
import json
import time

from ncb.federation import envelope, marks
from ncb.federation.keys import NodeKeys, PublicKey

MK = {"classification": "OFFICIAL-SENSITIVE", "handling_code": "P", "tlp": "TLP:AMBER",
      "originator": "GB-NCA", "handling_conditions": None, "source_grade": None,
      "intel_grade": None, "provider_permission": False}


def typical_case(n: int = 1) -> dict[str, object]:
    root = f"GB-NCA/case/{n}"
    objs: list[dict[str, object]] = [{
        "id": root, "schema": "ncb:Case", "markings": MK, "parent": None, "refs": [],
        "version": 1, "properties": {"reference": [f"NCB-2026-{n:07d}"],
                                     "title": ["Counterfeit medicines shipped via Lagos"],
                                     "summary": ["Parcels traced to a warehouse. " * 8],
                                     "status": ["in_progress"],
                                     "deadlines": ["service|2026-12-20T10:00:00+00:00|"]}}]
    for i in range(3):
        objs.append({"id": f"GB-NCA/note/{n}-{i}", "schema": "Note", "markings": MK, "parent": root,
                     "refs": [], "version": 1,
                     "properties": {"description": ["Liaison report on the shipment route. " * 6]}})
    for i, (first, last) in enumerate((("Adaeze", "Okafor"), ("Chinedu", "Eze"))):
        objs.append({"id": f"GB-NCA/entity/{n}-{i}", "schema": "Person", "markings": MK,
                     "parent": root, "refs": [], "version": 1,
                     "properties": {"firstName": [first], "lastName": [last],
                                    "birthDate": ["1984-03-02"], "nationality": ["NG"]}})
    return {"root": root, "objects": objs}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    n = ap.parse_args().n
    uk, fbi = NodeKeys.generate("GB-NCA"), NodeKeys.generate("US-FBI")
    payload = typical_case()
    pub = uk.active.public

    def lookup(_a: str, _k: str) -> PublicKey:
        return pub

    t = time.process_time()
    for _ in range(n):
        json.loads(json.dumps(payload))
    base = n / (time.process_time() - t)
    t = time.process_time()
    wires = [envelope.seal(uk, "US-FBI", fbi.active.public, i + 1, "case", payload)[1]
             for i in range(n)]
    sealed = n / (time.process_time() - t)
    t = time.process_time()
    for w in wires:
        envelope.open_(w, fbi, lookup)
    opened = n / (time.process_time() - t)
    t = time.process_time()
    for i in range(n):  # as the outbox seals it: each object's markings signed by the originator
        signed = typical_case()
        marks.sign_own(uk, signed["objects"])  # type: ignore[arg-type]
        envelope.seal(uk, "US-FBI", fbi.active.public, i + 1, "case", signed)
    sealed_signed = n / (time.process_time() - t)
    signed_wire = envelope.seal(uk, "US-FBI", fbi.active.public, 1, "case", signed)[1]
    t = time.process_time()
    for _ in range(n):
        parsed, got = envelope.open_(signed_wire, fbi, lookup)
        for obj in got["objects"]:
            h = parsed.header
            assert marks.check(obj, lookup, h["from"], h["from_key"]) is None
    opened_signed = n / (time.process_time() - t)
    plain = len(json.dumps(payload).encode())
    print("rates per CPU-second of this process (a loaded machine slows the wall clock, not these)")
    print(f"plain JSON dumps+loads: {base:,.0f}/s")
    print(f"seal (sign+encrypt):    {sealed:,.0f} envelopes/s")
    print(f"open (verify+decrypt):  {opened:,.0f} envelopes/s")
    print(f"seal with markings signed (6 objects): {sealed_signed:,.0f} envelopes/s")
    print(f"open with markings verified:           {opened_signed:,.0f} envelopes/s")
    print(f"typical case: {plain:,} bytes as plain JSON, {len(wires[0]):,} bytes on the wire "
          f"without markings signatures, {len(signed_wire):,} with them")
    for line in overheads(uk, fbi):
        print(line)


def overheads(uk: NodeKeys, fbi: NodeKeys) -> list[str]:
    """Fixed bytes per envelope, bytes per object and per marking, attachment expansion."""
    def wire(kind: str, payload: dict[str, object]) -> int:
        return len(envelope.seal(uk, "US-FBI", fbi.active.public, 1, kind, payload)[1])

    def objs(k: int) -> dict[str, object]:
        full = typical_case()
        return {"root": full["root"], "objects": list(full["objects"])[:k]}  # type: ignore[call-overload]

    empty: dict[str, object] = {"root": "GB-NCA/case/1", "objects": []}
    fixed = wire("case", empty) - len(json.dumps(empty, separators=(",", ":")).encode())
    one_note = wire("case", objs(2)) - wire("case", objs(1))
    mk = len(json.dumps(MK, separators=(",", ":"), sort_keys=True).encode())
    blob = bytes(range(256)) * 400  # 100 KiB
    from ncb.federation import canonical

    meta = {"object": "GB-NCA/attachment/1", "sha256": "0" * 64, "after": 1}
    # Before (envelope version 1, still readable): the contents base64'd inside the JSON
    # payload, then the ciphertext base64'd again. Now (version 2): raw bytes after the JSON.
    v1 = len(envelope.seal(uk, "US-FBI", fbi.active.public, 1, "blob",
                           {**meta, "data": canonical.b64(blob)}, version=1)[1])
    v2 = len(envelope.seal(uk, "US-FBI", fbi.active.public, 1, "blob", meta, data=blob)[1])
    push = len(json.dumps({"envelopes": [envelope.seal(
        uk, "US-FBI", fbi.active.public, 1, "blob", meta, data=blob)[1].decode()]}).encode())
    return [f"fixed per envelope (header, signature, salt, base64 framing): {fixed:,} bytes",
            f"one more note object (about 230 B of text): +{one_note:,} bytes on the wire",
            f"markings on every object: {mk:,} bytes as JSON, x4/3 on the wire",
            f"a 100 KiB attachment, before (v1, base64 twice): {v1:,} bytes "
            f"({v1 / len(blob):.2f}x)",
            f"a 100 KiB attachment, now (v2, base64 once): {v2:,} bytes ({v2 / len(blob):.2f}x);"
            f" as a push request body {push:,} bytes ({push / len(blob):.2f}x)"]


if __name__ == "__main__":
    main()
