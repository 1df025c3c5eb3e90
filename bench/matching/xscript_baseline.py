"""The plain consonant-class baseline of issue 8 (about forty lines): romanise (pypinyin for
Hanzi, anyascii otherwise), fold th/ph/sh/ch/kh, map consonants to five classes, drop vowels,
compare the token skeletons order-free with rapidfuzz's ratio."""

from __future__ import annotations

import re

from anyascii import anyascii
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

_FOLD = (("th", "t"), ("ph", "f"), ("sh", "s"), ("ch", "k"), ("kh", "k"))
_CLASSES = {**dict.fromkeys("bpvfw", "B"), **dict.fromkeys("gkqcxjszhy", "K"),
            **dict.fromkeys("dt", "D"), **dict.fromkeys("lr", "L"), **dict.fromkeys("mn", "M")}  # fmt: skip
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SEP = re.compile(r"[\s\u00b7\u30fb\-]+")


def _romanise(word: str) -> str:
    if _HAN.search(word):
        word = "".join(lazy_pinyin(word))
    return re.sub(r"[^a-z]", "", anyascii(word).lower())


def skeleton(word: str) -> str:
    w = _romanise(word)
    for a, b in _FOLD:
        w = w.replace(a, b)
    return "".join(_CLASSES.get(c, "") for c in w)


def consonant_score(a: str, b: str) -> float:
    """Token skeletons of both names, sorted, compared with rapidfuzz's ratio (0-1)."""
    sa = " ".join(sorted(skeleton(w) for w in _SEP.split(a) if w))
    sb = " ".join(sorted(skeleton(w) for w in _SEP.split(b) if w))
    return fuzz.ratio(sa, sb) / 100.0
