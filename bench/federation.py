"""Federation protocol throughput: envelopes/s sealed (signed + encrypted) and opened (verified +
decrypted), beside plain JSON serialise/parse of the same payload in the same run, and bytes
on the wire for a typical case (case + 3 notes + 2 persons).

    .venv/bin/python -m bench.federation [--n 2000]
"""

from __future__ import annotations

import argparse
import json
import time

from ncb.federation import envelope
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

    t = time.perf_counter()
    for _ in range(n):
        json.loads(json.dumps(payload))
    base = n / (time.perf_counter() - t)
    t = time.perf_counter()
    wires = [envelope.seal(uk, "US-FBI", fbi.active.public, i + 1, "case", payload)[1]
             for i in range(n)]
    sealed = n / (time.perf_counter() - t)
    t = time.perf_counter()
    for w in wires:
        envelope.open_(w, fbi, lookup)
    opened = n / (time.perf_counter() - t)
    plain = len(json.dumps(payload).encode())
    print(f"plain JSON dumps+loads: {base:,.0f}/s")
    print(f"seal (sign+encrypt):    {sealed:,.0f} envelopes/s")
    print(f"open (verify+decrypt):  {opened:,.0f} envelopes/s")
    print(f"typical case: {plain:,} bytes as plain JSON, {len(wires[0]):,} bytes on the wire")


if __name__ == "__main__":
    main()
