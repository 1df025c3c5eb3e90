"""Short forms of given names that no table lists: "Jeff" for Jeffrey, "Benjy" for Benjamin.

The nickname groups (data/given_names.txt) know the common pairs; people and clerks shorten
any name the same few ways. Used between first names only (compare.align_tokens): a family
name that starts like another ("Lind", "Lindemann") is a different name.
"""

from __future__ import annotations

from functools import lru_cache

from ncb.matching.normalize import _DOUBLE

DIMINUTIVE = 0.8
_PET_ENDINGS = ("ie", "ey", "y", "i")


# Cached: called for every first-name pair the aligner scores below DIMINUTIVE, and each call
# runs the doubled-letter regex twice; screening meets the same pairs again and again.
@lru_cache(maxsize=200_000)
def diminutive(a: str, b: str) -> bool:
    """A short form of a given name that the nickname table does not know: the start of the
    name ("Jeff" Jeffrey, "Wes" Wesley), the start with a pet ending ("Benjy" Benjamin,
    "Jessie" Jessica) or its end ("Rick" Derrick, "Lissa" Melissa)."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    short, long_ = _DOUBLE.sub(r"\1", short), _DOUBLE.sub(r"\1", long_)
    fits = long_.startswith(short) or (len(short) >= 4 and long_.endswith(short))
    if len(short) >= 3 and len(long_) >= len(short) + 2 and fits:
        return True
    for end in _PET_ENDINGS:
        stem = short[: -len(end)]
        if short.endswith(end) and len(stem) >= 3 and len(long_) >= len(stem) + 2 and long_.startswith(stem):
            return True
    return False
