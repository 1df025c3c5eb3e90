"""A seeded generator of messy historical person records with true clusters.

    python -m bench.matching.messy --n 50000 --seed 8 --out /tmp/messy_50k.csv

Columns are those of Splink's historical_50k example data (unique_id, cluster, full_name,
first_and_surname, first_name, surname, dob, birth_place, postcode_fake, gender, occupation), so
Splink's documented settings for that data run unchanged beside our engine.

People: en_GB names, places and postcodes from Faker (seeded), births 1600-1950, an occupation
from a list of historical ones. Cluster sizes follow a truncated power law (P(k) ~ k^-1.6, k <= 20):
most people appear once or twice, a few a dozen times, as in registers compiled from several
sources. Each record of a person is a noisy copy; per record and independently:

- given name: a nickname 12% (``nicknames`` package: carltonnorthern/nicknames, Apache-2.0), a
  typo 8%, the initial only 4%, missing 7%; family name: a typo 8%, missing 5%;
- alternative full name: 6% of people also go by another full name (a married or adopted
  family name, or their middle name as given name), used in about a third of their records;
- titles: 8% of people hold one ("3rd baron Ashford", "1st baronet", "sir"), written in the
  full name of half their records;
- date of birth: one digit wrong 12%, day and month swapped 3%, missing 10%;
- birth place missing 25% or misspelt 5%; postcode missing 30% or one character wrong 10%;
  occupation missing 40%; gender missing 10%;
- 1% of records carry no usable name at all (every name column empty).
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from pathlib import Path

COLUMNS = (
    "unique_id",
    "cluster",
    "full_name",
    "first_and_surname",
    "first_name",
    "surname",
    "dob",
    "birth_place",
    "postcode_fake",
    "gender",
    "occupation",
)
OCCUPATIONS = (
    "politician", "priest", "soldier", "painter", "writer", "poet", "lawyer", "judge", "physician",
    "merchant", "engineer", "architect", "composer", "actor", "naval officer", "bishop",
    "botanist", "banker", "sculptor", "farmer", "teacher", "journalist", "historian",
    "mathematician", "cricketer", "footballer", "diplomat", "inventor", "publisher", "missionary",
)  # fmt: skip
RANKS = ("baron", "baronet", "earl", "viscount", "marquess", "duke")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _nicknames() -> dict[str, list[str]]:
    """Formal given name -> its nicknames (names.csv of the ``nicknames`` package)."""
    import nicknames

    out: dict[str, set[str]] = {}
    for t in nicknames.name_triplets():
        if str(t.relationship) == "has_nickname":
            out.setdefault(t.name1.lower(), set()).add(t.name2.lower())
    return {k: sorted(v) for k, v in out.items()}


def _typo(s: str, rng: random.Random) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s))
    op = rng.random()
    if op < 0.3:
        return s[:i] + s[i + 1 :]  # deletion
    if op < 0.6:
        return s[:i] + rng.choice(LETTERS) + s[i:]  # insertion
    if op < 0.85:
        return s[:i] + rng.choice(LETTERS) + s[i + 1 :]  # substitution
    j = min(i + 1, len(s) - 1)
    return s[:i] + s[j] + s[i] + s[j + 1 :] if j > i else s  # transposition


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _size(rng: random.Random) -> int:
    weights = [k**-1.6 for k in range(1, 21)]
    return rng.choices(range(1, 21), weights)[0]


class _Person:
    def __init__(self, fake: object, rng: random.Random, nicks: dict[str, list[str]]) -> None:
        f: object = fake
        self.gender = rng.choice(("male", "female"))
        male = self.gender == "male"
        gen_first = f.first_name_male if male else f.first_name_female  # type: ignore[attr-defined]
        self.first = gen_first().lower()
        # Half the people get a formal name that has nicknames, so nicknames are common.
        formal = [n for n in nicks if len(n) > 3]
        if rng.random() < 0.5 and formal:
            self.first = rng.choice(formal)
        self.middle = gen_first().lower() if rng.random() < 0.4 else ""
        self.surname = f.last_name().lower()  # type: ignore[attr-defined]
        y = rng.randint(1600, 1950)
        self.dob = f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        self.place = f.city().lower()  # type: ignore[attr-defined]
        self.postcode = f.postcode().lower()  # type: ignore[attr-defined]
        self.occupation = rng.choice(OCCUPATIONS)
        self.title = ""
        if rng.random() < 0.08:
            rank = rng.choice(RANKS)
            self.title = f"{_ordinal(rng.randint(1, 9))} {rank}"
            if rank != "baronet":
                self.title += f" {rng.choice(('of ', '')) }{f.city().lower()}"  # type: ignore[attr-defined]
        self.alt: tuple[str, str] | None = None
        if rng.random() < 0.06:
            if self.middle and rng.random() < 0.5:
                self.alt = (self.middle, self.surname)
            else:
                self.alt = (self.first, f.last_name().lower())  # type: ignore[attr-defined]


def _record(p: _Person, rng: random.Random, nicks: dict[str, list[str]]) -> dict[str, str]:
    first, surname, middle = p.first, p.surname, p.middle
    if p.alt and rng.random() < 0.35:
        first, surname = p.alt
    r = rng.random()
    if r < 0.12 and first in nicks:
        first = rng.choice(nicks[first])
    elif r < 0.20:
        first = _typo(first, rng)
    elif r < 0.24:
        first = first[0]
    elif r < 0.31:
        first = ""
    r = rng.random()
    if r < 0.08:
        surname = _typo(surname, rng)
    elif r < 0.13:
        surname = ""
    if rng.random() < 0.01:
        first = surname = middle = ""
    dob = p.dob
    r = rng.random()
    if r < 0.12:
        i = rng.choice((2, 3, 5, 6, 8, 9))
        dob = dob[:i] + str(rng.choice([d for d in range(10) if str(d) != dob[i]])) + dob[i + 1 :]
        if not 1 <= int(dob[5:7]) <= 12 or not 1 <= int(dob[8:10]) <= 31:
            dob = p.dob
    elif r < 0.15 and int(p.dob[8:10]) <= 12:
        dob = f"{p.dob[:4]}-{p.dob[8:10]}-{p.dob[5:7]}"
    elif r < 0.25:
        dob = ""
    place = "" if rng.random() < 0.25 else p.place
    if place and rng.random() < 0.05:
        place = _typo(place, rng)
    postcode = "" if rng.random() < 0.30 else p.postcode
    if postcode and rng.random() < 0.10:
        i = rng.randrange(len(postcode))
        postcode = postcode[:i] + rng.choice(LETTERS + "0123456789") + postcode[i + 1 :]
    fs = " ".join(x for x in (first, surname) if x)
    full = " ".join(x for x in (first, middle if rng.random() < 0.6 else "", surname) if x)
    if p.title and full and rng.random() < 0.5:
        full = f"{full}, {p.title}"
    return {
        "full_name": full,
        "first_and_surname": fs,
        "first_name": first,
        "surname": surname,
        "dob": dob,
        "birth_place": place,
        "postcode_fake": postcode,
        "gender": "" if rng.random() < 0.10 else p.gender,
        "occupation": "" if rng.random() < 0.40 else p.occupation,
    }


def generate(n: int = 50_000, seed: int = 8) -> Iterator[dict[str, str]]:
    """``n`` records (row order shuffled), each with its true ``cluster``."""
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    nicks = _nicknames()
    rows: list[dict[str, str]] = []
    cid = 0
    while len(rows) < n:
        p = _Person(fake, rng, nicks)
        for _ in range(min(_size(rng), n - len(rows))):
            rows.append({"cluster": str(cid), **_record(p, rng, nicks)})
        cid += 1
    rng.shuffle(rows)
    for i, row in enumerate(rows):
        yield {"unique_id": str(i), **row}


def write(path: Path, n: int = 50_000, seed: int = 8) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(generate(n, seed))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.matching.messy")
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    write(args.out, args.n, args.seed)


if __name__ == "__main__":
    main()
