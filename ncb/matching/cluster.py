"""Clustering that does not chain: greedy average linkage over scored candidate pairs.

Connected components (single link) join two people through one mistaken pair, then grow without
bound. Here candidate pairs (from blocking, never all pairs) are scored and visited best first; a
pair merges its two clusters only when the records agree with the whole other cluster on average
(average linkage over every member pair, the missing pairs scored on demand) and no member pair
strongly disagrees (a veto: two full birth dates far apart, two different identifiers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ncb.matching.algorithms import Explanation
from ncb.matching.record import Prepared

# Larger pairs of clusters are judged on a bounded sample of member pairs (cost stays linear).
MAX_LINKAGE_PAIRS = 64
Scorer = Callable[[Prepared, Prepared], float | None]
# Scores many member pairs (smaller id, larger id) in one call (a vectorised model).
Batch = Callable[[list[tuple[str, str]]], list[float | None]]
VETO_YEARS = 20
# The cluster agreement needed, as a share of the pair threshold: scanned 1.0/0.85/0.75/0.6 on
# fake_1000 and FEBRL dataset1-3 (0.6 loses precision on fake_1000).
AGREEMENT = 0.75


@dataclass(frozen=True)
class Merge:
    """One accepted merge and why: the pair that proposed it and the cluster agreement."""

    left_id: str
    right_id: str
    score: float
    linkage: float
    compared: int
    explanation: Explanation | None = None  # None when clustering was asked not to explain

    @property
    def summary(self) -> str:
        pair = self.explanation.summary if self.explanation else f"score {self.score:.2f}"
        return (
            f"merge {self.left_id} + {self.right_id}: pair {pair}; "
            f"average over {self.compared} member pairs {self.linkage:.2f}"
        )


@dataclass
class Clustering:
    assignment: dict[str, str] = field(default_factory=dict)  # record id -> cluster id
    merges: list[Merge] = field(default_factory=list)
    rejected: int = 0  # candidate merges refused (disagreement with the cluster or a veto)
    stages: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage, if timed


def _digits(dob: tuple[int, int, int]) -> str:
    return "{:04d}{:02d}{:02d}".format(*dob)


def veto(a: Prepared, b: Prepared) -> str | None:
    """Strong disagreement that no name agreement overrides, or None.

    Bulk data carries typos in every field (fake_1000 has true duplicates with birth dates a
    decade apart, FEBRL identifiers typed with several wrong digits), so only full birth dates
    more than VETO_YEARS apart that also differ in month or day veto; nearer dates and
    different identifiers lower the pair score (features) and so the cluster agreement.
    A shared document number overrides the veto: FEBRL replaces whole birth dates of true
    duplicates, and a date is mis-keyed far more often than two people share a document.
    """
    da, db = a.dob, b.dob
    if da and db and all(da) and all(db) and abs(da[0] - db[0]) > VETO_YEARS and da[1:] != db[1:]:
        if a.ident and a.ident == b.ident:
            return None
        return f"different full birth dates {_digits(da)} / {_digits(db)}"
    return None


class _Linker:
    def __init__(self, scorer: Scorer, by_id: dict[str, Prepared], batch: Batch | None = None) -> None:
        self.scorer = scorer
        self.batch = batch
        self.by_id = by_id
        self.scores: dict[tuple[str, str], float | None] = {}

    def score(self, a: str, b: str) -> float | None:
        key = (a, b) if a < b else (b, a)
        if key in self.scores:
            return self.scores[key]
        s = self.scorer(self.by_id[key[0]], self.by_id[key[1]])
        self.scores[key] = s
        return s

    def agreement(self, ma: list[str], mb: list[str]) -> tuple[float, int, str | None]:
        """Average score over member pairs (bounded sample), and a veto if any pair has one."""
        pairs = [(x, y) for x in ma for y in mb]
        if len(pairs) > MAX_LINKAGE_PAIRS:
            step = len(pairs) / MAX_LINKAGE_PAIRS
            pairs = [pairs[int(i * step)] for i in range(MAX_LINKAGE_PAIRS)]
        if self.batch is not None:
            scores = self.scores
            todo = list({k for x, y in pairs if (k := (x, y) if x < y else (y, x)) not in scores})
            if todo:
                scores.update(zip(todo, self.batch(todo), strict=True))
        total, known = 0.0, 0
        for x, y in pairs:
            why = veto(self.by_id[x], self.by_id[y])
            if why:
                return 0.0, len(pairs), why
            s = self.score(x, y)
            if s is not None:
                total, known = total + s, known + 1
        return total / max(known, 1), known, None


def cluster(
    records: Sequence[Prepared],
    scored: Sequence[tuple[str, str, float]],
    threshold: float,
    *,
    scorer: Scorer,
    explain: Callable[[str, str], Explanation] | None = None,
    progress: Callable[[int], None] | None = None,
    agreement: float = AGREEMENT,
    known: dict[tuple[str, str], float] | None = None,
    batch: Batch | None = None,
) -> Clustering:
    """Merge best-scoring matching pairs first, each only if the clusters agree as a whole.

    ``scored``: the candidate pairs at or above ``threshold`` with their scores. ``scorer``
    scores member pairs that blocking did not propose; one returning None leaves such pairs
    out of the average (Splink's predictions). ``explain`` gives an accepted merge its
    explanation. ``agreement``: the cluster agreement needed, as a share of ``threshold``.
    ``known``: scores already computed, keyed by (smaller id, larger id); taken over, not copied.
    ``batch``: scores the missing member pairs of one merge in one call (instead of ``scorer``).
    """
    by_id = {r.id: r for r in records}
    linker = _Linker(scorer, by_id, batch)
    if known is not None:
        linker.scores = known  # type: ignore[assignment]  # float values fit float | None
    for a, b, s in scored:
        linker.scores[(a, b) if a < b else (b, a)] = s
    root = {r.id: r.id for r in records}
    members: dict[str, list[str]] = {r.id: [r.id] for r in records}
    out = Clustering()
    needed = threshold * agreement
    for a, b, s in sorted(scored, key=lambda t: (-t[2], t[0], t[1])):
        if progress:
            progress(1)
        ra, rb = root[a], root[b]
        if ra == rb:
            continue
        linkage, n, why = linker.agreement(members[ra], members[rb])
        if why is not None or linkage < needed:
            out.rejected += 1
            continue
        keep, gone = (ra, rb) if len(members[ra]) >= len(members[rb]) else (rb, ra)
        for m in members[gone]:
            root[m] = keep
        members[keep].extend(members.pop(gone))
        out.merges.append(Merge(a, b, s, linkage, n, explain(a, b) if explain else None))
    for members_ in members.values():
        cid = min(members_)
        for m in members_:
            out.assignment[m] = cid
    return out
