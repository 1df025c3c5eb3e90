"""What the EAW pages show: warrant lists with their next limit, one warrant with its clocks.

The release flag (a custody limit expired, the person must be released) and the actions the
caller may take are decided here, once, so every adapter shows the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain import eaw as domain
from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels import eaw, eaw_events
from ncb.services.channels.common import now_utc
from ncb.services.channels.eaw_limits import Release, releases
from ncb.store.models import Case, Warrant


@dataclass(frozen=True)
class WarrantList:
    items: list[Warrant]
    due: dict[int, datetime | None]  # case id -> its earliest unmet limit
    has_next: bool
    statuses: list[str]


def next_due(session: Session, warrants: list[Warrant]) -> dict[int, datetime | None]:
    ids = {w.case_id for w in warrants}
    if not ids:
        return {}
    rows = session.execute(select(Case.id, Case.next_due_at).where(Case.id.in_(ids))).all()
    return {int(cid): due for cid, due in rows}


def warrant_list(session: Session, p: Principal, direction: str, status: str, page: int,
                 size: int) -> WarrantList:
    """One page of warrants, newest first, filtered by direction and status."""
    q = select(Warrant).order_by(Warrant.received_at.desc(), Warrant.id.desc())
    if direction in ("incoming", "outgoing"):
        q = q.where(Warrant.direction == direction)
    if status:
        q = q.where(Warrant.status == status)
    rows = list(session.scalars(q.offset((max(page, 1) - 1) * size).limit(size + 1)))
    items = rows[:size]
    statuses = list(load_rules().state_machines["eaw"].statuses) + list(eaw.OUTGOING_STEPS)
    return WarrantList(items, next_due(session, items), len(rows) > size, statuses)


def release_list(session: Session, p: Principal) -> tuple[list[Release], dict[int, Any]]:
    """Every person to release now with the limits that expired (times as datetimes, so each
    page shows them in its reader's zone)."""
    items = releases(session, p, recheck=True)
    return items, {r.case.id: r.case.next_due_at for r in items}


def _when(value: Any) -> datetime | None:
    """A stored ISO time (JSON) as a datetime, for the reader's zone; None if it is not one."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _header(clocks: list[domain.Clock], case: Case | None) -> dict[str, Any]:
    """What the page head says is due next: the earliest running clock, else the case's own
    next limit under its name (never a bare "next clock" when no clock runs)."""
    running = [c for c in clocks if c.status == "running"]
    if running:
        c = min(running, key=lambda c: c.due_at)
        return {"next_label": c.label, "next_due": c.due_at, "next_is_clock": True}
    rules = {s.rule for s in load_rules().eaw_clocks.values()}
    pending = sorted((d for d in (case.deadlines if case else [])
                      if d.met_at is None and d.rule_id not in rules), key=lambda d: d.due_at)
    if pending:
        return {"next_label": pending[0].label, "next_due": pending[0].due_at,
                "next_is_clock": False}
    return {"next_label": None, "next_due": None, "next_is_clock": False}


def missing_sections(data: eaw.WarrantIn) -> list[str]:
    """Sections an incoming warrant lacks (the domain's rule; a list-offence error propagates)."""
    return domain.missing_sections(data.warrant)


def _missing_of(w: Warrant) -> list[str]:
    try:
        return domain.missing_sections(domain.Warrant.model_validate(w.sections))
    except (ValidationError, DomainError):
        return []


def warrant_page(session: Session, p: Principal, warrant_id: int) -> dict[str, Any]:
    """One warrant: its sections, events, clocks, the release flag and the caller's actions."""
    w = eaw.get(session, p, warrant_id)
    case = session.get(Case, w.case_id)
    try:
        clocks = eaw.clocks(session, p, warrant_id)
        clock_error = None
    except DomainError as exc:  # a stored history the rules now refuse: say so, do not crash
        clocks, clock_error = [], exc.message
    labels = load_rules().eaw_sections
    sections = [(letter, labels[letter].label, w.sections.get(attr))
                for letter, attr in domain.SECTION_FIELDS.items()]
    now = now_utc()
    expired = [c for c in clocks if c.release_on_expiry and c.met_at is None and now > c.due_at]
    cert = w.certification or {}
    history = [dict(t) | {"at": _when(t.get("at"))}
               for t in (w.translation or {}).get("history") or []]
    return _header(clocks, case) | {
        "event_choices": eaw_events.choices(eaw.event_kinds(), bool(w.consent)),
        "event_label": eaw_events.label,
        "cert_at": _when(cert.get("at")) if cert else None, "translations": history,
        "w": w, "case": case, "sections": sections, "clocks": clocks, "clock_error": clock_error,
        "events": eaw.events(session, w), "expired": expired,
        "release": bool(expired) and w.status not in eaw.TERMINAL,
        "can_certify": p.has("eaw.certify") and w.direction == "incoming"
        and w.status == "received",
        "can_event": p.has("case.transition") and w.status not in eaw.TERMINAL
        and not (w.direction == "incoming" and w.status == "received"),
        "outgoing_open": w.direction == "outgoing" and w.status in eaw.OUTGOING_STEPS[:2],
        "can_translate": p.has("case.transition"), "can_transmit": p.has("message.send"),
        "missing": _missing_of(w) if w.direction == "outgoing" else [],
    }
