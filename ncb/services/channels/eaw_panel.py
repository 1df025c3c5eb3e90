"""The release panel above every queue and on the dashboard: who must be released now, read-only.

A queue page is a GET shown dozens of times an hour per officer, so the panel writes nothing:
no clock refresh, no audit entry. It lists references only (warrant, case, the limit that
expired and its law), as the queue rows below it list cases; the consultation of a warrant is
logged where it is opened: the warrant page, the release list, the API and the CLI
(`eaw_limits.releases`). Columns, not ORM objects: the panel needs no JSON and no relationships.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ncb.domain import eaw as domain
from ncb.domain.eaw_clocks import known_events
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels.common import bureau_zone, now_utc
from ncb.services.channels.eaw_limits import Expired, custody, custody_rules
from ncb.store.models import Case, Deadline, Warrant, WarrantEvent


@dataclass(frozen=True)
class Ref:
    id: int
    reference: str


@dataclass(frozen=True)
class PanelEntry:
    """One person to release: the warrant and case references and the limits that expired."""

    warrant: Ref
    case: Ref
    expired: list[Expired]


def _history(session: Session, ids: list[int]) -> dict[int, list[domain.EawEvent]]:
    """The clock events of these warrants, oldest first."""
    known = known_events()
    out: dict[int, list[domain.EawEvent]] = defaultdict(list)
    for wid, kind, when, reason, new_date in session.execute(
        select(
            WarrantEvent.warrant_id,
            WarrantEvent.kind,
            WarrantEvent.at,
            WarrantEvent.reason,
            WarrantEvent.new_date,
        )
        .where(WarrantEvent.warrant_id.in_(ids))
        .order_by(WarrantEvent.at, WarrantEvent.id)
    ):
        if kind in known:
            out[wid].append(domain.EawEvent(kind=kind, at=when, reason=reason, new_date=new_date))
    return out


def _replayed(history: list[domain.EawEvent], at: datetime, zone: str) -> list[Expired]:
    # custody() is incoming warrants only: every clock applies (eaw_limits.applicable_clocks).
    return [
        Expired(c.label, c.due_at, c.source)
        for c in domain.eaw_clocks(history, at, zone)
        if c.release_on_expiry and c.met_at is None and at > c.due_at
    ]


def release_panel(session: Session, p: Principal) -> list[PanelEntry]:
    """Persons to release now (an EAW custody limit expired), by warrant id; writes nothing.

    The same persons as the release list (`eaw_limits.releases`), without its replay and audit.
    `p` is the caller the session's access filter already applies; kept for the call's shape.
    """
    at = now_utc()
    sources = {k: r.source for k, r in load_rules().deadlines.items()}
    passed = and_(
        Deadline.case_id == Case.id,
        Deadline.met_at.is_(None),
        Deadline.due_at < at,
        Deadline.rule_id.in_(custody_rules()),
    )
    # One query: each custody warrant with a passed, unmet custody deadline (one row per limit),
    # or whose case mirrors no limit yet (bulk-loaded history: its stored rows are not its
    # clocks, so it is replayed in memory below; normally none, since the first release list
    # mirrors them, eaw_limits.releases).
    rows = session.execute(
        select(
            Warrant.id,
            Warrant.reference,
            Case.id,
            Case.reference,
            Case.next_due_at,
            Deadline.label,
            Deadline.due_at,
            Deadline.rule_id,
        )
        .join(Case, Case.id == Warrant.case_id)
        .outerjoin(Deadline, passed)
        .where(custody(), or_(Case.next_due_at.is_(None), Deadline.id.is_not(None)))
        .order_by(Warrant.id, Deadline.due_at)
    ).all()
    found: dict[int, PanelEntry] = {}
    unmirrored: list[int] = []
    for wid, wref, cid, cref, next_due, label, due, rule in rows:
        if wid not in found:
            found[wid] = PanelEntry(Ref(wid, wref), Ref(cid, cref), [])
            if next_due is None:
                unmirrored.append(wid)
        if next_due is not None:
            found[wid].expired.append(Expired(label, due, sources[rule]))
    if unmirrored:
        history = _history(session, unmirrored)
        for wid in unmirrored:
            found[wid].expired.extend(_replayed(history[wid], at, bureau_zone(session)))
    return [e for e in found.values() if e.expired]
