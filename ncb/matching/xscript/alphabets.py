"""Cyrillic, Arabic-script and Hebrew words read as Latin letters.

anyascii gives the letter-by-letter reading; what it cannot know is fixed here: Hebrew geresh
letters (ג' j, ז' zh, צ' ch), the Arabic article written attached (البصري is "Basri" as often as
"al-Basri", so both readings are kept), and apostrophes for hamza and the soft sign dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_GERESH = {"ג": "j", "ז": "zh", "צ": "ch", "ץ": "ch", "ת": "th"}
_GERESH_RE = re.compile("([גזצץת])['\u05f3\u2019]")
_NOT_LETTER = re.compile(r"[^a-z]+")
# Arabic letters that anyascii leaves out or reads unlike names in Latin usage.
# anyascii drops alef and reads hamza as an apostrophe: names keep them as vowels.
_ARABIC = str.maketrans({"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ة": "a", "ؤ": "u",
                         "ئ": "i", "ء": "", "\u0640": ""})  # fmt: skip


def ascii_letters(text: str) -> str:
    """Lowercase ASCII letters only ("Björn-Ólafur" -> "bjornolafur")."""
    return _NOT_LETTER.sub("", anyascii(text).lower())


_ascii = ascii_letters


@lru_cache(maxsize=100_000)
def read_alphabetic(word: str, script: str) -> tuple[str, ...]:
    """Latin readings of one word: usually one, two for an Arabic word with the article."""
    word = unicodedata.normalize("NFKC", word)
    if script == "hebrew":
        word = _GERESH_RE.sub(lambda m: _GERESH[m.group(1)], word)
        return (_ascii(word),)
    if script == "arabic":
        first = _ascii(word.translate(_ARABIC))
        if word.startswith("ال") and len(word) > 3:
            return (first, _ascii(word[2:].translate(_ARABIC)))
        return (first,)
    return (_ascii(word),)
