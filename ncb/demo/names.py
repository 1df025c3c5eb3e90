"""Name pools in many scripts, drawn once from Faker's locale data, then combined quickly.

Why: calling Faker per row is slow (tens of microseconds a call); reading each locale's name lists
once and picking from them with one seeded `random.Random` is fast and deterministic.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass

from anyascii import anyascii

# locale -> (script, nationalities to draw from, family name first?)
LOCALES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "en_GB": ("Latin", ("GB", "IE"), False),
    "en_US": ("Latin", ("US", "CA", "AU", "NZ"), False),
    "fr_FR": ("Latin", ("FR", "BE", "LU"), False),
    "de_DE": ("Latin", ("DE", "AT", "CH"), False),
    "es_ES": ("Latin", ("ES", "CO", "MX", "AR", "PE"), False),
    "it_IT": ("Latin", ("IT",), False),
    "pt_BR": ("Latin", ("BR", "PT"), False),
    "nl_NL": ("Latin", ("NL",), False),
    "pl_PL": ("Latin", ("PL",), False),
    "ro_RO": ("Latin", ("RO", "MD"), False),
    "cs_CZ": ("Latin", ("CZ", "SK"), False),
    "hu_HU": ("Latin", ("HU",), False),
    "sv_SE": ("Latin", ("SE",), False),
    "tr_TR": ("Latin", ("TR",), False),
    "vi_VN": ("Latin", ("VN",), True),
    "id_ID": ("Latin", ("ID",), False),
    "ru_RU": ("Cyrillic", ("RU", "BY", "KZ"), False),
    "uk_UA": ("Cyrillic", ("UA",), False),
    "bg_BG": ("Cyrillic", ("BG",), False),
    "ar_AA": ("Arabic", ("MA", "DZ", "EG", "IQ", "SA", "AE", "JO", "LB", "SY", "TN")
              , False),
    "fa_IR": ("Arabic", ("IR", "AF"), False),
    "zh_CN": ("Chinese", ("CN",), True),
    "el_GR": ("Greek", ("GR", "CY"), False),
    "he_IL": ("Hebrew", ("IL",), False),
    "ja_JP": ("Japanese", ("JP",), True),
    "ko_KR": ("Korean", ("KR",), True),
    "hi_IN": ("Devanagari", ("IN",), False),
}
# How often each locale is drawn for a case subject (the rest weigh 2).
WEIGHTS = {"en_GB": 14, "en_US": 6, "es_ES": 6, "ro_RO": 6, "pl_PL": 6, "fr_FR": 5, "de_DE": 5,
           "it_IT": 4, "nl_NL": 4, "ru_RU": 5, "ar_AA": 5, "zh_CN": 4, "tr_TR": 3, "pt_BR": 3}


def _names(attr_owner: type, *attrs: str) -> list[str]:
    out: list[str] = []
    for attr in attrs:
        value = getattr(attr_owner, attr, None)
        if value:
            out.extend(str(v) for v in value)
    return list(dict.fromkeys(n.strip() for n in out if n and n.strip()))


@dataclass(frozen=True)
class Pool:
    locale: str
    script: str
    nationalities: tuple[str, ...]
    family_first: bool
    male: list[str]
    female: list[str]
    last_m: list[str]
    last_f: list[str]


def _pool(locale: str) -> Pool:
    script, nats, family_first = LOCALES[locale]
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    male = _names(provider, "first_names_male")
    female = _names(provider, "first_names_female")
    generic = _names(provider, "first_names")
    last_m = _names(provider, "last_names_male") or _names(provider, "last_names")
    last_f = _names(provider, "last_names_female") or last_m
    last = last_m
    if len(last) < 20 or len(generic + male) < 10:
        from faker import Faker

        fake = Faker(locale)
        fake.seed_instance(len(locale))
        if len(last) < 20:
            last_m = last_f = sorted({fake.last_name() for _ in range(300)})
        generic = generic or sorted({fake.first_name() for _ in range(300)})
    return Pool(locale, script, nats, family_first, male or generic, female or generic,
                last_m, last_f)


class Names:
    """Draw persons quickly: (first, last, display, gender, nationality, script, latin alias)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pools = [_pool(loc) for loc in LOCALES]
        self.weights = [WEIGHTS.get(p.locale, 2) for p in self.pools]
        self.by_locale = {p.locale: p for p in self.pools}

    def person(self, locale: str | None = None) -> dict[str, str | None]:
        rng = self.rng
        pool = self.by_locale[locale] if locale else rng.choices(self.pools, self.weights)[0]
        gender = "M" if rng.random() < 0.72 else "F"
        first = rng.choice(pool.male if gender == "M" else pool.female)
        last = rng.choice(pool.last_m if gender == "M" else pool.last_f)
        if pool.script in ("Chinese", "Korean"):
            display = f"{last}{first}"
        elif pool.family_first:
            display = f"{last} {first}"
        else:
            display = f"{first} {last}"
        latin = None
        if pool.script != "Latin":
            order = (last, first) if pool.family_first else (first, last)
            latin = " ".join(anyascii(x).strip().title() for x in order if x)
        return {"first": first, "last": last, "display": display, "gender": gender,
                "nationality": rng.choice(pool.nationalities), "script": pool.script,
                "latin": latin, "locale": pool.locale}
