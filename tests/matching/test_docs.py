from pathlib import Path

from ncb.matching.docs import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "matching.md"


def test_docs_matching_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/matching.md is stale: run `python -m ncb.matching.docs > docs/matching.md`"
    )
