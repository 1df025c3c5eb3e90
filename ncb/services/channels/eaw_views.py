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
from ncb.services.channels import eaw
from ncb.services.channels.common import now_utc
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


def release_list(session: Session, p: Principal) -> tuple[list[Warrant], dict[int, Any]]:
    items = eaw.release_required(session, p)
    return items, next_due(session, items)


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
    return {
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
