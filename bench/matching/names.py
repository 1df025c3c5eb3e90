"""Name pairs: P/R/F1 at the fixed screening threshold beside two baselines."""

from __future__ import annotations

import csv
import time

from rapidfuzz import fuzz, utils

from bench.matching import data_dir, prf, table
from ncb.matching import NameOnly, PersonRecord


def run(quick: bool = False) -> str:
    d = data_dir() / "names"
    rows = [r for r in csv.DictReader((d / "cases.csv").open(encoding="utf-8")) if r["schema"] == "Person"]
    truth = [r["is_match"] == "true" for r in rows]
    alg = NameOnly()
    # Load the cross-script tables (pypinyin, learned costs) before timing, as a server does.
    alg.compare_records(PersonRecord("a", full_name="唐纳德"), PersonRecord("b", full_name="Donald"))
    t0 = time.perf_counter()
    ours = [
        alg.compare_records(
            PersonRecord("a", full_name=r["name1"]), PersonRecord("b", full_name=r["name2"])
        ).match
        for r in rows
    ]
    dt = time.perf_counter() - t0

    def score(pred: list[bool]) -> tuple[float, float, float]:
        tp = sum(p and y for p, y in zip(pred, truth, strict=True))
        fp = sum(p and not y for p, y in zip(pred, truth, strict=True))
        fn = sum(y and not p for p, y in zip(pred, truth, strict=True))
        return prf(tp, fp, fn)

    rf = [fuzz.token_sort_ratio(r["name1"], r["name2"], processor=utils.default_process) for r in rows]
    best = max(((score([s >= t for s in rf]), t) for t in range(50, 101)), key=lambda x: x[0][2])
    peer = [
        r
        for r in csv.DictReader((d / "peer_nomenklatura_logicv2_scores.csv").open(encoding="utf-8"))
        if r["schema"] == "Person"
    ]
    ptp = sum(r["outcome"] == "TP" for r in peer)
    pfp = sum(r["outcome"] == "FP" for r in peer)
    pfn = sum(r["outcome"] == "FN" for r in peer)
    o = score(ours)
    res = [
        [f"ncb.matching NameOnly @ {alg.threshold:.2f} (fixed)", len(rows), *o, len(rows) / dt],
        [
            f"rapidfuzz token_sort_ratio @ {best[1]} (best threshold on this data)",
            len(rows),
            *best[0],
            "",
        ],
        [
            "nomenklatura logic-v2 @ 0.70 (frozen peer scores file)",
            len(peer),
            *prf(ptp, pfp, pfn),
            "",
        ],
    ]
    return "### Name pairs (names/cases.csv, Person rows)\n\n" + table(
        ["method", "pairs", "precision", "recall", "F1", "pairs/s"], res
    )
