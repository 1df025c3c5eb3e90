"""How likely a Latin token is the spelling of a word read in another script.

The alignment cost alone is not comparable between a four-letter and a ten-letter name, nor
between scripts. A logistic model per script, fitted on the learning tokens against other
tokens of the same table (learn.py), turns the cost per letter, the dearest single edit and
the length of the shorter side into a probability: "miko" against "ciro" has two improbable
substitutions in four letters and scores low; "gotto" against "gott" one cheap vowel drop.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from rapidfuzz.fuzz import ratio

from ncb.matching.xscript.costs import Costs, distance_and_worst, null_cost

_DOUBLE = re.compile(r"(.)\1+")
FEATURES = ("bias", "cost_per_latin", "cost_per_reading", "saved_per_latin", "worst_edit", "inv_shorter")
# Features that are evidence against a match: their weights are kept at or below zero.
AGAINST = (1, 2, 4)
# A reading and a spelling this different in length are not the same name whatever the
# costs say (a one-syllable reading against a long token): no model needed.
MAX_LENGTH_RATIO = 2.5


# Consonant classes (b/p/v/f/w, g/k/q/c/x/j/s/z/h/y, d/t, l/r, m/n): a reading whose class
# skeleton shares less than this with the token's (rapidfuzz ratio, 0-100) is not aligned at all.
# On the learning tokens 99.5% of true pairs are at 40 or above, 40% of random pairs below:
# it saves the alignment for most candidates a screening query brings.
MIN_SKELETON_RATIO = 34.0
CLASSES = str.maketrans(
    {**dict.fromkeys("bpvfw", "B"), **dict.fromkeys("gkqcxjszhy", "K"), **dict.fromkeys("dt", "D"),
     **dict.fromkeys("lr", "L"), **dict.fromkeys("mn", "M"), **dict.fromkeys("aeiou", None)}
)  # fmt: skip


def plausible(src: str, lat: str) -> bool:
    """Cheap checks before the alignment: comparable lengths and consonant skeletons."""
    n, m = len(lat), len(src)
    if n > MAX_LENGTH_RATIO * m + 2 or m > MAX_LENGTH_RATIO * n + 2:
        return False
    a, b = skeleton(src), skeleton(lat)
    return not (a or b) or ratio(a, b) >= MIN_SKELETON_RATIO


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """The consonant classes of a word (kept: screening meets the same words many times)."""
    return word.translate(CLASSES)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Doubled letters written once ("appiah" -> "apiah"); kept per word (screening asks for
    the same words again and again)."""
    return _DOUBLE.sub(r"\1", text)


def features(src: str, lat: str, c: Costs, fold_doubles: bool = True) -> list[float]:
    """The model's inputs for the reading ``src`` against the Latin token ``lat``."""
    got = features_above(src, lat, c, 0.0, fold_doubles)
    assert got is not None  # no cut without a probability to beat
    return got


def features_above(
    src: str, lat: str, c: Costs, above: float, fold_doubles: bool = True
) -> list[float] | None:
    """features(), or None when the alignment alone shows that the probability cannot exceed
    ``above`` (its cost passes max_cost: most screening candidates are cut a few letters in).
    A doubled letter on either side may stand for a single one on the other (Hangul does not
    write doubled consonants: 아피아 "apia" for Appiah): both ways, the cheaper is kept. The
    model is fitted on the spellings as written (learn.py: ``fold_doubles=False``)."""
    out = _features_above(src, lat, c, above)
    fs, fl = fold(src), fold(lat)
    if fold_doubles and (fs, fl) != (src, lat):
        alt = _features_above(fs, fl, c, above)
        if (out is None) != (alt is None):
            # The cheaper way counts, whatever its probability: the one given up is needed in
            # full to know which (else a cut could report more than the full comparison).
            out = out or _features_above(src, lat, c, 0.0)
            alt = alt or _features_above(fs, fl, c, 0.0)
        if alt is not None and (out is None or alt[1] < out[1]):
            return alt
    return out


def _features_above(src: str, lat: str, c: Costs, above: float) -> list[float] | None:
    null = null_cost(src, lat, c)
    n, m = max(len(lat), 1), max(len(src), 1)
    got = distance_and_worst(src, lat, c, max_cost(c.model, above, null, n, m))
    if got is None:
        return None
    cost, worst = got
    return [1.0, cost / n, cost / m, (null - cost) / n, worst, 1.0 / min(n, m)]


def max_cost(weights: tuple[float, ...], above: float, null: float, n: int, m: int) -> float:
    """The alignment cost beyond which probability() is at most ``above`` whatever the dearest
    edit (it lies between 0 and the cost); inf when there is no such cost. ``n`` and ``m``
    are the Latin and reading lengths (at least 1)."""
    if above <= 0.0 or len(weights) != len(FEATURES):
        return math.inf
    if above >= 1.0:
        return 0.0
    need = math.log(above / (1.0 - above))
    if need <= -30.0:  # probability() clips z there
        return math.inf
    w0, w1, w2, w3, w4, w5 = weights
    # z = rest + slope * cost at most, with the dearest edit at its most favourable.
    slope = w1 / n + w2 / m - w3 / n + max(w4, 0.0)
    if slope >= 0.0:
        return math.inf
    rest = w0 + w3 * null / n + w5 / min(n, m)
    limit = (need - rest) / slope
    return max(limit, 0.0) + 1e-9 * (1.0 + abs(limit))


def probability(weights: list[float], feats: list[float]) -> float:
    z = sum(w * f for w, f in zip(weights, feats, strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
