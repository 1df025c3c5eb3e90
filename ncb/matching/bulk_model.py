"""De-duplication with the Fellegi-Sunter model fitted on the dataset itself (the default of
``bulk.dedupe_clusters``): blocking rules, u by random sampling and m by EM, every candidate
pair scored at once, then average-linkage clustering that does not chain (cluster.py)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence

import numpy as np

from ncb.matching import block_rules
from ncb.matching.algorithms import Explanation
from ncb.matching.cluster import Clustering, cluster
from ncb.matching.fellegi import FellegiSunter
from ncb.matching.judgements import Decision, JudgementStore
from ncb.matching.record import Prepared

# A merge needs the clusters' average match probability at this share of the threshold.
# Scanned 0.5/0.75/0.9 on a messy set generated with another seed (bench.matching.messy
# --seed 1) and on fake_1000: 0.9 keeps precision without losing recall.
AGREEMENT = 0.9
# Components of the matching pairs up to this size get all their member pairs scored at once
# (clustering asks for them); in larger ones only the blocked pairs count.
BATCH_COMPONENT = 60


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected component label of each of ``n`` positions linked by ``pairs``."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs.tolist():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.fromiter((find(x) for x in range(n)), dtype=np.int64, count=n)


def dedupe_model(
    prepared: Sequence[Prepared],
    judgements: JudgementStore | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    explain: bool = True,
) -> Clustering:
    # Millions of small long-lived objects (pairs, scores, caches), no reference cycles: the
    # cyclic collector would rescan them again and again (about a fifth of the run).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _dedupe(prepared, judgements, progress, explain)
    finally:
        if enabled:
            gc.enable()


def _dedupe(
    prepared: Sequence[Prepared],
    judgements: JudgementStore | None,
    progress: Callable[[int], None] | None,
    explain: bool,
) -> Clustering:
    n = len(prepared)
    ids = [p.id for p in prepared]
    clock = _Stages(n, progress)
    pairs = block_rules.candidate_pairs(prepared)
    clock.done("blocking")
    model = FellegiSunter(prepared)
    model.fit(pairs)
    clock.done("fitting (u, EM)")
    prob = model.predict(pairs)
    thr = model.threshold
    hit = prob >= thr
    # Clustering only asks about pairs inside one component of the matching pairs: all pairs
    # of small components are scored at once, the rest of the candidates are not needed.
    comp = components(n, pairs[hit])
    inside = comp[pairs[:, 0]] == comp[pairs[:, 1]]
    pairs, prob = pairs[inside], prob[inside]
    extra = block_rules.pairs_of(np.arange(n), comp, n, BATCH_COMPONENT)
    if len(extra):
        known = np.isin(extra[:, 0] * n + extra[:, 1], pairs[:, 0] * n + pairs[:, 1])
        extra = extra[~known]
    both = np.concatenate([pairs, extra]) if len(extra) else pairs
    probs = np.concatenate([prob, model.predict(extra)]) if len(extra) else prob
    # Keys (smaller id, larger id) as clustering expects, ordered with numpy by id rank.
    idarr = np.array(ids, dtype=object)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(idarr)] = np.arange(n)
    swap = rank[both[:, 0]] > rank[both[:, 1]]
    lo = np.where(swap, both[:, 1], both[:, 0])
    hi = np.where(swap, both[:, 0], both[:, 1])
    keys = zip(idarr[lo].tolist(), idarr[hi].tolist(), strict=True)
    scores = dict(zip(keys, probs.tolist(), strict=True))
    if judgements is not None:
        _judged(scores, judgements)
    clock.done("scoring")

    def score(a: Prepared, b: Prepared) -> float:
        return model.score(a, b)

    pos = {rid: i for i, rid in enumerate(ids)}

    def batch(keys: list[tuple[str, str]]) -> list[float | None]:
        # Member pairs of a large component that blocking did not propose: one model call.
        at = np.array([(pos[a], pos[b]) for a, b in keys], dtype=np.int64)
        return list(model.predict(at).tolist())

    by_id = {p.id: p for p in prepared}

    def why(a: str, b: str) -> Explanation:
        return model.explain(by_id[a], by_id[b])

    scored = [(a, b, s) for (a, b), s in scores.items() if s >= thr]
    out = cluster(
        prepared,
        scored,
        thr,
        scorer=score,
        explain=why if explain else None,
        agreement=AGREEMENT,
        known=scores,
        batch=batch,
    )
    clock.done("clustering")
    out.stages = clock.stages
    return out


class _Stages:
    """CPU seconds per stage (Clustering.stages) and the progress bar: a quarter per stage."""

    def __init__(self, n: int, progress: Callable[[int], None] | None) -> None:
        self.n, self.progress, self.left = n, progress, n
        self.stages: dict[str, float] = {}
        self.t = time.process_time()

    def done(self, stage: str) -> None:
        now = time.process_time()
        self.stages[stage] = now - self.t
        self.t = now
        if self.progress:
            step = self.left if stage == "clustering" else self.n // 4
            self.progress(step)
            self.left -= step


def _judged(scores: dict[tuple[str, str], float], judgements: JudgementStore) -> None:
    """A human judgement overrides the model: match 1.0, no match 0.0."""
    for key in scores:
        d = judgements.get(*key)
        if d == Decision.MATCH:
            scores[key] = 1.0
        elif d == Decision.NO_MATCH:
            scores[key] = 0.0
