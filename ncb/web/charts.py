"""Server-rendered SVG charts (no JavaScript): horizontal bars with labels and values.

Text is escaped; each chart has a title and a description for screen readers, and the same
numbers are shown in a table next to it by the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#1f5fa8", "#2d7d46", "#8a4b00", "#6b3fa0", "#a12d5a", "#2a6f78")


def bar_chart(rows: Sequence[tuple[str, int]], title: str, width: int = 460,
              bar_height: int = 22, gap: int = 6, label_width: int = 190,
              colour: str = PALETTE[0], secondary: Sequence[int] | None = None,
              secondary_colour: str = "#b00020", secondary_label: str = "overdue") -> Markup:
    """A horizontal bar chart; `secondary` draws a second, thinner bar (e.g. overdue) per row."""
    rows = list(rows)
    top = max((v for _, v in rows), default=0) or 1
    plot = width - label_width - 60
    height = max(1, len(rows)) * (bar_height + gap) + gap
    tid = "c" + str(abs(hash((title, tuple(rows)))) % 10_000_000)
    desc = "; ".join(f"{lbl}: {v}" for lbl, v in rows) or "no data"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="{tid}t {tid}d">',
        f'<title id="{tid}t">{escape(title)}</title><desc id="{tid}d">{escape(desc)}</desc>',
    ]
    for i, (lbl, value) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        w = round(plot * value / top, 1)
        text = escape(lbl if len(lbl) <= 26 else lbl[:25] + "…")
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'class="chart-label">{text}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" '
            f'fill="{colour}" rx="2"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height * 0.7:.1f}" '
            f'class="chart-value">{value}</text>'
        )
        if secondary is not None and i < len(secondary) and secondary[i]:
            sw = round(plot * secondary[i] / top, 1)
            parts.append(
                f'<rect x="{label_width}" y="{y + bar_height - 6}" width="{sw}" height="6" '
                f'fill="{secondary_colour}"><title>{escape(secondary_label)}: '
                f'{secondary[i]}</title></rect>'
            )
    if not rows:
        parts.append(f'<text x="8" y="{gap + 14}" class="chart-label">No open cases</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
