"""Records to match and their prepared (normalised) form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ncb.matching.cjk import cjk_words
from ncb.matching.data import countries
from ncb.matching.normalize import clean, is_abjad, name_variants
from ncb.matching.xscript.scripts import KNOWN, script_of

KINDS = ("person", "vehicle", "document", "phone")
# Bulk files repeat the same spellings (duplicates, common names, towns): clean each once.
_clean = lru_cache(maxsize=200_000)(clean)


@dataclass(slots=True)
class PersonRecord:
    """A person (or object: vehicle, document, phone) as the matcher sees it.

    Every field is optional except some name (``full_name``, the parts, or an alias); objects
    (``kind`` other than ``person``) match on ``document_number`` (plate, document or phone number).
    ``extra`` carries free evidence such as FEBRL address fields.
    """

    id: str
    full_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    gender: str = ""
    date_of_birth: str = ""
    place_of_birth: str = ""
    nationality: str = ""
    document_number: str = ""
    kind: str = "person"
    aliases: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)

    def names(self) -> list[str]:
        out = []
        if self.full_name.strip():
            out.append(self.full_name)
        parts = " ".join(
            p for p in (self.first_name, self.middle_name, self.last_name) if p.strip()
        )
        if parts.strip() and (not out or _clean(parts) != _clean(out[0])):
            out.append(parts)
        out.extend(a for a in self.aliases if a and a.strip())
        return out

    def has_name(self) -> bool:
        return any(_clean(n) for n in self.names())


# ---------------------------------------------------------------------------------------------
# Field normalisation

_DOB = re.compile(r"^\s*(\d{4})(?:[-/.]?(\d{1,2})(?:[-/.]?(\d{1,2}))?)?\s*$")
_DOB_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


def parse_dob(value: str) -> tuple[int, int, int] | None:
    """Parse YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD (or DD.MM.YYYY) into (y, m, d); 0 = unknown."""
    if not value:
        return None
    m = _DOB.match(value)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    else:
        m = _DOB_DMY.match(value)
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1000 <= y <= 2100:  # historical registers go back centuries
        return None
    if not 0 <= mo <= 12:
        mo, d = 0, 0
    if not 0 <= d <= 31:
        d = 0
    return (y, mo, d)


# OCR confusions folded to one canonical character.
_OCR = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
)


def normalize_identifier(value: str) -> str:
    """Upper-case alphanumerics only (spaces, dashes and dots removed)."""
    return re.sub(r"[^0-9A-Z]", "", _clean(value).upper()) if value else ""


def ocr_fold(ident: str) -> str:
    """Fold OCR-confusable characters (O/0, I/1/L, S/5, B/8, Z/2) to one form."""
    return ident.translate(_OCR)


def normalize_country(value: str) -> str:
    """Country name, alias, ISO2 or ISO3 code -> ISO2 (upper-case); unknown text is kept cleaned."""
    if not value:
        return ""
    key = _clean(value)
    table = countries()
    if key in table:
        return table[key]
    key2 = key.replace(" ", "")
    for k in (key2, key.removeprefix("the ")):
        if k in table:
            return table[k]
    return key


def normalize_gender(value: str) -> str:
    v = _clean(value)
    if v in ("m", "male", "man", "masculine", "mr", "h", "homme", "mann"):
        return "m"
    if v in ("f", "female", "woman", "feminine", "w", "femme", "frau"):
        return "f"
    return ""


@dataclass(slots=True)
class Prepared:
    """The normalised form of a record used by comparators (compact: one per indexed record)."""

    id: str
    kind: str
    names: list[tuple[str, ...]]
    abjad: bool
    cjk: tuple[str, ...]  # words of the first name written in a CJK script (cjk.py)
    dob: tuple[int, int, int] | None
    country: str
    gender: str
    ident: str
    place: tuple[str, ...]
    address: tuple[str, ...]
    postcode: str
    email: str = ""
    occupation: str = ""  # bulk files (Splink's historical data): weak evidence, by its rarity
    # Which name parts the record filled in ("g" given, "f" family, "gf" both, "" full name
    # or aliases only): a given name alone and a family name alone are not comparable.
    roles: str = ""
    # Weight of agreeing on this address in its dataset (linkage.fit; 1.0 = rare value).
    address_rarity: float = 1.0
    place_rarity: float = 1.0
    # Names written in a non-Latin script we can read (script tag, name as written), and
    # whether some name is in Latin letters: the cross-script comparison needs both sides.
    foreign: tuple[tuple[str, str], ...] = ()
    has_latin: bool = True


_RANKS = (
    "baron|baroness|baronet|earl|count|countess|viscount|viscountess|marquess|marquis|"
    "marchioness|duke|duchess|lord|lady"
)
# A title of nobility after the name: "Thomas Clifford, 1st Baron Clifford of Chudleigh",
# "John Smith 3rd baronet". Only after an ordinal or a comma, so that "Duke Ellington" stays.
_TITLE = re.compile(
    rf"(?:,\s*(?:the\s+)?(?:\d+(?:st|nd|rd|th)\s+)?|\s+\d+(?:st|nd|rd|th)\s+)(?:{_RANKS})\b.*$",
    re.IGNORECASE,
)


def strip_title(name: str) -> str:
    """The name without a trailing title of nobility (the title names a place, not the person)."""
    out = _TITLE.sub("", name).strip()
    return out or name


@lru_cache(maxsize=200_000)
def _name_forms(name: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...], bool]:
    """(token variants, CJK characters, abjad script) of one name, its title stripped."""
    n = strip_title(name)
    return tuple(name_variants(n)), cjk_words(n), is_abjad(n)


def prepare(rec: PersonRecord) -> Prepared:
    names: list[tuple[str, ...]] = []
    abjad = False
    cjk: tuple[str, ...] = ()
    foreign: list[tuple[str, str]] = []
    has_latin = False
    for n in rec.names():
        variants, cjk_n, abjad_n = _name_forms(n)
        cjk = cjk or cjk_n
        script = script_of(n)
        has_latin = has_latin or script == "latin"
        if script in KNOWN:
            foreign.append((script, n))
        for v in variants:
            if v not in names:
                names.append(v)
        abjad = abjad or abjad_n
    ex = rec.extra
    address: tuple[str, ...] = ()
    postcode = ""
    if ex:
        addr = " ".join(
            ex.get(k, "") for k in ("street_number", "address_1", "address_2", "suburb", "state")
        )
        address = tuple(_clean(addr).split())
        postcode = _clean(ex.get("postcode", "")).replace(" ", "")
    return Prepared(
        id=rec.id,
        kind=rec.kind or "person",
        names=names,
        abjad=abjad,
        cjk=cjk,
        dob=parse_dob(rec.date_of_birth),
        country=normalize_country(rec.nationality),
        gender=normalize_gender(rec.gender),
        ident=normalize_identifier(rec.document_number),
        place=tuple(_clean(rec.place_of_birth).split()),
        address=address,
        postcode=postcode,
        email=ex.get("email", "").strip().lower() if ex else "",
        occupation=_clean(ex.get("occupation", "")) if ex else "",
        roles=_roles(rec),
        foreign=tuple(foreign),
        has_latin=has_latin,
    )


def _roles(rec: PersonRecord) -> str:
    if rec.full_name.strip() or rec.aliases:
        return ""
    return ("g" if _clean(rec.first_name) else "") + ("f" if _clean(rec.last_name) else "")
