"""Server-rendered SVG line chart (no JavaScript) for series over months.

Text is escaped; the chart has a title and a description listing every value for screen
readers, and the templates show the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

from ncb.web.charts import PALETTE

EXTRA = ("#444444", "#b00020", "#7a7a00", "#005f5f")


def line_chart(months: Sequence[str], series: Mapping[str, Sequence[int]],
               labels: Mapping[str, str], title: str, width: int = 720,
               height: int = 260) -> Markup:
    """One line per series over `months`, a legend underneath."""
    left, right, top_pad, bottom = 40, 10, 10, 30
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max((v for vals in series.values() for v in vals), default=0) or 1
    n = max(1, len(months) - 1)
    colours = [*PALETTE, *EXTRA]
    tid = "t" + str(abs(hash((title, tuple(months)))) % 10_000_000)
    desc = "; ".join(f"{labels.get(k, k)}: " + ", ".join(f"{m} {v}" for m, v in zip(
        months, vals, strict=False)) for k, vals in series.items()) or "no data"
    legend_h = 18 * ((len(series) + 2) // 3)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height + legend_h}" width="100%" '
             f'aria-labelledby="{tid}t {tid}d">',
             f'<title id="{tid}t">{escape(title)}</title><desc id="{tid}d">{escape(desc)}</desc>',
             f'<text x="{left - 4}" y="{top_pad + 10}" text-anchor="end" '
             f'class="chart-value">{top}</text>',
             f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end" '
             f'class="chart-value">0</text>',
             f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" '
             f'y2="{top_pad + plot_h}" stroke="#888"/>']
    step = max(1, len(months) // 12)
    for i, m in enumerate(months):
        if i % step == 0:
            x = left + plot_w * i / n
            parts.append(f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle" '
                         f'class="chart-label">{escape(m)}</text>')
    for j, (key, vals) in enumerate(series.items()):
        colour = colours[j % len(colours)]
        points = " ".join(f"{left + plot_w * i / n:.1f},{top_pad + plot_h * (1 - v / top):.1f}"
                          for i, v in enumerate(vals))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{points}"><title>{escape(labels.get(key, key))}</title>'
                     f'</polyline>')
        lx, ly = left + (j % 3) * (plot_w / 3), height + 4 + 18 * (j // 3)
        parts.append(f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{lx + 16:.1f}" y="{ly + 11}" class="chart-label">'
                     f'{escape(labels.get(key, key)[:30])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
