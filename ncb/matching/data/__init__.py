"""Data tables shipped with ncb.matching (original work under the project licence, except
nicknames.csv: Apache-2.0, source in its header)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_THRESHOLD_MODES = ("screening", "linkage")
_NAME = re.compile(r"[a-z]+")


def _lines(filename: str) -> list[str]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def given_name_groups() -> dict[str, frozenset[int]]:
    """Name element -> ids of its variant groups: given-name variants and nicknames
    (given_names.txt), romanisation equivalences (name_equivalences.txt) and one group per
    formal name of nicknames.csv (its nicknames do not join each other's groups: "Al" is in
    Albert's and Alfred's, which stay apart)."""
    out: dict[str, set[int]] = {}
    lines = _lines("given_names.txt") + _lines("name_equivalences.txt")
    by_formal: dict[str, list[str]] = {}
    for formal, nick in nickname_pairs():
        by_formal.setdefault(formal, [formal]).append(nick)
    lines += [",".join(names) for names in by_formal.values()]
    for gid, line in enumerate(lines):
        for name in line.split(","):
            name = name.strip().replace(" ", "")
            if name:
                out.setdefault(name, set()).add(gid)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def nickname_pairs() -> tuple[tuple[str, str], ...]:
    """(formal given name, nickname) pairs of nicknames.csv, validated at load."""
    text = resources.files(__package__).joinpath("nicknames.csv").read_text(encoding="utf-8")
    return parse_nicknames(text, "nicknames.csv")


def parse_nicknames(text: str, source: str) -> tuple[tuple[str, str], ...]:
    """Rows of a 'formal,nickname' table; a bad row raises naming its line and rule rather
    than silently widening or narrowing what the matcher takes for one given name."""
    rows = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln and not ln.startswith("#")]
    if not rows or rows[0][1] != "formal,nickname":
        raise ValueError(f"{source}: the header must be 'formal,nickname'")
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    body = rows[1:]
    for (n, _ln), row in zip(body, csv.reader(ln for _n, ln in body), strict=True):
        if len(row) != 2 or not all(_NAME.fullmatch(x) for x in row):
            raise ValueError(f"{source} line {n}: two lower-case names a-z, got {row!r}")
        pair = (row[0], row[1])
        if pair[0] == pair[1] or pair in seen:
            raise ValueError(f"{source} line {n}: {pair[1]!r} repeats or equals its formal name")
        seen.add(pair)
        out.append(pair)
    return tuple(out)


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Lower-case country name, alias, ISO2 or ISO3 code -> ISO 3166-1 alpha-2 code."""
    out: dict[str, str] = {}
    for line in _lines("countries.txt"):
        code, *names = line.split("|")
        code = code.strip().upper()
        out[code.lower()] = code
        for n in names:
            out[n.strip().lower()] = code
    return out


@lru_cache(maxsize=1)
def thresholds() -> dict[str, float]:
    """The calibrated decision threshold per mode, validated at load."""
    raw: Any = yaml.safe_load(
        resources.files(__package__).joinpath("thresholds.yaml").read_text(encoding="utf-8")
    )
    if not isinstance(raw, dict) or "thresholds" not in raw:
        raise ValueError("thresholds.yaml: top-level key 'thresholds' is required")
    table = raw["thresholds"]
    out: dict[str, float] = {}
    for mode in _THRESHOLD_MODES:
        entry = table.get(mode)
        if not isinstance(entry, dict) or "value" not in entry:
            raise ValueError(f"thresholds.yaml: mode {mode!r} needs a 'value'")
        value = float(entry["value"])
        if not 0.0 < value < 1.0:
            raise ValueError(f"thresholds.yaml: {mode}.value must be in (0, 1), got {value}")
        if not entry.get("calibrated_on"):
            raise ValueError(f"thresholds.yaml: {mode}.calibrated_on must say how it was set")
        out[mode] = value
    return out
