"""Romanisation systems: Wade-Giles -> Hanyu Pinyin for Chinese names, and a folding key for
Korean syllables written in Revised Romanisation or McCune-Reischauer.

Both are rule tables of the romanisation systems themselves (initials and finals), not lists of
names. A Wade-Giles name ("Mao Tse-tung", "Teng Hsiao-p'ing") gets a pinyin variant ("mao zedong",
"deng xiaoping"); Korean syllables compare equal when they differ only by the conventions of the
two systems ("Jeong-eun" / "Chong-un", "Myeong" / "Myong", "Gyeong" / "Kyong").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Wade-Giles initials (apostrophe marks aspiration) -> pinyin; longest first. "ch" and "ch'"
# depend on the final (j/q before i and u-umlaut, zh/ch elsewhere): handled in code.
_WG_INITIALS: tuple[tuple[str, str], ...] = (
    ("ch'", "ch"),
    ("ts'", "c"),
    ("tz'", "c"),
    ("ch", "zh"),
    ("hs", "x"),
    ("ts", "z"),
    ("tz", "z"),
    ("sh", "sh"),
    ("ss", "s"),
    ("sz", "s"),
    ("k'", "k"),
    ("p'", "p"),
    ("t'", "t"),
    ("k", "g"),
    ("p", "b"),
    ("t", "d"),
    ("j", "r"),
    ("f", "f"),
    ("h", "h"),
    ("l", "l"),
    ("m", "m"),
    ("n", "n"),
    ("s", "s"),
    ("w", "w"),
    ("y", "y"),
    ("", ""),
)
# Wade-Giles finals (u-umlaut written "u" or "v" once diacritics are gone) -> pinyin.
_WG_FINALS: dict[str, str] = {
    "a": "a", "ai": "ai", "an": "an", "ang": "ang", "ao": "ao", "e": "e", "ei": "ei", "en": "en",
    "eng": "eng", "erh": "er", "i": "i", "ia": "ia", "iang": "iang", "iao": "iao", "ieh": "ie",
    "ien": "ian", "in": "in", "ing": "ing", "iu": "iu", "iung": "iong", "ih": "i", "o": "o",
    "ou": "ou", "u": "u", "ua": "ua", "uai": "uai", "uan": "uan", "uang": "uang", "uei": "ui",
    "ui": "ui", "un": "un", "ung": "ong", "uo": "uo", "ueh": "ue", "üeh": "ue", "üan": "uan",
    "ün": "un", "ü": "u", "eh": "e",
}  # fmt: skip
# Spellings that exist in Wade-Giles but not in pinyin: a name needs one to get a variant.
_WG_MARK = re.compile(r"'|^hs|^ts|^tz|^ss|^sz|ih$|ieh$|ien$|ung$|^ch[iü]|^j[aeo]|^yeh$|^yen$|erh$")
_Y_SYLLABLES = {"yeh": "ye", "yen": "yan", "yu": "you", "yung": "yong", "yü": "yu", "yüan": "yuan",
                "yüeh": "yue", "yün": "yun", "i": "yi"}  # fmt: skip


@lru_cache(maxsize=50_000)
def wade_giles_syllable(syl: str) -> str | None:
    """The pinyin of one Wade-Giles syllable (lowercase, apostrophes kept), or None."""
    if syl in _Y_SYLLABLES:
        return _Y_SYLLABLES[syl]
    for wg, py in _WG_INITIALS:
        if not syl.startswith(wg):
            continue
        final = syl[len(wg) :]
        if final not in _WG_FINALS:
            continue
        if wg == "" and final in ("ih", "u", "ü"):
            continue  # no such syllables without an initial
        fin = _WG_FINALS[final]
        if wg in ("ch", "ch'") and final[:1] in ("i", "ü"):
            py = "j" if wg == "ch" else "q"
            if final == "ih":
                py, fin = ("zh", "i") if wg == "ch" else ("ch", "i")
        elif wg in ("ts", "tz", "ts'", "tz'", "ss", "sz") and final == "u":
            fin = "i"  # tzu -> zi, ssu -> si
        elif final == "o" and wg in ("k", "k'", "h"):
            fin = "e"  # ko -> ge, k'o -> ke, ho -> he
        elif final == "o" and wg not in ("", "p", "p'", "m", "f", "w", "y"):
            fin = "uo"  # lo -> luo, to -> duo
        elif wg == "" and final == "erh":
            fin = "er"
        return py + fin
    return None


_WG_CHARS = re.compile(r"[A-Za-z'\u2019\u2018\u02bb`\-\s,.\u00fc\u00dc\u00ea\u00ca]+")
_WG_QUICK = re.compile(
    r"['\u2019\u2018\u02bb`]|hs|ts|tz|ss|sz|ih\b|ieh\b|ien\b|ung\b|ch[i\u00fc]|\bj[aeo]|erh\b"
    r"|\byeh\b|\byen\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[a-zü']+(?:-[a-zü']+)*")


def _ascii_keep_apostrophes(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("ʻ", "'")
    text = unicodedata.normalize("NFD", text)
    out: list[str] = []
    for ch in text:
        if unicodedata.combining(ch):
            if ch == "\u0308" and out and out[-1] == "u":
                out[-1] = "ü"
            continue
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=50_000)
def wade_giles_variant(name: str) -> tuple[str, ...] | None:
    """Pinyin tokens of a name written in Wade-Giles, syllables of a hyphenated given name joined
    ("Hsi Chin-p'ing" -> ("xi", "jinping")); None unless every syllable is Wade-Giles and at
    least one is spelt in a way pinyin does not use."""
    if not _WG_CHARS.fullmatch(name) or not _WG_QUICK.search(name):
        return None  # cheap rejection of most names (bulk index builds call this per name)
    text = _ascii_keep_apostrophes(name)
    if not text.isascii() and "ü" not in text:
        return None
    words = _WORDS.findall(text.replace(",", " "))
    if not words or len(words) > 4:
        return None
    out: list[str] = []
    marked = False
    nsyl = 0
    for word in words:
        parts = []
        for syl in word.split("-"):
            syl = syl.strip("'")
            py = wade_giles_syllable(syl)
            if py is None:
                return None
            marked = marked or bool(_WG_MARK.search(syl))
            parts.append(py)
            nsyl += 1
        out.append("".join(parts))
    if not marked or nsyl < 2:
        return None
    return tuple(out)


# Korean: Revised Romanisation (eo, eu, g/d/b/j) and McCune-Reischauer (o, u, k/t/p/ch) folded
# to one key. Only syllables of the Korean inventory qualify.
_KO_SYL = re.compile(
    r"(?:kk|tt|pp|ss|jj|tch|ch|g|k|n|d|t|r|l|m|b|p|s|j|h)?"
    r"(?:yae|yeo|wae|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|a|e|o|u|i)"
    r"(?:ng|k|n|t|l|m|p)?"
)
_KO_FOLD = (("eo", "o"), ("eu", "u"), ("tch", "ch"), ("jj", "ch"), ("kk", "k"), ("tt", "t"),
            ("pp", "p"), ("j", "ch"), ("g", "k"), ("d", "t"), ("b", "p"), ("r", "l"))  # fmt: skip


@lru_cache(maxsize=200_000)
def korean_key(token: str) -> str:
    """A folding key for a token of one or two Korean syllables, else ''."""
    if not token.isascii() or len(token) > 8:
        return ""
    m = _KO_SYL.fullmatch(token)
    if not m:
        for i in range(1, len(token)):
            if _KO_SYL.fullmatch(token[:i]) and _KO_SYL.fullmatch(token[i:]):
                break
        else:
            return ""
    key = token.replace("ng", "N")
    for a, b in _KO_FOLD:
        key = key.replace(a, b)
    return key.replace("N", "ng")


def korean_equivalent(a: str, b: str) -> bool:
    """Same Korean syllables in Revised Romanisation and McCune-Reischauer: one side has to use a
    spelling specific to the Revised system (eo, eu) so that ordinary short names stay apart."""
    if not ("eo" in a or "eu" in a or "eo" in b or "eu" in b):
        return False
    ka = korean_key(a)
    return bool(ka) and ka == korean_key(b)
