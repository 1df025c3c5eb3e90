"""Same outputs before and after a speed change: dump every screening hit, then compare dumps.

    python -m bench.matching.screening_check dump before.json [--quick]   # on the old code
    python -m bench.matching.screening_check dump after.json [--quick]    # on the new code
    python -m bench.matching.screening_check diff before.json after.json

A dump holds, for every query of the UN screening set (683 queries and the negatives: 10,000
sampled with --quick, as bench.matching.screening does, else all 50,000) and of the harder
screening set (bench.matching.screening_hard), the top 10 hits: candidate id, score (exact
float) and match flag. ``diff`` prints each query whose hits differ and counts them, and says
whether the listed person of a positive query was found (flagged) more or less often.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.matching.screening import load_un
from ncb.matching import Screener

Hits = list[list[object]]  # [candidate id, score, match]


def _screen(s: Screener, records: list, top: int = 10) -> list[Hits]:
    out = []
    for q in records:
        q.id = ""
        out.append([[h.candidate_id, h.score, h.match] for h in s.screen(q, top=top)])
    return out


def dump(quick: bool) -> dict[str, dict[str, object]]:
    from bench.matching import screening_hard

    wl, qs, neg = load_un(quick)
    sets: dict[str, dict[str, object]] = {}
    s = Screener()
    s.build(wl)
    sets["un"] = {"want": [r.id for r in wl] + [""] * len(neg), "hits": _screen(s, qs + neg)}
    watch, queries = screening_hard.build(negatives=5_000 if quick else None)
    s = Screener()
    s.build(watch)
    sets["hard"] = {"want": [q.want for q in queries], "hits": _screen(s, [q.record for q in queries])}
    return sets


def diff(old: dict, new: dict) -> int:
    """Print the queries whose hits differ; return how many."""
    n = 0
    for name, o in old.items():
        w, ho, hn = o["want"], o["hits"], new[name]["hits"]
        if len(ho) != len(hn):
            print(f"{name}: {len(ho)} queries before, {len(hn)} after")
            return max(len(ho), len(hn))
        found = {"before": 0, "after": 0}
        changed = 0
        for i, (a, b) in enumerate(zip(ho, hn, strict=True)):
            for label, hits in (("before", a), ("after", b)):
                found[label] += bool(w[i]) and any(h[0] == w[i] and h[2] for h in hits)
            if a != b:
                changed += 1
                print(f"{name} #{i} (want {w[i] or '-'}):\n  before {a}\n  after  {b}")
        print(f"{name}: {changed} of {len(ho)} queries differ; listed person flagged "
              f"{found['before']} before, {found['after']} after")  # fmt: skip
        n += changed
    return n


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.matching.screening_check")
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--quick", action="store_true")
    c = sub.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "dump":
        t = time.process_time()
        args.out.write_text(json.dumps(dump(args.quick)), encoding="utf-8")
        print(f"wrote {args.out} in {time.process_time() - t:.1f} CPU s")
        return
    old = json.loads(args.before.read_text(encoding="utf-8"))
    new = json.loads(args.after.read_text(encoding="utf-8"))
    n = diff(old, new)
    print(f"{n} queries differ")
    sys.exit(1 if n else 0)


if __name__ == "__main__":
    main()
