"""Comparison levels per field for the Fellegi-Sunter model (fellegi.py), for many pairs at once.

Levels follow Splink's documented comparisons for person data: names by similarity band, dates of
birth exact / one wrong digit or day-month swapped / two wrong digits / same year of a partial
date / different, postcodes exact / one edit / same district / different, places and addresses
exact / close / different, occupation and gender exact or not, e-mail and document numbers exact
/ one edit / different. Level ``n - 1`` is always the exact one (term frequencies apply there);
-1 means one side lacks the field. Each record's values are coded once (``Columns``), so a
pair's levels are array operations; only unequal strings that may be one edit apart go through
rapidfuzz one pair at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import token_set_ratio

from ncb.matching import compare as cmp
from ncb.matching.record import Prepared, ocr_fold


class _Coded:
    """One text field coded to integers (-1 missing), with each value's share of the records."""

    def __init__(self, values: Sequence[str]) -> None:
        ids: dict[str, int] = {}
        self.codes = np.fromiter(
            (ids.setdefault(v, len(ids)) if v else -1 for v in values), dtype=np.int64, count=len(values)
        )
        self.text = list(ids)
        counts = np.bincount(self.codes[self.codes >= 0], minlength=len(ids)).astype(np.float64)
        present = max(int((self.codes >= 0).sum()), 1)
        self.share = counts / present

    def any(self) -> bool:
        return bool((self.codes >= 0).any())


class Columns:
    """Every record's fields in array form."""

    def __init__(self, records: Sequence[Prepared]) -> None:
        n = len(records)
        self.digits = np.zeros((n, 8), dtype=np.int8)
        self.year = np.zeros(n, dtype=np.int32)
        self.month = np.zeros(n, dtype=np.int32)
        self.day = np.zeros(n, dtype=np.int32)
        for k, p in enumerate(records):
            if p.dob:
                y, mo, d = p.dob
                self.year[k], self.month[k], self.day[k] = y, mo, d
                self.digits[k] = [int(c) for c in f"{y:04d}{mo:02d}{d:02d}"]
        self.full = (self.month > 0) & (self.day > 0)
        self.postcode = _Coded([p.postcode for p in records])
        self.district = _Coded([p.postcode[:-3] if len(p.postcode) >= 5 else "" for p in records])
        self.place = _Coded([" ".join(p.place) for p in records])
        self.address = _Coded([" ".join(p.address) for p in records])
        self.occupation = _Coded([p.occupation for p in records])
        self.gender = _Coded([p.gender for p in records])
        self.email = _Coded([p.email for p in records])
        self.ident = _Coded([ocr_fold(p.ident) if p.ident else "" for p in records])


def _fuzzy(
    f: _Coded, i: np.ndarray, j: np.ndarray, todo: np.ndarray, test: Callable[[str, str], bool]
) -> np.ndarray:
    """``test`` on the text of the pairs selected by ``todo``; False elsewhere."""
    out = np.zeros(len(i), dtype=bool)
    ci, cj = f.codes[i[todo]], f.codes[j[todo]]
    text = f.text
    out[todo] = [test(text[a], text[b]) for a, b in zip(ci.tolist(), cj.tolist(), strict=True)]
    return out


def _one_edit(a: str, b: str) -> bool:
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


def _close(a: str, b: str) -> bool:
    return Levenshtein.normalized_similarity(a, b) >= 0.8


def _tokens_close(a: str, b: str) -> bool:
    return token_set_ratio(a, b) >= 80


def _exact_fuzzy(f: _Coded, i: np.ndarray, j: np.ndarray, test: Callable[[str, str], bool]) -> np.ndarray:
    """Levels 0 different, 1 ``test``, 2 exact; -1 missing."""
    a, b = f.codes[i], f.codes[j]
    both = (a >= 0) & (b >= 0)
    exact = both & (a == b)
    close = _fuzzy(f, i, j, both & ~exact, test)
    return np.where(~both, -1, np.where(exact, 2, np.where(close, 1, 0))).astype(np.int8)


