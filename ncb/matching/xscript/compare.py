"""Compare a name in Latin letters with a name in another script.

Each word of the non-Latin name is read in Latin letters (readings.py) and aligned with a Latin
token under the learned costs of its script (costs.py); a token's similarity is one minus the
alignment cost over the cost of sharing nothing. Words are matched to tokens in any order (family
names come first in Chinese, Korean and Japanese, and often in lists), an unspaced Chinese or
Korean name is split between its syllables (김정은 = Kim Jong Un), and every token must find its
word: one contradicting element (Kim Jong Il for 김정은) sinks the pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations

from rapidfuzz.fuzz import ratio

from ncb.matching.normalize import name_tokens
from ncb.matching.xscript.costs import learned
from ncb.matching.xscript.readings import Word, read_name, spellings
from ncb.matching.xscript.scripts import LABELS, cross_script, script_of
from ncb.matching.xscript.tokenmodel import CLASSES, features, plausible, probability

MAX_TOKENS = 5  # names longer than this compare their first five elements


@dataclass(frozen=True)
class Pairing:
    word: str  # the characters of the non-Latin word
    reading: str  # the reading that fitted best
    latin: str  # the Latin token it was matched with
    similarity: float


@dataclass(frozen=True)
class CrossScript:
    script: str
    score: float  # in [0, 1]: see combine
    pairings: tuple[Pairing, ...]
    unmatched: tuple[str, ...]

    def explain(self) -> str:
        label = LABELS.get(self.script, self.script)
        parts = [
            f"{label} {p.word} read as {p.reading} ~ {p.latin} {p.similarity:.2f}" for p in self.pairings
        ]
        if self.unmatched:
            parts.append("unmatched " + " ".join(self.unmatched))
        return "; ".join(parts)


# A character read in another than its first reading: its rare readings ("si" for 麗) would
# otherwise let Chinese names agree with too much.
RARE_READING_FACTOR = 0.7


@lru_cache(maxsize=500_000)
def _sim(units: tuple[tuple[str, ...], ...], token: str, script: str) -> tuple[float, str]:
    """Probability that ``token`` spells the word (tokenmodel), with the reading it used."""
    costs = learned()[script]
    best, reading = -1.0, ""
    for r, rare in spellings(units):
        if not plausible(r, token):
            continue
        p = probability(list(costs.model), features(r, token, costs)) * RARE_READING_FACTOR**rare
        if p > best:
            best, reading = p, r
    return max(best, 0.0), reading or spellings(units)[0][0]


def _splits(words: tuple[Word, ...], n: int) -> list[tuple[Word, ...]]:
    """Ways to cut unspaced words between units so that there are ``n`` words (or fewer)."""
    out = [words]
    if len(words) >= n:
        return out
    for i, w in enumerate(words):
        if not w.splittable:
            continue
        for k in range(1, len(w.units)):
            left = Word(w.text[:k] if len(w.text) == len(w.units) else w.text, w.units[:k])
            right = Word(w.text[k:] if len(w.text) == len(w.units) else w.text, w.units[k:])
            out.extend(_splits((*words[:i], left, right, *words[i + 1 :]), n))
    return out


def _merges(tokens: tuple[str, ...], n: int) -> list[tuple[str, ...]]:
    """Adjacent Latin tokens written together on the other side ("Abdul Rahman")."""
    out = [tokens]
    if len(tokens) > n:
        for i in range(len(tokens) - 1):
            out.append((*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :]))
    return out


MISSING_FACTOR = 0.6  # per element found on one side only (a middle name, a patronymic)
# A one-syllable Chinese or Korean word against a Latin token: the syllable inventories are
# small and the token model, fitted on transcribed foreign names, is lenient there ("yang" and
# "yong" differ in one vowel). Its probability is raised to this power: only near-certain
# syllables count (0.98 -> 0.55, 0.95 -> 0.21).
SYLLABLE_POWER = 30


def combine(sims: list[float], missing: int) -> float:
    """Name score: the worst element decides (a relative shares all but one element), times
    MISSING_FACTOR for each element that only one side has."""
    if not sims:
        return 0.0
    return min(sims) * MISSING_FACTOR**missing


def _best(words: tuple[Word, ...], tokens: tuple[str, ...], script: str) -> CrossScript:
    small_is_words = len(words) <= len(tokens)
    small, large = (words, tokens) if small_is_words else (tokens, words)
    # Each word-token similarity once; the search over assignments then compares floats only
    # (up to 5! assignments per split, for every candidate a screening query is aligned with).
    cells: list[list[Pairing]] = []
    for i in range(len(small)):
        row = []
        for j in range(len(large)):
            w, t = (words[i], tokens[j]) if small_is_words else (words[j], tokens[i])
            sim, reading = _sim(w.units, t, script)
            if len(w.units) == 1 and script in ("han", "hangul"):
                sim = sim**SYLLABLE_POWER
            row.append(Pairing(w.text, reading, t, sim))
        cells.append(row)
    sims = [[c.similarity for c in row] for row in cells]
    missing = len(large) - len(small)
    best_score, best_perm = -1.0, None
    for perm in permutations(range(len(large)), len(small)):
        score = combine([sims[i][j] for i, j in enumerate(perm)], missing)
        if score > best_score:
            best_score, best_perm = score, perm
    if best_perm is None:
        return CrossScript(script, -1.0, (), ())
    used = set(best_perm)
    left = [j for j in range(len(large)) if j not in used]
    rest_text = (tuple(tokens[j] for j in left) if small_is_words
                 else tuple(words[j].text for j in left))
    pairs = tuple(cells[i][j] for i, j in enumerate(best_perm))
    return CrossScript(script, best_score, pairs, rest_text)


# Whole-name consonant-class skeletons (words sorted) sharing less than this (rapidfuzz ratio,
# 0-100) are not aligned at all: on the dev set the consonant-class baseline drops 0.2% of true
# pairs below 40, and most screening candidates of a non-Latin query are far below it.
MIN_NAME_SKELETON_RATIO = 40.0


def _worth_aligning(words: tuple[Word, ...], tokens: tuple[str, ...]) -> bool:
    a = " ".join(sorted(spellings(w.units)[0][0].translate(CLASSES) for w in words))
    b = " ".join(sorted(t.translate(CLASSES) for t in tokens))
    return (
        ratio(a.replace(" ", ""), b.replace(" ", "")) >= MIN_NAME_SKELETON_RATIO
        or ratio(a, b) >= MIN_NAME_SKELETON_RATIO
    )


@lru_cache(maxsize=200_000)
def compare_to_tokens(other: str, script: str, tokens: tuple[str, ...]) -> CrossScript | None:
    """Compare the name ``other``, written in ``script``, with a Latin name already cut into
    normalised tokens (normalize.name_tokens)."""
    tokens = tokens[:MAX_TOKENS]
    words = read_name(other, script)[:MAX_TOKENS]
    if not tokens or not words or script not in learned():
        return None
    best = CrossScript(script, 0.0, (), ())
    if not _worth_aligning(words, tokens):
        return best
    for ws in _splits(words, len(tokens)):
        # Latin tokens are joined only where the other side cannot be cut any further.
        joinable = not any(w.splittable for w in ws)
        for ts in _merges(tokens, len(ws)) if joinable else [tokens]:
            got = _best(ws, ts, script)
            if got.score > best.score:
                best = got
    return best


def compare_cross_script(a: str, b: str) -> CrossScript | None:
    """The cross-script comparison of two names, or None unless one is written in Latin letters
    and the other in a script we have readings for (Cyrillic, Arabic, Hebrew, Chinese,
    katakana, Hangul)."""
    script = cross_script(a, b)
    if script is None:
        return None
    latin, other = (a, b) if script_of(a) == "latin" else (b, a)
    return compare_to_tokens(other, script, name_tokens(latin))
