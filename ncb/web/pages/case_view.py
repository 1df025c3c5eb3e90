"""What the case page shows: gathered in one place so GET and re-rendered forms agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import screening
from ncb.store.models import (
    Agency,
    Attachment,
    AuditEntry,
    Case,
    CaseEntity,
    CaseEvent,
    Entity,
    Message,
    Note,
    Task,
    Team,
    User,
)

# For tables without markings only (no row of them is ever hidden): skipping the access
# filter there saves building the policy criteria of every marked class for each query.
UNMARKED = {"skip_access": True}


@dataclass
class Entry:
    at: datetime
    kind: str
    actor: str
    title: str
    body: str = ""


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _event_title(ev: CaseEvent) -> str:
    d = ev.data or {}
    if ev.kind == "status":
        reason = f" ({d['reason']})" if d.get("reason") else ""
        return f"Status {d.get('old')} → {d.get('new')}{reason}"
    if ev.kind == "assigned":
        return f"Assigned to {d.get('officer')}" + (f", team {d['team']}" if d.get("team") else "")
    if ev.kind == "received":
        return f"Received on {d.get('channel')}, routed to {d.get('team')}"
    if ev.kind == "triaged":
        parts = ", ".join(f"{k}: {v[0]} → {v[1]}" if isinstance(v, list) else f"{k}: {v}"
                          for k, v in d.items())
        return f"Triaged ({parts})" if parts else "Triaged"
    if ev.kind == "task":
        return f"Task added: {d.get('title')}"
    if ev.kind == "task_done":
        return f"Task {d.get('task_id')} done"
    if ev.kind == "attachment":
        return f"Attachment added: {d.get('filename')}"
    if ev.kind == "deadline_met":
        return f"Deadline met: {d.get('deadline')}"
    return ev.kind.replace("_", " ").capitalize()


def timeline(events: list[CaseEvent], notes: list[Note], messages: list[Message],
             users: dict[int, str]) -> list[Entry]:
    out: list[Entry] = []
    for ev in events:
        if ev.kind in ("note", "message"):
            continue  # shown below from the records themselves, only when visible
        out.append(Entry(_aware(ev.at), ev.kind, users.get(ev.actor_id or 0, "system"),
                         _event_title(ev)))
    for n in notes:
        out.append(Entry(_aware(n.created_at), "note", users.get(n.author_id or 0, "?"),
                         f"Note ({n.classification})", n.body))
    for m in messages:
        arrow = "from" if m.direction == "in" else "to"
        who = m.sender if m.direction == "in" else ", ".join(m.recipients or [])
        out.append(Entry(_aware(m.sent_at), "message", m.sender,
                         f"Message {arrow} {who}: {m.subject} [{m.handling_code or '-'}]", m.body))
    out.sort(key=lambda e: e.at, reverse=True)
    return out


def hits(session: Session, p: Principal, case: Case) -> list[Any]:
    return list(screening.hits_for_case(session, p, case))


def case_context(session: Session, p: Principal, case: Case) -> dict[str, Any]:
    rules = load_rules()
    tasks = list(session.scalars(
        select(Task).where(Task.case_id == case.id)
        .order_by(Task.done_at.is_not(None), Task.due_at, Task.id).execution_options(**UNMARKED)))
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                  .execution_options(**UNMARKED)))
    notes = list(session.scalars(select(Note).where(Note.case_id == case.id)))
    messages = list(session.scalars(select(Message).where(Message.case_id == case.id)))
    ids = {case.assignee_id, *(t.assignee_id for t in tasks), *(t.created_by for t in tasks),
           *(e.actor_id for e in events), *(n.author_id for n in notes)}
    ids.discard(None)
    users = dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))
                                 .execution_options(**UNMARKED)).all()) if ids else {}
    agency_ids = {case.requesting_agency_id, case.originator_agency_id, case.owner_agency_id}
    agencies = dict(session.execute(select(Agency.id, Agency.code).where(
        Agency.id.in_([a for a in agency_ids if a])).execution_options(**UNMARKED)).all())
    entities = session.execute(
        select(Entity, CaseEntity.role, CaseEntity.provenance)
        .join(CaseEntity, CaseEntity.entity_id == Entity.id)
        .where(CaseEntity.case_id == case.id).order_by(CaseEntity.id)
    ).all()
    attachments = list(session.scalars(select(Attachment).where(Attachment.case_id == case.id)
                                       .order_by(Attachment.id)))
    machine = rules.state_machines["case"]
    allowed = list(machine.transitions.get(case.status, [])) if p.has("case.transition") else []
    audit_rows: list[AuditEntry] = []
    if p.has("audit.read"):
        audit_rows = list(session.scalars(
            select(AuditEntry).where(AuditEntry.record_kind == "case",
                                     AuditEntry.record_id == case.reference)
            .order_by(AuditEntry.seq.desc()).limit(100).execution_options(**UNMARKED)))
    team = session.get(Team, case.team_id, execution_options=UNMARKED) if case.team_id else None
    return {
        "case": case,
        "team": team,
        "assignee": users.get(case.assignee_id or 0),
        "agencies": agencies,
        "users": users,
        "deadlines": list(case.deadlines),
        "timeline": timeline(events, notes, messages, users),
        "tasks": tasks,
        "entities": entities,
        "attachments": attachments,
        "hits": hits(session, p, case),
        "can_review": p.has("hit.review"),
        "transitions": [(s, machine.statuses[s].label) for s in allowed if s in machine.statuses],
        "can_note": p.has("case.note"),
        "can_assign": p.has("case.assign"),
        "can_take": p.has("case.transition") and case.assignee_id != p.user_id,
        "can_add_entity": p.has("entity.create"),
        "audit_rows": audit_rows,
        "show_audit": p.has("audit.read"),
        "handling": _handling_label(case.handling_code),
    }


def _handling_label(code: str | None) -> str:
    if not code:
        return "none"
    for scheme in load_rules().handling_codes.values():
        item = scheme.codes.get(code)
        if item is not None:
            text = getattr(item, "label", None) or getattr(item, "description", None) or ""
            return f"{code} — {text}" if text else code
    return code
