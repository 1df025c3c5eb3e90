"""Bulk linkage of two datasets and de-duplication of one: blocking, scoring, clustering."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ncb.matching import linkage
from ncb.matching.algorithms import Algorithm, Explanation
from ncb.matching.cluster import Clustering, cluster
from ncb.matching.index import CandidateIndex
from ncb.matching.judgements import JudgementStore
from ncb.matching.record import PersonRecord, Prepared, prepare

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Link:
    left_id: str
    right_id: str
    score: float
    explanation: Explanation


def _prepared(records: Iterable[PersonRecord | Prepared]) -> list[Prepared]:
    return [r if isinstance(r, Prepared) else prepare(r) for r in records]


def _fit(alg: Algorithm, records: list[Prepared]) -> None:
    """Term frequencies of this dataset (BulkLinkage); other algorithms need none."""
    if isinstance(alg, linkage.BulkLinkage):
        alg.fit(records)
    else:
        linkage.fit(records)


def link(
    left: Sequence[PersonRecord | Prepared],
    right: Sequence[PersonRecord | Prepared],
    algorithm: Algorithm | None = None,
    judgements: JudgementStore | None = None,
    *,
    candidates: int = 20,
    progress: Progress | None = None,
    one_to_one: bool = False,
) -> list[Link]:
    """Pairs (left, right) scoring at or above the algorithm's threshold, best first per left."""
    alg = algorithm or linkage.BulkLinkage()
    lefts, rights = _prepared(left), _prepared(right)
    _fit(alg, [*lefts, *rights])
    index = CandidateIndex(block_on_dates=True)
    index.build(rights)
    out: list[Link] = []
    for q in lefts:
        for cand in index.candidates(q, candidates):
            exp = alg.compare(q, cand, judgements)
            if exp.match:
                out.append(Link(q.id, cand.id, exp.score, exp))
        if progress:
            progress(1)
    if one_to_one:
        out = _one_to_one(out)
    return out


def _one_to_one(links: list[Link]) -> list[Link]:
    """Greedy best-first assignment: each record on either side used at most once."""
    used_l: set[str] = set()
    used_r: set[str] = set()
    kept = []
    for lk in sorted(links, key=lambda x: -x.score):
        if lk.left_id in used_l or lk.right_id in used_r:
            continue
        used_l.add(lk.left_id)
        used_r.add(lk.right_id)
        kept.append(lk)
    return kept


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def dedupe_pairs(
    records: Sequence[PersonRecord | Prepared],
    algorithm: Algorithm | None = None,
    judgements: JudgementStore | None = None,
    *,
    candidates: int = 12,
    progress: Progress | None = None,
) -> list[Link]:
    """Matching pairs within one dataset (each unordered pair once)."""
    alg = algorithm or linkage.BulkLinkage()
    prepared = _prepared(records)
    _fit(alg, prepared)
    index = CandidateIndex(block_on_dates=True)
    index.build(prepared)
    seen: set[tuple[str, str]] = set()
    out: list[Link] = []
    for q in prepared:
        for cand in index.candidates(q, candidates + 1):
            if cand.id == q.id:
                continue
            key = (q.id, cand.id) if q.id < cand.id else (cand.id, q.id)
            if key in seen:
                continue
            seen.add(key)
            exp = alg.compare(q, cand, judgements)
            if exp.match:
                out.append(Link(key[0], key[1], exp.score, exp))
        if progress:
            progress(1)
    return out


def clusters(ids: Iterable[str], pairs: Iterable[Link]) -> dict[str, str]:
    """Connected components: record id -> cluster id (the smallest member id)."""
    uf = UnionFind()
    for i in ids:
        uf.find(i)
    for p in pairs:
        uf.union(p.left_id, p.right_id)
    return {i: uf.find(i) for i in list(uf.parent)}


def dedupe(
    records: Sequence[PersonRecord | Prepared],
    algorithm: Algorithm | None = None,
    judgements: JudgementStore | None = None,
    *,
    progress: Progress | None = None,
) -> tuple[dict[str, str], list[Link]]:
    """Cluster a dataset without chaining: returns (id -> cluster id, the accepted merges)."""
    res = dedupe_clusters(records, algorithm, judgements, progress=progress)
    return res.assignment, [Link(m.left_id, m.right_id, m.score, m.explanation) for m in res.merges]


def dedupe_clusters(
    records: Sequence[PersonRecord | Prepared],
    algorithm: Algorithm | None = None,
    judgements: JudgementStore | None = None,
    *,
    progress: Progress | None = None,
) -> Clustering:
    """Candidate pairs by blocking, scored, merged best first by average linkage (cluster.py)."""
    alg = algorithm or linkage.BulkLinkage()
    prepared = _prepared(records)
    pairs = dedupe_pairs(prepared, alg, judgements, progress=progress)
    return cluster(prepared, [(p.left_id, p.right_id, p.explanation) for p in pairs], alg, judgements)
