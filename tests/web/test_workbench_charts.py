"""Server-rendered SVG charts: escaped text, accessible title, bars scaled to the largest."""

from __future__ import annotations

import re

from ncb.web.charts import bar_chart


def test_bar_chart_escapes_and_scales() -> None:
    svg = str(bar_chart([("<b>A&B</b>", 10), ("Second", 5)], "Open <cases>"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<b>" not in svg and "&lt;b&gt;A&amp;B&lt;/b&gt;" in svg
    assert "<title" in svg and "Open &lt;cases&gt;" in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1]


def test_bar_chart_without_data() -> None:
    assert "No open cases" in str(bar_chart([], "Empty"))
