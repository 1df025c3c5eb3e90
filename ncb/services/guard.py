"""Permission checks for writes: every use case that changes something asks here first.

Seeing a record (the access filter) is not the right to change it. A partner agency's user may
see a bureau case shared with it; it may add to its own requests (notes, files) but not work the
bureau's case, name another agency as the originator of what it stores, or pass on what it
did not originate. Each refusal is a 403 naming the permission it lacks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.errors import Forbidden
from ncb.store.access import marking_of
from ncb.store.models import SharingGroupMember


def need(p: Principal, perm: str, why: str | None = None) -> None:
    if not p.has(perm):
        raise Forbidden(why or f"your role lacks the permission {perm}", rule=f"permission:{perm}")


def own_request(p: Principal, case: Any) -> bool:
    """The case is a request the caller's agency sent (it originated or requested it)."""
    return p.agency_id in (case.originator_agency_id, case.requesting_agency_id)


def need_case_write(p: Principal, case: Any, perm: str) -> None:
    """`perm`, and either `case.work` (bureau staff) or the case is the caller's own request."""
    need(p, perm)
    if not p.has("case.work") and not own_request(p, case):
        need(p, "case.work", f"case {case.reference} is not a request of your agency: adding "
             "to it needs the permission case.work")


def audience(session: Session, record: Any) -> set[int]:
    """Agency ids that may already see `record` by its sharing (clearance aside)."""
    mk = marking_of(session, record)
    ids = {mk.owner_agency_id, mk.originator_agency_id, *mk.shared_agency_ids}
    if mk.sharing_scope == "group" and mk.sharing_group_id is not None:
        ids.update(session.scalars(select(SharingGroupMember.agency_id).where(
            SharingGroupMember.group_id == mk.sharing_group_id)))
    return ids


def check_new_sharing(
    session: Session, p: Principal, share_ids: list[int], scope: str, group_id: int | None,
    parent: Any | None,
) -> None:
    """Without `record.share`, a record added under `parent` reaches no one the parent doesn't.

    A new top-level record (a partner's own request) is the sender's own information: it may
    share it as it likes.
    """
    if parent is None or getattr(parent, "id", None) is None or p.has("record.share"):
        return  # no parent, or one arriving in the same request (a new case's entities)
    if scope == "group" and not (parent.sharing_scope == "group"
                                 and parent.sharing_group_id == group_id):
        need(p, "record.share", "sharing with a group the parent record is not shared with "
             "needs the permission record.share")
    wider = set(share_ids) - audience(session, parent)
    if wider:
        need(p, "record.share", "sharing with agencies that cannot see the parent record "
             "needs the permission record.share")


def check_originator(p: Principal, originator_id: int) -> None:
    if not p.system and originator_id != p.agency_id:
        need(p, "record.originator", "naming another agency as originator needs the "
             "permission record.originator")


def check_disclosure(p: Principal, originator_id: int) -> None:
    """Passing on an existing record: the originator may; anyone else needs `record.share`."""
    if p.system or originator_id == p.agency_id:
        return
    need(p, "record.share", "passing on a record your agency did not originate needs the "
         "permission record.share")
