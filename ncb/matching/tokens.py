"""Name token similarity: typos, phonetics, initials, gendered Slavic forms, abjad keys."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from ncb.matching.normalize import _DOUBLE, TokenInfo, token_info
from ncb.matching.romanise import korean_equivalent

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
