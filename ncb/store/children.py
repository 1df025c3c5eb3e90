"""Rows without markings of their own, visible only through the marked records they belong to.

A case event, task, deadline, hit, case-entity link, tip message, warrant event, search key,
identity membership or identity key carries content (a filename, a note's id and time, a hit's
features, a passport number) but no markings. The access filter (ncb.store.access) adds, to
every query touching one of these tables, an EXISTS on each marked parent named here with the
parent's visibility rule, so a child row is seen only when its records are. It applies with
`skip_access` too: that flag lifts the filter of marked rows only. The one way past it is
`ALL_ROWS`, for named store functions (ncb.store.hidden).

A case event may also name the record it is about in its data (`note_id`, `attachment_id`,
`alert`...): then that record must be visible as well, so the timeline does not show the time
of a SECRET note or the filename of an attachment not shared with the caller. An event about a
record that no longer exists (an erased alert) stays visible with its case.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, String, and_, cast, exists, false, func, literal_column, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from ncb.store.models import (
    Alert,
    Appeal,
    Attachment,
    Case,
    CaseEntity,
    CaseEvent,
    Deadline,
    Entity,
    Hit,
    IdentityKey,
    IdentityMember,
    Message,
    Note,
    Notice,
    RetentionReview,
    SearchKey,
    Share,
    SireneForm,
    SubjectAccessRequest,
    Task,
    Tip,
    TipMessage,
    Warrant,
    WarrantEvent,
)
from ncb.store.visibility import marked_visible

# Execution option: the child filter is lifted too (named store functions only).
ALL_ROWS = "all_rows"


@dataclass(frozen=True)
class Via:
    """One marked record a child row belongs to."""

    parent: Any
    column: str = ""  # the child's column holding the parent's id (always set)
    json_key: str = ""  # or: the key of the child's JSON `data` naming it (may be absent)
    parent_key: str = "id"  # the parent column matched (a reference for some event keys)
    kind: str = ""  # polymorphic children: the child's record_kind value for this parent
    # An unmarked record between child and parent: (its model, its column naming the parent);
    # the child's column then holds that record's id (an appeal's review, seen with its case).
    through: tuple[Any, str] | None = None


_EVENT_SUBJECTS = (
    Via(Note, json_key="note_id"), Via(Message, json_key="message_id"),
    Via(Attachment, json_key="attachment_id"), Via(Warrant, json_key="warrant_id"),
    Via(Notice, json_key="notice"), Via(Tip, json_key="tip"),
    Via(Alert, json_key="alert", parent_key="schengen_id"),
    Via(SireneForm, json_key="form", parent_key="reference"),
)

LINKS: dict[Any, tuple[Via, ...]] = {
    CaseEvent: (Via(Case, "case_id"), *_EVENT_SUBJECTS),
    Task: (Via(Case, "case_id"),),
    Deadline: (Via(Case, "case_id"),),
    Hit: (Via(Case, "case_id"), Via(Entity, "query_entity_id"), Via(Entity, "target_entity_id")),
    CaseEntity: (Via(Case, "case_id"), Via(Entity, "entity_id")),
    TipMessage: (Via(Tip, "tip_id"),),
    WarrantEvent: (Via(Warrant, "warrant_id"),),
    SearchKey: (Via(Case, "record_id", kind="case"), Via(Entity, "record_id", kind="entity")),
    # Data protection (ncb/store/models/data_protection.py): reviewers' reasons, requesters'
    # particulars and disclosure decisions, seen only with the record they are about.
    RetentionReview: (Via(Case, "record_id", kind="case"), Via(Notice, "record_id", kind="notice"),
                      Via(Alert, "record_id", kind="alert"), Via(Tip, "record_id", kind="tip"),
                      Via(Case, "record_id", kind="appeal", through=(Appeal, "case_id"))),
    SubjectAccessRequest: (Via(Case, "case_id"),),
    # Identities (ncb/store/models/identities.py): an appearance's membership (how, why, by whom
    # it was joined) and its identifiers (passport, phone, IBAN) go with the entity; resolution
    # reads them all through ncb.store.identities.
    IdentityMember: (Via(Entity, "entity_id"),),
    IdentityKey: (Via(Entity, "entity_id"),),
}
CHILD_TABLES: dict[str, Any] = {cls.__tablename__: cls for cls in LINKS}


def child_clause(cls: Any, agency: int | None, clearance_rank: int,
                 group_ids: tuple[int, ...], dialect: str = "sqlite",
                 team_id: int | None = None) -> ColumnElement[bool]:
    """Rows of child class `cls` the caller may see; `agency` None: no caller, no rows (the
    public site reads a tip's thread through ncb.store.tips.thread, a named bypass)."""
    if agency is None:
        return false()
    return _child_clause(cls, (agency, clearance_rank, group_ids, team_id), dialect)


Caller = tuple[int, int, tuple[int, ...], int | None]  # agency, clearance rank, groups, team


@lru_cache(maxsize=4096)
def _child_clause(cls: Any, who: Caller, dialect: str) -> ColumnElement[bool]:
    # Cached like the marked clause: built once per caller shape, reused by every query.
    required: list[ColumnElement[bool]] = []
    polymorphic: list[ColumnElement[bool]] = []
    for via in LINKS[cls]:
        if via.kind:
            polymorphic.append(and_(cls.record_kind == literal_column(f"'{via.kind}'"),
                                    _through_visible(via, getattr(cls, via.column), who)))
        elif via.json_key:
            required.append(_subject_visible(cls, via, who, dialect))
        else:
            required.append(_parent_visible(via, getattr(cls, via.column), who))
    if polymorphic:
        required.append(or_(*polymorphic))
    return and_(*required)


def _through_visible(via: Via, key: Any, who: Caller) -> ColumnElement[bool]:
    if via.through is None:
        return _parent_visible(via, key, who)
    bridge = aliased(via.through[0].__table__)
    return exists().where(bridge.c.id == key, _parent_visible(via, bridge.c[via.through[1]], who)
                          ).correlate_except(bridge)


def _parent_visible(via: Via, key: Any, who: Caller) -> ColumnElement[bool]:
    # Aliases, so the EXISTS never correlates with the same table in the outer query.
    parent = aliased(via.parent.__table__)
    share = aliased(Share.__table__)
    agency, rank, groups, team = who
    visible = marked_visible(parent.c, via.parent.__record_kind__, agency, rank, groups, share.c,
                             team)
    return exists().where(parent.c[via.parent_key] == key, visible).correlate_except(
        parent, share)


def _subject_visible(cls: Any, via: Via, who: Caller, dialect: str) -> ColumnElement[bool]:
    anyone = aliased(via.parent.__table__)
    absent = ~exists().where(anyone.c[via.parent_key] == _json_key(cls, via, dialect)
                             ).correlate_except(anyone)
    return or_(_json_key(cls, via, dialect).is_(None), absent,
               _parent_visible(via, _json_key(cls, via, dialect), who))


def _json_key(cls: Any, via: Via, dialect: str) -> Any:
    """The event data's value under `via.json_key`, with the path as an SQL literal: a bound
    parameter per lookup would cost a match at every execution (see ncb.store.visibility)."""
    name = via.json_key
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not an identifier: {name!r}")
    if dialect == "postgresql":
        value = cls.data.op("->>")(literal_column(f"'{name}'"))
    else:
        value = func.json_extract(cls.data, literal_column(f"'$.\"{name}\"'"))
    return cast(value, Integer) if via.parent_key == "id" else cast(value, String)
