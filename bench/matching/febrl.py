"""FEBRL: dedupe of dataset3 and linkage of dataset4a/4b, beside a rapidfuzz baseline."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from itertools import combinations

from rapidfuzz import fuzz

from bench.matching import data_dir, prf, table
from ncb.matching.bulk import clusters, dedupe_clusters, dedupe_pairs, link
from ncb.matching.io import read_persons
from ncb.matching.record import PersonRecord

BASELINE_CUTOFF = 85.0


def _entity(rec_id: str) -> str:
    m = re.match(r"rec-(\d+)", rec_id)
    return m.group(1) if m else rec_id


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _text(r: PersonRecord) -> str:
    return " ".join([r.first_name, r.last_name, *r.extra.values(), r.date_of_birth, r.document_number])


def _baseline(left: list[PersonRecord], right: list[PersonRecord] | None) -> set[tuple[str, str]]:
    """Block on soc_sec_id, date of birth or postcode; match if token_set_ratio >= cutoff."""
    same = right is None
    right = left if right is None else right
    blocks: dict[str, list[PersonRecord]] = defaultdict(list)
    for r in right:
        for k in (
            "s" + r.document_number,
            "d" + r.date_of_birth,
            "p" + r.extra.get("postcode", ""),
        ):
            if len(k) > 2:
                blocks[k].append(r)
    out = set()
    texts = {id(r): _text(r) for r in [*left, *right]}
    for q in left:
        seen = set()
        for k in (
            "s" + q.document_number,
            "d" + q.date_of_birth,
            "p" + q.extra.get("postcode", ""),
        ):
            for c in blocks.get(k, ()) if len(k) > 2 else ():
                if c.id == q.id or c.id in seen:
                    continue
                seen.add(c.id)
                if fuzz.token_set_ratio(texts[id(q)], texts[id(c)]) >= BASELINE_CUTOFF:
                    out.add(_pair(q.id, c.id) if same else (q.id, c.id))
    return out


def run(quick: bool = False) -> str:
    d = data_dir() / "febrl"
    rows = []
    # dataset3: dedupe
    t = time.perf_counter()
    recs = read_persons(d / "dataset3.csv").records
    pairs = dedupe_pairs(recs)
    cl = clusters((r.id for r in recs), pairs)
    ours_t = time.perf_counter() - t
    groups: dict[str, list[str]] = defaultdict(list)
    for r in recs:
        groups[_entity(r.id)].append(r.id)
    truth = {_pair(a, b) for v in groups.values() for a, b in combinations(v, 2)}
    found = {_pair(p.left_id, p.right_id) for p in pairs}
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for i, c in cl.items():
        by_cluster[c].append(i)
    clustered = {_pair(a, b) for v in by_cluster.values() for a, b in combinations(v, 2)}

    def pr(s: set[tuple[str, str]], tr: set[tuple[str, str]]) -> tuple[float, float, float]:
        tp = len(s & tr)
        return prf(tp, len(s) - tp, len(tr) - tp)

    rows.append(["dataset3 dedupe", "ncb.matching RecordLinkage (scored pairs)", *pr(found, truth), ours_t])
    rows.append(
        [
            "dataset3 dedupe",
            "ncb.matching, pairs implied by clusters",
            *pr(clustered, truth),
            ours_t,
        ]
    )
    t = time.perf_counter()
    avg = dedupe_clusters(recs).assignment
    by_avg: dict[str, list[str]] = defaultdict(list)
    for i, c in avg.items():
        by_avg[c].append(i)
    avg_pairs = {_pair(a, b) for v in by_avg.values() for a, b in combinations(v, 2)}
    rows.append(
        [
            "dataset3 dedupe",
            "ncb dedupe: average-linkage clusters (no chaining)",
            *pr(avg_pairs, truth),
            time.perf_counter() - t,
        ]
    )
    t = time.perf_counter()
    b = _baseline(recs, None)
    rows.append(
        [
            "dataset3 dedupe",
            f"rapidfuzz baseline (block + token_set >= {BASELINE_CUTOFF:.0f})",
            *pr(b, truth),
            time.perf_counter() - t,
        ]
    )
    rows.append(
        [
            "dataset3 dedupe",
            "Splink 5 / DuckDB (peer figure from README, not run here)",
            1.0,
            0.920,
            2 * 0.920 / 1.920,
            3.1,
        ]
    )
    from ncb.matching import splink_backend

    if splink_backend.available():
        import splink

        t = time.perf_counter()
        srecs = read_persons(d / "dataset3.csv").records
        spairs = splink_backend.dedupe_pairs(srecs)
        st = time.perf_counter() - t
        sfound = {_pair(p.left_id, p.right_id) for p in spairs}
        rows.append(
            [
                "dataset3 dedupe",
                f"Splink {splink.__version__} / DuckDB via ncb --engine splink "
                f"(unsupervised, p >= {splink_backend.SPLINK_THRESHOLD})",
                *pr(sfound, truth),
                st,
            ]
        )
    # dataset4a/4b: link
    t = time.perf_counter()
    a = read_persons(d / "dataset4a.csv").records
    bb = read_persons(d / "dataset4b.csv").records
    links = link(a, bb)
    ours_t = time.perf_counter() - t
    truth4 = {(x.id, y.id) for x in a for y in []}  # filled below
    right_by_entity: dict[str, list[str]] = defaultdict(list)
    for y in bb:
        right_by_entity[_entity(y.id)].append(y.id)
    truth4 = {(x.id, yid) for x in a for yid in right_by_entity.get(_entity(x.id), [])}
    found4 = {(lk.left_id, lk.right_id) for lk in links}
    rows.append(["dataset4a/4b link", "ncb.matching RecordLinkage", *pr(found4, truth4), ours_t])
    t = time.perf_counter()
    b4 = _baseline(a, bb)
    rows.append(
        [
            "dataset4a/4b link",
            f"rapidfuzz baseline (block + token_set >= {BASELINE_CUTOFF:.0f})",
            *pr(b4, truth4),
            time.perf_counter() - t,
        ]
    )
    return "### FEBRL (wall time includes reading the CSV files)\n\n" + table(
        ["task", "method", "precision", "recall", "F1", "seconds"], rows
    )
