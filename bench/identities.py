"""Identities benchmark: resolution of the demo year, person page and neighbourhood, graph export.

    python -m bench.identities [--cases 27000] [--lean 243000]

Seeds the demo year (27,000 cases, ~68,000 entities) plus lean cases up to 270,000 into a
temporary SQLite file, then times, each beside a baseline run in the same process:
- resolution from scratch (identity tables emptied) vs reading every entity and computing
  its keys (the least any resolution must do);
- person page and neighbourhood (as the analyst, access filter on) vs reading the identity's
  entity rows alone;
- export of the year's graph as GraphML vs selecting the same rows.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bench.seeded_db import seeded_sqlite
from ncb.services.context import SYSTEM, principal_for
from ncb.services.errors import NotFound
from ncb.services.graph import analysis
from ncb.services.graph.build import neighbourhood
from ncb.services.identities.bulk import resolve_all
from ncb.services.identities.person import person_view
from ncb.services.identities.resolve import identity_keys
from ncb.services.watchlist import warm
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.models import (
    Entity,
    Identity,
    IdentityChange,
    IdentityJudgement,
    IdentityKey,
    IdentityMember,
    User,
)


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=27_000)
    ap.add_argument("--lean", type=int, default=243_000)
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    with seeded_sqlite("ncb-bench-ident-", args.cases, lean=args.lean) as db:
        rep = db.report
        print(f"seed: {db.seconds:.1f} s, {rep.counts.get('cases')} cases, "
              f"{rep.counts.get('entities')} entities; phases {rep.phases}")
        _measure(args, db.engine, db.factory)


def _measure(args: argparse.Namespace, engine: Engine, factory: sessionmaker[Session]) -> None:
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores shared)")

    # Resolution from scratch, index warm (the app keeps it built from start-up).
    t = time.perf_counter()
    warm(engine)
    print(f"screening index build (standing, not part of resolution): "
          f"{time.perf_counter() - t:.1f} s")
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        for model in (IdentityChange, IdentityJudgement, IdentityKey, IdentityMember, Identity):
            s.execute(delete(model))
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        t = time.perf_counter()
        rows = s.execute(select(Entity.id, Entity.kind, Entity.identifier, Entity.details,
                                Entity.nationality, Entity.display_name)
                         .execution_options(skip_access=True)).all()
        nkeys = sum(len(identity_keys(r)) for r in rows)
        base = time.perf_counter() - t
    with transaction(factory, **{PRINCIPAL: SYSTEM}) as s:
        t = time.perf_counter()
        r = resolve_all(s)
        took = time.perf_counter() - t
    print(f"resolution: {r.entities} entities -> {r.identities} identities "
          f"({r.by_identifier} by identifier, {r.by_matcher} by matcher) in {took:.1f} s "
          f"(phases {r.seconds}); goal < 60 s: {'met' if took < 60 else 'MISSED'}")
    print(f"  baseline: read {len(rows)} entities and compute {nkeys} keys: {base:.1f} s")

    # Person page and neighbourhood as the analyst (SECRET clearance, access filter on).
    with factory() as s:
        s.info[PRINCIPAL] = SYSTEM  # the sample spans every identity (members are filtered)
        analyst = s.scalar(select(User).where(User.username == "analyst"))
        assert analyst is not None
        p = principal_for(s, analyst)
        busiest = list(s.scalars(select(IdentityMember.identity_id)
                                 .group_by(IdentityMember.identity_id)
                                 .order_by(func.count().desc()).limit(args.runs // 2)))
        spread = list(s.scalars(select(Identity.id).where(Identity.merged_into_id.is_(None))
                                .order_by(Identity.id).limit(args.runs * 20)))[::20]
    sample = (busiest + spread)[:args.runs]
    page, near, baseline = [], [], []
    with factory() as s:
        s.info[PRINCIPAL] = p
        for ident in sample:
            t = time.perf_counter()
            list(s.scalars(select(Entity).join(IdentityMember,
                                               IdentityMember.entity_id == Entity.id)
                           .where(IdentityMember.identity_id == ident)))
            baseline.append(time.perf_counter() - t)
            t = time.perf_counter()
            with contextlib.suppress(NotFound):  # one the analyst may not see: the 404 path
                person_view(s, p, ident, log=False)
            page.append(time.perf_counter() - t)
            t = time.perf_counter()
            neighbourhood(s, p, ident)
            near.append(time.perf_counter() - t)
    for name, xs in (("person page", page), ("neighbourhood", near),
                     ("baseline: identity's entity rows", baseline)):
        print(f"{name}: {len(xs)} identities, p50 {pct(xs, .5):.1f} ms, p99 {pct(xs, .99):.1f} ms,"
              f" mean {statistics.mean(xs) * 1000:.1f} ms")
    print(f"goal p99 < 100 ms: person page {'met' if pct(page, .99) < 100 else 'MISSED'}, "
          f"neighbourhood {'met' if pct(near, .99) < 100 else 'MISSED'}")

    # Graph export of the year (GraphML), as the analyst.
    with factory() as s:
        s.info[PRINCIPAL] = p
        t = time.perf_counter()
        body, _ = analysis.export(s, p, "graphml")
        took = time.perf_counter() - t
        s.rollback()
        t = time.perf_counter()
        n = len(s.execute(select(IdentityMember.identity_id, Entity.id)
                          .join(Entity, Entity.id == IdentityMember.entity_id)).all())
        base = time.perf_counter() - t
    print(f"graph export (GraphML): {len(body):,} bytes in {took:.1f} s; "
          f"baseline: select the {n} visible identity rows {base:.2f} s")
    engine.dispose()


if __name__ == "__main__":
    main()
