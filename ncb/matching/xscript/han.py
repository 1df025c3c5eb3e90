"""Chinese characters read in Mandarin (pypinyin), every reading of a heteronym kept.

Foreign names are written in Chinese with characters chosen for their sound (特朗普 "te lang pu"
for Trump); a character with several readings (曾 "zeng"/"ceng") keeps them all and the
comparison picks the one that fits the Latin name best.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, pinyin

MAX_READINGS = 3  # per character: rare readings beyond the first three only add collisions


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=50_000)
def read_han(ch: str) -> tuple[str, ...]:
    """The Mandarin readings of one character, toneless, ü written "v" ("纳" -> ("na",))."""
    got = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    if not got:
        return ()
    out = []
    for r in got[0][:MAX_READINGS]:
        r = "".join(c for c in r.lower() if "a" <= c <= "z")
        if r and r not in out:
            out.append(r)
    return tuple(out)
