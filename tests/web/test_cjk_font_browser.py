"""Names in Chinese, Japanese and Korean are drawn as glyphs in the test browser, not boxes."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

# Draw one character on a canvas and return its pixels; a missing font draws the same empty
# box (tofu) for every character, so two different characters would come out identical.
DRAW = """(ch) => {
  const c = document.createElement('canvas'); c.width = 40; c.height = 40;
  const g = c.getContext('2d'); g.font = '32px sans-serif'; g.fillText(ch, 2, 32);
  return Array.from(g.getImageData(0, 0, 40, 40).data).join(',');
}"""


@pytest.mark.parametrize("first,second", [("唐", "特"), ("ド", "ナ"), ("도", "럼")],
                         ids=["hanzi", "katakana", "hangul"])
def test_cjk_characters_render_as_distinct_glyphs(page: Any, first: str, second: str) -> None:
    page.goto("/public")
    a, b = page.evaluate(DRAW, first), page.evaluate(DRAW, second)
    assert a != b, f"{first} and {second} render identically: no CJK font (make chromium-bin)"
