"""A record created without markings of its own is shared as its parent is, from its first flush.

Markings live in columns (copied by ncb.services.marking.copy_markings), but sharing with named
agencies lives in rows of `shares`: a note added to a case shared with US-FBI, a notice or a
warrant opened under it, must be shared with US-FBI too, or the partner who sees the case sees
none of what was added to it. `inherit_shares` notes the parent on the new child; when the child
is flushed (and so has its id) the parent's share rows are copied to it, in the same
transaction. A child given markings of its own is not touched: its markings say who sees it.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, event, insert, select
from sqlalchemy.orm import Session

from ncb.store.models import Share, utcnow

_PARENT = "_ncb_shares_of"  # attribute on a new child: the record whose shares it takes
_SHARES = cast(Table, Share.__table__)


def inherit_shares(child: Any, parent: Any) -> None:
    """When `child` is first flushed, give it the share rows `parent` has at that moment."""
    child.__dict__[_PARENT] = parent


def copy_shares(session: Session, child_kind: str, child_id: int, parent: Any) -> None:
    """Copy `parent`'s share rows to the child (for rows inserted without the ORM)."""
    conn = session.connection()
    rows = conn.execute(
        select(_SHARES.c.agency_id, _SHARES.c.shared_by, _SHARES.c.conditions).where(
            _SHARES.c.record_kind == parent.__record_kind__, _SHARES.c.record_id == parent.id
        )
    ).all()
    if rows:
        now = utcnow()
        conn.execute(
            insert(_SHARES),
            [
                {
                    "record_kind": child_kind,
                    "record_id": child_id,
                    "agency_id": agency_id,
                    "shared_by": by,
                    "conditions": conditions,
                    "shared_at": now,
                }
                for agency_id, by, conditions in rows
            ],
        )


@event.listens_for(Session, "after_flush")
def _copy_parent_shares(session: Session, _context: Any) -> None:
    # after_flush: the children have their ids, and `session.new` still lists them.
    for obj in list(session.new):
        parent = obj.__dict__.pop(_PARENT, None)
        if parent is not None and parent.id is not None:
            copy_shares(session, obj.__record_kind__, obj.id, parent)
