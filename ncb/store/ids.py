"""The integer range every id and count column holds, on both databases.

Ids and counts are INTEGER columns: PostgreSQL's is 32-bit, SQLite's 64-bit. Input is held to
the smaller range on both, so the same request gets the same answer on either database.
"""

from __future__ import annotations

INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def parse_id(text: str) -> int | None:
    """`text` as a row id if it is ASCII digits within range, else None ("²".isdigit() is True)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= INT_MAX else None


def in_range(value: int) -> bool:
    return INT_MIN <= value <= INT_MAX
