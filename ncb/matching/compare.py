"""Comparators: each returns a similarity in [0, 1], or None when either side lacks the evidence."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from ncb.matching.cjk import cjk_similarity
from ncb.matching.given_forms import DIMINUTIVE, diminutive
from ncb.matching.normalize import _DOUBLE, TokenInfo, token_info
from ncb.matching.record import Prepared, ocr_fold
from ncb.matching.romanise import korean_equivalent
from ncb.matching.xscript.calibration import off_scale, on_scale
from ncb.matching.xscript.compare import CrossScript, compare_to_tokens

_lev = Levenshtein.normalized_similarity
_osa = OSA.normalized_similarity


@lru_cache(maxsize=1_000_000)
def token_similarity(a: str, b: str) -> float:
    """Similarity of two normalised name tokens (order of arguments does not matter)."""
    if a == b:
        return 1.0
    ia, ib = token_info(a), token_info(b)
    return _token_sim(ia, ib)


def _token_sim(ia: TokenInfo, ib: TokenInfo) -> float:
    a, b = ia.text, ib.text
    if ia.groups and ib.groups and not ia.groups.isdisjoint(ib.groups):
        return 0.92
    if len(a) == 1 or len(b) == 1:
        # An initial agrees with a name starting with that letter.
        return 0.85 if a[0] == b[0] else 0.0
    if korean_equivalent(a, b):
        return 0.9
    if _gendered_forms(a, b):
        # Feminine and masculine forms of one Slavic surname: relatives, not one person.
        return 0.6
    s = _osa(a, b)
    if s < 0.9 and ("rn" in a or "rn" in b) and a.replace("rn", "m") == b.replace("rn", "m"):
        return 0.9  # "rn" read as "m": the classic OCR and handwriting confusion
    if s < 0.9 and _undouble(a) == _undouble(b):
        return 0.9
    if ia.phonetic == ib.phonetic and len(ia.phonetic) >= 2:
        s = max(s, 0.5 + 0.5 * s)
    elif ia.skel == ib.skel and len(ia.skel) >= 3:
        s = max(s, 0.45 + 0.5 * s)
    return s


# Slavic surnames: feminine form = masculine form + ending ("Ivanov"/"Ivanova",
# "Kowalski"/"Kowalska", "Novy"/"Nova").
# Only endings that do not also make feminine given names ("Antonina"/"Antonin").
_FEMININE = (("ova", "ov"), ("eva", "ev"), ("skaya", "sky"), ("skaya", "skiy"), ("skaya", "skii"),
             ("ska", "ski"), ("cka", "cki"))  # fmt: skip


_FEMININE_LAST = frozenset(fem[-1] for fem, _masc in _FEMININE)


@lru_cache(maxsize=200_000)
def _undouble(token: str) -> str:
    """The token with doubled letters written once (per token: screening meets each often)."""
    return _DOUBLE.sub(r"\1", token)


def _gendered_forms(a: str, b: str) -> bool:
    if a[-1:] not in _FEMININE_LAST and b[-1:] not in _FEMININE_LAST:
        return False  # neither ends like a feminine form: the common case, decided cheaply
    for x, y in ((a, b), (b, a)):
        for fem, masc in _FEMININE:
            if x.endswith(fem) and y.endswith(masc) and len(x) >= len(fem) + 3:
                if x[: -len(fem)] == y[: -len(masc)]:
                    return True
                # one spelling difference in the stem still makes the two forms
                stem_a, stem_b = x[: -len(fem)], y[: -len(masc)]
                if len(stem_a) >= 4 and _lev(stem_a, stem_b) >= 0.75:
                    return True
    return False


def _abjad_sim(a: str, b: str) -> float:
    """Token similarity when one side comes from a script written without short vowels."""
    s = token_similarity(a, b)
    ka, kb = abjad_key(a), abjad_key(b)
    if len(ka) >= 2 and len(kb) >= 2:
        s = max(s, _lev(ka, kb) * 0.92)
    return s


_ABJAD_MAP: dict[str, str | int | None] = {
    "p": "b",
    "v": "b",
    "q": "k",
    "g": "j",
    "e": "",
    "a": "",
    "i": "",
    "o": "",
    "u": "",
    "w": "",
    "y": "",
    "'": "",
}
_ABJAD_FOLD = str.maketrans(_ABJAD_MAP)
_ABJAD_HEAD = str.maketrans({k: v for k, v in _ABJAD_MAP.items() if v})


@lru_cache(maxsize=200_000)
def abjad_key(token: str) -> str:
    """A key comparable across Arabic/Hebrew script and Latin: consonants only, long-vowel
    letters (w, y) dropped after the first letter, p/b, v/b, q/k, g/j folded, doubles collapsed."""
    if not token:
        return ""
    head = token[0].translate(_ABJAD_HEAD)
    rest = token[1:].translate(_ABJAD_FOLD)
    return _DOUBLE.sub(r"\1", head + rest)


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
                pairs.append((s, i, j))
    # Best first; among equals the earliest tokens (an initial stands for the first name).
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched: list[tuple[str, str, float]] = []
    got = 0.0
    weak_extra = 0.0
    for s, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        wa, wb = token_info(ta[i]).weight, token_info(tb[j]).weight
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
    for toks, used in ((ta, used_a), (tb, used_b)):
        extra = 0.0
        for i, t in enumerate(toks):
            w = token_info(t).weight
            if i in used:
                total += w
            elif conflict and not token_info(t).particle:
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


def dob_similarity(a: Prepared, b: Prepared) -> float | None:
    """Date of birth: full/partial agreement, day-month swap, off-by-one year, disagreement."""
    if a.dob is None or b.dob is None:
        return None
    (ya, ma, da), (yb, mb, db) = a.dob, b.dob
    if ya == yb:
        if ma and mb:
            if ma == mb:
                if da and db:
                    return 1.0 if da == db else 0.55
                return 0.9
            if da and db and ma == db and mb == da:
                return 0.85  # day and month swapped
            return 0.45
        return 0.8  # only the year is known on one side
    gap = abs(ya - yb)
    if gap == 1:
        if ma and mb and ma == mb and da == db:
            return 0.6  # a typo in the year, the rest agrees
        return 0.45
    if da and db and ma == mb and da == db and str(ya)[:3] == str(yb)[:3]:
        return 0.4  # one digit of the year wrong, day and month agree
    # Lists often carry approximate or alternative birth years: the penalty grows with the gap.
    if gap <= 5:
        return 0.3
    if gap <= 10:
        return 0.2
    return 0.0


def country_similarity(a: Prepared, b: Prepared) -> float | None:
    if not a.country or not b.country:
        return None
    return 1.0 if a.country == b.country else 0.0


def gender_similarity(a: Prepared, b: Prepared) -> float | None:
    if not a.gender or not b.gender:
        return None
    return 1.0 if a.gender == b.gender else 0.0


def identifier_similarity(a: Prepared, b: Prepared) -> float | None:
    """Document numbers: exact, OCR-confusion tolerant, one edit, or different."""
    if not a.ident or not b.ident:
        return None
    if a.ident == b.ident:
        return 1.0
    fa, fb = ocr_fold(a.ident), ocr_fold(b.ident)
    if fa == fb:
        return 0.95
    if len(fa) >= 5 and Levenshtein.distance(fa, fb, score_cutoff=1) <= 1:
        return 0.7
    return 0.0


def place_similarity(a: Prepared, b: Prepared) -> float | None:
    if not a.place or not b.place:
        return None
    sa, sb = set(a.place), set(b.place)
    if sa & sb:
        return 1.0
    return _lev(" ".join(sorted(sa)), " ".join(sorted(sb)))


def address_similarity(a: Prepared, b: Prepared) -> float | None:
    """Address tokens (street number, street, locality, state) and postcode."""
    if not (a.address or a.postcode) or not (b.address or b.postcode):
        return None
    from rapidfuzz.fuzz import token_set_ratio

    s = token_set_ratio(" ".join(a.address), " ".join(b.address)) / 100.0 if a.address and b.address else 0.5
    if a.postcode and b.postcode:
        p = 1.0 if a.postcode == b.postcode else _lev(a.postcode, b.postcode) * 0.6
        return 0.6 * s + 0.4 * p
    return s
