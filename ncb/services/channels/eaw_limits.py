"""EAW time limits: the events replayed through the domain clocks, mirrored as the case's
deadlines, and the release flag when a custody limit expired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, selectinload

from ncb.domain import eaw as domain
from ncb.domain.eaw_clocks import known_events, release_reasons
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels.common import add_deadline, bureau_zone, now_utc, refresh_next_due
from ncb.services.channels.eaw_inputs import CUSTODY, TERMINAL
from ncb.services.reading import load_visible
from ncb.store import audit
from ncb.store.models import Case, Deadline, Warrant, WarrantEvent


def get(session: Session, p: Principal, warrant_id: int) -> Warrant:
    return load_visible(session, p, Warrant, warrant_id, "warrant")


def events(session: Session, w: Warrant) -> list[WarrantEvent]:
    return list(
        session.scalars(
            select(WarrantEvent)
            .where(WarrantEvent.warrant_id == w.id)
            .order_by(WarrantEvent.at, WarrantEvent.id)
        )
    )


MIRROR_BATCH = 500  # warrants replayed per round trip by mirror_clocks
UK_ONLY = "uk_"  # deadline rules of the Extradition Act 2003 (UK executing) start with this


def applicable_clocks(w: Warrant, clocks: list[domain.Clock]) -> list[domain.Clock]:
    """Outgoing warrants: the other state executes, so only the Framework Decision clocks run
    (the UK-only `uk_*` limits bind UK courts, not the executing state's)."""
    if w.direction == "outgoing":
        return [c for c in clocks if not c.rule_id.startswith(UK_ONLY)]
    return clocks


def _replay(session: Session, w: Warrant, at: datetime) -> list[domain.Clock]:
    known = known_events()
    evs = [
        domain.EawEvent(kind=e.kind, at=e.at, reason=e.reason, new_date=e.new_date)
        for e in events(session, w)
        if e.kind in known
    ]
    return applicable_clocks(w, domain.eaw_clocks(evs, at, bureau_zone(session)))


def sync_clocks(session: Session, w: Warrant, case: Case, now: datetime | None = None) -> list[domain.Clock]:
    """Replay the events through the domain clocks; mirror them as the case's deadlines."""
    at = now or now_utc()
    clocks = _replay(session, w, at)
    _mirror(w, case, clocks, at)
    return clocks


def _mirror(w: Warrant, case: Case, clocks: list[domain.Clock], at: datetime) -> None:
    """The clocks as the case's deadlines (each limit from its own start: 10 days from consent,
    60 from arrest...), next_due_at, and the release flag."""
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


def mirror_clocks(session: Session, warrant_ids: list[int], now: datetime | None = None) -> int:
    """Mirror the clocks of warrants written in bulk (an import, the demo seed) as their cases'
    deadlines, exactly as recording each event one by one would (sync_clocks): a bulk writer
    stores warrants and events only and never computes a limit itself. Returns how many."""
    at = now or now_utc()
    known, zone = known_events(), bureau_zone(session)
    done = 0
    for i in range(0, len(warrant_ids), MIRROR_BATCH):
        ids = warrant_ids[i : i + MIRROR_BATCH]
        history: dict[int, list[domain.EawEvent]] = {wid: [] for wid in ids}
        for e in session.scalars(
            select(WarrantEvent)
            .where(WarrantEvent.warrant_id.in_(ids))
            .order_by(WarrantEvent.at, WarrantEvent.id)
        ):
            if e.kind in known:
                history[e.warrant_id].append(
                    domain.EawEvent(kind=e.kind, at=e.at, reason=e.reason, new_date=e.new_date)
                )
        rows = session.execute(
            select(Warrant, Case)
            .join(Case, Case.id == Warrant.case_id)
            .where(Warrant.id.in_(ids))
            .options(selectinload(Case.deadlines))
        ).all()
        for w, case in rows:
            _mirror(w, case, applicable_clocks(w, domain.eaw_clocks(history[w.id], at, zone)), at)
            done += 1
    session.flush()
    return done


def clocks(session: Session, p: Principal, warrant_id: int) -> list[domain.Clock]:
    w = get(session, p, warrant_id)
    return _replay(session, w, now_utc())


@dataclass(frozen=True)
class Expired:
    """One custody limit that ran out: the clock's label, when, and its law."""

    label: str
    due_at: datetime
    source: str


@dataclass(frozen=True)
class Release:
    """A person to release now: the warrant, its case and the custody limits that expired."""

    warrant: Warrant
    case: Case
    expired: list[Expired]


def custody() -> Any:
    """Incoming warrants whose person is in custody here (the UK executes: it releases)."""
    return and_(Warrant.status.in_(CUSTODY), Warrant.direction == "incoming")


def custody_rules() -> list[str]:
    """The deadline rules whose expiry means release (ncb/rules/deadlines.yaml)."""
    return [k for k, r in load_rules().deadlines.items() if r.release_on_expiry]


def _unmirrored(session: Session, at: datetime) -> None:
    """Replay the custody warrants whose case mirrors no limit yet (history written without
    mirror_clocks), so their clocks become case deadlines like everyone else's."""
    ids = session.scalars(
        select(Warrant.id).join(Case, Case.id == Warrant.case_id).where(custody(), Case.next_due_at.is_(None))
    ).all()
    mirror_clocks(session, list(ids), at)


def expired_limits(session: Session, at: datetime) -> list[Release]:
    """Custody warrants with a mirrored custody deadline unmet and passed, by warrant id.

    Limits expire with time, not events: every clock is mirrored as a case deadline
    (sync_clocks), so an unmet custody deadline already passed IS an expired limit — one
    query, no replay.
    """
    rules = load_rules().deadlines
    rows = session.execute(
        select(Warrant, Case, Deadline)
        .join(Case, Case.id == Warrant.case_id)
        .join(Deadline, Deadline.case_id == Case.id)
        .where(
            custody(), Deadline.met_at.is_(None), Deadline.due_at < at, Deadline.rule_id.in_(custody_rules())
        )
        .order_by(Warrant.id, Deadline.due_at)
    ).all()
    found: dict[int, Release] = {}
    for w, case, d in rows:
        r = found.setdefault(w.id, Release(w, case, []))
        r.expired.append(Expired(d.label, d.due_at, rules[d.rule_id].source))
    return list(found.values())


def releases(
    session: Session,
    p: Principal,
    *,
    audit_as: str = "release_required",
    always_log: bool = True,
    recheck: bool = False,
) -> list[Release]:
    """Warrants whose custody limits expired: the person must be released at once.

    Custody warrants with no limit mirrored yet are replayed (and mirrored) first; `recheck`
    replays those found too, refreshing their flags (the release list, the API, the CLI).
    The consultation is logged. The panels above the queues use eaw_panel (read-only).
    """
    at = now_utc()
    _unmirrored(session, at)
    out = expired_limits(session, at)
    if recheck:
        for r in out:
            sync_clocks(session, r.warrant, r.case, at)
    if out or always_log:  # a list that shows nobody consulted nothing
        audit.record(
            session,
            p,
            "consultation",
            "warrant",
            None,
            details={"query": audit_as, "count": len(out), "warrants": [r.warrant.id for r in out]},
        )
    return out


def release_required(session: Session, p: Principal) -> list[Warrant]:
    """The release list with every flag and reason refreshed (API, CLI)."""
    return [r.warrant for r in releases(session, p, recheck=True)]
