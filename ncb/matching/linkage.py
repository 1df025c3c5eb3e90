"""Evidence for bulk linkage and de-duplication of whole datasets (``BulkLinkage``).

Bulk data differs from a watchlist in two ways that screening's comparators ignore:

- Dates are keyed by hand: a wrong digit ("2008" for "2018", "05" for "06") is far commoner than
  a different person with a near date. Full dates are compared digit by digit, at the levels
  Splink's documentation uses for dates of birth (exact, one edit, two edits, else different).
- Agreeing on a common value is weak evidence (Fellegi-Sunter term-frequency adjustment, as
  Splink does for city): half the rows of a national file say "London". ``fit`` counts each
  address value in the dataset and scales agreement on it by its rarity; FEBRL-style full
  addresses are unique and keep their full weight.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rapidfuzz.distance import Levenshtein

from ncb.matching import compare as cmp
from ncb.matching.algorithms import (
    EMAIL,
    LINK_DOB,
    LINK_ID,
    LINK_NAME,
    Feature,
    FeatureResult,
    RecordLinkage,
)
from ncb.matching.record import Prepared

NAME_CACHE = 2_000_000  # distinct name pairs remembered per run (bounded memory)
# A value this frequent or rarer (share of records) keeps its full agreement weight.
RARE_SHARE = 0.002


def _digits(dob: tuple[int, int, int]) -> str:
    return "{:04d}{:02d}{:02d}".format(*dob)


def dob_digits(a: Prepared, b: Prepared) -> float | None:
    """Full dates: exact 1.0, day/month swapped 0.85, one wrong digit 0.75, two 0.5,
    three 0.3, else 0.
    Partial dates (year, year-month) are compared as in screening."""
    if a.dob is None or b.dob is None:
        return None
    if all(a.dob) and all(b.dob):
        if a.dob == b.dob:
            return 1.0
        ya, ma, da = a.dob
        yb, mb, db = b.dob
        if ya == yb and ma == db and mb == da:
            return 0.85
        edits = Levenshtein.distance(_digits(a.dob), _digits(b.dob), score_cutoff=3)
        # Three wrong digits still happen (a decade and a day mistyped) but random dates of
        # one century are often that close too: weak evidence against, not a contradiction.
        return {1: 0.75, 2: 0.5}.get(edits, 0.0)
    return cmp.dob_similarity(a, b)


def rarity(count: int, total: int) -> float:
    """Weight of agreeing on a value held by ``count`` of ``total`` records, in (0, 1]:
    log(1/share) relative to a rare value's log(1/RARE_SHARE) (the Fellegi-Sunter agreement
    weight log(m/u) with u the value's share)."""
    if total <= 0 or count <= 1:
        return 1.0
    share = max(count / total, RARE_SHARE)
    return max(math.log(1.0 / share) / math.log(1.0 / RARE_SHARE), 0.05)


def address_tf(a: Prepared, b: Prepared) -> float | None:
    """Address similarity (see compare.address_similarity) with agreement above the feature's
    baseline scaled by the rarer side's address rarity (``fit``)."""
    s = cmp.address_similarity(a, b)
    if s is None:
        return None
    base = BULK_ADDRESS_BASELINE
    if s > base:
        s = base + (s - base) * min(a.address_rarity, b.address_rarity)
    return s


BULK_ADDRESS_BASELINE = 0.6
BULK_DOB = Feature(
    "date_of_birth",
    LINK_DOB.agree,
    LINK_DOB.disagree,
    LINK_DOB.baseline,
    dob_digits,
    "Full dates digit by digit: exact, day/month swap, one or two wrong digits, different; "
    "partial dates by year and month.",
)
BULK_ADDRESS = Feature(
    "address",
    0.15,
    0.10,
    BULK_ADDRESS_BASELINE,
    address_tf,
    "Street number, street, locality, state (token-set ratio) and postcode; agreement on a "
    "common value (a capital city) weighs less, by its share of the dataset.",
)


def place_tf(a: Prepared, b: Prepared) -> float | None:
    """Place of birth: edit similarity of the whole place name, agreement above 0.5 scaled by
    the rarer side's place rarity (``fit``)."""
    if not a.place or not b.place:
        return None
    s = Levenshtein.normalized_similarity(" ".join(a.place), " ".join(b.place))
    if s > 0.5:
        s = 0.5 + (s - 0.5) * min(a.place_rarity, b.place_rarity)
    return s


