"""Release: what one recipient may receive, per object and per embedded reference.

The root object (the case being shared) passes `can_receive`. Every other object must also
already be shared with the recipient (by name or group: what the recipient could see had
it signed in here) and its parent must be released; references to anything withheld are
dropped, so nothing inside a released object points at, or reveals, what stayed behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ncb.domain.policy import Decision, Marking, Principal, Recipient, can_receive, can_see


@dataclass(frozen=True)
class Item:
    key: str
    marking: Marking
    parent: str | None = None
    refs: tuple[str, ...] = ()
    provider_permission: bool = False


def recipient_sees(r: Recipient, m: Marking) -> Decision:
    """Would the recipient agency see this record here (the policy's own can_see)?"""
    viewer = Principal(user_id=None, username=r.agency_code, agency_id=r.agency_id,
                       agency_code=r.agency_code, clearance_rank=r.max_classification_rank,
                       group_ids=r.group_ids)
    return can_see(viewer, m)


def decide(items: Iterable[Item], r: Recipient, sharer_agency_id: int, root: str) -> dict[str, Decision]:
    """One decision per item; parents are decided before their children."""
    todo = list(items)
    out: dict[str, Decision] = {}
    while todo:
        progressed = False
        for item in list(todo):
            if item.parent is not None and item.parent not in out:
                continue
            todo.remove(item)
            progressed = True
            out[item.key] = _one(item, r, sharer_agency_id, root, out)
        if not progressed:  # a parent not in the set: its children stay behind
            for item in todo:
                out[item.key] = Decision(False, ("its parent record is not part of this release",))
            break
    return out


def _one(item: Item, r: Recipient, sharer: int, root: str, done: dict[str, Decision]) -> Decision:
    if item.parent is not None and not done[item.parent].allowed:
        return Decision(False, ("its parent record is withheld",))
    d = can_receive(r, item.marking, sharer, item.provider_permission)
    if not d.allowed or item.key == root:
        return d
    seen = recipient_sees(r, item.marking)
    if not seen.allowed:
        return Decision(False, ("not shared with the recipient", *seen.reasons))
    return d


def kept_refs(refs: Iterable[str], released: set[str]) -> list[str]:
    return [ref for ref in refs if ref in released]
