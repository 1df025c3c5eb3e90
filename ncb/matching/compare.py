"""Comparators: each returns a similarity in [0, 1], or None when either side lacks the evidence.

The name comparison lives here; its parts in tokens.py (token similarity) and align.py (token
alignment), the other fields in fields.py. All are importable from this module.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from ncb.matching.align import (
    CONFLICT_WEIGHT,
    EXTRA_TOKEN_WEIGHT,
    INITIAL_CAP,
    MAX_EXTRA,
    WEAK_EXTRA,
    _merge_concatenated,
    _patronymic_swapped,
    align_tokens,
)
from ncb.matching.cjk import cjk_similarity
from ncb.matching.fields import (
    address_similarity,
    country_similarity,
    dob_similarity,
    gender_similarity,
    identifier_similarity,
    place_similarity,
)
from ncb.matching.record import Prepared
from ncb.matching.tokens import abjad_key, token_similarity
from ncb.matching.xscript.calibration import off_scale, on_scale
from ncb.matching.xscript.compare import CrossScript, compare_to_tokens

__all__ = [
    "CONFLICT_WEIGHT",
    "EXTRA_TOKEN_WEIGHT",
    "INITIAL_CAP",
    "MAX_EXTRA",
    "WEAK_EXTRA",
    "abjad_key",
    "address_similarity",
    "align_tokens",
    "country_similarity",
    "dob_similarity",
    "gender_similarity",
    "identifier_similarity",
    "name_similarity",
    "place_similarity",
    "token_similarity",
]

_lev = Levenshtein.normalized_similarity


def name_similarity(a: Prepared, b: Prepared, strict: bool = True, above: float = 0.0) -> tuple[float, str]:
    """Best similarity over the name variants of both records, with a short reason
    (``strict``: see align_tokens). A similarity at or below ``above`` may be reported lower
    than it is (screening passes what a candidate needs to reach the floor)."""
    # One side only in another script: its reading decides (the letter-by-letter
    # transliteration of the loop below knows nothing of how names are written there).
    both_latin = a.has_latin and b.has_latin
    if not both_latin:
        xs = _cross_script(a, b, above)
        if xs is not None:
            return xs
    best, why = 0.0, ""
    abjad = a.abjad or b.abjad
    for ta in a.names:
        for tb in b.names:
            if len(ta) != len(tb) or set(ta) != set(tb):
                ta2, tb2 = _merge_concatenated(ta, tb), _merge_concatenated(tb, ta)
            else:
                ta2, tb2 = ta, tb
            s, matched = align_tokens(ta2, tb2, abjad, strict)
            note = ""
            if matched and all(len(x) == 1 or len(y) == 1 for x, y, _ in matched):
                s *= 0.6
                note = " (initials only)"
            elif strict and s > INITIAL_CAP and any(len(x) != len(y) and min(len(x), len(y)) == 1
                                                    for x, y, _ in matched):  # fmt: skip
                s = INITIAL_CAP
                note = " (initial)"
            elif _patronymic_swapped(ta2, tb2, matched):
                s *= 0.75
                note = " (father/son names swapped)"
            if len(ta) != len(tb):
                # Names written together ("VladimirPutin", "Ramimakhlouf").
                ja, jb = "".join(ta), "".join(tb)
                js = _lev(ja, jb)
                if js * 0.97 > s and min(len(ja), len(jb)) >= 6:
                    s = js * 0.97
                    matched = [(" ".join(ta), " ".join(tb), js)]
                    note = " (written together)"
            if s > best:
                best = s
                why = ", ".join(f"{x}~{y}" if x != y else x for x, y, _ in matched) + note
    if a.cjk and b.cjk:
        # Both written in one CJK script: the characters decide, not their Latin readings.
        got = cjk_similarity(a.cjk, b.cjk)
        if got is not None:
            best, why = got
    if both_latin:
        # Latin names on both sides: a non-Latin alias of one only counts above ``best``.
        xs = _cross_script(a, b, max(above, best))
        if xs is not None and xs[0] > best:
            best, why = xs
    return best, why


CROSS_SCRIPT_SCALE = 0.80  # the screening threshold: cross-script points land here


def _cross_script(a: Prepared, b: Prepared, above: float = 0.0) -> tuple[float, str] | None:
    """Best cross-script comparison between the non-Latin names of one record and the Latin
    names of the other, when only one record has non-Latin names; None otherwise. Scores at
    or below ``above`` (on the algorithm's scale) may be reported lower."""
    for fa, lb in ((a, b), (b, a)):
        if not fa.foreign or lb.foreign or not lb.has_latin:
            continue
        best: tuple[float, CrossScript] | None = None
        for script, raw in fa.foreign:
            need = off_scale(above, script, CROSS_SCRIPT_SCALE)
            for toks in lb.names:
                # Only what beats the best so far and ``above`` can change the answer.
                floor = need if best is None else max(need, off_scale(best[0], script, CROSS_SCRIPT_SCALE))
                got = compare_to_tokens(raw, script, toks, floor)
                if got is None:
                    continue
                s = on_scale(got.score, script, CROSS_SCRIPT_SCALE)
                if best is None or s > best[0]:
                    best = (s, got)
        return None if best is None else (best[0], best[1].explain())
    return None
