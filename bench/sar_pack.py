"""Subject access pack of a person with many appearances: complete, in bounded memory.

    python -m bench.sar_pack [--cases 300] [--appearances 10000]

Seeds a small demo bureau into a temporary SQLite file, gives one person `--appearances` more
appearances (as a bulk import would), opens a request as the supervisor (access filter on),
confirms the person's identity and measures, each beside a same-process baseline:
- the pack (`pack.export`: every record and fact, read in batches of 500) vs reading every
  appearance's entity row into one list (what a pack without the page's limit would do if it
  loaded them at once), time and peak Python memory (tracemalloc);
- the person page (`person_view`, 200 rows per section, "showing 200 of N") for the same person.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bench.seeded_db import seeded_sqlite
from ncb.services.context import principal_for
from ncb.services.identities.person import person_view
from ncb.services.subject_access import pack
from ncb.services.subject_access.requests import Particulars, confirm_identities, open_request
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction
from ncb.store.identities import ALL
from ncb.store.models import Entity, IdentityMember, User


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MiB of Python allocations while it ran)."""
    tracemalloc.start()
    t = time.perf_counter()
    out = fn()
    took = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, took, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--appearances", type=int, default=10_000)
    args = ap.parse_args()
    with seeded_sqlite("ncb-bench-sar-", args.cases) as db:
        print(f"seed: {db.seconds:.1f} s; load average {os.getloadavg()[0]:.2f} (2 cores shared)")
        _measure(args, db.factory)


def _measure(args: argparse.Namespace, factory: sessionmaker[Session]) -> None:
    with factory() as s:  # the person: the first case person with an identity
        person, ident = s.execute(
            select(Entity, IdentityMember.identity_id)
            .join(IdentityMember, IdentityMember.entity_id == Entity.id)
            .where(Entity.kind == "person", Entity.classification == "OFFICIAL")
            .order_by(Entity.id)
            .limit(1)
            .execution_options(**ALL)
        ).one()
        marks = {
            k: getattr(person, k)
            for k in ("owner_agency_id", "originator_agency_id", "classification", "classification_rank")
        }
        extra = [
            Entity(
                kind="person",
                display_name=person.display_name,
                identifier=f"BENCH{i:07d}",
                source_kind="import",
                source_ref=f"bench-{i}",
                **marks,
            )
            for i in range(args.appearances)
        ]
        s.add_all(extra)
        s.flush()
        s.add_all(
            IdentityMember(entity_id=e.id, identity_id=ident, method="document", reason="bench import")
            for e in extra
        )
        s.commit()
        name = person.display_name
        user = s.scalar(select(User).where(User.username == "supervisor"))
        assert user is not None
        s.info[PRINCIPAL] = principal_for(s, user)
        p = principal_for(s, user)
    with transaction(factory, **{PRINCIPAL: p}) as s:
        case, _ = open_request(s, p, Particulars(name=name))
        confirm_identities(s, p, case.reference, [ident])
        ref = case.reference

    def read_all() -> int:
        with transaction(factory, **{PRINCIPAL: p}) as s:
            return len(
                list(
                    s.scalars(
                        select(Entity)
                        .join(IdentityMember, IdentityMember.entity_id == Entity.id)
                        .where(IdentityMember.identity_id == ident)
                    )
                )
            )

    def export() -> dict[str, Any]:
        with transaction(factory, **{PRINCIPAL: p}) as s:
            return pack.export(s, p, ref)

    def page() -> dict[str, tuple[int, int]]:
        with transaction(factory, **{PRINCIPAL: p}) as s:
            return person_view(s, p, ident, log=False).truncated()

    for _ in range(2):  # the second round is the one reported (caches warm)
        n, base_s, base_mb = measure(read_all)
        body, pack_s, pack_mb = measure(export)
        cut, page_s, page_mb = measure(page)
    ids = sum(1 for f in body["personal_data"] if f["label"] == "identifier")
    print(
        f"pack: {ids} identifiers of {n} appearances, {len(body['records'])} records "
        f"disclosed, in {pack_s:.2f} s, peak {pack_mb:.1f} MiB"
    )
    print(f"  baseline: read all {n} entity rows at once: {base_s:.2f} s, peak {base_mb:.1f} MiB")
    print(f"person page: {cut} in {page_s * 1000:.0f} ms, peak {page_mb:.1f} MiB")


if __name__ == "__main__":
    main()
