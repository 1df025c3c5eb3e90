"""`python -m bench.gateway [--quick]`: seeding, intake (API vs raw inserts), queue queries.

Writes its results to the "## Gateway" section of docs/benchmarks.md (other sections untouched).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench.docs_section import write_section
from bench.gateway import intake, queues
from ncb.demo import seed
from ncb.store.db import make_engine

GOAL_SEED_S = 60.0
GOAL_API_PER_S = 300.0
GOAL_QUEUE_P99_MS = 50.0


def _engine(directory: str, name: str):  # type: ignore[no-untyped-def]
    return make_engine(f"sqlite:///{os.path.join(directory, name)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.gateway")
    ap.add_argument("--quick", action="store_true", help="smaller run (5,000 / 50,000 cases)")
    ap.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    ap.add_argument("--keep", metavar="DIR", help="keep the benchmark databases in DIR")
    args = ap.parse_args(argv)
    base = 5_000 if args.quick else 27_000
    big = base * 10
    n_intake = 300 if args.quick else 900
    runs = 200
    lines: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        for old in Path(args.keep).glob("*.sqlite3*"):
            old.unlink()
    with (contextlib.nullcontext(args.keep) if args.keep
          else tempfile.TemporaryDirectory(prefix="ncb-bench-")) as tmp:
        # 1. Seeding the demo year.
        engine = _engine(tmp, "year.sqlite3")
        load_before = os.getloadavg()[0]
        cpu = time.process_time()
        report = seed(engine, cases=base, seed=2026)
        cpu = time.process_time() - cpu
        rows_total = sum(report.counts.values())
        say(f"### Seeding ({base:,} cases, SQLite file)")
        say("")
        say(f"- `seed(engine, cases={base})`: **{report.seconds:.1f} s** for {rows_total:,} rows "
            f"({rows_total / report.seconds:,.0f} rows/s); goal < {GOAL_SEED_S:.0f} s: "
            f"{'met' if report.seconds < GOAL_SEED_S else 'MISSED'} (CPU time of this process "
            f"{cpu:.1f} s; 1-min load average {load_before:.1f} on {os.cpu_count()} cores when "
            f"it started: other work on the machine inflates wall times)")
        say("- phases (s): " + ", ".join(f"{k} {v}" for k, v in report.phases.items()))
        say("- rows: " + ", ".join(f"{k} {v:,}" for k, v in report.counts.items()))
        say("")

        # 2. Queue queries at the base size (before intake adds rows).
        queue_results = {base: queues.run(engine, runs)}

        # 3. Intake: API vs raw insert of the same cases.
        rows, codes = intake.make_cases(engine, n_intake, seed=99)
        bodies = intake.payloads(rows, codes)
        third = len(bodies) // 3
        api = intake.api_intake(engine, bodies[:third])
        batched = intake.api_batch_intake(engine, bodies[third:2 * third])
        bare = intake.api_intake(engine, bodies[2 * third:], screen=False)
        raw = intake.raw_insert(engine, rows)
        ratio = api["per_s"] / raw["per_s"]
        say(f"### Intake (new cases into the {base:,}-case database; one warm-up request each)")
        say("")
        say("| path | cases | seconds | cases/s |")
        say("|---|---:|---:|---:|")
        say(f"| API: POST /cases (TestClient, bearer token, full app: validation, routing, "
            f"deadline, keys, audit, one transaction per request) | {api['cases']:,} | "
            f"{api['seconds']:.2f} | **{api['per_s']:,.0f}** |")
        say(f"| API: POST /cases/batch, 50 cases per request and transaction (same full "
            f"intake and screening per case; {batched['requests_per_s']:,.1f} requests/s) | "
            f"{batched['cases']:,} | {batched['seconds']:.2f} | **{batched['per_s']:,.0f}** |")
        say(f"| diagnostic: same API with entity screening stubbed out | {bare['cases']:,} | "
            f"{bare['seconds']:.2f} | {bare['per_s']:,.0f} |")
        say(f"| baseline: Core bulk insert of the same cases and children (one transaction) | "
            f"{raw['cases']:,} | {raw['seconds']:.2f} | {raw['per_s']:,.0f} |")
        say("")
        say(f"- API / raw-insert ratio: **{ratio:.3f}** (the API is {1 / ratio:,.0f}x slower "
            f"per case); without screening {bare['per_s'] / raw['per_s']:.3f}; failures: "
            f"{api['failures'] + bare['failures']}; goal > {GOAL_API_PER_S:.0f}/s: "
            f"{'met' if api['per_s'] > GOAL_API_PER_S else 'MISSED'} one case per request, "
            f"{'met' if batched['per_s'] > GOAL_API_PER_S else 'MISSED'} batched")
        say("")
        engine.dispose()

        # 4. Queue queries at ten times the size: the year plus lean history (cases only).
        engine = _engine(tmp, "big.sqlite3")
        t = time.perf_counter()
        seed(engine, cases=base, seed=2026, extra_lean_cases=big - base)
        seeded_big = time.perf_counter() - t
        queue_results[big] = queues.run(engine, runs)
        engine.dispose()

    say(f"### Queue queries (`ncb.services.queues.queue`, page of 50, access-filtered ORM "
        f"session, {runs} runs each)")
    say("")
    say(f"The {big:,}-case database is the seeded year plus {big - base:,} older case rows "
        f"without children (seeded in {seeded_big:.0f} s).")
    say("")
    say(f"| query | rows | p50 ms @{base // 1000}k | p99 ms @{base // 1000}k | "
        f"p50 ms @{big // 1000}k | p99 ms @{big // 1000}k | goal p99 < {GOAL_QUEUE_P99_MS:.0f} ms |")
    say("|---|---:|---:|---:|---:|---:|---|")
    missed = []
    for small_r, big_r in zip(queue_results[base], queue_results[big], strict=True):
        ok = big_r["p99"] < GOAL_QUEUE_P99_MS
        if not ok:
            missed.append(big_r)
        say(f"| {small_r['query']} | {big_r['rows']} | {small_r['p50']:.2f} | {small_r['p99']:.2f} "
            f"| {big_r['p50']:.2f} | {big_r['p99']:.2f} | {'met' if ok else 'MISSED'} |")
    say("")
    for r in missed:
        say(f"- {r['query']} plan @{big // 1000}k: `{r['plan']}`")
    if missed:
        say("")
    say("Plans at the large size (SQLite EXPLAIN QUERY PLAN):")
    say("")
    for r in queue_results[big]:
        say(f"- {r['query']}: `{r['plan']}`")
    say("")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    header = [
        f"Command: `{'python -m bench.gateway' + (' --quick' if args.quick else '')}` "
        f"(`make bench`); {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine}.",
        "",
    ]
    if not args.no_docs:
        write_section("Gateway", header + lines)
    return 0




if __name__ == "__main__":
    sys.exit(main())
