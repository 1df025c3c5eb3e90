"""Which script a name is written in (by letter count, not by its first letter)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Scripts the cross-script comparison knows (it has readings and learned costs for them).
KNOWN = ("cyrillic", "arabic", "hebrew", "han", "kana", "hangul")

# Unicode name prefixes -> our script tags; anything else alphabetic counts as "other".
_PREFIXES = (
    ("LATIN", "latin"),
    ("CYRILLIC", "cyrillic"),
    ("ARABIC", "arabic"),
    ("HEBREW", "hebrew"),
    ("CJK", "han"),
    ("KATAKANA", "kana"),
    ("HIRAGANA", "kana"),
    ("HANGUL", "hangul"),
)
# Human names of the tags, for explanations ("katakana ドナルド read as donarudo ~ donald").
LABELS = {
    "cyrillic": "Cyrillic",
    "arabic": "Arabic script",
    "hebrew": "Hebrew",
    "han": "Chinese",
    "kana": "katakana",
    "hangul": "Hangul",
}


def _char_script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    if ch.isascii():
        return "latin"
    name = unicodedata.name(ch, "")
    for prefix, tag in _PREFIXES:
        if name.startswith(prefix):
            return tag
    return "other"


@lru_cache(maxsize=100_000)
def script_of(name: str) -> str:
    """The script most letters of ``name`` are written in: latin, cyrillic, arabic, hebrew,
    han, kana, hangul, other, or "" for a name without letters. Japanese kanji mixed with
    kana counts as kana: the kana decide how it is read."""
    if name.isascii():  # the common case, and cheap: bulk loads call this for every name
        return "latin" if any(c.isalpha() for c in name) else ""
    counts: dict[str, int] = {}
    for ch in unicodedata.normalize("NFKC", name):
        tag = _char_script(ch)
        if tag:
            counts[tag] = counts.get(tag, 0) + 1
    if not counts:
        return ""
    if "kana" in counts and "han" in counts:
        counts["kana"] += counts.pop("han")
    return max(counts.items(), key=lambda kv: kv[1])[0]


def cross_script(a: str, b: str) -> str | None:
    """The known script of the non-Latin side when one name is Latin and the other is written
    in a script we have readings for; otherwise None (same script, or unknown)."""
    sa, sb = script_of(a), script_of(b)
    if sa == "latin" and sb in KNOWN:
        return sb
    if sb == "latin" and sa in KNOWN:
        return sa
    return None
