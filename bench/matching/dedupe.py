"""De-duplication of ../shared/bench/dedupe/fake_1000.csv: pairwise precision/recall/F1 over all
pairs implied by the clusters (as Splink reports it), beside the previous engine (connected
components of matching pairs) and Splink, all in the same run."""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

from bench.matching import data_dir, prf, table
from ncb.matching.bulk import clusters, dedupe_clusters, dedupe_pairs
from ncb.matching.cluster import cluster
from ncb.matching.io import read_persons
from ncb.matching.record import prepare

Pair = tuple[str, str]


def implied(assignment: dict[str, str]) -> set[Pair]:
    groups: dict[str, list[str]] = defaultdict(list)
    for rid, cid in assignment.items():
        groups[cid].append(rid)
    return {(a, b) if a < b else (b, a) for v in groups.values() for a, b in combinations(v, 2)}


def score(assignment: dict[str, str], truth: set[Pair]) -> list[object]:
    found = implied(assignment)
    tp = len(found & truth)
    sizes: dict[str, int] = defaultdict(int)
    for c in assignment.values():
        sizes[c] += 1
    return [*prf(tp, len(found) - tp, len(truth) - tp), max(sizes.values())]


def evaluate(path: Path, truth_column: str, id_column: str) -> list[list[object]]:
    with path.open(newline="", encoding="utf-8") as fh:
        truth_of = {r[id_column]: r[truth_column] for r in csv.DictReader(fh)}
    truth = implied(truth_of)
    res = read_persons(path)
    alone = {rid: f"noname:{rid}" for rid in res.skipped_ids}  # own cluster, never colliding
    rows: list[list[object]] = []
    t = time.perf_counter()
    ours = dedupe_clusters(res.records)
    rows.append(
        [
            "ncb dedupe (average linkage, vetoes)",
            *score({**ours.assignment, **alone}, truth),
            time.perf_counter() - t,
        ]
    )
    t = time.perf_counter()
    cc = clusters((r.id for r in res.records), dedupe_pairs(res.records))
    rows.append(
        [
            "previous ncb engine (connected components)",
            *score({**cc, **alone}, truth),
            time.perf_counter() - t,
        ]
    )
    import splink

    from ncb.matching import splink_backend
    from ncb.matching.algorithms import RecordLinkage

    t = time.perf_counter()
    sp = splink_backend.dedupe_pairs(res.records)
    sp_cc = clusters((r.id for r in res.records), sp)
    st = time.perf_counter() - t
    rows.append(
        [
            f"Splink {splink.__version__} (documented settings, connected components)",
            *score({**sp_cc, **alone}, truth),
            st,
        ]
    )
    alg = RecordLinkage(RecordLinkage.Settings(threshold=splink_backend.SPLINK_THRESHOLD))
    spc = cluster(
        [prepare(r) for r in res.records],
        [(p.left_id, p.right_id, p.explanation) for p in sp],
        alg,
        scorer=lambda a, b: None,
    )
    rows.append(
        [
            f"Splink {splink.__version__} + ncb average-linkage clustering",
            *score({**spc.assignment, **alone}, truth),
            time.perf_counter() - t,
        ]
    )
    return rows


def run(quick: bool = False, extra: Iterable[tuple[str, Path, str, str]] = ()) -> str:
    sets = [("fake_1000", data_dir() / "dedupe" / "fake_1000.csv", "cluster", "unique_id"), *extra]
    rows = []
    for name, path, col, idc in sets:
        rows += [[name, *r] for r in evaluate(path, col, idc)]
    return "### De-duplication (pairwise over pairs implied by clusters)\n\n" + table(
        ["data", "method", "precision", "recall", "F1", "largest cluster", "seconds"], rows
    )


if __name__ == "__main__":
    print(run())
