"""Blocking rules for de-duplicating a whole dataset: candidate pairs without comparing all pairs.

Each record gets a few keys per rule (as Splink's ``block_on`` rules, several fields at once, so
that every block is small); two records are a candidate pair when they share a key. The rules
are chosen so that a duplicate with one field wrong or missing still shares a key:

- ``n``: the 3-letter prefixes of two name tokens (order-free: "Smith John" meets "John Smith";
  a typo after the third letter is tolerated), or a given-name group (nicknames: Bob/Robert)
  with another token's prefix;
- ``d``: the full date of birth and the initial of a name token (the other name may be a
  nickname, a typo, an alternative full name or missing);
- ``p``: the postcode and a name token's initial; ``o``: postcode district and date of birth;
- ``y``: a whole name token and the birth year (month or day mistyped);
- ``t``: a whole name token and the initial of another (a typo early in the other word);
- ``b``: date of birth and place of birth; ``e`` e-mail, ``l`` its local part; ``i`` document.

Keys held by more than ``MAX_BLOCK`` records (a common forename-surname prefix in a national
file; ``CAPS`` for the looser ``t`` rule) are dropped: the other rules still pair
such records when they share a date or postcode.
Pairs are generated per block size with numpy, each unordered pair once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ncb.matching.normalize import token_info
from ncb.matching.record import Prepared, ocr_fold

MAX_BLOCK = 60
# Looser rules get smaller blocks: on a large file they only pair records with rare names.
CAPS = {"t": 8}


@lru_cache(maxsize=200_000)
def _name_keys(names: tuple[tuple[str, ...], ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Keys from the names alone, initials and whole tokens (duplicates repeat spellings)."""
    out: set[str] = set()
    initials: set[str] = set()
    full: set[str] = set()
    for toks in names:
        toks = tuple(t for t in toks if t and not token_info(t).particle)
        pre = sorted({t[:3] for t in toks if len(t) >= 2})
        for i, a in enumerate(pre):
            for b in pre[i + 1 :]:
                out.add(f"n{a}|{b}")
        for t in toks:
            initials.add(t[0])
            if len(t) >= 2:
                full.add(t)
                # One name exact, the other only by its initial (a typo early in the word).
                for other in toks:
                    if other != t:
                        out.add(f"t{t}|{other[0]}")
            for g in token_info(t).groups:
                for other in toks:
                    if other != t and len(other) >= 2:
                        out.add(f"g{g}|{other[:3]}")
    return frozenset(out), frozenset(initials), frozenset(full)


def keys(p: Prepared) -> set[str]:
    """The blocking keys of one record (see the module docstring)."""
    names, initials, full = _name_keys(tuple(p.names))
    out = set(names)
    dob = "{:04d}{:02d}{:02d}".format(*p.dob) if p.dob and all(p.dob) else ""
    pc = p.postcode
    for c in initials:
        if dob:
            out.add(f"d{dob}{c}")
        if pc:
            out.add(f"p{pc}|{c}")
    if p.dob:
        for t in full:
            out.add(f"y{t}|{p.dob[0]}")  # a name and the birth year: month or day mistyped
    if pc and dob:
        out.add(f"o{pc[:3]}|{dob}")
    if dob and p.place:
        out.add(f"b{dob}|{' '.join(p.place)}")
    if p.email:
        out.add("e" + p.email)
        local = p.email.partition("@")[0]
        if len(local) >= 4:
            out.add("l" + local)  # domains get retyped
    if p.ident:
        out.add("i" + ocr_fold(p.ident))
    return out


def candidate_pairs(records: Sequence[Prepared], max_block: int = MAX_BLOCK) -> np.ndarray:
    """Unique unordered candidate pairs as an (m, 2) array of record positions (i < j)."""
    kid: dict[str, int] = {}
    rec: list[int] = []
    key: list[int] = []
    add_rec, add_key, setdefault = rec.extend, key.extend, kid.setdefault
    for i, p in enumerate(records):
        ks = [setdefault(k, len(kid)) for k in keys(p)]
        add_rec([i] * len(ks))
        add_key(ks)
    caps = np.fromiter((CAPS.get(k[0], max_block) for k in kid), dtype=np.int64, count=len(kid))
    return pairs_of(np.asarray(rec, dtype=np.int64), np.asarray(key, dtype=np.int64), len(records), caps)


def pairs_of(rec: np.ndarray, key: np.ndarray, n: int, cap: int | np.ndarray) -> np.ndarray:
    """Pairs of records sharing a key, blocks larger than their ``cap`` (per key) dropped."""
    if not len(rec):
        return np.zeros((0, 2), dtype=np.int64)
    order = np.argsort(key, kind="stable")
    rec, key = rec[order], key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    limit = cap[key[starts]] if isinstance(cap, np.ndarray) else np.full(len(starts), cap)
    sizes = np.where(sizes <= limit, sizes, 0)
    chunks: list[np.ndarray] = []
    for s in (int(x) for x in np.unique(sizes) if x >= 2):
        at = starts[sizes == s]
        members = rec[at[:, None] + np.arange(s)[None, :]]  # (blocks, s)
        iu, ju = np.triu_indices(s, 1)
        a, b = members[:, iu].ravel(), members[:, ju].ravel()
        chunks.append(np.minimum(a, b) * n + np.maximum(a, b))
    if not chunks:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(chunks))
    codes = codes[codes // n != codes % n]
    return np.stack([codes // n, codes % n], axis=1)
