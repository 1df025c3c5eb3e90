"""`python -m bench.access_children [--cases N] [--runs N]`: what the child-row filter costs.

Seeds the demo bureau (2,700 cases by default), then times the case page (`/w/cases/{ref}`)
and the timeline API through the whole app in-process, as the duty supervisor, with the filter
of rows without markings (ncb.store.children) on, and, as the same-process baseline, with it
switched off (the marked-record filter stays on in both). Requests alternate between the two
modes over the same random cases, so machine load hits both alike.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
from typing import Any

os.environ.setdefault("NCB_ARGON2_TIME_COST", "1")
os.environ.setdefault("NCB_ARGON2_MEMORY_KIB", "8")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.seeded_db import seeded_sqlite
from ncb.app import create_app  # noqa: E402
from ncb.settings import Settings  # noqa: E402
from ncb.store import access  # noqa: E402
from ncb.store.db import make_engine  # noqa: E402
from ncb.store.models import Case  # noqa: E402

PASSWORD = "demo-password-2026"


def _login(client: TestClient, username: str) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf": token.group(1)}, follow_redirects=False)
    if r.status_code != 303:
        raise SystemExit(f"sign-in as {username} failed: {r.status_code}")


def _pct(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def measure(url: str, runs: int) -> dict[str, dict[str, tuple[float, float]]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        refs = list(conn.scalars(select(Case.reference).where(Case.owner_agency_id == 1)
                                 .limit(20_000)))
    engine.dispose()
    rng = random.Random(7)
    picks = [rng.choice(refs) for _ in range(runs + 3)]
    children = access.CHILD_TABLES
    app = create_app(Settings(database_url=url))
    out: dict[str, dict[str, tuple[float, float]]] = {}
    with TestClient(app) as client:
        _login(client, "supervisor")
        app.state.warmed.wait(timeout=300)
        for name, path in (("case page", "/w/cases/{}"), ("timeline (web session)",
                                                           "/cases/{}/timeline")):
            times: dict[str, list[float]] = {"on": [], "off": []}
            for i, ref in enumerate(picks):
                for mode in ("on", "off"):
                    access.CHILD_TABLES = children if mode == "on" else {}
                    t = time.perf_counter()
                    r = client.get(path.format(ref))
                    dt = (time.perf_counter() - t) * 1000
                    if r.status_code != 200:
                        raise SystemExit(f"{path.format(ref)}: HTTP {r.status_code}")
                    if i >= 3:
                        times[mode].append(dt)
            out[name] = {mode: _pct(v) for mode, v in times.items()}
    access.CHILD_TABLES = children
    app.state.engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.access_children")
    ap.add_argument("--cases", type=int, default=2_700)
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args(argv)
    load = os.getloadavg()[0]
    with seeded_sqlite("ncb-bench-access-", args.cases, point_env=True) as db:
        print(f"seeded {args.cases:,} cases in {db.seconds:.0f} s", flush=True)
        result: dict[str, Any] = measure(db.url, args.runs)
    print(f"{args.runs} requests per mode, load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
    print("| request | p50 ms filter on | p99 ms on | p50 ms off (baseline) | p99 ms off |")
    print("|---|---:|---:|---:|---:|")
    for name, modes in result.items():
        (p50, p99), (b50, b99) = modes["on"], modes["off"]
        print(f"| {name} | {p50:.1f} | {p99:.1f} | {b50:.1f} | {b99:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
