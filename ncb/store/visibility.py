"""The visibility rule of a marked row as SQL, over an ORM class or any alias of its table.

ncb.store.access filters marked classes with it; ncb.store.children filters the rows without
markings (events, tasks, hits, links...) through the marked record each belongs to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, literal_column, or_
from sqlalchemy.sql.elements import ColumnElement

from ncb.store.models import Share


def marked_visible(row: Any, kind: str, agency: int, clearance_rank: int,
                   group_ids: tuple[int, ...], share: Any = None,
                   team_id: int | None = None) -> ColumnElement[bool]:
    """`row` (an ORM class or a table alias's `.c`) is visible to the caller described.

    `share`: the shares table (or an alias of it) to look named sharing up in.
    """
    sh = share if share is not None else Share
    # Constants are SQL literals, not bound parameters: every bound parameter of the criteria
    # costs a lookup at each execution (SQLAlchemy matches its annotated copies one by one).
    shared = exists().where(
        sh.record_kind == _text(kind), sh.record_id == row.id, sh.agency_id == agency
    )
    # Scope "team": in the owner agency only that team sees it (the originator, if another
    # agency, still does).
    in_team = or_(row.sharing_scope != _text("team"), row.sharing_team_id == (team_id or -1))
    scope = or_(
        and_(row.owner_agency_id == agency, in_team),
        and_(row.originator_agency_id == agency, row.owner_agency_id != agency),
        and_(row.sharing_scope == _text("group"),
             row.sharing_group_id.in_(list(group_ids) or [-1])),
        shared,
    )
    return and_(row.classification_rank <= clearance_rank, scope)


def _text(value: str) -> ColumnElement[str]:
    """A fixed identifier (record kind, scope name) as an SQL literal; never caller input."""
    if not value.replace("_", "").isalnum():
        raise ValueError(f"not an identifier: {value!r}")
    return literal_column(f"'{value}'")
