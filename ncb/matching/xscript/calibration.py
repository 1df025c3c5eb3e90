"""Where a cross-script comparison becomes a match: one point per script.

Similarities of learned alignments are not on the scale of Latin-to-Latin name similarity, and
not on one scale across scripts (Chinese transcription loses more letters than Cyrillic). Each
script has its own decision point (ncb/matching/data/thresholds.yaml, ``cross_script``); a score
at the point is moved onto the algorithm's threshold, so that one threshold decides all pairs.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=1)
def points() -> dict[str, float]:
    """Decision point per script tag (scripts.KNOWN), validated at load."""
    raw: Any = yaml.safe_load(
        resources.files("ncb.matching.data").joinpath("thresholds.yaml").read_text("utf-8")
    )
    entry = raw.get("cross_script") if isinstance(raw, dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("points"), dict):
        raise ValueError("thresholds.yaml: cross_script.points (script -> value) is required")
    if not entry.get("calibrated_on"):
        raise ValueError("thresholds.yaml: cross_script.calibrated_on must say how it was set")
    out = {str(k): float(v) for k, v in entry["points"].items()}
    for k, v in out.items():
        if not 0.0 < v < 1.0:
            raise ValueError(f"thresholds.yaml: cross_script.points.{k} must be in (0, 1), got {v}")
    return out


def on_scale(score: float, script: str, threshold: float) -> float:
    """``score`` of a cross-script comparison on the algorithm's scale: piecewise linear, the
    script's point on ``threshold``, 0 on 0 and 1 on 1."""
    point = points().get(script)
    if point is None:
        return 0.0
    if score >= point:
        return threshold + (1.0 - threshold) * (score - point) / (1.0 - point)
    return threshold * max(score, 0.0) / point


def off_scale(value: float, script: str, threshold: float) -> float:
    """The inverse of on_scale, a hair low: a raw score at or below the result lands below
    ``value`` (so a comparison may stop early there); 0 for an unknown script."""
    point = points().get(script)
    if point is None or value <= 0.0:
        return 0.0
    if value >= threshold:
        raw = point + (1.0 - point) * (value - threshold) / (1.0 - threshold)
    else:
        raw = point * value / threshold
    return raw * (1.0 - 1e-9)
