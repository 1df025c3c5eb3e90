"""Row-level access below the API: every ORM SELECT of a Marked class is filtered.

A session carries its caller in `session.info["principal"]`. Without one, queries on marked
records return nothing (secure by default). Rows without markings that belong to a marked
record (events, tasks, hits, links: ncb.store.children) are filtered through that record.
Raw SQL bypasses this, so it stays in the store.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import event, false, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql.elements import ColumnElement

from ncb.domain.policy import Marking, Principal
from ncb.store.children import ALL_ROWS, CHILD_TABLES, child_clause
from ncb.store.models import Marked, Share
from ncb.store.visibility import marked_visible

PRINCIPAL = "principal"


def visible_clause(cls: Any, p: Principal) -> ColumnElement[bool]:
    """The SQL twin of ncb.domain.policy.can_see."""
    return _visible_clause(cls, p.agency_id, p.clearance_rank, tuple(sorted(p.group_ids)),
                           p.team_id)


@lru_cache(maxsize=4096)
def _visible_clause(
    cls: Any, agency: int, clearance_rank: int, group_ids: tuple[int, ...], team_id: int | None
) -> ColumnElement[bool]:
    # Cached: building the clause costs more than running a small query.
    return marked_visible(cls, cls.__record_kind__, agency, clearance_rank, group_ids, Share,
                          team_id)


@event.listens_for(Session, "do_orm_execute")
def _filter_marked(state: ORMExecuteState) -> None:
    options = state.execution_options
    if not state.is_select or options.get(ALL_ROWS, False):
        return
    principal: Principal | None = state.session.info.get(PRINCIPAL)
    if principal is not None and principal.system:
        return
    marked, children = _touched_classes(state)
    # Criteria for every marked class the statement touches anywhere: selected entities,
    # joins, subqueries and aliases (found by walking its tables), so none can slip through.
    # `skip_access` lifts this part only: rows without markings are still seen only through
    # their marked records (ncb.store.children).
    if not options.get("skip_access", False):
        for cls in marked:
            clause = false() if principal is None else visible_clause(cls, principal)
            state.statement = state.statement.options(
                with_loader_criteria(cls, clause, include_aliases=True)
            )
    dialect = state.session.get_bind().dialect.name if children else ""
    for cls in children:
        if principal is None:
            clause = child_clause(cls, None, 0, ())
        else:
            clause = child_clause(cls, principal.agency_id, principal.clearance_rank,
                                  tuple(sorted(principal.group_ids)), dialect,
                                  principal.team_id)
        state.statement = state.statement.options(
            with_loader_criteria(cls, clause, include_aliases=True)
        )


def _touched_classes(state: ORMExecuteState) -> tuple[list[Any], list[Any]]:
    """(marked classes, child classes) the statement reads, anywhere in it."""
    by_table = _marked_by_table()
    marked = {m.class_ for m in state.all_mappers if m.class_ in by_table.values()}
    children = {m.class_ for m in state.all_mappers if m.class_ in CHILD_TABLES.values()}
    statement: Any = state.statement
    for table in sql_util.find_tables(statement, check_columns=True, include_joins=True,
                                      include_selects=True, include_aliases=True):
        name = getattr(table, "name", "")
        if name in by_table:
            marked.add(by_table[name])
        elif name in CHILD_TABLES:
            children.add(CHILD_TABLES[name])
    return list(marked), list(children)


@lru_cache
def _marked_by_table() -> dict[str, Any]:
    return {cls.__tablename__: cls for cls in _marked_classes()}


def _marked_classes() -> list[Any]:
    found: list[Any] = []
    todo = list(Marked.__subclasses__())
    while todo:
        cls = todo.pop()
        if hasattr(cls, "__table__") and cls not in found:
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def marking_of(session: Session, record: Any) -> Marking:
    shared = session.scalars(
        select(Share.agency_id).where(
            Share.record_kind == record.__record_kind__, Share.record_id == record.id
        )
    ).all()
    return Marking(
        classification=record.classification,
        classification_rank=record.classification_rank,
        owner_agency_id=record.owner_agency_id,
        originator_agency_id=record.originator_agency_id,
        sharing_scope=record.sharing_scope,
        sharing_group_id=record.sharing_group_id,
        sharing_team_id=record.sharing_team_id,
        shared_agency_ids=frozenset(shared),
        handling_code=record.handling_code,
        handling_conditions=record.handling_conditions,
        tlp=record.tlp,
    )
