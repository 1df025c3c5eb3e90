"""Refused consultations: an attempt to open a record that is hidden from the caller, or absent.

The caller gets one answer for both (404, the same body: ncb.services.reading); the audit log
gets the truth: who tried, which record, and why it was refused ("record was not shared with
your agency", "record is SECRET; your clearance is below it", "no such record"). Absent ids are
logged too, so walking numbers shows in the log, and so both paths do the same work.

The refusal ends the use case with an error, which rolls its transaction back: the entry is
kept aside on the session and written by ncb.store.db.transaction after the rollback (or with
the commit, if the caller went on), in a transaction of its own.

Fail closed: if that write fails (twice: once more for a passing lock or serialisation error),
the request must not end as if it had been logged. `RefusalNotRecorded` is raised instead of
the refusal's own error (ncb.services.context turns it into a 503 problem, the same for a
hidden and an absent record), and the entry (who, what, why) goes to the error log, the one
record left outside the database (docs/security.md, "When a refusal cannot be logged").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Marking, Principal, can_see
from ncb.store import audit
from ncb.store.access import PRINCIPAL
from ncb.store.hidden import UNFILTERED
from ncb.store.models import Share

PENDING = "refused_consultations"
_MARKING = ("classification", "classification_rank", "owner_agency_id", "originator_agency_id",
            "sharing_scope", "sharing_group_id", "sharing_team_id", "handling_code",
            "handling_conditions", "tlp")
_NO_RECORD = Marking(classification="", classification_rank=99, owner_agency_id=-1,
                     originator_agency_id=-1)
ACTION = "refused"
ABSENT = "no such record"


def refuse(session: Session, p: Principal, cls: Any, kind: str, rid: int | None,
           asked: str) -> None:
    """Note a refused attempt to open `kind` `asked` (id `rid`, None if the reference is unknown).

    The same queries run whether or not the record exists, so the answer's timing says nothing.
    """
    # The marking columns only (a whole record would load its relations too: more queries
    # than for an absent one); an unknown reference looks up id -1, the same query.
    row = session.execute(select(*(getattr(cls, c) for c in _MARKING))
                          .where(cls.id == (-1 if rid is None else rid))
                          .execution_options(**UNFILTERED)).first()
    shared = frozenset(session.scalars(select(Share.agency_id).where(
        Share.record_kind == cls.__record_kind__, Share.record_id == (-1 if row is None else rid))))
    # The policy is asked either way (about no one's record when there is none): same work.
    marking = _NO_RECORD if row is None else Marking(**row._asdict(), shared_agency_ids=shared)
    decided = [r for r in can_see(p, marking).reasons if "not" in r or "below" in r]
    reasons = [ABSENT] if row is None else decided
    session.info.setdefault(PENDING, []).append(
        audit.Pending(ACTION, kind, asked, {"attempt": "consultation", "reasons": reasons}))


class RefusalNotRecorded(Exception):
    """A refused consultation could not be written to the audit log."""

    def __init__(self, entries: list[audit.Pending]) -> None:
        super().__init__(f"{len(entries)} refused consultation(s) not in the audit log")
        self.entries = entries


def write_pending(session: Session) -> bool:
    """Append the noted refusals to the audit log in the session's transaction; any noted?

    They stay noted until `written` (after the commit): a failed commit must not lose them.
    """
    pending: list[audit.Pending] = session.info.get(PENDING, [])
    principal: Principal | None = session.info.get(PRINCIPAL)
    if not pending or principal is None:
        return False
    audit.record_many(session, principal, pending)
    return True


def written(session: Session) -> None:
    """The noted refusals are committed: forget them."""
    session.info.pop(PENDING, None)


def noted(session: Session) -> list[audit.Pending]:
    return list(session.info.get(PENDING, []))
