"""Cross-script retrieval: of the dev set's positive pairs, how often the Latin name is among
the top-N index candidates of the non-Latin name, per script, with and without the consonant
skeleton keys (same process). Run: python -m bench.matching.xscript_retrieval"""

from __future__ import annotations

from bench.matching.xscript import KINDS, dev_pairs
from ncb.matching import PersonRecord
from ncb.matching.index import CandidateIndex
from ncb.matching.record import Prepared, prepare
from ncb.matching.xscript.scripts import script_of


class _NoSkeleton(CandidateIndex):
    def _skeleton_kids(self, p: Prepared, create: bool) -> set[int]:
        return set()


def main(top: int = 40) -> None:
    pairs = [(a, b, k) for a, b, m, k in dev_pairs() if m]
    latin = sorted({a if script_of(a) == "latin" else b for a, b, _k in pairs})
    ids = {n: str(i) for i, n in enumerate(latin)}
    idx = {"before": _NoSkeleton(), "after": CandidateIndex()}
    for ix in idx.values():
        ix.build(prepare(PersonRecord(id=ids[n], full_name=n)) for n in latin)
    print(f"{len(latin)} Latin names indexed; top {top} candidates")
    for kind in KINDS:
        got = {"before": 0, "after": 0}
        mine = [(a, b) if script_of(a) == "latin" else (b, a) for a, b, k in pairs if k == kind]
        for lat, other in mine:
            q = prepare(PersonRecord(id="q", full_name=other))
            for name, ix in idx.items():
                got[name] += any(c.id == ids[lat] for c in ix.candidates(q, top))
        print(f"{kind:18} n={len(mine):4}  before {got['before']:4}  after {got['after']:4}")


if __name__ == "__main__":
    main()
