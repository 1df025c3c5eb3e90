"""Positions for the network page's SVG: the centre and rings 1-3 on concentric circles.

Deterministic (same graph, same picture): nodes keep the service's order and are spread
evenly on their ring, starting at the top. A ring shows at most MAX_PER_RING nodes; the table
below the picture lists every one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ncb.services.graph.network import NetworkView, Node

SIZE = 1000
RADII = (0.0, 150.0, 300.0, 440.0)
MAX_PER_RING = (1, 36, 36, 48)  # ring 3 (one hop further) draws the 48 with most links


@dataclass(frozen=True)
class Placed:
    node: Node
    x: float
    y: float
    anchor: str  # text-anchor of the label, away from the centre
    lx: float  # where the label goes
    ly: float


@dataclass(frozen=True)
class Picture:
    size: int
    placed: list[Placed]
    lines: list[tuple[Placed, Placed]]
    left_out: int  # nodes on the rings not drawn (listed in the table)


def _short(text: str, n: int = 22) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _place(node: Node, x: float, y: float, mid: float) -> Placed:
    """The node at (x, y) with its label outward: beside it, or above/below near the axis."""
    if node.ring == 0:
        return Placed(node, x, y, "middle", x, y + 30)
    if abs(x - mid) < 30:
        return Placed(
            node, round(x, 1), round(y, 1), "middle", round(x, 1), round(y - 16 if y < mid else y + 26, 1)
        )
    anchor, dx = ("start", 14) if x > mid else ("end", -14)
    return Placed(node, round(x, 1), round(y, 1), anchor, round(x + dx, 1), round(y + 4, 1))


def _around(view: NetworkView, drawn: list[Node], ring: int) -> list[Node]:
    """Ring 2 or 3 ordered by the mean position of its neighbours drawn on the ring inside, so
    few lines cross. Ring 3 keeps the nodes with most links to that ring (the cap cuts the
    rest); ring 2 keeps the service's order for the cut, as before."""
    inner = {n.key: i for i, n in enumerate(drawn)}
    near: dict[str, list[int]] = {}
    for link in view.links:
        for a, b in ((link.identity.key, link.case.key), (link.case.key, link.identity.key)):
            if b in inner:
                near.setdefault(a, []).append(inner[b])
    nodes = view.ring(ring)
    if ring == 3:
        nodes = sorted(nodes, key=lambda n: -len(near.get(n.key, [])))[:MAX_PER_RING[3]]
    return sorted(nodes, key=lambda n: sum(near.get(n.key, [0])) / len(near.get(n.key, [0])))


def layout(view: NetworkView) -> Picture:
    mid = SIZE / 2
    placed: dict[str, Placed] = {}
    left_out = 0
    drawn: list[Node] = []
    for ring, radius in enumerate(RADII):
        nodes = _around(view, drawn, ring) if ring >= 2 else view.ring(ring)
        left_out += max(0, len(view.ring(ring)) - MAX_PER_RING[ring])
        nodes = nodes[: MAX_PER_RING[ring]]
        drawn = nodes
        # Half a step round from the top on both rings: no line runs straight up through the
        # centre's label, and ring 2 (in its neighbours' order) sits outside its cases.
        for i, node in enumerate(nodes):
            angle = 2 * math.pi * (i + 0.5) / max(len(nodes), 1) - math.pi / 2
            x, y = mid + radius * math.cos(angle), mid + radius * math.sin(angle)
            placed[node.key] = _place(node, x, y, mid)
    lines = [
        (placed[k.identity.key], placed[k.case.key])
        for k in view.links
        if k.identity.key in placed and k.case.key in placed
    ]
    return Picture(SIZE, list(placed.values()), lines, left_out)


def label(node: Node) -> str:
    """The label drawn next to a node (the table gives it in full)."""
    return _short(node.label or node.kind.replace("_", " "))
