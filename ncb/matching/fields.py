"""Comparators of the fields beside the name: date of birth, country, gender, document
number, place of birth, address. Each returns a similarity in [0, 1], or None when either side
lacks the evidence."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from ncb.matching.record import Prepared, ocr_fold

_lev = Levenshtein.normalized_similarity


def dob_similarity(a: Prepared, b: Prepared) -> float | None:
    """Date of birth: full/partial agreement, day-month swap, off-by-one year, disagreement."""
    if a.dob is None or b.dob is None:
        return None
    (ya, ma, da), (yb, mb, db) = a.dob, b.dob
    if ya == yb:
        if ma and mb:
            if ma == mb:
                if da and db:
                    return 1.0 if da == db else 0.55
                return 0.9
            if da and db and ma == db and mb == da:
                return 0.85  # day and month swapped
            return 0.45
        return 0.8  # only the year is known on one side
    gap = abs(ya - yb)
    if gap == 1:
        if ma and mb and ma == mb and da == db:
            return 0.6  # a typo in the year, the rest agrees
        return 0.45
    if da and db and ma == mb and da == db and str(ya)[:3] == str(yb)[:3]:
        return 0.4  # one digit of the year wrong, day and month agree
    # Lists often carry approximate or alternative birth years: the penalty grows with the gap.
    if gap <= 5:
        return 0.3
    if gap <= 10:
        return 0.2
    return 0.0


def country_similarity(a: Prepared, b: Prepared) -> float | None:
    if not a.country or not b.country:
        return None
    return 1.0 if a.country == b.country else 0.0


def gender_similarity(a: Prepared, b: Prepared) -> float | None:
    if not a.gender or not b.gender:
        return None
    return 1.0 if a.gender == b.gender else 0.0


def identifier_similarity(a: Prepared, b: Prepared) -> float | None:
    """Document numbers: exact, OCR-confusion tolerant, one edit, or different."""
    if not a.ident or not b.ident:
        return None
    if a.ident == b.ident:
        return 1.0
    fa, fb = ocr_fold(a.ident), ocr_fold(b.ident)
    if fa == fb:
        return 0.95
    if len(fa) >= 5 and Levenshtein.distance(fa, fb, score_cutoff=1) <= 1:
        return 0.7
    return 0.0


def place_similarity(a: Prepared, b: Prepared) -> float | None:
    if not a.place or not b.place:
        return None
    sa, sb = set(a.place), set(b.place)
    if sa & sb:
        return 1.0
    return _lev(" ".join(sorted(sa)), " ".join(sorted(sb)))


def address_similarity(a: Prepared, b: Prepared) -> float | None:
    """Address tokens (street number, street, locality, state) and postcode."""
    if not (a.address or a.postcode) or not (b.address or b.postcode):
        return None
    from rapidfuzz.fuzz import token_set_ratio

    s = token_set_ratio(" ".join(a.address), " ".join(b.address)) / 100.0 if a.address and b.address else 0.5
    if a.postcode and b.postcode:
        p = 1.0 if a.postcode == b.postcode else _lev(a.postcode, b.postcode) * 0.6
        return 0.6 * s + 0.4 * p
    return s
