"""`python -m bench.release_panel [--cases N] [--runs N]`: the EAW release panel per queue view.

Seeds the demo bureau (SQLite file), signs nobody in: times the service calls a queue page
makes, each in its own unit of work as a request has, in one process, interleaved run by run:
the desk queue query (the baseline), the panel as it was (`eaw_limits.releases(...,
audit_as="queues")`: replay of unmirrored custody warrants, ORM rows, an audit entry per view)
and the panel now (`eaw_panel.release_panel`, read-only). Counts the statements that write.
Prints a Markdown table; `--record` replaces the "## EAW release panel" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, func, select

from bench.docs_section import DOCS, write_section
from ncb.demo import seed
from ncb.services import queues
from ncb.services.channels.eaw_limits import custody, releases
from ncb.services.channels.eaw_panel import release_panel
from ncb.services.context import principal_named, unit_of_work
from ncb.store.db import make_engine, session_factory
from ncb.store.models import Case, Warrant

WRITES = ("INSERT", "UPDATE", "DELETE")


def _people(items: list[Any]) -> list[tuple[int, list[Any]]]:
    return [(r.warrant.id, [e.due_at for e in r.expired]) for r in items]


def run(cases: int, runs: int) -> tuple[list[str], bool]:
    with tempfile.TemporaryDirectory(prefix="ncb-bench-release-") as tmp:
        engine = make_engine(f"sqlite:///{os.path.join(tmp, 'release.sqlite3')}")
        t = time.perf_counter()
        seed(engine, cases=cases, seed=2026)
        print(f"seeded in {time.perf_counter() - t:.0f} s; timing...", flush=True)
        writes: list[str] = []

        @event.listens_for(engine, "before_cursor_execute")
        def _count(conn: Any, cursor: Any, stmt: str, *args: Any) -> None:
            if stmt.lstrip().split(None, 1)[0].upper() in WRITES:
                writes.append(stmt)

        factory = session_factory(engine)
        with factory() as s:
            p = principal_named(s, "supervisor")
        assert p is not None
        calls: dict[str, Callable[[Any], Any]] = {
            "desk queue query (baseline)": lambda s: queues.queue(s, p, "desk"),
            'release panel before (`releases(..., audit_as="queues")`)': lambda s: releases(
                s, p, audit_as="queues", always_log=False
            ),
            "release panel now (`release_panel`)": lambda s: release_panel(s, p),
        }
        first: dict[str, Any] = {}
        # The seed mirrors every warrant's clocks (eaw_limits.mirror_clocks), so the first call
        # replays nothing: it is the cold call (empty caches). Counted, not assumed.
        with unit_of_work(factory, p) as s:
            unmirrored = s.scalar(
                select(func.count()).select_from(Warrant).join(Case, Case.id == Warrant.case_id)
                .where(custody(), Case.next_due_at.is_(None))
            )
        t = time.perf_counter()
        with unit_of_work(factory, p) as s:
            first["panel"] = _people(release_panel(s, p))
        unmirrored_ms = (time.perf_counter() - t) * 1000
        with unit_of_work(factory, p) as s:
            first["before"] = _people(releases(s, p, audit_as="queues", always_log=False))
        times: dict[str, list[float]] = {k: [] for k in calls}
        wrote: dict[str, int] = dict.fromkeys(calls, 0)
        found: dict[str, int] = {}
        for i in range(runs + 3):
            for name, call in calls.items():
                writes.clear()
                t = time.perf_counter()
                with unit_of_work(factory, p) as s:
                    out = call(s)
                dt = (time.perf_counter() - t) * 1000
                if i >= 3:  # warm-up: statement caches, SQLite pages
                    times[name].append(dt)
                    wrote[name] += len(writes)
                found[name] = len(out.items) if hasattr(out, "items") else len(out)
        with unit_of_work(factory, p) as s:
            same = first["panel"] == first["before"] == _people(release_panel(s, p))
        engine.dispose()
    load = os.getloadavg()[0]
    lines = [
        f"Command: `python -m bench.release_panel --cases {cases} --runs {runs}` "
        f"(`make bench-release-panel`; {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite file; 1-min load {load:.1f} at the end; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).",
        "",
        f"Demo bureau seeded with `cases={cases}`, signed in as the duty supervisor; each call "
        "in its own unit of work (begin, access-filtered queries, commit) as a request has; the "
        f"three interleaved, {runs} runs each after 3 warm-up rounds.",
        "",
        "| per queue view | p50 ms | max ms | rows | writes per view |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, ts in times.items():
        lines.append(
            f"| {name} | {statistics.median(ts):.1f} | {max(ts):.1f} | "
            f"{found[name]} | {wrote[name] / runs:.0f} |"
        )
    lines += [
        "",
        f"First panel call on the freshly seeded file (cold; custody warrants the seed left "
        f"unmirrored, replayed in memory: {unmirrored}): {unmirrored_ms:.0f} ms. Same persons "
        f"and expired limits from the panel (before and after mirroring) and the old path: "
        f"{'yes' if same else 'NO'}.",
    ]
    return lines, same


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.release_panel")
    ap.add_argument("--cases", type=int, default=2_700, help="demo size (default 2,700)")
    ap.add_argument("--runs", type=int, default=50, help="calls of each (default 50)")
    ap.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    args = ap.parse_args(argv)
    lines, same = run(args.cases, args.runs)
    print("\n".join(lines))
    if args.record:
        write_section("EAW release panel", lines)
        print(f"wrote the EAW release panel section of {DOCS}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
