"""Bulk linkage of two datasets and de-duplication of one: blocking, scoring, clustering."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ncb.matching import linkage
from ncb.matching.algorithms import Algorithm, Explanation
from ncb.matching.bulk_model import dedupe_model
from ncb.matching.cluster import Clustering, cluster
from ncb.matching.index import CandidateIndex
from ncb.matching.judgements import JudgementStore
from ncb.matching.record import PersonRecord, Prepared, prepare

Progress = Callable[[int], None]
# Postings gathered per record when blocking a whole dataset: the rarest keys of a record find
# its duplicates; the long lists of common tokens ("john", "smith") only cost time.
BULK_POSTING_BUDGET = 1_000
# Fewer records give EM too few pairs to estimate m from (fake_1000: F1 0.945 fitted against
# 0.951 with the fixed weights): small files keep the fixed weights.
MIN_FIT_RECORDS = 5_000


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


def scorer(alg: Algorithm, judgements: JudgementStore | None = None) -> Callable[[Prepared, Prepared], float]:
    """The pair score alone (no explanation objects) where the algorithm offers it."""
    if judgements is None and isinstance(alg, linkage.BulkLinkage):
        return alg.score
    return lambda a, b: alg.compare(a, b, judgements).score


def candidate_pairs(
    prepared: Sequence[Prepared], candidates: int = 12, progress: Progress | None = None
) -> list[tuple[Prepared, Prepared]]:
    """Blocking: each record's ``candidates`` best index neighbours, each unordered pair once."""
    index = CandidateIndex(block_on_dates=True)
    index.build(prepared)
    out: list[tuple[Prepared, Prepared]] = []
    at = index.at
    pairs, _weights = index.neighbours(candidates, budget=BULK_POSTING_BUDGET)
    for i, j in pairs.tolist():
        a, b = at(i), at(j)
        if a is not None and b is not None:
            out.append((a, b) if a.id < b.id else (b, a))
    if progress:
        progress(len(prepared))
    return out


def dedupe_scores(
    records: Sequence[PersonRecord | Prepared],
    algorithm: Algorithm | None = None,
    judgements: JudgementStore | None = None,
    *,
    candidates: int = 12,
    progress: Progress | None = None,
) -> list[tuple[str, str, float]]:
    """Matching pairs within one dataset as (id, id, score), each unordered pair once."""
    alg = algorithm or linkage.BulkLinkage()
    prepared = _prepared(records)
    _fit(alg, prepared)
    threshold = alg.threshold
    score = scorer(alg, judgements)
    if judgements is None and isinstance(alg, linkage.BulkLinkage):
        bulk = alg

        def score(a: Prepared, b: Prepared) -> float:
            return bulk.score(a, b, threshold)  # hopeless pairs skip the name comparison

    out = []
    pairs = candidate_pairs(prepared, candidates)
    # The progress bar counts records: one step per record's share of the pairs scored.
    every = max(len(pairs) // max(len(prepared), 1), 1)
    done = 0
    for i, (a, b) in enumerate(pairs, 1):
        s = score(a, b)
        if s >= threshold:
            out.append((a.id, b.id, s))
        if progress and i % every == 0 and done < len(prepared):
            progress(1)
            done += 1
    if progress and done < len(prepared):
        progress(len(prepared) - done)
    return out


def dedupe_pairs(
    records: Sequence[PersonRecord | Prepared],
    algorithm: Algorithm | None = None,
    judgements: JudgementStore | None = None,
    *,
    candidates: int = 12,
    progress: Progress | None = None,
) -> list[Link]:
    """Matching pairs within one dataset (each unordered pair once), with explanations."""
    alg = algorithm or linkage.BulkLinkage()
    prepared = _prepared(records)
    _fit(alg, prepared)
    out: list[Link] = []
    for a, b in candidate_pairs(prepared, candidates, progress):
        exp = alg.compare(a, b, judgements)
        if exp.match:
            out.append(Link(a.id, b.id, exp.score, exp))
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
    return res.assignment, [
        Link(m.left_id, m.right_id, m.score, m.explanation) for m in res.merges if m.explanation is not None
    ]


def dedupe_clusters(
    records: Sequence[PersonRecord | Prepared],
    algorithm: Algorithm | None = None,
    judgements: JudgementStore | None = None,
    *,
    progress: Progress | None = None,
    explain: bool = True,
    candidates: int = 6,
    fitted: bool | None = None,
) -> Clustering:
    """Candidate pairs by blocking, scored, merged best first by average linkage (cluster.py).

    ``fitted`` (default: from ``MIN_FIT_RECORDS`` records on, without ``algorithm``): the
    Fellegi-Sunter model fitted on this dataset (bulk_model.py). Else the algorithm's fixed
    weights (BulkLinkage) on the index's ``candidates`` best neighbours per record.
    ``explain``: build each accepted merge's explanation (one full comparison per merge)."""
    prepared = _prepared(records)
    if fitted is None:
        fitted = algorithm is None and len(prepared) >= MIN_FIT_RECORDS
    if fitted:
        return dedupe_model(prepared, judgements, progress=progress, explain=explain)
    alg = algorithm or linkage.BulkLinkage()
    scored = dedupe_scores(prepared, alg, judgements, candidates=candidates, progress=progress)
    by_id = {p.id: p for p in prepared}

    def why(a: str, b: str) -> Explanation:
        return alg.compare(by_id[a], by_id[b], judgements)

    return cluster(
        prepared,
        scored,
        alg.threshold,
        scorer=scorer(alg, judgements),
        explain=why if explain else None,
    )
