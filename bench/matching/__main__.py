"""Run the matching benchmarks and print Markdown tables.

python -m bench.matching            # full run (1,000,000-person scale test)
python -m bench.matching --quick    # 10,000 sampled negatives, 100,000-person scale test
python -m bench.matching --record   # also write the "## Matching" section of docs/benchmarks.md
python -m bench.matching --only dedupe --record   # replace only the De-duplication subsection
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time

from bench.matching import (
    REPO,
    dedupe,
    dedupe_scale,
    febrl,
    names,
    recording,
    screening,
    screening_hard,
    table,
    xscript,
)


def scale(n: int) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(
        [sys.executable, "-m", "bench.matching.scale", "--n", str(n)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    rows = [
        [
            "ncb.matching Screener (inverted index + scoring)",
            f"{r['n']:,}",
            r["build_s"],
            r["index_rss_mib"],
            r["peak_rss_mib"],
            r["p50_ms"],
            r["p99_ms"],
            r["qps"],
            r["recall_at_10"],
        ],
        [
            "rapidfuzz process.extract over all names (baseline)",
            f"{r['n']:,}",
            "",
            "",
            "",
            "",
            "",
            r["baseline_qps"],
            "",
        ],
    ]
    return (
        "### Scale (synthetic watchlist, 24 Faker locales / scripts; queries are list entries "
        "with one letter deleted and tokens shuffled; one core)\n\n"
        + table(
            [
                "method",
                "records",
                "build s",
                "index MiB",
                "peak RSS MiB",
                "p50 ms",
                "p99 ms",
                "queries/s",
                "recall@10",
            ],
            rows,
        )
    )


PARTS = ["names", "xscript", "screening", "screening_hard", "febrl", "dedupe", "dedupe_scale", "scale"]


def record(intro: str, parts: dict[str, str], partial: bool) -> None:
    path = REPO / "docs" / "benchmarks.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if partial:
        new = recording.replace_parts(old, parts)
    else:
        new = recording.replace_section(old, recording.full_section(intro, parts))
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.matching")
    ap.add_argument("--quick", action="store_true", help="smaller run")
    ap.add_argument("--record", action="store_true", help="update docs/benchmarks.md")
    ap.add_argument(
        "--only",
        choices=PARTS,
        action="append",
    )
    args = ap.parse_args()
    parts: dict[str, str] = {}
    t0 = time.perf_counter()
    load0 = os.getloadavg()[0]
    todo = args.only or PARTS
    if "names" in todo:
        parts["names"] = names.run(args.quick)
    if "xscript" in todo:
        parts["xscript"] = xscript.run(args.quick)
    if "screening" in todo:
        parts["screening"] = screening.run(args.quick)
    if "screening_hard" in todo:
        parts["screening_hard"] = screening_hard.run(args.quick)
    # What earlier steps leave behind (normalisation caches of 50,000 names) is long-lived:
    # freeze it, as a server does after start-up, so each step is timed on its own work.
    gc.collect()
    gc.freeze()
    if "febrl" in todo:
        parts["febrl"] = febrl.run(args.quick)
    if "dedupe" in todo:
        parts["dedupe"] = dedupe.run(args.quick)
    if "dedupe_scale" in todo:
        parts["dedupe_scale"] = dedupe_scale.run((100_000,) if args.quick else (1_000_000,))
    if "scale" in todo:
        parts["scale"] = scale(100_000 if args.quick else 1_000_000)
    cmd = "python -m bench.matching" + (" --quick" if args.quick else "")
    if args.only:
        cmd += "".join(f" --only {p}" for p in args.only)
    run = (
        f"Command: `{cmd}`" + ("" if args.only else " (or `make bench-matching`)") + ", run on "
        f"{platform.machine()} with {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"in {time.perf_counter() - t0:.0f} s (1-minute load average {load0:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end: timings are only comparable to the baselines "
        "of the same run)."
    )
    intro = (
        run + " Data: ../shared/bench (open benchmark data). "
        "Every figure beside a baseline measured in the same run; thresholds fixed "
        "(ncb/matching/data/thresholds.yaml)."
    )
    if args.only:
        # Each part says how it was run: the section's opening line is the last full run's.
        parts = {k: _with_run(v, run) for k, v in parts.items()}
    print(intro + "\n\n" + "\n\n".join(parts.values()))
    if args.record:
        record(intro, parts, partial=bool(args.only))


def _with_run(text: str, run: str) -> str:
    heading, _, body = text.partition("\n")
    return f"{heading}\n\n{run}\n{body}"


if __name__ == "__main__":
    main()
