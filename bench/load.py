"""`make load`: a bounded load test of `ncb serve` from a separate process on loopback.

Rates model a national bureau's peak hour, not its average: 27,000 cases a year is about
one new case every 20 minutes, so writes are rare; the load is desk officers reading cases
and screening people (a border or custody query is a `POST /screen`). Defaults: 20 reads/s,
5 screenings/s and one new case every 5 s for 30 s, open loop (requests are sent on a
schedule, not when the previous one returns), 8 client threads. Exit 1 on any error.

Baseline in the same run: the same clients fetch two trivial things on the same schedule
(5/s each): `GET /static/favicon.png` (a file, no database, no sign-in) and `GET /health`
(one `SELECT 1`). Their latency is what the machine, the loopback and the server's HTTP stack
cost at that moment; the domain requests' latency above it is the application's own. On a
shared machine the absolute numbers move from run to run; the ratio to the baseline less so.

    .venv/bin/python -m bench.load [--seconds 30] [--reads 20] [--screens 5] [--writes 0.2]
                                   [--baseline 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.server import NCB, free_port, serve

PASSWORD = "demo-password-2026"  # the synthetic demo bureau's (ncb.demo.guide)
PERSON = {"first_name": "Jan", "last_name": "Visser", "date_of_birth": "1980-01-02"}
KINDS = ("read", "screen", "write", "static", "health")
BASELINE = {"static": "/static/favicon.png", "health": "/health"}  # same run, same clients
CASE = {"channel": "europol", "country": "NL", "crime_area": "drugs", "title": "Load test case",
        "summary": "Bounded load run.", "entities": [PERSON]}


def _schedule(args: argparse.Namespace) -> list[tuple[float, str]]:
    plan: list[tuple[float, str]] = []
    for kind, rate in (("read", args.reads), ("screen", args.screens), ("write", args.writes),
                       ("static", args.baseline), ("health", args.baseline)):
        if rate > 0:
            plan += [(i / rate, kind) for i in range(int(args.seconds * rate))]
    return sorted(plan)


def run(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="ncb-load-"))
    env = {**os.environ, "NCB_DATABASE_URL": f"sqlite:///{tmp / 'load.sqlite3'}",
           "NCB_LOG_LEVEL": "WARNING"}
    subprocess.run([NCB, "demo", "--reset", "--cases", str(args.cases)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    server = serve(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        token = httpx.post(f"{base}/auth/token", json={"username": "desk", "password": PASSWORD},
                           timeout=30).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        # Cases to read (setup, not measured): the demo's references depend on their dates.
        refs = [httpx.post(f"{base}/cases", json=CASE, headers=headers, timeout=30)
                .json()["reference"] for _ in range(20)]
        results: dict[str, list[float]] = {k: [] for k in KINDS}
        errors: list[str] = []
        lock = threading.Lock()
        plan = _schedule(args)
        cursor = iter(plan)
        start = time.monotonic() + 0.5

        def worker() -> None:
            rnd = random.Random()
            with httpx.Client(base_url=base, timeout=30) as c:  # one client for every kind
                while True:
                    with lock:
                        item = next(cursor, None)
                    if item is None:
                        return
                    at, kind = item
                    time.sleep(max(0.0, start + at - time.monotonic()))
                    t0 = time.perf_counter()
                    if kind == "read":
                        r = c.get(f"/cases/{rnd.choice(refs)}", headers=headers)
                    elif kind in BASELINE:
                        r = c.get(BASELINE[kind])
                    elif kind == "screen":
                        r = c.post("/screen", json={"entities": [PERSON], "top": 10},
                                   headers=headers)
                    else:
                        r = c.post("/cases", json=CASE, headers=headers)
                    took = time.perf_counter() - t0
                    with lock:
                        results[kind].append(took)
                        if r.status_code >= 400:
                            errors.append(f"{kind} {r.status_code} {r.text[:120]}")

        threads = [threading.Thread(target=worker) for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - start
    finally:
        server.kill()
        server.wait()
    total = sum(len(v) for v in results.values())
    print(f"load: {total} requests in {wall:.1f} s ({total / wall:.1f}/s) on loopback, "
          f"{args.threads} client threads, SQLite demo bureau of {args.cases} cases")
    base_p95 = _p95(results["static"])
    for kind, times in results.items():
        if times:
            ms = sorted(t * 1000 for t in times)
            ratio = f"  {_p95(times) / base_p95:5.1f}x static p95" if base_p95 else ""
            tag = "  (baseline)" if kind in BASELINE else ""
            print(f"  {kind:6} {len(ms):5}  p50 {statistics.median(ms):7.1f} ms  "
                  f"p95 {ms[int(len(ms) * 0.95) - 1]:7.1f} ms  max {ms[-1]:7.1f} ms{ratio}{tag}")
    print(f"  errors {len(errors)}")
    for e in errors[:10]:
        print("   ", e)
    return 1 if errors else 0


def _p95(times: list[float]) -> float:
    ms = sorted(t * 1000 for t in times)
    return ms[int(len(ms) * 0.95) - 1] if ms else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--reads", type=float, default=20)
    parser.add_argument("--screens", type=float, default=5)
    parser.add_argument("--writes", type=float, default=0.2)
    parser.add_argument("--baseline", type=float, default=5,
                        help="rate of each baseline request (static file, /health) per second")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--cases", type=int, default=300)
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
