"""De-duplication at scale: a generated messy set of ``--n`` records (bench.matching.messy, the
generator of the 50,000-record set: the same perturbations and cluster sizes, more people),
timed stage by stage with the peak memory of the process.

    python -m bench.matching.dedupe_scale --n 1000000     # prints one JSON line

Run in its own process (``run``) so that the peak RSS is this job's alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.matching import REPO, table


def measure(n: int, seed: int) -> dict[str, object]:
    from bench.matching import messy
    from ncb.matching.bulk import dedupe_clusters
    from ncb.matching.io import read_persons
    from ncb.matching.record import prepare

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = messy.write(Path(tmp) / "messy.csv", n, seed=seed)
        generate_s = time.perf_counter() - t
        w, c = time.perf_counter(), time.process_time()
        res = read_persons(path)
        prepared = [prepare(r) for r in res.records]
        read_cpu = time.process_time() - c
        got = dedupe_clusters(prepared, explain=False)
        wall, cpu = time.perf_counter() - w, time.process_time() - c
        with path.open(newline="", encoding="utf-8") as fh:
            truth = {r["unique_id"]: r["cluster"] for r in csv.DictReader(fh)}
    found = _pair_counts(got.assignment, truth)
    sizes = Counter(got.assignment.values())
    return {
        "n": n,
        "generate_s": round(generate_s, 1),
        "read_prepare_cpu_s": round(read_cpu, 1),
        **{f"{k}_cpu_s": round(v, 1) for k, v in got.stages.items()},
        "total_cpu_s": round(cpu, 1),
        "wall_s": round(wall, 1),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        **found,
        "largest": max(sizes.values()),
    }


def _pair_counts(assignment: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 over the named records, counted per cluster pair."""
    both = Counter((assignment[r], truth[r]) for r in assignment)
    tp = sum(k * (k - 1) // 2 for k in both.values())
    found = sum(k * (k - 1) // 2 for k in Counter(assignment.values()).values())
    real = sum(k * (k - 1) // 2 for k in Counter(truth[r] for r in assignment).values())
    p, r = tp / max(found, 1), tp / max(real, 1)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-12), 4)}


def run(sizes: tuple[int, ...], seed: int = 8) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    results = []
    for n in sizes:
        cmd = [sys.executable, "-m", "bench.matching.dedupe_scale", "--n", str(n), "--seed", str(seed)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=REPO)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return render(results, seed)


COLUMNS = {
    "records": "n",
    "read+prepare CPU s": "read_prepare_cpu_s",
    "blocking": "blocking_cpu_s",
    "fitting": "fitting (u, EM)_cpu_s",
    "scoring": "scoring_cpu_s",
    "clustering": "clustering_cpu_s",
    "total CPU s": "total_cpu_s",
    "wall s": "wall_s",
    "peak RSS MiB": "peak_rss_mib",
    "precision": "precision",
    "recall": "recall",
    "F1": "f1",
    "largest cluster": "largest",
}


def render(results: list[dict[str, object]], seed: int = 8) -> str:
    """The Markdown table of ``measure`` results (one JSON line per size)."""
    rows = [[f"{r[k]:,}" if isinstance(r[k], int) else r[k] for k in COLUMNS.values()] for r in results]
    return (
        "### De-duplication at scale (generated messy sets, bench.matching.messy seed "
        f"{seed}; ncb dedupe with the fitted model, one process, one core)\n\n" + table(list(COLUMNS), rows)
    )


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.matching.dedupe_scale")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args()
    print(json.dumps(measure(args.n, args.seed)))


if __name__ == "__main__":
    main()
