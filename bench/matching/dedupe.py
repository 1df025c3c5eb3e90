"""De-duplication of ../shared/bench/dedupe/fake_1000.csv: pairwise precision/recall/F1 over all
pairs implied by the clusters (as Splink reports it), beside the previous engine (connected
components of matching pairs) and Splink with its documented settings, all in the same run."""

from __future__ import annotations

import csv
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from bench.matching import data_dir, messy, prf, splink_docs, table
from ncb.matching.bulk import clusters, dedupe_clusters, dedupe_pairs
from ncb.matching.io import read_persons

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


def _timed(label: str, fn: Callable[[], dict[str, str]], truth: set[Pair]) -> list[object]:
    t = time.perf_counter()
    assignment = fn()
    return [label, *score(assignment, truth), time.perf_counter() - t]


def evaluate(
    path: Path,
    truth_column: str,
    id_column: str,
    splink_documented: Callable[[Path], dict[str, str]] = splink_docs.quickstart,
    splink_label: str = "README quickstart",
    previous: bool = True,
) -> list[list[object]]:
    """Our engine, the previous one (connected components) and Splink with its documented
    settings, timed in this process on the same file (reading and preparing included)."""
    import splink

    with path.open(newline="", encoding="utf-8") as fh:
        truth_of = {r[id_column]: r[truth_column] for r in csv.DictReader(fh)}
    truth = implied(truth_of)

    def ours() -> dict[str, str]:
        res = read_persons(path)
        alone = {rid: f"noname:{rid}" for rid in res.skipped_ids}  # own cluster, never colliding
        return {**dedupe_clusters(res.records, explain=False).assignment, **alone}

    def components() -> dict[str, str]:
        res = read_persons(path)
        alone = {rid: f"noname:{rid}" for rid in res.skipped_ids}
        return {**clusters((r.id for r in res.records), dedupe_pairs(res.records)), **alone}

    rows = [_timed("ncb dedupe (average linkage, vetoes)", ours, truth)]
    if previous:
        rows.append(_timed("previous ncb engine (connected components)", components, truth))
    rows.append(
        _timed(
            f"Splink {splink.__version__}, documented settings ({splink_label}), clusters at 0.95",
            lambda: splink_documented(path),
            truth,
        )
    )
    return rows


def run(quick: bool = False) -> str:
    rows = [
        ["fake_1000", *r]
        for r in evaluate(data_dir() / "dedupe" / "fake_1000.csv", "cluster", "unique_id")
    ]
    n = 10_000 if quick else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        path = messy.write(Path(tmp) / "messy.csv", n, seed=8)
        rows += [
            [f"messy {n:,} (bench.matching.messy, seed 8)", *r]
            for r in evaluate(
                path,
                "cluster",
                "unique_id",
                splink_docs.historical,
                "deduplicate_50k_synthetic example",
                previous=False,
            )
        ]
    return (
        "### De-duplication (pairwise over pairs implied by clusters; rows without a usable "
        "name are their own cluster)\n\n"
        + table(["data", "method", "precision", "recall", "F1", "largest cluster", "seconds"], rows)
    )


if __name__ == "__main__":
    print(run())
