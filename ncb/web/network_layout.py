"""Positions for the network page's SVG: the centre, ring 1 and ring 2 on concentric circles.

Deterministic (same graph, same picture): nodes keep the service's order and are spread
evenly on their ring, starting at the top. A ring shows at most MAX_PER_RING nodes; the table
below the picture lists every one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ncb.services.graph.network import NetworkView, Node

SIZE = 760
RADII = (0.0, 150.0, 310.0)
MAX_PER_RING = 36


@dataclass(frozen=True)
class Placed:
    node: Node
    x: float
    y: float
    anchor: str  # text-anchor of the label, away from the centre


@dataclass(frozen=True)
class Picture:
    size: int
    placed: list[Placed]
    lines: list[tuple[Placed, Placed]]
    left_out: int  # nodes on the rings not drawn (listed in the table)


def _short(text: str, n: int = 22) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def layout(view: NetworkView) -> Picture:
    mid = SIZE / 2
    placed: dict[str, Placed] = {}
    left_out = 0
    for ring, radius in enumerate(RADII):
        nodes = view.ring(ring)
        left_out += max(0, len(nodes) - MAX_PER_RING)
        nodes = nodes[:MAX_PER_RING]
        # Offset ring 2 by half a step so its labels fall between ring 1's.
        turn = 0.5 if ring == 2 else 0.0
        for i, node in enumerate(nodes):
            angle = 2 * math.pi * (i + turn) / max(len(nodes), 1) - math.pi / 2
            x, y = mid + radius * math.cos(angle), mid + radius * math.sin(angle)
            anchor = "middle" if abs(x - mid) < 20 else ("start" if x > mid else "end")
            placed[node.key] = Placed(node, round(x, 1), round(y, 1), anchor)
    lines = [
        (placed[k.identity.key], placed[k.case.key])
        for k in view.links
        if k.identity.key in placed and k.case.key in placed
    ]
    return Picture(SIZE, list(placed.values()), lines, left_out)


def label(node: Node) -> str:
    """The label drawn next to a node (the table gives it in full)."""
    return _short(node.label or node.kind.replace("_", " "))
