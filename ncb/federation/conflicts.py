"""Three-way merge of a shared record: legal fields conflict, free text merges.

`base` is what both nodes last agreed (the previous version received), `local` what this
node holds now, `remote` the originator's new version. A legal field changed on both sides
to different values is never resolved silently: it goes to people with both versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LEGAL_FIELDS = ("status", "deadlines", "disposition")
FREE_TEXT_FIELDS = ("summary",)


@dataclass(frozen=True)
class FieldConflict:
    field: str
    local: Any
    remote: Any
    base: Any


def merge(base: dict[str, Any], local: dict[str, Any], remote: dict[str, Any],
          remote_label: str) -> tuple[dict[str, Any], list[FieldConflict]]:
    """The merged values to store, and the conflicts (whose local value is kept meanwhile)."""
    merged: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name in LEGAL_FIELDS:
        if name not in remote:
            continue
        b, mine, theirs = base.get(name), local.get(name), remote[name]
        if theirs in (b, mine):
            merged[name] = mine
        elif mine == b:
            merged[name] = theirs
        else:
            merged[name] = mine
            conflicts.append(FieldConflict(name, mine, theirs, b))
    for name in FREE_TEXT_FIELDS:
        if name in remote:
            merged[name] = merge_text(base.get(name) or "", local.get(name) or "",
                                      remote[name] or "", remote_label)
    return merged, conflicts


def merge_text(base: str, local: str, remote: str, remote_label: str) -> str:
    if remote == base or remote in local:
        return local
    if local == base:
        return remote
    return f"{local}\n\n[{remote_label}] {remote}"
