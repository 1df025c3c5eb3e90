"""Two names written in the same CJK script (Chinese characters, kana or Hangul), compared
character by character.

The Latin reading of such names loses what tells them apart: 明輝 and 明德 淑惠 both read
"ming ... hui", and 李 and 丽 are both "li". When both names are in one of these scripts the
characters decide, word by word and in any order (family name first or last, "林, 淑貞" with a
comma), the way a reader of the script would:

- a word agrees with a word written with the same characters; one whose other characters read
  the same (张 and 張, simplified and traditional) agrees much less (SAME_SOUND);
- a word with no counterpart on both sides is a contradiction: the names are different;
- a Korean name in Hangul and in Hanja (김정은, 金正恩) agree word by word when each character
  reads as its syllable in Korean (xscript/hanja.py): HANJA_READING, a match on the name alone
  (the Hangul says all it can; 金正銀 would agree as well);
- a word found on one side only (a dropped middle name) costs MISSING_INNER when it stands
  between matched words, MISSING_OUTER at the start or end (a different first name: 直子 拓真
  山下 is not 拓真 山下).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import permutations

from ncb.matching.xscript.han import is_han, read_han
from ncb.matching.xscript.hanja import reads_as
from ncb.matching.xscript.scripts import script_of

CJK_SCRIPTS = ("han", "kana", "hangul")
# A word whose differing characters read the same in Mandarin: a simplified and a traditional
# form (张伟, 張偉), or another name that sounds alike (高石, 高市): not a match on the name alone.
SAME_SOUND = 0.75
HANJA_READING = 0.95
MISSING_INNER = 0.9
MISSING_OUTER = 0.8
CONFLICT = 0.4  # the most a pair with a contradicting word can score
MAX_WORDS = 5
_SEP = re.compile(r"[\s\u00b7\u2027\u30fb\uff65\u30a0=\uff1d\-\u2010]+")
_COMMA = re.compile(r"[,\uff0c\u3001]")


def cjk_words(name: str) -> tuple[str, ...]:
    """The words of a name written in a CJK script, letters only, in reading order ("林, 淑貞"
    -> ("淑貞", "林"): a comma puts what follows it first, as for Latin names); () otherwise."""
    text = unicodedata.normalize("NFKC", name or "")
    if script_of(text) not in CJK_SCRIPTS:
        return ()
    parts = _COMMA.split(text)
    text = f"{parts[1]} {parts[0]}" if len(parts) == 2 else " ".join(parts)
    words = ("".join(ch for ch in w if ch.isalpha()) for w in _SEP.split(text))
    return tuple(w for w in words if w)


def _same_sound(a: str, b: str) -> bool:
    return is_han(a) and is_han(b) and bool(set(read_han(a)) & set(read_han(b)))


@lru_cache(maxsize=100_000)
def _word_sim(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) != len(b):
        return 0.0
    if is_han(a[0]) != is_han(b[0]):  # Hanja against Hangul (cjk_similarity lets no other pair in)
        return HANJA_READING if reads_as(a, b) or reads_as(b, a) else 0.0
    same = all(x == y or _same_sound(x, y) for x, y in zip(a, b, strict=True))
    return SAME_SOUND if same else 0.0


def _missing_factor(long_n: int, used: tuple[int, ...]) -> float:
    """MISSING_INNER for each unmatched word of the longer name between its first and last
    word as written, MISSING_OUTER for an unmatched first or last word."""
    factor = 1.0
    for j in range(long_n):
        if j not in used:
            factor *= MISSING_INNER if 0 < j < long_n - 1 else MISSING_OUTER
    return factor


def _same_words(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same words in any order, or the same characters in the same order read from any
    word (毛泽东 and 毛 泽东; 泽东 毛 too). 현지 이 and 지현 이 are different names."""
    if sorted(a) == sorted(b):
        return True
    joined = "".join(a)
    return any("".join(b[k:] + b[:k]) == joined for k in range(len(b)))


def _reads_in_order(han: tuple[str, ...], hangul: tuple[str, ...]) -> bool:
    """The characters, read from any word on, spell the syllables read from any word on
    (金正恩 against 김정은, 김 정은 and 정은 김)."""
    return any(
        reads_as("".join(han[k:] + han[:k]), "".join(hangul[m:] + hangul[:m]))
        for k in range(len(han))
        for m in range(len(hangul))
    )


@lru_cache(maxsize=200_000)
def cjk_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[float, str] | None:
    """Character-level similarity of two CJK names in the same script, with a reason; None
    when they are not both in one CJK script (then their readings are compared)."""
    if not a or not b:
        return None
    sa, sb = script_of("".join(a)), script_of("".join(b))
    hanja = {sa, sb} == {"han", "hangul"}
    if (sa != sb or sa not in CJK_SCRIPTS) and not hanja:
        return None
    if hanja:
        han, hangul = (a, b) if sa == "han" else (b, a)
        if _reads_in_order(han, hangul):
            return HANJA_READING, f"{' '.join(han)} read in Korean as {' '.join(hangul)}"
    elif _same_words(a, b):
        return 1.0, " ".join(a) + " (same characters)"
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    short, long_ = short[:MAX_WORDS], long_[:MAX_WORDS]
    best, why = 0.0, ""
    for perm in permutations(range(len(long_)), len(short)):
        sims = [_word_sim(short[i], long_[j]) for i, j in enumerate(perm)]
        if min(sims) == 0.0:
            continue
        s = 1.0
        for v in sims:
            s *= v
        s *= _missing_factor(len(long_), perm)
        if s > best:
            best = s
            left = [long_[j] for j in range(len(long_)) if j not in perm]
            why = " ".join(short[i] if short[i] == long_[j] else f"{short[i]}~{long_[j]}"
                           for i, j in enumerate(perm))  # fmt: skip
            why += f" (missing {' '.join(left)})" if left else ""
    if best > 0.0:
        return best, why
    shared = sum((Counter("".join(a)) & Counter("".join(b))).values())
    total = max(len("".join(a)), len("".join(b)))
    return CONFLICT * shared / total, "different characters"