BULK_PLACE = Feature(
    "place_of_birth",
    0.10,
    0.05,
    0.5,
    place_tf,
    "Place of birth by edit similarity; a common place weighs less, by its share of the dataset.",
)

# An e-mail address is an identifier people rarely share: agreement weighs as much as the
# name's own missing half; a different address (people have several) weighs little against.
BULK_EMAIL = Feature("email", 0.30, EMAIL.disagree, EMAIL.baseline, EMAIL.compare, EMAIL.description)


class BulkLinkage(RecordLinkage):
    """Record linkage and de-duplication of whole datasets: RecordLinkage's fields with dates
    compared digit by digit and term-frequency-weighted address agreement (call ``fit``)."""

    name = "bulk-linkage"
    features = (  # type: ignore[assignment]  # RecordLinkage infers a fixed-length tuple
        LINK_NAME,
        BULK_DOB,
        LINK_ID,
        BULK_ADDRESS,
        BULK_EMAIL,
        BULK_PLACE,
        *RecordLinkage.features[5:],
    )

    def __init__(self, settings: Any = None) -> None:
        super().__init__(settings)
        self.total = 0  # records in the dataset fitted (0: no term-frequency weighting)
        self._names: dict[tuple[object, ...], tuple[float, str]] = {}

    def fit(self, records: Sequence[Prepared]) -> None:
        fit(records)
        self.total = len(records)

    def _name(self, a: Prepared, b: Prepared) -> tuple[float, str]:
        # Duplicates repeat the same spellings: one alignment per distinct pair of names
        # (in a fixed order, so that (a, b) and (b, a) share it).
        if (a.names, a.cjk) > (b.names, b.cjk):
            a, b = b, a
        key = (tuple(a.names), tuple(b.names), a.abjad or b.abjad, a.cjk, b.cjk)
        got = self._names.get(key)
        if got is None:
            got = cmp.name_similarity(a, b, self.strict_names)
            if len(self._names) < NAME_CACHE:
                self._names[key] = got
        return got

    def score(self, a: Prepared, b: Prepared, floor: float | None = None) -> float:
        """``compare(a, b).score`` without building the explanation (bulk scoring: the
        explanation is built only for the pairs that merge).

        With ``floor``, a pair whose other fields leave it below ``floor`` even with equal
        names returns that bound (below ``floor``) without the costly name comparison."""
        if a.kind != "person" or b.kind != "person":
            return self.compare(a, b).score
        total = 0.0
        name: Feature | None = None
        for f in self.features:
            if f.name == "name":
                if {a.roles, b.roles} != {"g", "f"}:
                    name = f
                continue
            sim = f.compare(a, b)
            if sim is not None:
                total += f.contribution(sim)
        if name is not None:
            if floor is not None and total + name.agree < floor:
                return max(total + name.agree, 0.0)
            total += name.contribution(self._name(a, b)[0])
        return min(max(total, 0.0), 1.0)

    def _features(self, a: Prepared, b: Prepared, at_least: float = 0.0) -> list[FeatureResult]:
        if a.kind != "person" or b.kind != "person":
            return self._object_features(a, b)
        out = []
        for f in self.features:
            if f.name == "name":
                if {a.roles, b.roles} == {"g", "f"}:
                    # A given name alone against a family name alone: nothing to compare,
                    # which is missing evidence, not disagreement.
                    out.append(FeatureResult(f.name, None, f.agree, 0.0, "given name vs family name only"))
                    continue
                sim, why = self._name(a, b)
                out.append(FeatureResult(f.name, sim, f.agree, f.contribution(sim), why))
                continue
            s = f.compare(a, b)
            if s is None:
                out.append(FeatureResult(f.name, None, f.agree, 0.0, "missing"))
            else:
                out.append(FeatureResult(f.name, s, f.agree, f.contribution(s)))
        return out


def address_key(p: Prepared) -> str:
    return " ".join(p.address)


def fit(records: Sequence[Prepared]) -> None:
    """Set each record's address and birth-place rarity from the value counts of this
    dataset (term frequencies)."""
    total = len(records)
    addresses = Counter(address_key(p) for p in records if p.address)
    places = Counter(p.place for p in records if p.place)
    for p in records:
        if p.address:
            p.address_rarity = rarity(addresses[address_key(p)], total)
        if p.place:
            p.place_rarity = rarity(places[p.place], total)
