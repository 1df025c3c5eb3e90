"""De-duplication of ../shared/bench/dedupe/fake_1000.csv and a generated messy set: pairwise
precision/recall/F1 over all pairs implied by the clusters (as Splink reports it), beside the
fixed-weight engine, connected components and Splink with its documented settings, all in the
same run. Seconds are wall time and CPU time of this process (DuckDB's threads included)."""

from __future__ import annotations

import csv
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from bench.matching import data_dir, messy, prf, splink_docs, table
from ncb.matching.bulk import MIN_FIT_RECORDS, clusters, dedupe_clusters, dedupe_pairs
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
    t, c = time.perf_counter(), time.process_time()
    assignment = fn()
    return [label, *score(assignment, truth), time.perf_counter() - t, time.process_time() - c]


STAGES: dict[str, float] = {}  # CPU seconds per stage of the last fitted run (for the notes)


def evaluate(
    path: Path,
    truth_column: str,
    id_column: str,
    splink_documented: Callable[[Path], dict[str, str]] = splink_docs.quickstart,
    splink_label: str = "README quickstart",
    previous: bool = True,
) -> list[list[object]]:
    """Our engine both ways (the model fitted on the file, the fixed weights), connected
    components and Splink with its documented settings, timed in this process on the same file
    (reading and preparing included)."""
    import splink

    with path.open(newline="", encoding="utf-8") as fh:
        truth_of = {r[id_column]: r[truth_column] for r in csv.DictReader(fh)}
    truth = implied(truth_of)

    def ours(fitted: bool) -> dict[str, str]:
        res = read_persons(path)
        alone = {rid: f"noname:{rid}" for rid in res.skipped_ids}  # own cluster, never colliding
        got = dedupe_clusters(res.records, explain=False, fitted=fitted)
        STAGES.update(got.stages)
        return {**got.assignment, **alone}

    def components() -> dict[str, str]:
        res = read_persons(path)
        alone = {rid: f"noname:{rid}" for rid in res.skipped_ids}
        return {**clusters((r.id for r in res.records), dedupe_pairs(res.records)), **alone}

    small = len(truth_of) < MIN_FIT_RECORDS
    rows = [
        _timed(
            f"ncb dedupe, fitted model (u sampled, m by EM){'' if small else ': default'}",
            lambda: ours(True),
            truth,
        ),
        _timed(
            f"ncb dedupe, fixed weights (average linkage){': default' if small else ''}",
            lambda: ours(False),
            truth,
        ),
    ]
    if previous:
        rows.append(
            _timed("connected components of matching pairs (before average linkage)", components, truth)
        )
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
        ["fake_1000", *r] for r in evaluate(data_dir() / "dedupe" / "fake_1000.csv", "cluster", "unique_id")
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
        stages = ", ".join(f"{k} {v:.1f}" for k, v in STAGES.items())
    return (
        "### De-duplication (pairwise over pairs implied by clusters; rows without a usable "
        "name are their own cluster)\n\n"
        + table(["data", "method", "precision", "recall", "F1", "largest cluster", "wall s", "CPU s"], rows)
        + "\n\n"
        + NOTES.format(n=n, stages=stages)
    )


NOTES = """The messy set is generated in the run by `bench/matching/messy.py` (`python -m \
bench.matching.messy --n {n} --seed 8 --out FILE` writes the same file): cluster sizes from a
truncated power law (1 to 20), titles ("3rd baron Ashford", "1st baronet") in half the records of
8% of people, nicknames, typos, initials, missing given or family names, alternative full names,
one wrong digit or day/month swapped in dates, missing and misspelt places and postcodes, 1% of
rows with no usable name. Splink runs its own documentation's settings for each file in the same
process (README quickstart for fake_1000; the deduplicate_50k_synthetic example for the messy
set, whose columns the generator copies). The fitted model is the default from
5,000 records on (fewer give EM too few pairs; fixed weights below). CPU seconds of the fitted
run on the messy set by stage (reading and preparing not included): {stages}."""


if __name__ == "__main__":
    print(run())
