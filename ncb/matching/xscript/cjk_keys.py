"""Retrieval keys shared by a Latin name and its spelling in Chinese characters or Hangul.

The Latin reading of a transcribed name shares no index key with its Latin spelling: 唐纳德
reads "tangnade" for Donald, 트럼프 "teureompeu" for Trump, 김정은 "gimjeongeun" for Kim Jong
Un. What survives transcription is the order of the consonants, once they are put in coarse
classes (b/p/v/f, g/k/q/c/x/j/s/z, d/t, m/n), the l and r that Chinese drops or writes as a
syllable (尔) and the glides h/w/y left out: Donald "DMD" = tang-na-de "DMD". A second, finer
key keeps l/r ("DMLD"), so that names agreeing on it rank first. Chosen on the learning tokens
of translit_tokens_dev.tsv: the coarse key of the Latin token is among the reading's keys for
93% of Chinese and 93% of Korean tokens (86% and 88% before the respellings below).

Keys are for retrieval only (index.py looks them up for a query with a name in these scripts);
the candidates they bring are scored by the cross-script comparison.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ncb.matching.xscript.readings import read_name, spellings

KEYED_SCRIPTS = ("han", "hangul")
_FOLD = (("ng", "n"), ("ph", "f"), ("th", "t"))
_CLASSES = {"bpvf": "B", "gkqcxjsz": "K", "dt": "D", "mn": "M"}
_COARSE = str.maketrans({**{c: v for k, v in _CLASSES.items() for c in k}, **dict.fromkeys("aeiouhwylr")})
_FINE = str.maketrans({**{c: v for k, v in _CLASSES.items() for c in k}, "l": "L", "r": "L",
                       **dict.fromkeys("aeiouhwy")})  # fmt: skip
# Chinese writes v and w alike with w (維 wei for Cervi, 威 wei for William): a w read from
# Chinese characters is kept as a b/p/v/f consonant, and a Latin token with a w gets keys
# both ways (Howard is 霍华德 "huo-hua-de", without it). Hangul's w is part of a vowel (워).
_W_AS_B = str.maketrans("w", "v")
_DOUBLE = re.compile(r"(.)\1+")
MAX_READINGS = 4  # readings per run of syllables (heteronyms)
MAX_UNITS = 6  # syllables per word looked at


def _keys(text: str) -> tuple[str, ...]:
    for a, b in _FOLD:
        text = text.replace(a, b)
    coarse = _DOUBLE.sub(r"\1", text.translate(_COARSE))
    fine = _DOUBLE.sub(r"\1", text.translate(_FINE))
    out = []
    if coarse:  # one class ("Jake", 傑克 "K") is common: its key weighs little
        out.append("c:" + coarse)
    if len(fine) >= 2:
        out.append("f:" + fine)
    return tuple(out)


# Latin spellings that Chinese and Korean transcribe by another sound: English th as s (伊森
# Ethan, 조너선 Jonathan), ts/tz as one affricate (부츠 Boots), a final German ch or a silent
# gh as h or nothing (프리드리히 Friedrich, 쿨보 Coolbaugh). A token with one also gets the
# keys of the respelling.
_RESPELL = ((re.compile("th"), "s"), (re.compile("t[sz]"), "s"), (re.compile("[cg]h$"), ""))


@lru_cache(maxsize=200_000)
def latin_keys(token: str) -> tuple[str, ...]:
    """Keys of one normalised Latin token ("donald" -> ("c:DMD", "f:DMLD"))."""
    forms = [token, *(p.sub(sound, token) for p, sound in _RESPELL if p.search(token))]
    if "w" in token:
        forms.extend(f.translate(_W_AS_B) for f in list(forms))
    return tuple(dict.fromkeys(k for f in forms for k in _keys(f)))


@lru_cache(maxsize=50_000)
def cjk_keys(name: str, script: str) -> tuple[str, ...]:
    """Keys of a name in Chinese characters or Hangul: of every run of syllables of each word
    (an unspaced 김정은 may be Kim / Jong / Un, Kim / Jong-un or one transcribed word), each
    read in its first few readings."""
    if script not in KEYED_SCRIPTS:
        return ()
    out: list[str] = []
    for w in read_name(name, script):
        units = w.units[:MAX_UNITS]
        for i in range(len(units)):
            for j in range(i + 1, len(units) + 1):
                for reading, _rare in spellings(units[i:j])[:MAX_READINGS]:
                    out.extend(_keys(reading.translate(_W_AS_B) if script == "han" else reading))
                if script == "hangul" and any(u[0].endswith("s") for u in units[i:j]):
                    # A final ㅅ writes a loanword's t or d (베넷 Bennet, 재럿 Jarrett).
                    out.extend(_keys("".join(u[0][:-1] + "t" if u[0].endswith("s") else u[0]
                                             for u in units[i:j])))  # fmt: skip
    return tuple(dict.fromkeys(out))
