"""Identifiers that name one real thing: the keys that join appearances deterministically.

Pure functions. Each returns normalised keys ("phone:+447700900123") or nothing when the data
does not allow a safe join (a national phone number without a country, a bad IBAN checksum).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_SPACES = re.compile(r"\s+")


def compact(value: str | None) -> str:
    """Upper case, letters and digits only (document numbers, plates, serials)."""
    if not value:
        return ""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("", folded.upper())


def e164(number: str | None, country: str | None, calling_codes: Mapping[str, str]) -> str | None:
    """+<country code><national number>, or None when the number cannot be placed."""
    if not number:
        return None
    raw = number.strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        pass
    elif digits.startswith("00"):
        digits = digits[2:]
    elif country and country.upper() in calling_codes:
        digits = calling_codes[country.upper()] + digits.lstrip("0")
    else:
        return None
    return f"+{digits}" if 8 <= len(digits) <= 15 else None


def iban(value: str | None) -> str | None:
    """An IBAN when its ISO 13616 mod-97 check holds."""
    s = compact(value)
    if not _IBAN.match(s):
        return None
    rotated = s[4:] + s[:4]
    number = "".join(str(int(c, 36)) for c in rotated)
    return s if int(number) % 97 == 1 else None


def vin(value: str | None) -> str | None:
    s = compact(value)
    return s if _VIN.match(s) else None


def _address(text: str | None) -> str:
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return _SPACES.sub(" ", re.sub(r"[^0-9a-z ]", " ", folded.lower())).strip()


def keys_for(row: Any, calling_codes: Mapping[str, str]) -> list[str]:
    """The deterministic identity keys of one appearance (an Entity row or its column values)."""
    kind = row.kind
    details: Mapping[str, Any] = row.details or {}
    ident = row.identifier
    out: list[str] = []
    if kind == "travel_document":
        country = details.get("issuing_country") or row.nationality
        if compact(ident) and country:
            out.append(f"doc:{compact(ident)}:{str(country).upper()}")
    elif kind == "person":
        if compact(ident) and row.nationality and len(compact(ident)) >= 6:
            out.append(f"doc:{compact(ident)}:{row.nationality.upper()}")
    elif kind == "phone":
        country = details.get("country") or row.nationality
        number = e164(ident or row.display_name, country, calling_codes)
        if number:
            out.append(f"phone:{number}")
    elif kind == "vehicle":
        v = vin(details.get("vin")) or vin(ident)
        if v:
            out.append(f"vin:{v}")
        plate = compact(details.get("plate") or (ident if not v else None))
        country = details.get("registered_in")
        if plate and country:
            out.append(f"plate:{plate}:{str(country).upper()}")
    elif kind == "bank_account":
        number = iban(details.get("iban")) or iban(ident)
        if number:
            out.append(f"iban:{number}")
    elif kind == "firearm":
        serial, make = compact(details.get("serial") or ident), compact(details.get("make"))
        if serial and make:
            out.append(f"firearm:{serial}:{make}")
    elif kind == "organisation":
        reg, country = compact(details.get("registration") or ident), details.get("country")
        if reg and country:
            out.append(f"org:{reg}:{str(country).upper()}")
    elif kind == "address":
        text = _address(details.get("full") or row.display_name)
        country = details.get("country") or row.nationality
        if text and country:
            out.append(f"addr:{text}:{str(country).upper()}"[:160])
    return out
