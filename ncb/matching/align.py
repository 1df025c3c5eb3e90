"""Order-independent alignment of two names' tokens (one name variant against another)."""

from __future__ import annotations

from ncb.matching.given_forms import DIMINUTIVE, diminutive
from ncb.matching.normalize import token_info
from ncb.matching.tokens import _abjad_sim, token_similarity


def align_tokens(
    ta: tuple[str, ...], tb: tuple[str, ...], abjad: bool = False, strict: bool = True
) -> tuple[float, list[tuple[str, str, float]]]:
    """Order-independent alignment of two token tuples; returns (score, matched pairs).

    ``strict`` (names alone decide: screening) makes contradicting name elements count
    ``CONFLICT_WEIGHT`` times and weak agreements ``WEAK_EXTRA`` more: relatives share most of
    their name elements in patronymic and clan naming systems, so one contradicting element
    must outweigh several agreeing ones whatever the length of the name. Record linkage, where
    other fields decide, uses the neutral weighting."""
    conflict_weight = CONFLICT_WEIGHT if strict else 1.0
    weak_factor = WEAK_EXTRA if strict else 0.0
    if not ta or not tb:
        return 0.0, []
    sim = _abjad_sim if abjad else token_similarity
    pairs = []
    for i, a in enumerate(ta):
        for j, b in enumerate(tb):
            s = sim(a, b)
            if i == 0 and j == 0 and s < DIMINUTIVE and diminutive(a, b):
                s = DIMINUTIVE  # first names only: "Lind" is no short form of "Lindemann"
            if s >= 0.5:
                pairs.append((-s, i, j))
    if not pairs:
        return 0.0, []  # nothing agrees: most screening candidates end here
    # Best first; among equals the earliest tokens (an initial stands for the first name).
    pairs.sort()
    infa, infb = [token_info(t) for t in ta], [token_info(t) for t in tb]
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched: list[tuple[str, str, float]] = []
    got = 0.0
    weak_extra = 0.0
    for neg, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        s = -neg
        used_a.add(i)
        used_b.add(j)
        wa, wb = infa[i].weight, infb[j].weight
        # Weak token agreement is discounted: a different name that shares letters is no match.
        eff = s if s >= 0.75 else 0.75 * ((s - 0.45) / 0.3) ** 1.2
        got += eff * (wa + wb)
        if s < 0.75:
            # A weak agreement is half a conflict: it weighs more than an agreeing token.
            weak_extra += weak_factor * (wa + wb)
        matched.append((ta[i], tb[j], s))
    # Unmatched tokens on both sides are a conflict and count fully (an unmatched initial as
    # much as a short name); unmatched tokens on one side only are a missing middle name or
    # patronymic and count a quarter, all of them together at most MAX_EXTRA in screening
    # when two or more tokens agree: long names (Arabic, Afghan, Portuguese) lose several
    # middle names at once.
    conflict = len(used_a) < len(ta) and len(used_b) < len(tb)
    total = weak_extra
    for infos, used in ((infa, used_a), (infb, used_b)):
        extra = 0.0
        for i, info in enumerate(infos):
            w = info.weight
            if i in used:
                total += w
            elif conflict and not info.particle:
                total += max(w, 4.0) * conflict_weight
            else:
                extra += w * EXTRA_TOKEN_WEIGHT
        total += min(extra, MAX_EXTRA) if strict and len(matched) >= 2 else extra
    score = got / total if total > 0 else 0.0
    return min(score, 1.0), matched


EXTRA_TOKEN_WEIGHT = 0.25
MAX_EXTRA = 2.0
# A given name known only by its initial ("J. Johnson"): the family name and an initial are
# weaker evidence than two names, so the name score stays below this in screening, where
# other fields (date of birth, nationality) must then confirm it.
INITIAL_CAP = 0.88
CONFLICT_WEIGHT = 2.0
WEAK_EXTRA = 0.25
_PATRONYMIC = frozenset({"bin", "ibn", "ben", "bn", "bint", "binti", "ibnu"})


def _merge_concatenated(ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple[str, ...]:
    """Join adjacent tokens of ``ta`` whose concatenation is a token of ``tb``."""
    if len(ta) < 2:
        return ta
    targets = set(tb)
    if not any(ta[i] + ta[i + 1] in targets for i in range(len(ta) - 1)):
        return ta  # no two adjacent tokens make one of ``tb``: the common case
    out: list[str] = []
    i = 0
    while i < len(ta):
        if i + 1 < len(ta) and ta[i] not in targets and (ta[i] + ta[i + 1]) in targets:
            out.append(ta[i] + ta[i + 1])
            i += 2
            continue
        if i + 1 < len(ta) and ta[i + 1] not in targets and (ta[i] + ta[i + 1]) in targets:
            out.append(ta[i] + ta[i + 1])
            i += 2
            continue
        out.append(ta[i])
        i += 1
    return tuple(out)


def _patronymic_swapped(ta: tuple[str, ...], tb: tuple[str, ...], matched: list) -> bool:
    """ "X bin Y" against "Y bin X": father and son swapped."""

    def around(t: tuple[str, ...]) -> set[tuple[str, str]]:
        # The names either side of "bin", skipping articles ("Ibrahim bin al-Din").
        out = set()
        for i, tok in enumerate(t):
            if tok not in _PATRONYMIC:
                continue
            before = [x for x in t[:i] if not token_info(x).particle]
            after = [x for x in t[i + 1 :] if not token_info(x).particle]
            if before and after:
                out.add((before[-1], after[0]))
        return out

    pa, pb = around(ta), around(tb)
    if not pa or not pb:
        return False
    m = {x: y for x, y, _ in matched}
    return any((m.get(q), m.get(p)) in pb for p, q in pa)
