"""Hangul syllables read as Latin letters: Revised Romanisation, loanword conventions.

Each syllable block is decomposed arithmetically (Unicode: initial * 588 + vowel * 28 + final).
Loanwords keep a final ㅅ as "s" (캣 "kaes" for cat) where RR writes "t", and the vowel ㅡ "eu"
that Hangul adds between consonants (스 "seu" in 로베스피에르) stays in the reading: the learned
costs (costs.py) make dropping it cheap.
"""

from __future__ import annotations

from functools import lru_cache

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k",
             "t", "p", "h")  # fmt: skip
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip
_FINALS = ("", "k", "k", "ks", "n", "nj", "nh", "t", "l", "lk", "lm", "lb", "ls", "lt", "lp",
           "lh", "m", "p", "ps", "s", "ss", "ng", "t", "t", "k", "t", "p", "h")  # fmt: skip


def is_syllable(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


@lru_cache(maxsize=20_000)
def read_syllable(ch: str) -> str:
    """The reading of one Hangul syllable block ("김" -> "gim"); other characters -> ""."""
    if not is_syllable(ch):
        return ""
    s = ord(ch) - 0xAC00
    return _INITIALS[s // 588] + _VOWELS[(s % 588) // 28] + _FINALS[s % 28]
