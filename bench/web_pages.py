"""`python -m bench.web_pages [--quick] [--runs N]`: server time of the workbench pages.

Seeds the demo bureau at 27,000 cases and at 270,000 (the year plus 243,000 older case rows
without children), signs in as the duty supervisor and times each page through the whole
app in-process (TestClient: routing, auth, access-filtered queries, template rendering; no
network). Writes the "## Web pages" section of docs/benchmarks.md (other sections untouched).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import statistics
import tempfile
import time
from typing import Any

os.environ.setdefault("NCB_ARGON2_TIME_COST", "1")
os.environ.setdefault("NCB_ARGON2_MEMORY_KIB", "8")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.docs_section import DOCS, write_section  # noqa: E402
from ncb.app import create_app  # noqa: E402
from ncb.demo import seed  # noqa: E402
from ncb.settings import Settings, get_settings  # noqa: E402
from ncb.store.db import make_engine  # noqa: E402

GOAL_MS = 150.0
PASSWORD = "demo-password-2026"
PAGES = [
    ("queue: mine", "/w/queues/mine"),
    ("queue: my team", "/w/queues/team"),
    ("queue: whole desk", "/w/queues/desk"),
    ("queue: due in 24 h", "/w/queues/due"),
    ("queue: overdue", "/w/queues/overdue"),
    ("queue: unassigned", "/w/queues/unassigned"),
    ("queue: desk, interpol, by priority", "/w/queues/desk?channel=interpol&sort=priority"),
    ("queue: desk, page 20", "/w/queues/desk?page=20"),
    ("case page (random OFFICIAL case)", "CASE"),
    ("dashboard (not a goal page)", "/w/dashboard"),
]


def _login(client: TestClient, username: str) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf": token.group(1)}, follow_redirects=False)
    if r.status_code != 303:
        raise SystemExit(f"sign-in as {username} failed: {r.status_code}")


def _refs(url: str, n: int) -> list[str]:
    from ncb.store.models import Case

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            refs = list(conn.scalars(select(Case.reference).where(
                Case.classification == "OFFICIAL", Case.owner_agency_id == 1).limit(20_000)))
    finally:
        engine.dispose()
    rng = random.Random(7)
    return [rng.choice(refs) for _ in range(n)]


def measure(url: str, runs: int) -> list[dict[str, Any]]:
    app = create_app(Settings(database_url=url))
    out = []
    with TestClient(app) as client:
        _login(client, "supervisor")
        refs = _refs(url, runs)
        # The app builds its screening index in the background at start, then freezes its
        # heap; time the pages of a server that has finished starting.
        app.state.warmed.wait(timeout=300)
        # A long-running server freezes its start-up heap (rules, templates, the matcher's
        # tables): otherwise each full collection walks ~160k long-lived objects (50-400 ms).
        gc.collect()
        gc.freeze()
        for name, path in PAGES:
            times = []
            for i in range(runs + 3):
                target = f"/w/cases/{refs[i % len(refs)]}" if path == "CASE" else path
                t = time.perf_counter()
                r = client.get(target)
                dt = (time.perf_counter() - t) * 1000
                if r.status_code != 200:
                    raise SystemExit(f"{target}: HTTP {r.status_code}\n{r.text[:500]}")
                if i >= 3:  # the first requests warm caches (rules, templates, SQLite pages)
                    times.append(dt)
            times.sort()
            out.append({"page": name, "path": path, "p50": statistics.median(times),
                        "p99": times[min(len(times) - 1, int(len(times) * 0.99))]})
    app.state.engine.dispose()
    gc.unfreeze()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.web_pages")
    ap.add_argument("--quick", action="store_true", help="2,700 / 27,000 cases")
    ap.add_argument("--runs", type=int, default=100, help="requests per page (default 100)")
    ap.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    args = ap.parse_args(argv)
    base = 2_700 if args.quick else 27_000
    big = base * 10
    results: dict[int, list[dict[str, Any]]] = {}
    seeded: dict[int, float] = {}
    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ncb-bench-web-") as tmp:
        for size in (base, big):
            url = f"sqlite:///{os.path.join(tmp, f'web{size}.sqlite3')}"
            os.environ["NCB_DATABASE_URL"] = url
            get_settings.cache_clear()
            engine = make_engine(url)
            t = time.perf_counter()
            seed(engine, cases=base, seed=2026, extra_lean_cases=size - base)
            seeded[size] = time.perf_counter() - t
            engine.dispose()
            print(f"seeded {size:,} cases in {seeded[size]:.0f} s; timing pages...", flush=True)
            results[size] = measure(url, args.runs)
    lines = [
        f"Command: `python -m bench.web_pages` ({args.runs} requests per page after 3 warm-up "
        f"requests; {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite file; whole run {time.perf_counter() - began:.0f} s).",
        "",
        "Server time of each page through the whole app in-process (TestClient: routing, session "
        "check, access-filtered queries, Jinja2 rendering; no network), signed in as the duty "
        "supervisor. Queue pages fetch 51 rows (LIMIT n+1, no COUNT). The "
        f"{big:,}-case database is the demo year ({base:,} cases with entities, messages, "
        f"deadlines and audit) plus {big - base:,} older case rows without children.",
        "",
        f"Machine load average (1 min) {load_before:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end of the run on {os.cpu_count()} cores: p99 "
        "figures include waits for a CPU while other jobs ran; compare the p50s across sizes.",
        "The server process runs with its start-up heap frozen (`gc.collect(); gc.freeze()`).",
        "",
        f"| page | p50 ms @{base // 1000}k | p99 ms @{base // 1000}k | p50 ms @{big // 1000}k | "
        f"p99 ms @{big // 1000}k | goal p99 < {GOAL_MS:.0f} ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for small_r, big_r in zip(results[base], results[big], strict=True):
        goal = "—" if "not a goal" in small_r["page"] else (
            "met" if big_r["p99"] < GOAL_MS else "MISSED")
        lines.append(f"| {small_r['page']} | {small_r['p50']:.1f} | {small_r['p99']:.1f} | "
                     f"{big_r['p50']:.1f} | {big_r['p99']:.1f} | {goal} |")
    print("\n".join(lines))
    if not args.no_docs and not args.quick:
        write_section("Web pages", lines)
        print(f"wrote the Web pages section of {DOCS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
