"""Merge and split identities: reviewer actions, audited as combination (DPA 2018 s.62), undoable.

A merge moves every appearance of one identity into another and re-points its judgements; a
split moves chosen appearances into a new identity that inherits the judgements and is judged
"not a match" with the rest. Each is an IdentityChange holding what it did, so undo can put it
back exactly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from ncb.services.identities import judgements
from ncb.store import audit
from ncb.store import identities as store_identities
from ncb.store.models import Entity, Identity, IdentityChange, IdentityJudgement, IdentityMember


def _check(p: Principal, reason: str) -> str:
    if not p.has("hit.review"):
        raise Forbidden("your role may not combine or separate identities",
                        rule="permission:hit.review")
    if len((reason or "").strip()) < 5:
        raise InvalidInput("reason: state why (at least 5 characters)", field="reason",
                           rule="required_for_combination")
    return reason.strip()


def active(session: Session, identity_id: int, field: str = "identity_id") -> Identity:
    ident = session.get(Identity, identity_id)
    if ident is None:
        raise NotFound(f"no identity {identity_id}")
    if ident.merged_into_id is not None:
        raise Conflict(f"identity {identity_id} was merged into {ident.merged_into_id}",
                       field=field, rule="identity_active")
    return ident


def members(session: Session, identity_id: int) -> list[int]:
    """Every appearance, visible or not: a merge or split moves them all, and undo must too."""
    return store_identities.member_ids(session, identity_id)


def visible_members(session: Session, identity_id: int) -> list[int]:
    """Appearances of the identity the session's caller may see (the access filter applies)."""
    return list(session.scalars(select(Entity.id).join(
        IdentityMember, IdentityMember.entity_id == Entity.id)
        .where(IdentityMember.identity_id == identity_id).order_by(Entity.id)))


def _must_see(session: Session, identity_id: int, field: str) -> None:
    if not visible_members(session, identity_id):
        raise NotFound(f"no identity {identity_id} you may see", field=field)


def _row(j: IdentityJudgement) -> dict[str, Any]:
    return {"a": j.a_identity_id, "b": j.b_identity_id, "decision": j.decision,
            "by": j.decided_by, "a_entity": j.a_entity_id, "b_entity": j.b_entity_id}


def merge(session: Session, p: Principal, keep_id: int, gone_id: int, reason: str, *,
          override: bool = False, confirm: bool = False) -> IdentityChange:
    """Merge `gone_id` into `keep_id`. `override`: a reviewer's match replaces a no-match."""
    why = _check(p, reason)
    if keep_id == gone_id:
        raise InvalidInput("cannot merge an identity with itself", field="other_identity_id",
                           rule="distinct")
    keep, gone = active(session, keep_id), active(session, gone_id, "other_identity_id")
    if keep.kind != gone.kind:
        raise InvalidInput(f"a {gone.kind} cannot be merged into a {keep.kind}",
                           field="other_identity_id", rule="same_kind")
    _must_see(session, keep_id, "identity_id")
    _must_see(session, gone_id, "other_identity_id")
    existing = judgements.between(session, keep_id, gone_id)
    details: dict[str, Any] = {"repointed": [], "dropped": [], "added": []}
    if existing is not None and existing.decision == "no_match" and not override:
        raise Conflict(f"identities {keep_id} and {gone_id} were judged not a match; "
                       "review the hit to change that", field="other_identity_id",
                       rule="judged_no_match")
    if existing is not None:
        details["dropped"].append(_row(existing))
        session.delete(existing)
        session.flush()
    moved = members(session, gone_id)
    for j in judgements.of_identity(session, gone_id):
        a = keep_id if j.a_identity_id == gone_id else j.a_identity_id
        b = keep_id if j.b_identity_id == gone_id else j.b_identity_id
        clash = judgements.between(session, a, b)
        if clash is not None and clash.decision != j.decision:
            raise Conflict(f"identity {clash.a_identity_id}/{clash.b_identity_id} was judged "
                           f"{clash.decision}, identity {gone_id} {j.decision}: settle that first",
                           field="other_identity_id", rule="conflicting_judgements")
        if clash is not None:
            details["dropped"].append(_row(j))
            session.delete(j)
        else:
            details["repointed"].append({"id": j.id, **_row(j)})
            j.a_identity_id, j.b_identity_id = sorted((a, b))
        session.flush()
    session.execute(update(IdentityMember).where(IdentityMember.identity_id == gone_id)
                    .values(identity_id=keep_id))
    now = datetime.now(UTC)
    gone.merged_into_id, gone.updated_at, keep.updated_at = keep_id, now, now
    if confirm:
        added = judgements.put(session, keep_id, keep_id, "match", p.user_id)
        details["added"].append(added.id)
    change = IdentityChange(action="merge", identity_id=keep_id, other_identity_id=gone_id,
                            entity_ids=moved, details=details, reason=why, author_id=p.user_id,
                            at=now)
    session.add(change)
    session.flush()
    audit.record(session, p, "combination", "identity", keep_id, justification=why,
                 details={"merge": gone_id, "appearances": moved, "change": change.id})
    return change


