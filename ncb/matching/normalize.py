"""Name normalisation: Unicode clean-up, transliteration, tokens, particles, nicknames, phonetics.

Everything here is pure and cached per distinct token, so that building an index over a million
names costs one normalisation per distinct token rather than per occurrence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from anyascii import anyascii

from ncb.matching.data import given_name_groups
from ncb.matching.romanise import wade_giles_variant

# Honorifics and titles: dropped before comparison.
HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "reverend",
        "fr",
        "father",
        "sheikh",
        "shaikh",
        "sheik",
        "shaykh",
        "cheikh",
        "haji",
        "hajji",
        "hadji",
        "alhaji",
        "alhaj",
        "hajj",
        "mullah",
        "mulla",
        "mollah",
        "maulana",
        "mawlana",
        "maulvi",
        "moulvi",
        "mawlawi",
        "mufti",
        "imam",
        "sayyidna",
        "hon",
        "honourable",
        "honorable",
        "gen",
        "general",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "lt",
        "lieutenant",
        "sgt",
        "sergeant",
        "president",
        "minister",
        "judge",
        "justice",
        "emir",
        "amir",
        "prince",
        "princess",
        "king",
        "queen",
        "eng",
        "engineer",
        "jr",
        "sr",
        "snr",
        "jnr",
        "ii",
        "iii",
        "iv",
        "esq",
        "phd",
        "md",
    ]
)
# Honorifics that are also ordinary given names in some cultures: only dropped when the name
# keeps at least two other tokens.
SOFT_HONORIFICS = frozenset({"haji", "amir", "emir", "prince", "king", "md", "sayyid"})

# Particles: kept, but they weigh little in comparison and never serve as index keys alone.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "ur",
        "ud",
        "ad",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "ar",
        "bin",
        "ibn",
        "bint",
        "ben",
        "bent",
        "ould",
        "wuld",
        "ibnu",
        "binti",
        "van",
        "der",
        "den",
        "von",
        "zu",
        "de",
        "la",
        "le",
        "du",
        "des",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "degli",
        "y",
        "e",
        "mac",
        "mc",
        "st",
        "saint",
        "o",
        "ter",
        "ten",
    ]
)
# Multi-word particles joined into one token before splitting ("van der" -> "vander").
_MULTI_PARTICLES = [("van", "der"), ("van", "den"), ("de", "la"), ("von", "der"), ("de", "los")]

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"}
)
_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")

# Cyrillic letters mapped where anyascii chooses a different convention than English usage.
_CYRILLIC_TABLE = str.maketrans(
    {
        "х": "kh",
        "ж": "zh",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ю": "yu",
        "я": "ya",
        "й": "y",
        "ё": "yo",
        "э": "e",
        "ы": "y",
        "ц": "ts",
        "ь": "",
        "ъ": "",
        "є": "ye",
        "ї": "yi",
        "і": "i",
        "ґ": "g",
        "ў": "u",
        "ә": "a",
        "ғ": "gh",
        "қ": "q",
        "ң": "ng",
        "ө": "o",
        "ұ": "u",
        "ү": "u",
        "һ": "h",
    }
)


def _script_of(text: str) -> str:
    """A coarse script tag of the first letter outside ASCII: latin, cyrillic, arabic, cjk, ..."""
    for ch in text:
        if ch.isascii() or not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for tag in (
            "CYRILLIC",
            "ARABIC",
            "HEBREW",
            "GREEK",
            "HANGUL",
            "CJK",
            "HIRAGANA",
            "KATAKANA",
            "DEVANAGARI",
            "THAI",
            "BENGALI",
        ):
            if name.startswith(tag):
                return tag.lower()
        return "latin"
    return "latin"


def clean(text: str) -> str:
    """NFKC-normalise, casefold and transliterate to lowercase ASCII words separated by spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    script = _script_of(text)
    if script == "arabic":
        # The definite article is written attached: "السيسي" -> "al sisi".
        text = re.sub(r"(^|\s)ال", r"\1al ", text)
    if script in ("cjk", "hangul", "hiragana", "katakana"):
        ascii_text = anyascii(text)
        # anyascii writes CJK syllables in CamelCase: split the family name from the given name.
        parts = []
        for word in ascii_text.split():
            syll = _CAMEL.split(word)
            if len(syll) >= 2 and script in ("cjk", "hangul"):
                parts.extend([syll[0], "".join(syll[1:])])
            else:
                parts.append(word)
        ascii_text = " ".join(parts)
    else:
        ascii_text = anyascii(text)
    ascii_text = ascii_text.casefold().replace("'", "").replace("`", "").replace("\u2019", "")
    return " ".join(_SPLIT.split(ascii_text)).strip()


