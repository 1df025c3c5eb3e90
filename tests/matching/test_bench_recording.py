"""`python -m bench.matching --only X --record` replaces only the subsections it measured."""

from __future__ import annotations

from bench.matching.recording import full_section, replace_parts, replace_section

DOC = """# Benchmarks

## Matching

Command: `python -m bench.matching`, the last full run.

### Name pairs (names/cases.csv)

| a | b |
|---|---|
| old names | 1 |

### De-duplication (pairwise)

| data | F1 |
|---|---|
| old dedupe | 0.5 |

Notes written by hand about the old dedupe run.

### De-duplication at scale (generated)

| records | s |
|---|---|
| old scale | 9 |

### Scale (synthetic watchlist)

| old screening scale | 1 |

## Gateway

Gateway text stays.
"""


def test_only_dedupe_replaces_its_subsection_and_nothing_else() -> None:
    new = replace_parts(DOC, {"dedupe": "### De-duplication (pairwise)\n\n| new dedupe | 0.9 |"})
    assert "new dedupe" in new
    assert "old dedupe" not in new and "Notes written by hand" not in new
    for kept in ("the last full run", "old names", "old scale", "old screening scale", "Gateway text stays"):
        assert kept in new
    # Recording the same part again replaces the new text, found by its marker.
    again = replace_parts(new, {"dedupe": "### De-duplication (pairwise)\n\n| newer dedupe | 0.95 |"})
    assert "newer dedupe" in again and "new dedupe |" not in again
    assert again.count("### De-duplication (pairwise)") == 1
    assert "old scale" in again and "old names" in again


def test_a_part_not_yet_in_the_section_is_added_at_its_end() -> None:
    new = replace_parts(DOC, {"febrl": "### FEBRL\n\n| febrl | 0.99 |"})
    assert new.index("febrl | 0.99") < new.index("## Gateway")
    assert "old dedupe" in new and "old screening scale" in new


def test_a_full_run_rewrites_the_whole_section_only() -> None:
    text = full_section("Command: full.", {"names": "### Name pairs\n\n| fresh |"})
    new = replace_section(DOC, text)
    assert "fresh" in new and "old dedupe" not in new and "Gateway text stays" in new
