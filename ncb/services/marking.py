"""Apply validated markings to a record, and check the caller may actually set them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import guard, lookup
from ncb.services.errors import Forbidden, InvalidInput
from ncb.services.inputs import MarkingsIn
from ncb.store.inherit import inherit_shares
from ncb.store.models import Share


def apply(
    session: Session, p: Principal, record: Any, m: MarkingsIn, owner_agency_id: int,
    parent: Any | None = None,
) -> list[int]:
    """Set markings on `record` (before flush); return agency ids to share with by name.

    The caller may name another originator, or share wider than `parent`, only with the
    permissions for it (ncb.services.guard).
    """
    rank = load_rules().classifications[m.classification].rank
    if not p.system and rank > p.clearance_rank:
        raise Forbidden(
            f"you cannot create a record marked {m.classification} above your clearance",
            field="markings.classification", rule="clearance",
        )
    record.classification = m.classification
    record.classification_rank = rank
    record.handling_code = m.handling_code
    record.handling_conditions = m.handling_conditions
    record.tlp = m.tlp
    record.source_grade = m.source_grade
    record.intel_grade = m.intel_grade
    record.owner_agency_id = owner_agency_id
    if m.originator:
        record.originator_agency_id = lookup.agency(session, m.originator, "markings.originator").id
        guard.check_originator(p, record.originator_agency_id)
    else:
        record.originator_agency_id = p.agency_id if not p.system else owner_agency_id
    record.sharing_scope = m.sharing_scope
    record.sharing_group_id = (
        lookup.group(session, m.sharing_group).id if m.sharing_group else None
    )
    record.sharing_team_id = None
    if m.sharing_scope == "team" and m.sharing_team:
        team = lookup.team(session, m.sharing_team, "markings.sharing_team")
        if team.agency_id != owner_agency_id:
            raise InvalidInput(f"markings.sharing_team: team {m.sharing_team} is not of the "
                               "agency that holds the record", field="markings.sharing_team",
                               rule="owner_team")
        record.sharing_team_id = team.id
    share_ids = [
        lookup.agency(session, code, f"markings.share_with[{i}]").id
        for i, code in enumerate(m.share_with)
    ]
    guard.check_new_sharing(session, p, share_ids, m.sharing_scope, record.sharing_group_id,
                            parent)
    return share_ids


def add_shares(
    session: Session, record: Any, agency_ids: list[int], by: int | None, conditions: str | None
) -> None:
    for aid in agency_ids:
        session.add(Share(record_kind=record.__record_kind__, record_id=record.id, agency_id=aid,
                          shared_by=by, conditions=conditions))


def add_marked(
    session: Session, p: Principal, record: Any, markings: MarkingsIn | None, parent: Any
) -> Any:
    """Mark a new record (its own markings, or else its parent's), insert it, share it."""
    shares: list[int] = []
    if markings is not None:
        shares = apply(session, p, record, markings, parent.owner_agency_id, parent)
    else:
        copy_markings(parent, record)
    session.add(record)
    session.flush()
    add_shares(session, record, shares, p.user_id, record.handling_conditions)
    return record


def copy_markings(src: Any, dst: Any) -> None:
    """`dst` is marked as `src` and, once flushed, shared with the agencies `src` is shared with
    by name (ncb.store.inherit), so whoever sees the parent sees what was added under it."""
    if hasattr(type(dst), "__table__"):  # an ORM record (intake's Core rows copy their own)
        inherit_shares(dst, src)
    for col in ("classification", "classification_rank", "handling_code", "handling_conditions",
                "tlp", "source_grade", "intel_grade", "owner_agency_id", "originator_agency_id",
                "sharing_scope", "sharing_group_id", "sharing_team_id"):
        setattr(dst, col, getattr(src, col))
