"""What the case page shows, as one view model: GET and every re-rendered form agree on it.

Every read goes through the caller's filter: notes, messages, attachments and entities by their
markings, tasks and events through their case and the record an event names (ncb.store.children),
audit entries only with audit.read. Names come from ncb.store.directory.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import exchange_views, reading, screening
from ncb.services.case_timeline import Entry, timeline
from ncb.services.channels import case_links
from ncb.settings import Settings
from ncb.store import directory
from ncb.store.models import (
    Attachment,
    AuditEntry,
    Case,
    CaseEntity,
    CaseEvent,
    Deadline,
    Entity,
    Message,
    Note,
    Task,
    Team,
)


@dataclass(frozen=True)
class CaseView:
    case: Case
    team: Team | None
    assignee: str | None
    agencies: dict[int, str]
    users: dict[int, str]
    deadlines: list[Deadline]
    timeline: list[Entry]
    tasks: list[Task]
    entities: list[Any]  # (Entity, role, provenance) rows
    attachments: list[Attachment]
    hits: list[Any]
    can_review: bool
    transitions: list[tuple[str, str]]
    can_note: bool
    can_assign: bool
    can_take: bool
    can_add_entity: bool
    audit_rows: list[AuditEntry]
    show_audit: bool
    handling: str
    exchange: dict[str, Any]  # messages, reply options and exchange permissions
    channel_links: case_links.ChannelLinks  # its SIS alerts, SIRENE forms, warrants

    def context(self) -> dict[str, Any]:
        """The template's names (shallow: the ORM rows stay the session's own)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def case_view(session: Session, p: Principal, ref: str, settings: Settings) -> CaseView:
    """The visible case `ref` with everything its page shows the caller (403/404 as reading);
    an auditor sees its newest NCB_CASE_AUDIT_ROWS audit entries."""
    case = reading.case_by_ref(session, p, ref)
    tasks = list(session.scalars(select(Task).where(Task.case_id == case.id)
                                 .order_by(Task.done_at.is_not(None), Task.due_at, Task.id)))
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)))
    notes = list(session.scalars(select(Note).where(Note.case_id == case.id)))
    messages = list(session.scalars(select(Message).where(Message.case_id == case.id)))
    users = directory.usernames(session, [
        case.assignee_id, *(t.assignee_id for t in tasks), *(t.created_by for t in tasks),
        *(e.actor_id for e in events), *(n.author_id for n in notes)])
    agencies = directory.agency_codes(session, [
        case.requesting_agency_id, case.originator_agency_id, case.owner_agency_id])
    entities = list(session.execute(
        select(Entity, CaseEntity.role, CaseEntity.provenance)
        .join(CaseEntity, CaseEntity.entity_id == Entity.id)
        .where(CaseEntity.case_id == case.id).order_by(CaseEntity.id)).all())
    attachments = list(session.scalars(select(Attachment).where(Attachment.case_id == case.id)
                                       .order_by(Attachment.id)))
    machine = load_rules().state_machines["case"]
    allowed = list(machine.transitions.get(case.status, [])) if p.has("case.transition") else []
    audit_rows: list[AuditEntry] = []
    if p.has("audit.read"):
        audit_rows = list(session.scalars(
            select(AuditEntry).where(AuditEntry.record_kind == "case",
                                     AuditEntry.record_id == case.reference)
            .order_by(AuditEntry.seq.desc()).limit(settings.case_audit_rows)))
    return CaseView(
        case=case,
        team=directory.team(session, case.team_id),
        assignee=users.get(case.assignee_id or 0),
        agencies=agencies,
        users=users,
        deadlines=list(case.deadlines),
        timeline=timeline(events, notes, messages, users),
        tasks=tasks,
        entities=entities,
        attachments=attachments,
        hits=list(screening.hits_for_case(session, p, case)),
        can_review=p.has("hit.review"),
        transitions=[(s, machine.statuses[s].label) for s in allowed if s in machine.statuses],
        can_note=p.has("case.note"),
        can_assign=p.has("case.assign"),
        can_take=p.has("case.transition") and case.assignee_id != p.user_id,
        can_add_entity=p.has("entity.create"),
        audit_rows=audit_rows,
        show_audit=p.has("audit.read"),
        handling=handling_label(case.handling_code),
        exchange=exchange_views.case_exchange(session, p, case, settings),
        channel_links=case_links.of_case(session, p, case),
    )


def consult(session: Session, p: Principal, ref: str, justification: str | None,
            settings: Settings) -> CaseView:
    """Open the case (justification rule, consultation logged), then what its page shows."""
    reading.open_case(session, p, ref, justification)
    return case_view(session, p, ref, settings)


def handling_label(code: str | None) -> str:
    if not code:
        return "none"
    for scheme in load_rules().handling_codes.values():
        item = scheme.codes.get(code)
        if item is not None:
            text = getattr(item, "label", None) or getattr(item, "description", None) or ""
            return f"{code} — {text}" if text else code
    return code