def dob_levels(c: Columns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    both = (c.year[i] > 0) & (c.year[j] > 0)
    full = c.full[i] & c.full[j]
    wrong = (c.digits[i] != c.digits[j]).sum(axis=1)
    swap = (c.year[i] == c.year[j]) & (c.month[i] == c.day[j]) & (c.day[i] == c.month[j])
    partial = (c.year[i] == c.year[j]) & ((c.month[i] == c.month[j]) | (c.month[i] == 0) | (c.month[j] == 0))
    lv = np.where(wrong == 0, 4, np.where((wrong == 1) | swap, 3, np.where(wrong == 2, 2, 0)))
    lv = np.where(full, lv, np.where(partial, 1, 0))
    return np.where(both, lv, -1).astype(np.int8)


def postcode_levels(c: Columns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    f = c.postcode
    a, b = f.codes[i], f.codes[j]
    both = (a >= 0) & (b >= 0)
    exact = both & (a == b)
    edit = _fuzzy(f, i, j, both & ~exact, _one_edit)
    da, db = c.district.codes[i], c.district.codes[j]
    district = (da >= 0) & (da == db)
    lv = np.where(exact, 3, np.where(edit, 2, np.where(district, 1, 0)))
    return np.where(both, lv, -1).astype(np.int8)


def _equal(f: _Coded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a, b = f.codes[i], f.codes[j]
    return np.where((a >= 0) & (b >= 0), (a == b).astype(np.int8), -1).astype(np.int8)


@dataclass(frozen=True)
class Comparison:
    name: str
    labels: tuple[str, ...]
    levels_of: Callable[[Columns, np.ndarray, np.ndarray], np.ndarray]
    field: str  # the Columns attribute whose presence enables the comparison
    tf: bool = False  # agreement on a common value weighs less (term frequency)

    @property
    def n(self) -> int:
        return len(self.labels)

    def present(self, c: Columns) -> bool:
        f = getattr(c, self.field)
        return bool((f > 0).any()) if isinstance(f, np.ndarray) else f.any()

    def levels(self, c: Columns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return self.levels_of(c, i, j)

    def tf_share(self, c: Columns, i: np.ndarray) -> np.ndarray:
        f: _Coded = getattr(c, self.field)
        codes = f.codes[i]
        return np.where(codes >= 0, f.share[np.maximum(codes, 0)], 1.0)


COMPARISONS = (
    Comparison(
        "date_of_birth",
        (
            "different",
            "same year (partial date)",
            "two wrong digits",
            "one wrong digit or day/month swapped",
            "exact",
        ),
        dob_levels,
        "year",
    ),
    Comparison(
        "postcode", ("different", "same district", "one edit", "exact"), postcode_levels, "postcode", tf=True
    ),
    Comparison(
        "place_of_birth",
        ("different", "close spelling", "exact"),
        lambda c, i, j: _exact_fuzzy(c.place, i, j, _close),
        "place",
        tf=True,
    ),
    Comparison(
        "address",
        ("different", "most words shared", "exact"),
        lambda c, i, j: _exact_fuzzy(c.address, i, j, _tokens_close),
        "address",
        tf=True,
    ),
    Comparison(
        "occupation",
        ("different", "exact"),
        lambda c, i, j: _equal(c.occupation, i, j),
        "occupation",
        tf=True,
    ),
    Comparison("gender", ("different", "same"), lambda c, i, j: _equal(c.gender, i, j), "gender"),
    Comparison(
        "email", ("different", "close", "exact"), lambda c, i, j: _exact_fuzzy(c.email, i, j, _close), "email"
    ),
    Comparison(
        "identifier",
        ("different", "one edit", "exact (OCR-folded)"),
        lambda c, i, j: _exact_fuzzy(c.ident, i, j, _one_edit),
        "ident",
    ),
)


class NameLevels:
    """Name similarity bands (ncb.matching.compare.name_similarity, record-linkage weighting),
    computed once per distinct pair of names."""

    LABELS = ("different", "weak (0.5-0.7)", "similar (0.7-0.85)", "close (0.85-0.95)", "same (>= 0.95)")
    N = len(LABELS)
    BANDS = np.array([0.5, 0.7, 0.85, 0.95])

    def __init__(self, records: Sequence[Prepared]) -> None:
        ids: dict[tuple[object, ...], int] = {}
        self.rep: list[Prepared] = []
        nid = []
        for p in records:
            key = (tuple(p.names), p.cjk, p.abjad, p.foreign, p.has_latin)
            k = ids.get(key)
            if k is None:
                k = ids[key] = len(self.rep)
                self.rep.append(p)
            nid.append(k if p.names else -1)
        self.nid = np.asarray(nid, dtype=np.int64)
        self.role = np.asarray([{"g": 1, "f": 2}.get(p.roles, 0) for p in records], dtype=np.int8)
        self.cache: dict[tuple[int, int], float] = {}

    def similarity(self, a: int, b: int) -> float:
        key = (a, b) if a <= b else (b, a)
        s = self.cache.get(key)
        if s is None:
            s = 1.0 if a == b else cmp.name_similarity(self.rep[key[0]], self.rep[key[1]], False)[0]
            self.cache[key] = s
        return s

    def levels(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        a, b = self.nid[i], self.nid[j]
        ra, rb = self.role[i], self.role[j]
        # A given name alone against a family name alone: nothing to compare (missing).
        ok = (a >= 0) & (b >= 0) & ~(((ra == 1) & (rb == 2)) | ((ra == 2) & (rb == 1)))
        sim = np.zeros(len(i))
        sim_of = self.similarity
        sim[ok] = [sim_of(x, y) for x, y in zip(a[ok].tolist(), b[ok].tolist(), strict=True)]
        return np.where(ok, np.searchsorted(self.BANDS, sim, side="right"), -1).astype(np.int8)

    def why(self, i: int, j: int) -> str:
        a, b = int(self.nid[i]), int(self.nid[j])
        if a < 0 or b < 0:
            return ""
        return cmp.name_similarity(self.rep[a], self.rep[b], False)[1]
