"""Data tables shipped with ncb.matching (original work under the project licence)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_THRESHOLD_MODES = ("screening", "linkage")


def _lines(filename: str) -> list[str]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def given_name_groups() -> dict[str, frozenset[int]]:
    """Name element -> ids of its variant groups: given-name variants and nicknames
    (given_names.txt) and romanisation equivalences (name_equivalences.txt)."""
    out: dict[str, set[int]] = {}
    lines = _lines("given_names.txt") + _lines("name_equivalences.txt")
    for gid, line in enumerate(lines):
        for name in line.split(","):
            name = name.strip().replace(" ", "")
            if name:
                out.setdefault(name, set()).add(gid)
    return {k: frozenset(v) for k, v in out.items()}


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
