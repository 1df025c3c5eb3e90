"""Matching algorithms: small declarative classes of weighted features (nomenklatura style).

Each feature compares one kind of evidence and yields a similarity in [0, 1] (or nothing when a
side lacks it). Above its ``baseline`` a feature adds up to ``agree`` to the score; below it, it
takes away up to ``disagree``: disagreement is evidence. The name feature is the base of the
score (its contribution is ``agree * similarity``). The score is clipped to [0, 1] and compared
with the calibrated threshold of the algorithm's mode (ncb/matching/data/thresholds.yaml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rapidfuzz.distance import Levenshtein

from ncb.matching import compare as cmp
from ncb.matching.data import thresholds
from ncb.matching.judgements import Decision, JudgementStore
from ncb.matching.record import PersonRecord, Prepared, prepare


@dataclass(frozen=True)
class Feature:
    """One weighted piece of evidence."""

    name: str
    agree: float
    disagree: float
    baseline: float
    compare: Callable[[Prepared, Prepared], float | None]
    description: str

    def contribution(self, sim: float) -> float:
        if self.baseline <= 0.0:
            return self.agree * sim
        if sim >= self.baseline:
            return self.agree * (sim - self.baseline) / (1.0 - self.baseline)
        return -self.disagree * (self.baseline - sim) / self.baseline


@dataclass(frozen=True)
class FeatureResult:
    feature: str
    similarity: float | None
    weight: float
    contribution: float
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "weight": self.weight,
            "contribution": round(self.contribution, 4),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Explanation:
    """Why a pair scored what it scored."""

    algorithm: str
    score: float
    threshold: float
    match: bool
    features: list[FeatureResult] = field(default_factory=list)
    judgement: str | None = None

    @property
    def summary(self) -> str:
        """One line for humans."""
        if self.judgement in (Decision.MATCH.value, Decision.NO_MATCH.value):
            return f"{self.judgement} by human judgement (score {self.score:.2f})"
        parts = []
        for f in self.features:
            if f.similarity is None:
                continue
            sign = "+" if f.contribution >= 0 else "-"
            extra = f" [{f.detail}]" if f.detail else ""
            parts.append(f"{f.feature} {f.similarity:.2f} ({sign}{abs(f.contribution):.2f}){extra}")
        verdict = "match" if self.match else "no match"
        text = f"{verdict} {self.score:.2f} (threshold {self.threshold:.2f}): " + "; ".join(parts)
        if self.judgement == Decision.UNSURE.value:
            text += "; judged unsure before"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm,
            "score": round(self.score, 4),
            "threshold": self.threshold,
            "match": self.match,
            "judgement": self.judgement,
            "features": [f.to_dict() for f in self.features],
            "summary": self.summary,
        }


def _name(a: Prepared, b: Prepared) -> float | None:  # documented placeholder; see Algorithm
    return cmp.name_similarity(a, b)[0]


NAME = Feature(
    "name",
    1.0,
    0.0,
    0.0,
    _name,
    "Token-set alignment of transliterated names: typos, phonetics, nicknames, "
    "initials, particles; unmatched tokens on both sides count against.",
)
DOB = Feature(
    "date_of_birth",
    0.08,
    0.30,
    0.6,
    cmp.dob_similarity,
    "Full, year-month or year-only agreement; day/month swap 0.85; off-by-one year 0.45; a different year 0.",
)
GENDER = Feature("gender", 0.02, 0.15, 0.5, cmp.gender_similarity, "Same or different gender.")
NATIONALITY = Feature(
    "nationality",
    0.03,
    0.06,
    0.5,
    cmp.country_similarity,
    "Country names and ISO codes normalised to ISO2.",
)
IDENTIFIER = Feature(
    "identifier",
    0.30,
    0.25,
    0.5,
    cmp.identifier_similarity,
    "Document numbers: exact 1.0, OCR confusions (O/0, I/1/L, S/5, B/8, Z/2) 0.95, "
    "one edit 0.7, different 0.",
)
PLACE = Feature("place_of_birth", 0.02, 0.02, 0.5, cmp.place_similarity, "Shared place-of-birth words.")


class Algorithm:
    """Base class: subclasses declare ``name``, ``mode``, ``features`` and ``Settings``."""

    name: ClassVar[str] = "base"
    mode: ClassVar[str] = "screening"
    features: ClassVar[tuple[Feature, ...]] = ()
    # Names alone decide (screening): contradicting name elements weigh more (compare.py).
    strict_names: ClassVar[bool] = True

    @dataclass(frozen=True)
    class Settings:
        threshold: float | None = None

    def __init__(self, settings: Any = None) -> None:
        self.settings = settings or self.Settings()

    @property
    def threshold(self) -> float:
        t = getattr(self.settings, "threshold", None)
        return float(t) if t is not None else thresholds()[self.mode]

    def compare_records(
        self, a: PersonRecord, b: PersonRecord, judgements: JudgementStore | None = None
    ) -> Explanation:
        return self.compare(prepare(a), prepare(b), judgements)

    def compare(
        self,
        a: Prepared,
        b: Prepared,
        judgements: JudgementStore | None = None,
        *,
        at_least: float = 0.0,
    ) -> Explanation:
        """Score and explain a pair. With ``at_least`` (screening's floor), a pair that cannot
        reach it may be scored lower than it is, never higher (its name comparison stops
        early), and comes back without its features (screening drops it). A pair with a
        recorded judgement is always scored and explained in full."""
        threshold = self.threshold
        decision = judgements.get(a.id, b.id) if judgements is not None else None
        if (
            at_least > 0.0
            and decision is None
            and a.kind == "person"
            and b.kind == "person"
            and type(self)._features is Algorithm._features  # subclasses keep their own
        ):
            raw = self._evidence(a, b, at_least)
            score = min(max(sum(r[2] for r in raw), 0.0), 1.0)
            if score < at_least:
                return Explanation(self.name, score, threshold, score >= threshold, [], None)
            results = [FeatureResult(f.name, sim, f.agree, c, why) for f, sim, c, why in raw]
        else:
            results = self._features(a, b, 0.0 if decision is not None else at_least)
        score = min(max(sum(r.contribution for r in results), 0.0), 1.0)
        if decision == Decision.MATCH:
            return Explanation(self.name, 1.0, threshold, True, results, Decision.MATCH.value)
        if decision == Decision.NO_MATCH:
            return Explanation(self.name, 0.0, threshold, False, results, Decision.NO_MATCH.value)
        return Explanation(
            self.name,
            score,
            threshold,
            score >= threshold,
            results,
            decision.value if decision is not None else None,
        )

    def _features(self, a: Prepared, b: Prepared, at_least: float = 0.0) -> list[FeatureResult]:
        if a.kind != "person" or b.kind != "person":
            return self._object_features(a, b)
        return [
            FeatureResult(f.name, sim, f.agree, c, why) for f, sim, c, why in self._evidence(a, b, at_least)
        ]

    def _evidence(
        self, a: Prepared, b: Prepared, at_least: float
    ) -> list[tuple[Feature, float | None, float, str]]:
        """(feature, similarity, contribution, detail) of each feature of two persons, in
        order; plain tuples, so that screening builds FeatureResults only for its hits."""
        out: list[tuple[Feature, float | None, float, str]] = []
        name_at: list[tuple[int, Feature]] = []
        rest = 0.0
        for f in self.features:
            if f is NAME or f.name == "name":
                name_at.append((len(out), f))
                out.append((f, None, 0.0, ""))
                continue
            s = f.compare(a, b)
            if s is None:
                out.append((f, None, 0.0, "missing"))
            else:
                c = f.contribution(s)
                rest += c
                out.append((f, s, c, ""))
        # The name last: the other features say how much of ``at_least`` it has to bring.
        for i, f in name_at:
            above = 0.0
            if at_least > 0.0 and f.baseline <= 0.0 and f.agree > 0.0 and len(name_at) == 1:
                above = (at_least - rest) / f.agree - 1e-9  # a hair low: sums round
            sim, why = cmp.name_similarity(a, b, self.strict_names, above)
            out[i] = (f, sim, f.contribution(sim), why)
        return out

    @staticmethod
    def _object_features(a: Prepared, b: Prepared) -> list[FeatureResult]:
        """Vehicles, documents and phones match on their normalised identifier only."""
        if a.kind != b.kind:
            return [FeatureResult("kind", 0.0, 1.0, 0.0, f"{a.kind} vs {b.kind}")]
        s = cmp.identifier_similarity(a, b)
        if s is None:
            return [FeatureResult("identifier", None, 1.0, 0.0, "missing")]
        return [FeatureResult("identifier", s, 1.0, s, "normalised, OCR-tolerant")]


class NameOnly(Algorithm):
    """Names alone. Use when a list or a query carries nothing but names (name-pair scoring,
    quick look-ups typed by a user); other evidence is ignored."""

    name = "name-only"
    mode = "screening"
    features = (NAME,)


class PersonScreening(Algorithm):
    """The default for screening persons against a watchlist: the name decides, date of birth,
    gender, nationality, document number and place of birth confirm or contradict it. A different
    birth year, gender or document number pulls a same-name pair below the threshold."""

    name = "person-screening"
    mode = "screening"
    features = (NAME, DOB, GENDER, NATIONALITY, IDENTIFIER, PLACE)


def _address(a: Prepared, b: Prepared) -> float | None:
    return cmp.address_similarity(a, b)


LINK_NAME = Feature("name", 0.55, 0.0, 0.0, _name, NAME.description)
LINK_DOB = Feature("date_of_birth", 0.15, 0.15, 0.5, cmp.dob_similarity, DOB.description)
LINK_ID = Feature("identifier", 0.15, 0.10, 0.6, cmp.identifier_similarity, IDENTIFIER.description)
ADDRESS = Feature(
    "address",
    0.15,
    0.10,
    0.6,
    _address,
    "Street number, street, locality and state tokens (token-set ratio) and postcode.",
)


def _email(a: Prepared, b: Prepared) -> float | None:
    if not a.email or not b.email:
        return None
    return Levenshtein.normalized_similarity(a.email, b.email)


EMAIL = Feature(
    "email",
    0.15,
    0.05,
    0.7,
    _email,
    "E-mail addresses: normalised edit similarity (people change addresses: weak against).",
)


class RecordLinkage(Algorithm):
    """Linking or de-duplicating whole datasets of person records with address fields
    (FEBRL-style: given name, surname, address, postcode, date of birth, social security id).
    Every field is weaker alone than in screening; agreement across fields decides."""

    name = "record-linkage"
    mode = "linkage"
    strict_names = False
    features = (
        LINK_NAME,
        LINK_DOB,
        LINK_ID,
        ADDRESS,
        EMAIL,
        Feature("gender", 0.0, 0.1, 0.5, cmp.gender_similarity, GENDER.description),
        Feature("nationality", 0.0, 0.05, 0.5, cmp.country_similarity, NATIONALITY.description),
    )


ALGORITHMS: dict[str, type[Algorithm]] = {cls.name: cls for cls in (NameOnly, PersonScreening, RecordLinkage)}


def get_algorithm(name: str) -> Algorithm:
    try:
        return ALGORITHMS[name]()
    except KeyError:
        raise ValueError(f"unknown algorithm {name!r}; choose from {sorted(ALGORITHMS)}") from None
