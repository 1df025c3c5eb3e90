"""Search keys: any script folded to lower-case ASCII tokens, identifiers stripped of separators."""

from __future__ import annotations

import re
import unicodedata

import jellyfish
from anyascii import anyascii

_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    return anyascii(unicodedata.normalize("NFKC", text)).lower()


def tokens(text: str | None) -> list[str]:
    if not text:
        return []
    return [t for t in _TOKEN.findall(fold(text)) if len(t) > 1 or t.isdigit()]


def word_key(token: str) -> str:
    """Sound-alike key, so Dmitriy/Dmitrii or Mohammed/Muhammad find each other."""
    if not token.isalpha():
        return token
    return "~" + (jellyfish.metaphone(token) or token)[:40]


def word_keys(text: str | None) -> list[str]:
    return list(dict.fromkeys(word_key(t) for t in tokens(text)))


def ident_key(text: str | None) -> str | None:
    if not text:
        return None
    key = "".join(_TOKEN.findall(fold(text)))
    return key or None


def keys_for(*texts: str | None, identifiers: tuple[str | None, ...] = ()) -> set[str]:
    out: set[str] = set()
    for t in texts:
        out.update(k[:80] for k in word_keys(t))
    for ident in identifiers:
        k = ident_key(ident)
        if k:
            out.add(k[:80])
    return out
