"""Retention queue, threat trends and the year in numbers on the demo year.

    python -m bench.data_protection [--cases 27000] [--lean 0] [--runs 20] [--db FILE]

`--db FILE` keeps the seeded database: a later run with the same file skips seeding (and the
ageing step), so the measures can be re-run on the same data after a code change.

Seeds the demo year into a temporary SQLite file, moves every other case back 2,200 days (so
about half the year is due for review: 6-year default, 5-year Interpol, 3-year Europol), and
times, as the supervisor (access filter on), each beside a same-process baseline:
- the retention queue (count per kind and the first 200 due) vs counting and reading 200 cases
  received before the cutoff with no schedule, reviews or filter;
- trends by crime area over the seeded year vs reading the same (month, crime area) rows
  unfiltered;
- the year in numbers vs counting the year's cases per channel unfiltered, and vs the same
  figures with the access filter off (system caller); and the EAW
  statistics' event replay (what the year in numbers ran before it counted in SQL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from ncb.demo import seed
from ncb.services.channels.stats import eaw_stats
from ncb.services.context import SYSTEM, principal_for
from ncb.services.retention.queue import review_queue
from ncb.services.threat.trends import trends
from ncb.services.threat.year import year_in_numbers
from ncb.store.access import PRINCIPAL
from ncb.store.db import make_engine, session_factory
from ncb.store.models import Case, User

SKIP = {"skip_access": True}


def timed(runs: int, fn: Callable[[], Any],
          clock: Callable[[], float] = time.perf_counter) -> list[float]:
    out = []
    for _ in range(runs):
        t = clock()
        fn()
        out.append((clock() - t) * 1000)
    return out


def show(name: str, xs: list[float], base: list[float]) -> None:
    print(f"{name}: p50 {statistics.median(xs):.1f} ms, max {max(xs):.1f} ms "
          f"(baseline p50 {statistics.median(base):.1f} ms, max {max(base):.1f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=27_000)
    ap.add_argument("--lean", type=int, default=0)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--db", type=Path, default=None, help="keep (or reuse) the seeded file")
    ap.add_argument("--seed-only", action="store_true")
    ap.add_argument("--only", choices=("queue", "trends", "year"), default=None,
                    help="time one measure (and its baseline) only")
    args = ap.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="ncb-bench-dp-")) / "bench.sqlite3"
    fresh = not path.exists()
    engine = make_engine(f"sqlite:///{path}")
    factory = session_factory(engine)
    if fresh:
        t = time.perf_counter()
        rep = seed(engine, cases=args.cases, extra_lean_cases=args.lean, seed=2026)
        print(f"seed: {time.perf_counter() - t:.1f} s, {rep.counts.get('cases')} cases; "
              f"load average {os.getloadavg()[0]:.2f} (2 cores shared)")
        with engine.begin() as conn:  # half the year becomes old enough to review
            conn.execute(text("UPDATE cases SET received_at = "
                              "datetime(received_at, '-2200 days') WHERE id % 2 = 0"))
    else:
        print(f"reusing {path}; load average {os.getloadavg()[0]:.2f} (2 cores shared)")
    if args.seed_only:
        return
    with factory() as s:
        sup = s.scalar(select(User).where(User.username == "supervisor"))
        assert sup is not None
        p = principal_for(s, sup)
        first, last = s.execute(select(func.min(Case.received_at), func.max(Case.received_at))
                                .where(Case.id % 2 == 1).execution_options(**SKIP)).one()
    span = (f"{first:%Y-%m}", f"{last:%Y-%m}")
    year = last.year
    cutoff = datetime.now(UTC) + timedelta(days=30) - timedelta(days=2192)
    with factory() as s:
        s.info[PRINCIPAL] = p
        if args.only in (None, "queue"):
            measure_queue(s, p, args.runs, cutoff)
        if args.only in (None, "trends"):
            measure_trends(s, p, args.runs, span)
        if args.only in (None, "year"):
            measure_year(s, p, args.runs, year)
        s.rollback()  # the consultations logged by the runs


def measure_queue(s: Any, p: Any, runs: int, cutoff: datetime) -> None:
    q = review_queue(s, p)
    print(f"retention queue: {q.totals} due, first {len(q.items)} listed")
    queue = timed(runs, lambda: review_queue(s, p))
    base = timed(runs, lambda: (
        s.scalar(select(func.count()).select_from(Case).where(Case.received_at <= cutoff)
                 .execution_options(**SKIP)),
        s.scalars(select(Case).where(Case.received_at <= cutoff).order_by(Case.received_at)
                  .limit(200).execution_options(**SKIP)).all()))
    show("retention queue (supervisor)", queue, base)


def measure_trends(s: Any, p: Any, runs: int, span: tuple[str, str]) -> None:
    tr = trends(s, p, "crime_area", *span)
    print(f"trends {span[0]}..{span[1]}: {sum(tr.totals.values())} cases in "
          f"{len(tr.series)} series")
    trend = timed(runs, lambda: trends(s, p, "crime_area", *span))
    base = timed(runs, lambda: s.execute(select(Case.received_at, Case.crime_area)
                                         .where(Case.id % 2 == 1)
                                         .execution_options(**SKIP)).all())
    show("trends by crime area (supervisor)", trend, base)


def measure_year(s: Any, p: Any, runs: int, year: int) -> None:
    y = year_in_numbers(s, p, year)
    print(f"year {year}: {y.total_cases} cases, EAW {y.eaw}, SIS {len(y.sis)} lines")
    yin = timed(runs, lambda: year_in_numbers(s, p, year))
    base = timed(runs, lambda: s.execute(select(Case.channel, func.count())
                                         .group_by(Case.channel)
                                         .execution_options(**SKIP)).all())
    show("year in numbers (supervisor)", yin, base)
    # The same figures with the access filter off (the system caller): what the filter costs.
    s.info[PRINCIPAL] = SYSTEM
    whole = timed(runs, lambda: year_in_numbers(s, SYSTEM, year))
    s.info[PRINCIPAL] = p
    show("year in numbers (supervisor) vs the same figures unfiltered", yin, whole)
    # CPU time of this process (SQLite runs in it): what a loaded, shared machine inflates least.
    cpu = timed(runs, lambda: year_in_numbers(s, p, year), clock=time.process_time)
    s.info[PRINCIPAL] = SYSTEM
    cpu_whole = timed(runs, lambda: year_in_numbers(s, SYSTEM, year), clock=time.process_time)
    s.info[PRINCIPAL] = p
    show("year in numbers, CPU ms (supervisor) vs the same figures unfiltered", cpu, cpu_whole)
    # The replay the year in numbers used to run (the EAW statistics page still does, for its
    # medians): every incoming warrant's events read and walked in Python.
    replay = timed(runs, lambda: eaw_stats(s, p, year))
    show("EAW statistics by event replay (supervisor)", replay, base)


if __name__ == "__main__":
    main()
