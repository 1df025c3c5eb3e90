"""Compare a name in Latin letters with a name in another script.

Each word of the non-Latin name is read in Latin letters (readings.py) and aligned with a Latin
token under the learned costs of its script (costs.py); a token's similarity is one minus the
alignment cost over the cost of sharing nothing. Words are matched to tokens in any order (family
names come first in Chinese, Korean and Japanese, and often in lists), an unspaced Chinese or
Korean name is split between its syllables (김정은 = Kim Jong Un), and every token must find its
word: one contradicting element (Kim Jong Il for 김정은) sinks the pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.fuzz import ratio

from ncb.matching.normalize import name_tokens
from ncb.matching.xscript.costs import learned
from ncb.matching.xscript.readings import Word, read_name, spellings
from ncb.matching.xscript.scripts import LABELS, cross_script, script_of
from ncb.matching.xscript.tokenmodel import CLASSES, features_above, plausible, probability

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


_spellings = lru_cache(maxsize=100_000)(spellings)
# A Chinese transcription writes a consonant between two vowels twice, as the final of one
# syllable and the initial of the next: 唐纳德 "tang-na-de" for Donald, 肯尼迪 "ken-ni-di" for
# Kennedy. The Latin spelling has it once, between vowels: for such a token the reading
# without the final is tried as well (not for Ethan against 強尼 "qiang-ni"), at
# SHARED_N_FACTOR: one more way to read the word is one more way to agree by chance.
SHARED_N_FACTOR = 0.9
_SHARED_N = re.compile(r"ng?(?=n)")
_INTERVOCALIC_N = re.compile(r"[aeiouy]n+[aeiouy]")


@lru_cache(maxsize=100_000)
def _readings(
    units: tuple[tuple[str, ...], ...], script: str, token: str
) -> tuple[tuple[str, int, float], ...]:
    """The word's spellings (spellings()) with how many rare readings each uses and a factor."""
    out = _spellings(units)
    if script != "han" or len(units) < 2 or not _INTERVOCALIC_N.search(token):
        return tuple((r, rare, 1.0) for r, rare in out)
    extra = [(_SHARED_N.sub("", r), rare, SHARED_N_FACTOR) for r, rare in out if _SHARED_N.search(r)]
    return (*((r, rare, 1.0) for r, rare in out), *extra)
# Word-token similarities: (units, token, script) -> (similarity, reading, cut). The similarity
# is exact when above the cut it was computed with, and only known to be at most the cut below.
_SIMS: dict[tuple[tuple[tuple[str, ...], ...], str, str], tuple[float, str, float]] = {}
MAX_CACHED = 500_000


def _sim(units: tuple[tuple[str, ...], ...], token: str, script: str, cut: float = 0.0) -> tuple[float, str]:
    """Probability that ``token`` spells the word (tokenmodel), with the reading it used.
    Exact when above ``cut``; at or below it the value may be reported lower (readings whose
    alignment cannot get above it are given up part-way)."""
    key = (units, token, script)
    got = _SIMS.get(key)
    if got is not None and (got[0] > got[2] or cut >= got[2]):
        return got[0], got[1]
    costs = learned()[script]
    weights: list[float] = []
    best, reading = -1.0, ""
    for r, rare, extra in _readings(units, script, token):
        if not plausible(r, token):
            continue
        factor = RARE_READING_FACTOR**rare * extra
        # This reading only counts if it beats both the best so far and the cut.
        above = max(best, cut) / factor * (1.0 - 1e-12)
        if above >= 1.0:
            continue
        feats = features_above(r, token, costs, above)
        if feats is None:
            continue
        weights = weights or list(costs.model)
        p = probability(weights, feats) * factor
        if p > best:
            best, reading = p, r
    if len(_SIMS) >= MAX_CACHED:
        _SIMS.clear()
    out = (max(best, 0.0), reading or _spellings(units)[0][0])
    _SIMS[key] = (*out, cut)
    return out


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


@lru_cache(maxsize=50_000)
def _unique_splits(words: tuple[Word, ...], n: int) -> tuple[tuple[tuple[Word, ...], bool], ...]:
    """_splits without repeats (a three-character name cut in two places is reached twice), in
    the order first reached (a repeat cannot beat itself), each with whether no word of it can
    be cut any further. Cached: a screening query meets many candidates with as many tokens."""
    return tuple((ws, not any(w.splittable for w in ws)) for ws in dict.fromkeys(_splits(words, n)))


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


