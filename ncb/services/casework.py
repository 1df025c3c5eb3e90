"""Working a case: triage, assignment, status changes, notes and tasks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.domain import routing, workflow
from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import guard, intake, lookup, marking
from ncb.services.casework_inputs import AssignIn, NoteIn, TaskIn, TransitionIn, TriageIn
from ncb.services.errors import Conflict, InvalidInput, NotFound
from ncb.services.inputs import EntityIn
from ncb.services.reading import case_by_ref, case_children
from ncb.store import audit
from ncb.store.models import Attachment, Case, CaseEvent, Deadline, Entity, Message, Note, Task

CHILDREN: dict[str, Any] = {"events": CaseEvent, "notes": Note, "tasks": Task,
                            "messages": Message, "attachments": Attachment}
ChildKind = Literal["events", "notes", "tasks", "messages", "attachments"]


def children(session: Session, p: Principal, ref: str, kind: ChildKind) -> list[Any]:
    """A visible case's events, notes, tasks, messages or attachments, oldest first (each
    filtered for the caller like every other query)."""
    return case_children(session, p, ref, CHILDREN[kind])


_need = guard.need  # other services import it from here


def _event(session: Session, case: Case, p: Principal, kind: str, **data: object) -> None:
    now = datetime.now(UTC)
    case.updated_at = now
    session.add(CaseEvent(case_id=case.id, kind=kind, actor_id=p.user_id, at=now, data=data))


def triage(session: Session, p: Principal, ref: str, data: TriageIn) -> Case:
    _need(p, "case.triage")
    case = case_by_ref(session, p, ref)
    changes: dict[str, object] = {}
    for name in ("priority", "crime_area", "country"):
        value = getattr(data, name)
        if value is not None and value != getattr(case, name):
            changes[name] = [getattr(case, name), value]
            setattr(case, name, value)
    if data.priority:
        case.priority_rank = load_rules().priorities[data.priority].order
    if case.status == "new":
        workflow.check_transition(case.status, "triaged")
        case.status = "triaged"
        changes["status"] = ["new", "triaged"]
    if "crime_area" in changes or "country" in changes:
        code = routing.route(case.channel, case.crime_area, case.country)
        new_team = lookup.team(session, code, "routing")
        if new_team.id != case.team_id:
            changes["team"] = code
            case.team_id = new_team.id
    _event(session, case, p, "triaged", **changes)
    audit.record(session, p, "alteration", "case", case.reference, details={"triage": changes})
    return case


def assign(session: Session, p: Principal, ref: str, data: AssignIn) -> Case:
    case = case_by_ref(session, p, ref)
    target = lookup.user(session, data.username) if data.username else None
    if target is not None and target.id != p.user_id:
        _need(p, "case.assign")
    else:
        _need(p, "case.transition")
    if data.team:
        case.team_id = lookup.team(session, data.team).id
    officer = target.id if target else p.user_id
    case.assignee_id = officer
    # Taking or giving a new case triages it on the way (both steps are allowed moves).
    for step in ("triaged", "assigned"):
        if case.status in ("new", "triaged") and case.status != step:
            workflow.check_transition(case.status, step)
            case.status = step
    _event(session, case, p, "assigned", officer=(target.username if target else p.username),
           team=data.team)
    audit.record(session, p, "alteration", "case", case.reference,
                 details={"assigned_to": target.username if target else p.username})
    return case


def transition(session: Session, p: Principal, ref: str, data: TransitionIn) -> Case:
    _need(p, "case.transition")
    case = case_by_ref(session, p, ref)
    if data.status not in load_rules().state_machines["case"].statuses:
        raise InvalidInput(f"status: unknown status {data.status!r}", field="status",
                           rule="code_list")
    workflow.check_transition(case.status, data.status)
    if data.status in ("cancelled",) and not data.reason.strip():
        raise InvalidInput("reason: a cancellation needs a reason", field="reason",
                           rule="required_for_cancel")
    old = case.status
    case.status = data.status
    now = datetime.now(UTC)
    if data.status in ("answered", "closed", "cancelled"):
        for d in case.deadlines:
            if d.met_at is None:
                d.met_at = now
        case.next_due_at = None
    if data.status in ("closed", "cancelled"):
        case.closed_at = now
    elif case.closed_at is not None:
        case.closed_at = None
    _event(session, case, p, "status", old=old, new=data.status, reason=data.reason)
    audit.record(session, p, "alteration", "case", case.reference,
                 details={"status": [old, data.status], "reason": data.reason})
    return case


def add_note(session: Session, p: Principal, ref: str, data: NoteIn) -> Note:
    case = case_by_ref(session, p, ref)
    guard.need_case_write(p, case, "case.note")
    note = marking.add_marked(session, p, Note(case_id=case.id, author_id=p.user_id,
                                               body=data.body), data.markings, case)
    _event(session, case, p, "note", note_id=note.id)
    audit.record(session, p, "collection", "note", note.id, details={"case": case.reference})
    return note


def add_task(session: Session, p: Principal, ref: str, data: TaskIn) -> Task:
    _need(p, "case.work")  # tasks are the bureau's own workflow, on any case
    case = case_by_ref(session, p, ref)
    assignee = lookup.user(session, data.assignee, "assignee").id if data.assignee else None
    task = Task(case_id=case.id, title=data.title, assignee_id=assignee,
                due_at=data.due_at.astimezone(UTC) if data.due_at else None, created_by=p.user_id)
    session.add(task)
    session.flush()
    _event(session, case, p, "task", task_id=task.id, title=data.title)
    audit.record(session, p, "collection", "task", task.id, details={"case": case.reference})
    return task


def complete_task(session: Session, p: Principal, ref: str, task_id: int) -> Task:
    _need(p, "case.work")
    case = case_by_ref(session, p, ref)
    task = session.scalar(select(Task).where(Task.id == task_id, Task.case_id == case.id))
    if task is None:
        raise NotFound(f"no task {task_id} on case {case.reference}")
    if task.done_at is not None:
        raise Conflict(f"task {task_id} is already done", field="task", rule="not_done")
    task.done_at = datetime.now(UTC)
    _event(session, case, p, "task_done", task_id=task.id)
    audit.record(session, p, "alteration", "task", task.id, details={"done": True})
    return task


def meet_deadline(session: Session, p: Principal, ref: str, deadline_id: int) -> Deadline:
    _need(p, "case.transition")
    case = case_by_ref(session, p, ref)
    d = session.scalar(select(Deadline).where(Deadline.id == deadline_id,
                                              Deadline.case_id == case.id))
    if d is None:
        raise NotFound(f"no deadline {deadline_id} on case {case.reference}")
    d.met_at = datetime.now(UTC)
    pending = [x.due_at for x in case.deadlines if x.met_at is None]
    case.next_due_at = min(pending) if pending else None
    _event(session, case, p, "deadline_met", deadline=d.rule_id)
    audit.record(session, p, "alteration", "case", case.reference, details={"met": d.rule_id})
    return d


def add_entity(session: Session, p: Principal, ref: str, data: EntityIn) -> Entity:
    """Link a new person or object to a case: `entity.create`, on a case the caller may work."""
    _need(p, "entity.create")
    case = case_by_ref(session, p, ref)
    guard.need_case_write(p, case, "entity.create")
    return intake.add_entity(session, p, case, data)


__all__ = ["add_entity", "DomainError", "add_note", "add_task", "assign", "complete_task", "meet_deadline",
           "transition", "triage"]
