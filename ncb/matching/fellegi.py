"""An unsupervised Fellegi-Sunter model for de-duplicating one dataset, fitted on that dataset.

Splink's documentation recommends this model for bulk data, and we fit it the same way: each
field of a pair falls into a comparison level (exact, one wrong digit, ...; ``comparisons.py``);
u (how often a level occurs between two random records) comes from random sampling, m (how
often it occurs between two records of one person) and the share of candidate pairs that match
from expectation maximisation over the blocked pairs. A pair's match weight is the log2 prior
odds plus the log2 m/u of each field's level (a missing field adds nothing); agreeing on a
common place or occupation weighs less (term frequencies: u is the value's share).

Everything but the name is computed for all pairs at once with numpy; the name comparison
(ncb.matching.compare, typos, nicknames, initials, transliteration) runs once per distinct
pair of names, and only for pairs that could still reach the threshold with equal names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ncb.matching.algorithms import Explanation, FeatureResult
from ncb.matching.comparisons import COMPARISONS, Columns, NameLevels
from ncb.matching.record import Prepared

U_SAMPLE = 100_000  # random pairs for u (the name level on NAME_U_SAMPLE of them)
NAME_U_SAMPLE = 10_000
EM_SAMPLE = 25_000  # candidate pairs used to fit m (all when fewer)
EM_ROUNDS = 30
# Match probability for a pair, as Splink's documentation clusters its predictions.
THRESHOLD = 0.95
MAX_M = 0.999  # no level is certain for a true duplicate: keeps weights finite


@dataclass
class Params:
    m: list[np.ndarray]
    u: list[np.ndarray]
    prior: float  # share of candidate pairs that are matches


class FellegiSunter:
    """Fit on one dataset (``fit``), then score its pairs (``predict``, ``score``, ``explain``)."""

    name = "fellegi-sunter"

    def __init__(self, records: Sequence[Prepared], seed: int = 8) -> None:
        self.records = list(records)
        self.pos = {p.id: i for i, p in enumerate(self.records)}
        self.cols = Columns(self.records)
        self.names = NameLevels(self.records)
        self.comps = [c for c in COMPARISONS if c.present(self.cols)]
        self.rng = np.random.default_rng(seed)
        self.threshold = THRESHOLD
        self.params: Params | None = None

    # -- levels ---------------------------------------------------------------------------------
    def levels(self, i: np.ndarray, j: np.ndarray, names: bool = True) -> np.ndarray:
        """(pairs, 1 + comparisons) levels, -1 missing; column 0 is the name (-2: not computed)."""
        out = np.empty((len(i), 1 + len(self.comps)), dtype=np.int8)
        out[:, 0] = self.names.levels(i, j) if names else -2
        for c, comp in enumerate(self.comps, 1):
            out[:, c] = comp.levels(self.cols, i, j)
        return out

    # -- fitting --------------------------------------------------------------------------------
    def fit(self, pairs: np.ndarray) -> Params:
        n = len(self.records)
        nl = [NameLevels.N, *(c.n for c in self.comps)]
        ri = self.rng.integers(0, n, U_SAMPLE)
        rj = self.rng.integers(0, n, U_SAMPLE)
        keep = ri != rj
        ri, rj = ri[keep], rj[keep]
        rand = self.levels(ri, rj, names=False)
        rand[:, 0] = -1
        k = min(NAME_U_SAMPLE, len(ri))
        rand[:k, 0] = self.names.levels(ri[:k], rj[:k])
        u = [_shares(rand[:, c], nl[c]) for c in range(len(nl))]
        if len(pairs) > EM_SAMPLE:
            pairs = pairs[self.rng.choice(len(pairs), EM_SAMPLE, replace=False)]
        lv = self.levels(pairs[:, 0], pairs[:, 1])
        m = [np.linspace(0.1, 1.0, k_) / np.linspace(0.1, 1.0, k_).sum() for k_ in nl]
        # As Splink's training sessions do, the field that found most pairs (the name) is left
        # out while the others are fitted: else "same name, all else different" pairs would
        # pass for duplicates. Then the name's m is fitted with the others fixed.
        others = list(range(1, len(nl)))
        m, prior = _em(lv, m, u, others, others, 0.3)
        m, prior = _em(lv, m, u, [0, *others], [0], prior)
        self.params = Params(m, u, prior)
        return self.params

    # -- scoring --------------------------------------------------------------------------------
    def _weights(self, i: np.ndarray, j: np.ndarray, lv: np.ndarray) -> np.ndarray:
        """Per-field log2 Bayes factors, term-frequency adjusted on exact levels."""
        assert self.params is not None
        m, u = self.params.m, self.params.u
        w = np.zeros(lv.shape, dtype=np.float64)
        w[:, 0] = _lookup(np.log2(m[0] / u[0]), lv[:, 0])
        for c, comp in enumerate(self.comps, 1):
            w[:, c] = _lookup(np.log2(m[c] / u[c]), lv[:, c])
            if comp.tf:
                tf = comp.tf_share(self.cols, i)
                exact = lv[:, c] == comp.n - 1
                adj = np.log2(u[c][comp.n - 1] / np.maximum(tf, 1e-9))
                w[:, c] += np.where(exact, np.minimum(adj, 0.0), 0.0)  # common values weigh less
        return w

    def predict(self, pairs: np.ndarray) -> np.ndarray:
        """Match probability of each pair (rows of positions). Pairs that cannot reach the
        threshold even with the best name level get their bound, without the name comparison."""
        assert self.params is not None
        i, j = pairs[:, 0], pairs[:, 1]
        lv = self.levels(i, j, names=False)
        lv[:, 0] = -1
        w = self._weights(i, j, lv)
        base = math.log2(self.params.prior / (1 - self.params.prior)) + w[:, 1:].sum(axis=1)
        best_name = float(np.max(np.log2(self.params.m[0] / self.params.u[0])))
        need = math.log2(self.threshold / (1 - self.threshold))
        hopeful = base + best_name >= need
        total = base + best_name
        if hopeful.any():
            hi, hj = i[hopeful], j[hopeful]
            nlev = self.names.levels(hi, hj)
            total[hopeful] = base[hopeful] + _lookup(np.log2(self.params.m[0] / self.params.u[0]), nlev)
        return _sigmoid(total)

    def score(self, a: Prepared, b: Prepared) -> float:
        i, j = np.array([self.pos[a.id]]), np.array([self.pos[b.id]])
        return float(self.predict(np.stack([i, j], axis=1))[0])

    def explain(self, a: Prepared, b: Prepared) -> Explanation:
        assert self.params is not None
        i, j = np.array([self.pos[a.id]]), np.array([self.pos[b.id]])
        lv = self.levels(i, j)
        w = self._weights(i, j, lv)[0]
        prior = math.log2(self.params.prior / (1 - self.params.prior))
        total = prior + float(w.sum())
        prob = float(_sigmoid(np.array([total]))[0])
        feats = [FeatureResult("prior", None, 0.0, prior, "share of candidate pairs that match")]
        labels = [NameLevels.LABELS, *(c.labels for c in self.comps)]
        names = ["name", *(c.name for c in self.comps)]
        detail = [self.names.why(i[0], j[0]), *[""] * len(self.comps)]
        for c, level in enumerate(lv[0].tolist()):
            if level < 0:
                continue
            text = labels[c][level] + (f" [{detail[c]}]" if detail[c] else "")
            feats.append(FeatureResult(names[c], level / max(len(labels[c]) - 1, 1), 1.0, float(w[c]), text))
        return Explanation(self.name, prob, self.threshold, prob >= self.threshold, feats)


def _em(
    lv: np.ndarray, m: list[np.ndarray], u: list[np.ndarray], use: list[int], fit: list[int], prior: float
) -> tuple[list[np.ndarray], float]:
    """EM rounds over the fields ``use``, updating the m of the fields ``fit`` and the prior."""
    m = list(m)
    for _ in range(EM_ROUNDS):
        logbf = np.zeros(len(lv))
        for c in use:
            logbf += _lookup(np.log2(m[c] / u[c]), lv[:, c])
        p = _sigmoid(math.log2(prior / (1 - prior)) + logbf)
        prior = float(np.clip(p.mean(), 1e-6, 1 - 1e-6))
        for c in fit:
            m[c] = np.clip(_shares(lv[:, c], len(m[c]), p), 1e-6, MAX_M)
    return m, prior


def _shares(levels: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Share of each level among non-missing rows (weighted), smoothed so none is zero."""
    ok = levels >= 0
    counts = np.bincount(
        levels[ok].astype(np.int64), weights=None if weights is None else weights[ok], minlength=n
    )
    smoothed = counts[:n] + 0.5
    return np.asarray(smoothed / smoothed.sum(), dtype=np.float64)


def _lookup(table: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """table[level], 0 where the level is missing (negative)."""
    ok = levels >= 0
    return np.where(ok, table[np.where(ok, levels, 0)], 0.0)


def _sigmoid(w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp2(-np.clip(w, -60, 60)))
