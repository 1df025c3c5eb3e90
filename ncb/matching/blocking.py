"""Bulk blocking: every record of an index against every other at once.

The index (index.py) answers one query at a time; de-duplicating a whole dataset instead asks
for each record's best neighbours together. The shared-key weights of all records are summed
with numpy over blocks of records (bounded memory), each record using its rarest keys first as
a query does, so that candidate pairs are found without comparing all pairs.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

Mapper = Callable[[Callable[[Any], Any], list[Any]], list[Any]]


def _serial(fn: Callable[[Any], Any], args: list[Any]) -> list[Any]:
    return [fn(a) for a in args]


def neighbours(
    postings: Sequence[array],
    scale: Sequence[float],
    slot_keys: Sequence[tuple[int, ...]],
    alive: list[bool],
    limit: int,
    budget: int = 2_000,
    chunk: int = 4_000_000,
    mapper: Mapper | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each live slot's ``limit`` best neighbours as unique unordered slot pairs (an (m, 2)
    array, smaller slot first) and their shared-key weights. ``postings[k]`` holds the slots
    of key ``k``, ``scale[k]`` its rank weight factor, ``slot_keys[s]`` the keys of slot ``s``
    and ``alive[s]`` whether that slot holds a record. Each record uses its rarest keys up to
    ``budget`` postings; ``mapper`` runs the blocks (default: one after the other)."""
    n = len(alive)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    df = np.array([len(p) for p in postings], dtype=np.int64)
    weight = np.log1p(n / np.maximum(df, 1)) * np.asarray(scale)
    use = df >= 2
    used = use.tolist()
    # Postings of the used keys, concatenated in key order: key k owns [start[k], +df[k]).
    empty = np.zeros(0, np.int32)
    flat = np.concatenate(
        [np.frombuffer(p, dtype=np.int32) if u else empty for p, u in zip(postings, used, strict=True)]
    ).astype(np.int64)
    start = np.concatenate(([0], np.cumsum(np.where(use, df, 0))[:-1]))
    rec_of, key_of = _incidence(slot_keys, alive, used)
    # As a query does: each record's rarest keys first, until ``budget`` postings.
    order = np.lexsort((df[key_of], rec_of))
    rec_of, key_of = rec_of[order], key_of[order]
    cum = np.cumsum(df[key_of])
    run_start = np.searchsorted(rec_of, rec_of)
    before = cum - df[key_of] - np.where(run_start > 0, cum[run_start - 1], 0)
    keep = (before == 0) | (before + df[key_of] <= budget)
    rec_of, key_of = rec_of[keep], key_of[keep]
    live = np.array(alive)
    if not len(rec_of):
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    # Blocks of whole records holding about ``chunk`` postings each (bounded memory): cut
    # where a chunk fills, moved to the end of that record's keys.
    cum = np.cumsum(df[key_of])
    cuts = np.searchsorted(cum, np.arange(chunk, int(cum[-1]), chunk))
    cuts = np.searchsorted(rec_of, rec_of[cuts], side="right")
    bounds = np.unique(np.concatenate(([0], cuts, [len(rec_of)])))

    def block(span: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = span
        r, k = rec_of[lo:hi], key_of[lo:hi]
        cnt = df[k]
        rows = np.repeat(r, cnt)
        # Position within each key's postings: 0..df-1, laid out run by run.
        offs = np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        cols = flat[np.repeat(start[k], cnt) + offs]
        w = np.repeat(weight[k], cnt)
        keep = (rows != cols) & live[cols]
        codes, inv = np.unique(rows[keep] * n + cols[keep], return_inverse=True)
        sums = np.bincount(inv, weights=w[keep])
        rr = codes // n
        order = np.lexsort((-sums, rr))
        rr_sorted = rr[order]
        first = np.searchsorted(rr_sorted, rr_sorted)
        top = order[np.arange(len(order)) - first < limit]
        a, b = rr[top], codes[top] % n
        return np.minimum(a, b) * n + np.maximum(a, b), sums[top]

    spans = [(int(lo), int(hi)) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True) if hi > lo]
    out = (mapper or _serial)(block, spans)
    if not out:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    # Shared-key weights are symmetric: a pair found from both sides is kept once.
    codes, first = np.unique(np.concatenate([c for c, _ in out]), return_index=True)
    weights = np.concatenate([w for _, w in out])[first]
    return np.stack([codes // n, codes % n], axis=1), weights


def _incidence(
    slot_keys: Sequence[tuple[int, ...]], alive: list[bool], use: list[bool]
) -> tuple[np.ndarray, np.ndarray]:
    """(slot, key) of every live record's used keys, sorted by slot."""
    recs: list[int] = []
    keys: list[int] = []
    for slot, (live, kids) in enumerate(zip(alive, slot_keys, strict=True)):
        if not live:
            continue
        ks = [k for k in kids if use[k]]
        recs.extend([slot] * len(ks))
        keys.extend(ks)
    return np.asarray(recs, dtype=np.int64), np.asarray(keys, dtype=np.int64)