def cyrillic_variant(text: str) -> str | None:
    """An alternative Latin spelling for Cyrillic text (our table), when it differs."""
    if _script_of(text) != "cyrillic":
        return None
    low = unicodedata.normalize("NFKC", text).casefold()
    # Word-final "-ий"/"-ый" is commonly written "-y" in English ("Yuriy" -> "Yuri").
    low = re.sub(r"(ий|ый)\b", "y", low)
    variant = anyascii(low.translate(_CYRILLIC_TABLE)).casefold()
    variant = " ".join(_SPLIT.split(variant)).strip()
    return variant


def skeleton(token: str) -> str:
    """Consonant skeleton: first letter kept, vowels dropped, doubled letters collapsed."""
    if not token:
        return ""
    rest = _VOWELS.sub("", token[1:])
    sk = token[0] + rest
    return _DOUBLE.sub(r"\1", sk)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """Cached facts about one normalised token."""

    text: str
    phonetic: str
    skel: str
    groups: frozenset[int]
    particle: bool
    weight: float


@lru_cache(maxsize=500_000)
def token_info(text: str) -> TokenInfo:
    groups = given_name_groups().get(text, frozenset())
    particle = text in PARTICLES
    phon = jellyfish.metaphone(text) if text.isalpha() else text
    if particle:
        weight = 0.3
    elif len(text) == 1:
        weight = 0.6
    else:
        weight = float(min(max(len(text), 3), 9))
    return TokenInfo(text, phon, skeleton(text), groups, particle, weight)


def _fix_token(tok: str) -> str:
    if any(c.isdigit() for c in tok) and any(c.isalpha() for c in tok):
        return tok.translate(_LEET)
    return tok


@lru_cache(maxsize=200_000)
def name_tokens(name: str, keep_soft: bool = False) -> tuple[str, ...]:
    """Normalised tokens of a name in their original order (honorifics dropped; with
    ``keep_soft`` the soft ones, "Amir" in "Amir Khan Motaqi", are kept)."""
    if name.count(",") == 1:
        last, first = name.split(",")
        name = f"{first} {last}"
    latin = _script_of(name) == "latin"
    words: list[str] = []
    for w in clean(name).split():
        if not w or w.isdigit():
            continue
        w = _fix_token(w)
        if (
            latin
            and len(w) == 2
            and not _VOWELS.search(w)
            and w not in PARTICLES
            and w not in HONORIFICS
        ):
            words.extend(w)  # "JC" -> "j", "c": initials written together
        else:
            words.append(w)
    for a, b in _MULTI_PARTICLES:
        i = 0
        while i < len(words) - 1:
            if words[i] == a and words[i + 1] == b:
                words[i : i + 2] = [a + b]
            i += 1
    # Abbreviations (mr, dr, sr, md) are titles in Latin letters only: read from a script
    # without short vowels they are names (سارا "sr" is Sara).
    hard = [w for w in words if w not in HONORIFICS or w in SOFT_HONORIFICS or (not latin and len(w) <= 3)]
    if not keep_soft and len([w for w in hard if w not in SOFT_HONORIFICS]) >= 2:
        hard = [w for w in hard if w not in SOFT_HONORIFICS]
    if not hard:
        hard = words
    return tuple(sys_intern(w) for w in hard)


def sys_intern(s: str) -> str:
    import sys

    return sys.intern(s)


def name_variants(name: str) -> list[tuple[str, ...]]:
    """Token tuples for a name: the main transliteration plus a Cyrillic variant and a pinyin
    variant of a Wade-Giles name, if any."""
    main = name_tokens(name)
    out = [main] if main else []
    soft = name_tokens(name, keep_soft=True)
    if soft != main:
        out.append(soft)  # "Amir" may be a title or the given name ("Amir Motaqi")
    var = cyrillic_variant(name)
    if var:
        vt = tuple(sys_intern(w) for w in var.split() if w not in HONORIFICS)
        if vt and vt != main:
            out.append(vt)
    wg = wade_giles_variant(name)
    if wg and wg not in out:
        out.append(tuple(sys_intern(w) for w in wg))
    return out


def is_abjad(name: str) -> bool:
    """True for scripts written without short vowels (Arabic, Hebrew): compare skeletons."""
    return _script_of(name) in ("arabic", "hebrew")
