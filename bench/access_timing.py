"""`python -m bench.access_timing [--cases N] [--runs N]`: is "hidden" as fast as "missing"?

A partner who may not see a case gets the same 404 as for a case that does not exist
(ncb.services.reading); this measures whether the time of the answer tells them apart. It
seeds the demo bureau on an SQLite file, signs in as partner.fbi, and asks, through the whole
app in-process, for (a) bureau cases not shared with the FBI, (b) ids no case has, and, as the
same-process baseline, (c) the same kind of answer for a case the FBI may see; by id
(`GET /cases/{id}`) and by reference (`GET /cases/{ref}`). The three kinds are interleaved in
rounds (one of each kind, shuffled within the round), so machine load hits all alike and the
n-th requests of each kind form a pair. Printed: median and p95 per kind; for hidden against
missing the median of the paired differences with a bootstrap 95 % interval, the Wilcoxon
signed-rank test on the pairs and the Mann-Whitney U test on the two samples.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import statistics
import time

os.environ.setdefault("NCB_ARGON2_TIME_COST", "1")
os.environ.setdefault("NCB_ARGON2_MEMORY_KIB", "8")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.seeded_db import seeded_sqlite
from ncb.app import create_app  # noqa: E402
from ncb.settings import Settings  # noqa: E402
from ncb.store.db import make_engine  # noqa: E402
from ncb.store.models import Agency, Case, Share  # noqa: E402

PASSWORD = "demo-password-2026"
KINDS = ("hidden", "missing", "visible")
WHY = {"X-Justification": "bench: joint investigation"}  # sent alike for every kind


def _login(client: TestClient, username: str) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    r = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    if r.status_code != 303:
        raise SystemExit(f"sign-in as {username} failed: {r.status_code}")


def _targets(url: str, runs: int) -> dict[str, list[tuple[int, str]]]:
    """(id, reference) per kind: hidden from the FBI, absent, visible to it."""
    engine = make_engine(url)
    with engine.connect() as conn:
        fbi = conn.scalar(select(Agency.id).where(Agency.code == "US-FBI"))
        shared = set(
            conn.scalars(select(Share.record_id).where(Share.record_kind == "case", Share.agency_id == fbi))
        )
        rows = conn.execute(
            select(
                Case.id,
                Case.reference,
                Case.owner_agency_id,
                Case.originator_agency_id,
                Case.sharing_scope,
                Case.classification_rank,
            )
        ).all()
        top = conn.scalar(select(func.max(Case.id))) or 0
    engine.dispose()
    # partner.fbi is cleared OFFICIAL-SENSITIVE (rank 2).
    visible = [
        (i, ref)
        for i, ref, owner, orig, _, rank in rows
        if rank <= 2 and (i in shared or fbi in (owner, orig))
    ]
    hidden = [
        (i, ref)
        for i, ref, owner, orig, scope, _ in rows
        if i not in shared and fbi not in (owner, orig) and scope != "group"
    ]
    rng = random.Random(11)
    year = time.gmtime().tm_year
    missing = [(top + 1000 + n, f"NCB-{year}-{9_000_000 + n:07d}") for n in range(runs)]
    if not visible or not hidden:
        raise SystemExit("the seeded bureau has no case visible to (or hidden from) the FBI")
    return {
        "hidden": [rng.choice(hidden) for _ in range(runs)],
        "missing": missing,
        "visible": [rng.choice(visible) for _ in range(runs)],
    }


def measure(url: str, runs: int) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per request, by route ("by id", "by reference") and kind.

    Requests go in rounds of one of each kind, in a shuffled order within the round, so the
    n-th hidden, missing and visible requests ran side by side (paired: load drift cancels).
    """
    targets = _targets(url, runs + 5)
    app = create_app(Settings(database_url=url))
    out: dict[str, dict[str, list[float]]] = {"by id": {}, "by reference": {}}
    rng = random.Random(5)
    with TestClient(app) as client:
        _login(client, "partner.fbi")
        app.state.warmed.wait(timeout=300)
        for route, pick in (("by id", 0), ("by reference", 1)):
            times: dict[str, list[float]] = {k: [] for k in KINDS}
            for n in range(runs + 5):
                for kind in rng.sample(KINDS, len(KINDS)):
                    key = targets[kind][n][pick]
                    t = time.perf_counter()
                    r = client.get(f"/cases/{key}", headers=WHY)
                    dt = (time.perf_counter() - t) * 1000
                    want = 200 if kind == "visible" else 404
                    if r.status_code != want:
                        raise SystemExit(f"/cases/{key} ({kind}): HTTP {r.status_code}, not {want}")
                    if n >= 5:  # the first rounds warm caches
                        times[kind].append(dt)
            out[route] = times
    app.state.engine.dispose()
    return out


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, math.ceil(0.95 * len(s)) - 1)]


