"""EAW time limits: the events replayed through the domain clocks, mirrored as the case's
deadlines, and the release flag when a custody limit expired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ncb.domain import eaw as domain
from ncb.domain.eaw_clocks import known_events, release_reasons
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels.common import add_deadline, now_utc, refresh_next_due
from ncb.services.channels.eaw_inputs import CUSTODY, TERMINAL
from ncb.services.reading import load_visible
from ncb.store import audit
from ncb.store.models import Case, Warrant, WarrantEvent


def get(session: Session, p: Principal, warrant_id: int) -> Warrant:
    return load_visible(session, p, Warrant, warrant_id, "warrant")


def events(session: Session, w: Warrant) -> list[WarrantEvent]:
    return list(session.scalars(select(WarrantEvent).where(WarrantEvent.warrant_id == w.id)
                                .order_by(WarrantEvent.at, WarrantEvent.id)))


UK_ONLY = "uk_"  # deadline rules of the Extradition Act 2003 (UK executing) start with this


def applicable_clocks(w: Warrant, clocks: list[domain.Clock]) -> list[domain.Clock]:
    """Outgoing warrants: the other state executes, so only the Framework Decision clocks run
    (the UK-only `uk_*` limits bind UK courts, not the executing state's)."""
    if w.direction == "outgoing":
        return [c for c in clocks if not c.rule_id.startswith(UK_ONLY)]
    return clocks


def _replay(session: Session, w: Warrant, at: datetime) -> list[domain.Clock]:
    known = known_events()
    evs = [domain.EawEvent(kind=e.kind, at=e.at, reason=e.reason, new_date=e.new_date)
           for e in events(session, w) if e.kind in known]
    return applicable_clocks(w, domain.eaw_clocks(evs, at))


def sync_clocks(session: Session, w: Warrant, case: Case, now: datetime | None = None
                ) -> list[domain.Clock]:
    """Replay the events through the domain clocks; mirror them as the case's deadlines."""
    at = now or now_utc()
    clocks = _replay(session, w, at)
    specs = {s.rule for s in load_rules().eaw_clocks.values()}
    existing = {d.rule_id: d for d in case.deadlines if d.rule_id in specs}
    finished = w.status in TERMINAL
    for c in clocks:
        d = existing.pop(c.rule_id, None)
        if d is None:
            d = add_deadline(case, c.rule_id, c.label, c.basis, c.started_at, c.due_at)
        d.starts_at, d.due_at, d.basis = c.started_at, c.due_at, c.basis
        d.met_at = c.met_at or (at if finished else None)
    for d in existing.values():  # dropped by a later event (consent, force majeure...)
        if d.met_at is None:
            d.met_at = at
    if finished:
        for d in case.deadlines:
            if d.met_at is None:
                d.met_at = at
    refresh_next_due(case)
    # Only the executing state releases: an outgoing warrant's clocks are tracked, not enforced.
    reasons = [] if finished or w.direction == "outgoing" else release_reasons(clocks, at)
    w.release_required, w.release_reasons = bool(reasons), reasons
    return clocks


def clocks(session: Session, p: Principal, warrant_id: int) -> list[domain.Clock]:
    w = get(session, p, warrant_id)
    return _replay(session, w, now_utc())


@dataclass(frozen=True)
class Release:
    """A person to release now: the warrant, its case and the custody limits that expired."""

    warrant: Warrant
    case: Case
    expired: list[domain.Clock]


def releases(session: Session, p: Principal, *, audit_as: str = "release_required",
             always_log: bool = True) -> list[Release]:
    """Warrants whose custody limits expired: the person must be released at once.

    Limits expire with time, not events, so the warrants in custody are re-checked now; only
    those whose case has a limit already passed, has none mirrored yet (bulk-loaded history) or
    that were flagged can have expired ones.
    """
    at = now_utc()
    rows = session.execute(
        select(Warrant, Case).join(Case, Case.id == Warrant.case_id)
        .where(Warrant.status.in_(CUSTODY), Warrant.direction == "incoming",
               or_(Case.next_due_at < at, Case.next_due_at.is_(None),
                   Warrant.release_required.is_(True)))
        .order_by(Warrant.id)).all()
    out = []
    for w, case in rows:
        clocks = sync_clocks(session, w, case, at)
        if w.release_required:
            out.append(Release(w, case, [c for c in clocks if c.release_on_expiry
                                         and c.met_at is None and at > c.due_at]))
    if out or always_log:  # a panel that shows nobody consulted nothing
        audit.record(session, p, "consultation", "warrant", None,
                     details={"query": audit_as, "count": len(out),
                              "warrants": [r.warrant.id for r in out]})
    return out


def release_required(session: Session, p: Principal) -> list[Warrant]:
    return [r.warrant for r in releases(session, p)]
