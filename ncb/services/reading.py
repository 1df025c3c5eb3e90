"""Opening a record: the access decision, the justification rule and the consultation log."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal, needs_justification
from ncb.services.errors import JustificationRequired, NotFound
from ncb.store import audit, cases, refusals
from ncb.store.access import marking_of
from ncb.store.ids import parse_id
from ncb.store.models import Case

T = TypeVar("T")


def load_visible(session: Session, p: Principal, cls: type[T], rid: int, kind: str) -> T:
    """The record if the caller may see it, else 404: one answer (status, body, work done) for
    a hidden record and an absent one, so ids cannot be counted by walking numbers. The
    refusal and its reasons go to the audit log (ncb.store.refusals), not to the caller."""
    found = session.get(cls, rid)
    if found is not None:
        return found
    refusals.refuse(session, p, cls, kind, rid, str(rid))
    raise NotFound(f"no {kind} {rid}")


def case_by_ref(session: Session, p: Principal, ref: str) -> Case:
    rid = parse_id(ref) if ref.isascii() and ref.isdigit() else cases.id_of_reference(session, ref)
    # An unknown reference runs the same queries as a hidden one (id -1 is no case), so the
    # time of the answer does not tell them apart (bench.access_timing).
    found = session.get(Case, -1 if rid is None else rid)
    if found is not None:
        return found
    refusals.refuse(session, p, Case, "case", rid, ref)
    raise NotFound(f"no case {ref}")


def case_children(session: Session, p: Principal, ref: str, model: Any) -> list[Any]:
    """A visible case's notes, tasks, messages, attachments or events, oldest first.

    Marked children are filtered for the caller like every other query.
    """
    case = case_by_ref(session, p, ref)
    return list(session.scalars(select(model).where(model.case_id == case.id)
                                .order_by(model.id)))


def open_case(session: Session, p: Principal, ref: str, justification: str | None) -> Case:
    """Consult a case: OFFICIAL-SENSITIVE and above need a stated justification, and it is logged."""
    case = case_by_ref(session, p, ref)
    if needs_justification(marking_of(session, case)) and not (justification or "").strip():
        raise JustificationRequired(
            f"case {case.reference} is marked {case.classification}: state why you open it",
            field="justification", rule="required_for_sensitive", classification=case.classification,
        )
    audit.record(session, p, "consultation", "case", case.reference,
                 justification=(justification or None))
    return case