def mann_whitney(a: list[float], b: list[float]) -> float:
    """Two-sided p of the Mann-Whitney U test (normal approximation, tie correction)."""
    pooled = sorted((v, i) for i, v in enumerate(a + b))
    ranks = [0.0] * len(pooled)
    ties = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[pooled[k][1]] = (i + j) / 2 + 1
        t = j - i + 1
        ties += t**3 - t
        i = j + 1
    n1, n2 = len(a), len(b)
    u = sum(ranks[:n1]) - n1 * (n1 + 1) / 2
    n = n1 + n2
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    z = (u - n1 * n2 / 2) / sigma if sigma else 0.0
    return math.erfc(abs(z) / math.sqrt(2))


def wilcoxon(diffs: list[float]) -> float:
    """Two-sided p of the Wilcoxon signed-rank test on paired differences (normal approx.)."""
    d = sorted((abs(x), x > 0) for x in diffs if x != 0)
    n = len(d)
    if n == 0:
        return 1.0
    w = 0.0
    i = 0
    ties = 0.0
    while i < n:
        j = i
        while j + 1 < n and d[j + 1][0] == d[i][0]:
            j += 1
        rank = (i + j) / 2 + 1
        w += sum(rank for k in range(i, j + 1) if d[k][1])
        t = j - i + 1
        ties += t**3 - t
        i = j + 1
    mean = n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - ties / 48)
    return math.erfc(abs((w - mean) / sigma) / math.sqrt(2)) if sigma else 1.0


def median_ci(xs: list[float], rounds: int = 2000) -> tuple[float, float]:
    """Bootstrap 95 % interval of the median of `xs`."""
    rng = random.Random(3)
    meds = sorted(statistics.median(rng.choices(xs, k=len(xs))) for _ in range(rounds))
    return meds[int(0.025 * rounds)], meds[int(0.975 * rounds) - 1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.access_timing")
    ap.add_argument("--cases", type=int, default=600)
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args(argv)
    load = os.getloadavg()[0]
    with seeded_sqlite("ncb-bench-timing-", args.cases, point_env=True) as db:
        print(f"seeded {args.cases:,} cases in {db.seconds:.0f} s", flush=True)
        result = measure(db.url, args.runs)
    print(
        f"{args.runs} requests per kind and route, as partner.fbi; "
        f"load average {load:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    print("| route | kind | median ms | p95 ms |")
    print("|---|---|---:|---:|")
    for route, kinds in result.items():
        for kind, xs in kinds.items():
            print(f"| {route} | {kind} | {statistics.median(xs):.2f} | {p95(xs):.2f} |")
    print(
        "| route | median of paired hidden - missing, ms | bootstrap 95 % CI | Wilcoxon p "
        "(paired) | Mann-Whitney p |"
    )
    print("|---|---:|---|---:|---:|")
    for route, kinds in result.items():
        h, m = kinds["hidden"], kinds["missing"]
        diffs = [a - b for a, b in zip(h, m, strict=True)]
        lo, hi = median_ci(diffs)
        print(
            f"| {route} | {statistics.median(diffs):+.2f} | [{lo:+.2f}, {hi:+.2f}] | "
            f"{wilcoxon(diffs):.3f} | {mann_whitney(h, m):.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
