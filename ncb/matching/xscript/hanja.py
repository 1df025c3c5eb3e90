"""Chinese characters read as Hangul: a Korean name in Hanja (金正恩) against the same name in
Hangul (김정은).

Each character has its Sino-Korean readings (ncb/matching/data/hanja_readings.tsv, built from
Unihan by hanja_build.py). South Korean spelling drops or changes an initial ㄹ or ㄴ (the
initial sound law: 李 리 is written 이, 林 림 임, 盧 로 노), North Korean spelling keeps it, so
both are readings. A Hangul syllable agrees with a character when it is one of its readings.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

DATA_FILE = "hanja_readings.tsv"
_BASE, _RIEUL, _NIEUN, _IEUNG = 0xAC00, 5, 2, 11
# Vowels i, ya, yeo, ye, yo, yu, yae (jamo indices): before them ㄹ and ㄴ become silent ㅇ.
_Y_VOWELS = frozenset({20, 2, 6, 7, 12, 17, 3})


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    text = resources.files("ncb.matching.data").joinpath(DATA_FILE).read_text("utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            ch, readings = line.split("\t")
            out[ch] = tuple(readings.split())
    return out


def _initial_law(syl: str) -> str:
    """The South Korean spelling of a syllable with initial ㄹ or ㄴ at a word start."""
    s = ord(syl) - _BASE
    initial, vowel, rest = s // 588, (s % 588) // 28, s % 28
    if initial == _RIEUL:
        initial = _IEUNG if vowel in _Y_VOWELS else _NIEUN
    elif initial == _NIEUN and vowel in _Y_VOWELS:
        initial = _IEUNG
    return chr(_BASE + initial * 588 + vowel * 28 + rest)


@lru_cache(maxsize=20_000)
def hangul_readings(ch: str) -> frozenset[str]:
    """The Hangul syllables a Chinese character is read as in Korean ("金" -> {"금", "김"})."""
    got = _table().get(ch, ())
    return frozenset(got) | {_initial_law(r) for r in got}


def reads_as(hanja: str, hangul: str) -> bool:
    """True when the characters ``hanja`` read, one by one, as the syllables ``hangul``."""
    return len(hanja) == len(hangul) and all(
        h in hangul_readings(c) for c, h in zip(hanja, hangul, strict=True)
    )
