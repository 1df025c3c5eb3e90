"""One `## Heading` section of docs/benchmarks.md, replaced in place by a bench's re-run."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def write_section(heading: str, lines: list[str], docs: Path = DOCS) -> None:
    """Replace (or append) the section `## heading` with `lines`; every other section, and
    hand-written findings under "### Notes" in this one, stay."""
    body = f"## {heading}\n\n" + "\n".join(lines).rstrip() + "\n"
    text = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(text)
    if found:
        notes = re.search(r"^### Notes\b.*", found.group(0), re.S | re.M)
        if notes:
            body = body.rstrip() + "\n\n" + notes.group(0).rstrip() + "\n"
        text = pattern.sub(lambda _m: body.rstrip() + "\n\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + body
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(text.rstrip() + "\n", encoding="utf-8")
