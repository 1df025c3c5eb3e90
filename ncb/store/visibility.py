"""The visibility rule of a marked row as SQL, over an ORM class or any alias of its table.

ncb.store.access filters marked classes with it; ncb.store.children filters the rows without
markings (events, tasks, hits, links...) through the marked record each belongs to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_
from sqlalchemy.sql.elements import ColumnElement

from ncb.store.models import Share


def marked_visible(row: Any, kind: str, agency: int, clearance_rank: int,
                   group_ids: tuple[int, ...], share: Any = None) -> ColumnElement[bool]:
    """`row` (an ORM class or a table alias's `.c`) is visible to the caller described.

    `share`: the shares table (or an alias of it) to look named sharing up in.
    """
    sh = share if share is not None else Share
    shared = exists().where(
        sh.record_kind == kind, sh.record_id == row.id, sh.agency_id == agency
    )
    scope = or_(
        row.owner_agency_id == agency,
        row.originator_agency_id == agency,
        and_(row.sharing_scope == "group", row.sharing_group_id.in_(list(group_ids) or [-1])),
        shared,
    )
    return and_(row.classification_rank <= clearance_rank, scope)