def _best(words: tuple[Word, ...], tokens: tuple[str, ...], script: str, floor: float) -> CrossScript | None:
    """The best assignment of words to tokens if it scores above ``floor``, else None.

    A depth-first search over the assignments in the order of itertools.permutations (so ties
    go to the same assignment as trying them all), cut wherever the partial assignment's worst
    similarity already cannot beat the best so far: most screening candidates are dropped
    after a row or two, and a word-token similarity is only computed when the search gets to it.
    """
    small_is_words = len(words) <= len(tokens)
    n_small, n_large = (len(words), len(tokens)) if small_is_words else (len(tokens), len(words))
    fm = MISSING_FACTOR ** (n_large - n_small)
    if fm <= floor:  # similarities are at most 1
        return None
    syllables = script in ("han", "hangul")
    cells: dict[tuple[int, int], tuple[float, str]] = {}

    def cell(i: int, j: int) -> float:
        got = cells.get((i, j))
        if got is None:
            w, t = (words[i], tokens[j]) if small_is_words else (words[j], tokens[i])
            # Only a similarity above best / fm can still change the outcome.
            cut = max(best / fm * (1.0 - 1e-12), 0.0)
            power = syllables and len(w.units) == 1
            if power:
                cut = cut ** (1 / SYLLABLE_POWER)
            known = _SIMS.get((w.units, t, script))  # _sim's own cache, without the call
            if known is not None and (known[0] > known[2] or cut >= known[2]):
                sim, reading = known[0], known[1]
            else:
                sim, reading = _sim(w.units, t, script, cut)
            if power:
                sim = sim**SYLLABLE_POWER
            got = cells[i, j] = (sim, reading)
        return got[0]

    best = floor
    best_perm: tuple[int, ...] | None = None
    perm: list[int] = []
    used = [False] * n_large

    def search(i: int, low: float) -> None:
        nonlocal best, best_perm
        for j in range(n_large):
            if used[j]:
                continue
            m = min(low, cell(i, j))
            if m * fm <= best:  # combine() of any completion is at most this
                continue
            if i + 1 == n_small:
                best, best_perm = m * fm, (*perm, j)
                continue
            used[j] = True
            perm.append(j)
            search(i + 1, m)
            perm.pop()
            used[j] = False

    search(0, float("inf"))
    if best_perm is None:
        return None
    pairs = []
    for i, j in enumerate(best_perm):
        w, t = (words[i], tokens[j]) if small_is_words else (words[j], tokens[i])
        sim, reading = cells[i, j]
        pairs.append(Pairing(w.text, reading, t, sim))
    left = [j for j in range(n_large) if j not in best_perm]
    rest = tuple(tokens[j] for j in left) if small_is_words else tuple(words[j].text for j in left)
    return CrossScript(script, best, tuple(pairs), rest)


@lru_cache(maxsize=50_000)
def _word_skeleton(words: tuple[Word, ...]) -> str:
    return " ".join(sorted(_spellings(w.units)[0][0].translate(CLASSES) for w in words))


@lru_cache(maxsize=200_000)
def _token_skeleton(tokens: tuple[str, ...]) -> str:
    return " ".join(sorted(t.translate(CLASSES) for t in tokens))


# Whole-name consonant-class skeletons (words sorted) sharing less than this (rapidfuzz ratio,
# 0-100) are not aligned at all: on the dev set the consonant-class baseline drops 0.2% of true
# pairs below 40, and most screening candidates of a non-Latin query are far below it.
MIN_NAME_SKELETON_RATIO = 40.0


def _worth_aligning(words: tuple[Word, ...], tokens: tuple[str, ...]) -> bool:
    a, b = _word_skeleton(words), _token_skeleton(tokens)
    return (
        ratio(a.replace(" ", ""), b.replace(" ", "")) >= MIN_NAME_SKELETON_RATIO
        or ratio(a, b) >= MIN_NAME_SKELETON_RATIO
    )


@lru_cache(maxsize=200_000)
def compare_to_tokens(
    other: str, script: str, tokens: tuple[str, ...], above: float = 0.0
) -> CrossScript | None:
    """Compare the name ``other``, written in ``script``, with a Latin name already cut into
    normalised tokens (normalize.name_tokens). A score at or below ``above`` may be reported
    as 0 (screening: a candidate that cannot reach the floor is not aligned to the end)."""
    tokens = tokens[:MAX_TOKENS]
    words = read_name(other, script)[:MAX_TOKENS]
    if not tokens or not words or script not in learned():
        return None
    best = CrossScript(script, 0.0, (), ())
    if not _worth_aligning(words, tokens):
        return best
    for ws, joinable in _unique_splits(words, len(tokens)):
        # Latin tokens are joined only where the other side cannot be cut any further.
        for ts in _merges(tokens, len(ws)) if joinable else (tokens,):
            got = _best(ws, ts, script, max(best.score, above))
            if got is not None:
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
