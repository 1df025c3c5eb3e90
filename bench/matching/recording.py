"""Writing benchmark results into the "## Matching" section of docs/benchmarks.md.

A full run rewrites the section. A partial run (``--only X``) replaces only the subsections it
measured: each generated subsection is preceded by a marker comment naming its part, and a
part is found by its marker or, in text recorded before markers existed, by its heading; the
rest of the section (other parts, notes written by hand) stays as it was. A part not found
yet is appended at the end of the section.
"""

from __future__ import annotations

import re

SECTION = "## Matching"
# Headings of the parts as the runners write them (for text recorded without markers).
HEADINGS = {
    "names": "### Name pairs",
    "xscript": "### Cross-script names",
    "screening": "### Screening (",
    "screening_hard": "### Harder screening",
    "febrl": "### FEBRL",
    "dedupe": "### De-duplication",
    "dedupe_scale": "### De-duplication at scale",
    "scale": "### Scale (",
}


def marker(part: str) -> str:
    return f"<!-- bench.matching: {part} -->"


_BOUNDARY = re.compile(r"^(?:### |## )|^<!-- bench\.matching: ", re.MULTILINE)


def _heading(section: str, part: str) -> int | None:
    """Start of the part's heading line (text recorded before markers existed)."""
    head = HEADINGS.get(part)
    if head is None:
        return None
    longer = [h for h in HEADINGS.values() if h != head and h.startswith(head)]
    for m in re.finditer("^" + re.escape(head), section, re.MULTILINE):
        # "### De-duplication" must not take "### De-duplication at scale".
        if not any(section.startswith(h, m.start()) for h in longer):
            return m.start()
    return None


def _span(section: str, part: str) -> tuple[int, int] | None:
    """Where ``part`` sits in the section text: from its marker (or heading) up to the next
    marker, ``###`` heading or ``##`` section after its own heading line."""
    at = section.find(marker(part) + "\n")
    heading = at + len(marker(part)) + 1 if at >= 0 else _heading(section, part)
    if heading is None:
        return None
    if at < 0:
        at = heading
    line_end = section.find("\n", heading)
    line_end = len(section) if line_end < 0 else line_end
    nxt = _BOUNDARY.search(section, line_end)
    return at, nxt.start() if nxt else len(section)


def replace_parts(doc: str, parts: dict[str, str]) -> str:
    """``doc`` with each part's subsection replaced by its new text (marker included)."""
    if SECTION not in doc:
        return doc.rstrip("\n") + "\n\n" + SECTION + "\n\n" + _joined(parts) + "\n"
    head, _, rest = doc.partition(SECTION)
    nxt = re.search(r"^## ", rest, re.MULTILINE)
    section, tail = (rest[: nxt.start()], rest[nxt.start() :]) if nxt else (rest, "")
    for part, text in parts.items():
        block = marker(part) + "\n" + text.strip("\n") + "\n\n"
        span = _span(section, part)
        if span is None:
            section = section.rstrip("\n") + "\n\n" + block
        else:
            section = section[: span[0]] + block + section[span[1] :]
    return head + SECTION + section.rstrip("\n") + "\n\n" + tail


def _joined(parts: dict[str, str]) -> str:
    return "\n\n".join(marker(p) + "\n" + t.strip("\n") for p, t in parts.items())


def full_section(intro: str, parts: dict[str, str]) -> str:
    return f"{SECTION}\n\n{intro}\n\n{_joined(parts)}\n"


def replace_section(doc: str, text: str) -> str:
    """``doc`` with the whole Matching section replaced by ``text`` (a full run)."""
    if SECTION in doc:
        head, _, rest = doc.partition(SECTION)
        nxt = re.search(r"^## ", rest, re.MULTILINE)
        tail = rest[nxt.start() :] if nxt else ""
        return head + text.rstrip("\n") + "\n\n" + tail if tail else head + text
    return doc.rstrip("\n") + "\n\n" + text
