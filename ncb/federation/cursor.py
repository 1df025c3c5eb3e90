"""Per-origin ordering: each sender numbers its envelopes to each recipient 1, 2, 3...

The receiver keeps the last sequence it applied from each sender (its cursor). An envelope
at cursor+1 is applied; one at or below the cursor was applied already; one above it waits
until the gap is filled, so a node offline for days applies everything in order.
"""

from __future__ import annotations

from collections.abc import Iterable

APPLY, DUPLICATE, HOLD = "apply", "duplicate", "hold"


def classify(seq: int, cursor: int) -> str:
    if seq <= cursor:
        return DUPLICATE
    return APPLY if seq == cursor + 1 else HOLD


def runnable(cursor: int, waiting: Iterable[int]) -> list[int]:
    """The waiting sequences that can now be applied, in order (stops at the first gap)."""
    have = set(waiting)
    out = []
    nxt = cursor + 1
    while nxt in have:
        out.append(nxt)
        nxt += 1
    return out


def backoff_seconds(attempts: int, base: float = 5.0, cap: float = 3600.0) -> float:
    """Delay before the next delivery attempt: doubling from `base`, at most `cap`."""
    return min(cap, base * (2 ** max(0, attempts - 1)))
