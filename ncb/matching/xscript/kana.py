"""Katakana (and hiragana) read as Latin letters: Hepburn with the loanword extensions.

The kana of foreign names carry extra vowels (ドナルド "donarudo" for Donald), long-vowel marks
(クルーガー "kuruugaa" for Kruger), small kana that change the previous syllable (ファ "fa",
ティ "ti", ヴィ "vi") and the small tsu that doubles the next consonant (ゴット "gotto"). The
reading keeps all of them; the learned costs (costs.py) say which ones Latin spellings drop.
"""

from __future__ import annotations

from functools import lru_cache

_ROWS = {
    "a": "アカサタナハマヤラワガザダバパ",
    "i": "イキシチニヒミ\u3000リヰギジヂビピ",
    "u": "ウクスツヌフムユル\u3000グズヅブプ",
    "e": "エケセテネヘメ\u3000レヱゲゼデベペ",
    "o": "オコソトノホモヨロヲゴゾドボポ",
}
_CONS = ("", "k", "s", "t", "n", "h", "m", "y", "r", "w", "g", "z", "d", "b", "p")
_SPECIAL = {"シ": "shi", "チ": "chi", "ツ": "tsu", "フ": "fu", "ジ": "ji", "ヂ": "ji",
            "ヅ": "zu", "ヲ": "o", "ン": "n", "ヴ": "vu"}  # fmt: skip
_SMALL_VOWEL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_VOWELS = "aeiou"


def _table() -> dict[str, str]:
    out: dict[str, str] = {}
    for vowel, row in _ROWS.items():
        for ch, c in zip(row, _CONS, strict=True):
            if ch != "\u3000":  # a gap in the grid (no "yi", "wu", ...)
                out[ch] = c + vowel
    out.update(_SPECIAL)
    return out


_KANA = _table()


def to_katakana(text: str) -> str:
    """Hiragana folded to katakana (same sounds, offset 0x60)."""
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


@lru_cache(maxsize=100_000)
def read_kana(token: str) -> str:
    """The Latin reading of one katakana word ("ドナルド" -> "donarudo")."""
    out: list[str] = []
    double_next = False
    for ch in to_katakana(token):
        if ch in _SMALL_VOWEL:
            v = _SMALL_VOWEL[ch]
            prev = out.pop() if out else ""
            if prev == "u":
                out.append("w" + v)  # ウィ wi, ウェ we, ウォ wo
            elif prev == "i":
                out.append("y" + v)  # イェ ye
            elif prev:
                out.append(prev.rstrip(_VOWELS) + v if prev.rstrip(_VOWELS) else prev + v)
            else:
                out.append(v)
            continue
        if ch in _SMALL_Y:
            v = _SMALL_Y[ch]
            prev = out.pop() if out else ""
            stem = prev[:-1] if prev.endswith("i") else prev
            out.append(stem + v if stem.endswith(("sh", "ch", "j")) else stem + "y" + v)
            continue
        if ch == "ッ":
            double_next = True
            continue
        if ch == "ー":
            if out and out[-1][-1:] in _VOWELS:
                out.append(out[-1][-1])
            continue
        syl = _KANA.get(ch)
        if syl is None:
            continue
        if double_next and syl[0] not in _VOWELS:
            syl = ("t" if syl.startswith("ch") else syl[0]) + syl
        double_next = False
        out.append(syl)
    return "".join(out)
