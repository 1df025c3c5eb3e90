"""Which case a SIRENE form or a hit belongs to, and its one limit on that case.

A hit report or an incoming form on an alert joins the alert's open case, or opens one schengen
case linked to the alert, the form and the alert's subject. A closed case (on any channel) is
never reused silently: a new case is opened, and both cases record the link in their timelines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.deadlines import compute_due
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import intake, queues
from ncb.services.casework import _event
from ncb.services.channels.common import add_deadline, refresh_next_due
from ncb.services.errors import Conflict
from ncb.services.inputs import CaseIn
from ncb.store.models import Alert, Case, CaseEntity, Deadline


@dataclass
class Placed:
    """The case a form goes on; `fresh` when opened for it (its intake limit is the form's)."""

    case: Case
    fresh: bool
    follows: Case | None = None  # the closed case this one was opened instead of


def is_closed(case: Case) -> bool:
    return case.closed_at is not None or case.status not in queues.open_statuses()


def place(session: Session, p: Principal, *, alert: Alert | None, candidate: Case | None,
          explicit: bool, title: str, country: str | None, priority: str, at: datetime
          ) -> Placed:
    """The open case to use: `candidate` when open, else a new schengen case for the alert.

    `explicit`: the officer named the case; a closed one is then refused (409) rather than
    replaced, so they decide between reopening it and leaving the case to us.
    """
    if candidate is not None and is_closed(candidate):
        if explicit:
            raise Conflict(f"case {candidate.reference} is {candidate.status}: reopen it first, "
                           "or leave the case empty to open a new case linked to it",
                           field="case_ref", rule="sirene.case_closed")
        follows, candidate = candidate, None
    else:
        follows = None
    if candidate is not None:
        placed = Placed(candidate, fresh=False)
    else:
        case = intake.intake_case(session, p, CaseIn(
            channel="schengen", direction="incoming", title=title[:300],
            external_ref=alert.schengen_id[:80] if alert else None,
            requesting_country=country, country=country, priority=priority, received_at=at,
            summary=f"Follows closed case {follows.reference}." if follows else ""))
        session.flush()
        placed = Placed(case, fresh=True, follows=follows)
        if follows is not None:
            _event(session, case, p, "linked_case", other=follows.reference,
                   why="the earlier case on this alert is closed")
            _event(session, follows, p, "linked_case", other=case.reference,
                   why="new SIRENE activity on its alert; opened as a new case")
    if alert is not None:
        link_alert(session, p, alert, placed.case)
    return placed


def link_alert(session: Session, p: Principal, alert: Alert, case: Case) -> None:
    """The alert points at its current case; its subject is linked to the case once."""
    if alert.case_id is None or alert.case_id != case.id:
        current = session.get(Case, alert.case_id) if alert.case_id else None
        if current is None or is_closed(current):
            alert.case_id = case.id
    if alert.entity_id is None:
        return
    linked = session.scalar(select(CaseEntity.id).where(
        CaseEntity.case_id == case.id, CaseEntity.entity_id == alert.entity_id))
    if linked is None:
        session.add(CaseEntity(case_id=case.id, entity_id=alert.entity_id, role="alert_subject",
                               provenance=f"SIS alert {alert.schengen_id}", added_by=p.user_id))


def form_limit(session: Session, placed: Placed, rule_id: str, label: str, start: datetime,
               due: datetime | None = None) -> Deadline:
    """The form's one limit on its case: a fresh case's intake limit becomes it (so the case
    never carries a second 12-hour clock for the same form); a joined case gets it added."""
    rule = load_rules().deadlines[rule_id]
    due = due or compute_due(rule_id, start).due_at
    case = placed.case
    if placed.fresh and case.deadlines:
        d = case.deadlines[0]
        d.rule_id, d.label, d.basis, d.starts_at, d.due_at = rule_id, label, rule.basis, start, due
        refresh_next_due(case)
    else:
        d = add_deadline(case, rule_id, label, rule.basis, start, due)
    session.flush()
    return d
