"""A name in a non-Latin script as words, each word as units with their Latin readings.

A unit is what can be read on its own: a Chinese character (with each of its readings), a Hangul
syllable block, or a whole word of an alphabet or of katakana. Names of Chinese or Korean people
are often written without a space between family and given name (김정은, 习近平): the comparison
splits such words between units (compare.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from ncb.matching.xscript.alphabets import read_alphabetic
from ncb.matching.xscript.han import is_han, read_han
from ncb.matching.xscript.hangul import is_syllable, read_syllable
from ncb.matching.xscript.kana import read_kana

# Word separators: spaces, middle dots (Chinese ·, Japanese ・ and ･), the double hyphen of
# Japanese names, hyphens and commas.
_SEP = re.compile(r"[\s\u00b7\u2027\u30fb\uff65\u30a0=\uff1d\-\u2010,\uff0c\u3001]+")
MAX_SPELLINGS = 24


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    units: tuple[tuple[str, ...], ...]

    @property
    def splittable(self) -> bool:
        return len(self.units) > 1


def _word(text: str, script: str) -> Word | None:
    if script == "han":
        units = tuple(read_han(c) for c in text if is_han(c))
    elif script == "hangul":
        units = tuple((read_syllable(c),) for c in text if is_syllable(c))
    elif script == "kana":
        units = ((read_kana(text),),)
    else:
        units = (read_alphabetic(text, script),)
    units = tuple(u for u in units if u and u[0])
    return Word(text, units) if units else None


@lru_cache(maxsize=50_000)
def read_name(name: str, script: str) -> tuple[Word, ...]:
    """The words of ``name`` with their readings; words without a reading are left out."""
    text = unicodedata.normalize("NFKC", name)
    out = []
    for part in _SEP.split(text):
        w = _word(part, script) if part else None
        if w is not None:
            out.append(w)
    return tuple(out)


def spellings(units: tuple[tuple[str, ...], ...]) -> list[tuple[str, int]]:
    """Every combination of the units' readings with how many of them are not a unit's first
    reading (at most MAX_SPELLINGS, first readings first)."""
    out = []
    for combo in product(*(tuple(enumerate(u)) for u in units)):
        out.append(("".join(r for _i, r in combo), sum(1 for i, _r in combo if i)))
        if len(out) >= MAX_SPELLINGS:
            break
    return out