def split(session: Session, p: Principal, identity_id: int, entity_ids: list[int],
          reason: str) -> IdentityChange:
    """Move the chosen appearances into a new identity, judged not a match with the rest."""
    why = _check(p, reason)
    ident = active(session, identity_id)
    chosen = sorted(set(entity_ids))
    current = set(members(session, identity_id))
    visible = set(visible_members(session, identity_id))
    bad = [e for e in chosen if e not in current or e not in visible]
    if not chosen or bad:
        raise InvalidInput(f"entity_ids: {bad or 'none'} not appearances of identity "
                           f"{identity_id} you may see", field="entity_ids", rule="members")
    if len(chosen) == len(current):
        raise InvalidInput("entity_ids: leave at least one appearance behind",
                           field="entity_ids", rule="proper_subset")
    now = datetime.now(UTC)
    new = Identity(kind=ident.kind, created_at=now, updated_at=now)
    session.add(new)
    session.flush()
    session.execute(update(IdentityMember).where(IdentityMember.entity_id.in_(chosen))
                    .values(identity_id=new.id))
    copied = []
    for j in judgements.of_identity(session, identity_id):
        if j.a_identity_id == j.b_identity_id:
            continue  # "confirmed as one" does not carry to the part split off
        other = j.b_identity_id if j.a_identity_id == identity_id else j.a_identity_id
        copied.append(judgements.put(session, new.id, other, j.decision, j.decided_by,
                                     j.a_entity_id, j.b_entity_id).id)
    apart = judgements.put(session, identity_id, new.id, "no_match", p.user_id)
    change = IdentityChange(action="split", identity_id=identity_id, other_identity_id=new.id,
                            entity_ids=chosen, details={"added": [apart.id, *copied]},
                            reason=why, author_id=p.user_id, at=now)
    session.add(change)
    session.flush()
    audit.record(session, p, "combination", "identity", identity_id, justification=why,
                 details={"split_into": new.id, "appearances": chosen, "change": change.id})
    return change


def undo(session: Session, p: Principal, change_id: int, reason: str) -> IdentityChange:
    """Reverse a merge or split exactly (appearances and judgements); audited like the change."""
    why = _check(p, reason)
    change = session.get(IdentityChange, change_id)
    if change is None:
        raise NotFound(f"no identity change {change_id}")
    if change.undone_at is not None:
        raise Conflict(f"change {change_id} was already undone", rule="undo_once")
    _must_see(session, change.identity_id, "change_id")
    d = change.details or {}
    session.execute(delete(IdentityJudgement).where(IdentityJudgement.id.in_(d.get("added", []))))
    now = datetime.now(UTC)
    if change.action == "merge":
        gone = session.get(Identity, change.other_identity_id)
        assert gone is not None
        gone.merged_into_id, gone.updated_at = None, now
        session.execute(update(IdentityMember)
                        .where(IdentityMember.entity_id.in_(change.entity_ids),
                               IdentityMember.identity_id == change.identity_id)
                        .values(identity_id=gone.id))
        for r in d.get("repointed", []):
            session.execute(update(IdentityJudgement).where(IdentityJudgement.id == r["id"])
                            .values(a_identity_id=r["a"], b_identity_id=r["b"]))
        for r in d.get("dropped", []):
            judgements.put(session, r["a"], r["b"], r["decision"], r["by"], r["a_entity"],
                           r["b_entity"])
    else:
        part = session.get(Identity, change.other_identity_id)
        assert part is not None
        session.execute(update(IdentityMember)
                        .where(IdentityMember.identity_id == part.id)
                        .values(identity_id=change.identity_id))
        session.execute(delete(IdentityJudgement).where(
            (IdentityJudgement.a_identity_id == part.id)
            | (IdentityJudgement.b_identity_id == part.id)))
        part.merged_into_id, part.updated_at = change.identity_id, now
    change.undone_at, change.undone_by, change.undo_reason = now, p.user_id, why
    session.flush()
    audit.record(session, p, "combination", "identity", change.identity_id, justification=why,
                 details={"undo": change.id, "action": change.action})
    return change
