"""Consonant skeletons shared by a name in Hebrew or Arabic script and its Latin spelling.

Abjad scripts leave out short vowels and write long vowels with letters that are also
consonants (Hebrew ו י, Arabic و ي), so the Latin reading of "בנימין נתניהו" (vnymyn ntnyhv)
shares no index key with "Benjamin Netanyahu". The candidate index (index.py) keys Latin
names and abjad names on one skeleton: vowels and the letters that may stand for one
(h, w, y, j; א ה ו י ע ח, ا ه و ي ع ح) dropped, and the consonants either side may write
differently merged (b/p/f/v, k/q/c, s/z/sh/ts, t/th/tt, d/dh). The skeleton is for retrieval
only: the candidates it brings are scored by the cross-script comparison.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LATIN_DIGRAPHS = (("tz", "s"), ("ts", "s"), ("ph", "b"), ("x", "ks"))
# After the digraphs: vowels and vowel-like letters dropped, merged consonants folded.
_LATIN = str.maketrans("pfvqcz", "bbbkks", "aeiouyhwj'")
_HEBREW = str.maketrans(
    {"ב": "b", "פ": "b", "ף": "b", "כ": "k", "ך": "k", "ק": "k", "ש": "s", "ס": "s",
     "ז": "s", "צ": "s", "ץ": "s", "ת": "t", "ט": "t", "ד": "d", "ג": "g", "ל": "l",
     "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ר": "r"}
)  # fmt: skip
_ARABIC = str.maketrans(
    {"ب": "b", "پ": "b", "ف": "b", "ڤ": "b", "ك": "k", "ق": "k", "خ": "k", "س": "s",
     "ش": "s", "ص": "s", "ز": "s", "ظ": "s", "ت": "t", "ط": "t", "ث": "t", "د": "d",
     "ض": "d", "ذ": "d", "غ": "g", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ر": "r"}
)  # fmt: skip
_DOUBLE = re.compile(r"(.)\1+")
_NOT_KEY = re.compile(r"[^bkstdglmnr]+")
_SEP = re.compile(r"[\s\-\u05be,]+")


def _collapse(s: str) -> str:
    return _DOUBLE.sub(r"\1", s)


@lru_cache(maxsize=100_000)
def latin_skeletons(token: str) -> tuple[str, ...]:
    """Skeletons of one normalised Latin token: a "v" may be written as a vowel letter in
    Hebrew (דוד David), so a token with one also gets the skeleton without it."""
    t = token
    for a, b in _LATIN_DIGRAPHS:
        t = t.replace(a, b)
    out = [_collapse(t.translate(_LATIN))]
    if "v" in t:
        out.append(_collapse(t.replace("v", "").translate(_LATIN)))
    return tuple(s for s in dict.fromkeys(out) if len(s) >= 2)


@lru_cache(maxsize=50_000)
def abjad_skeletons(name: str, script: str) -> tuple[str, ...]:
    """Skeletons of the words of a name written in Hebrew or Arabic script; an Arabic word
    with the article attached (الرشيد) also gives the skeleton without it."""
    table = _HEBREW if script == "hebrew" else _ARABIC
    out: list[str] = []
    for word in _SEP.split(unicodedata.normalize("NFKC", name)):
        if script == "hebrew":
            word = word.replace("וו", "ב")  # a doubled vav writes the consonant v
        forms = [word]
        if script == "arabic" and word.startswith("ال") and len(word) > 3:
            forms.append(word[2:])
        for f in forms:
            s = _collapse(_NOT_KEY.sub("", f.translate(table)))
            if len(s) >= 2:
                out.append(s)
    return tuple(dict.fromkeys(out))
