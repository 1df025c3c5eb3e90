"""Case API: intake, reading, triage, assignment, status, notes, tasks, messages, attachments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Response, UploadFile, status

from ncb.adapters.deps import PrincipalDep, SessionDep, SettingsDep
from ncb.api.cases_models import (
    CaseBatchIn,
    CaseOut,
    EventOut,
    NoteOut,
    QueuePage,
    TaskOut,
    case_out,
)
from ncb.api.models import AttachmentOut, CaseSummary, EntityOut, MessageOut
from ncb.services import casework, exchange, intake, queues, reading
from ncb.services import entities as entities_svc
from ncb.services.casework_inputs import AssignIn, NoteIn, TaskIn, TransitionIn, TriageIn
from ncb.services.exchange_inputs import MessageIn
from ncb.services.inputs import CaseIn, EntityIn, MarkingsIn

router = APIRouter(prefix="/cases", tags=["cases"])
Justification = Annotated[
    str | None,
    Header(
        alias="X-Justification",
        description="Why you open a record marked "
        "OFFICIAL-SENSITIVE or above (required for those, logged for all)",
    ),
]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CaseOut)
def create_case(body: CaseIn, session: SessionDep, p: PrincipalDep) -> CaseOut:
    """Intake: validate, route to a team, set the deadline, log the collection."""
    return case_out(intake.receive_case(session, p, body))


@router.post("/batch", status_code=status.HTTP_201_CREATED, response_model=list[CaseSummary])
def create_cases(body: CaseBatchIn, session: SessionDep, p: PrincipalDep) -> list[CaseSummary]:
    """Intake of many cases (a channel feed, an import) in one transaction: all or nothing.

    A refused case names its position: `cases[3].requesting_agency`.
    """
    made = intake.intake_cases(session, p, body.cases, field_prefix="cases")
    return [CaseSummary.model_validate(c) for c in made]


@router.get("/queue/{name}", response_model=QueuePage)
def queue(
    name: str,
    session: SessionDep,
    p: PrincipalDep,
    channel: str | None = None,
    country: str | None = None,
    crime_area: str | None = None,
    priority: str | None = None,
    status_: Annotated[str | None, Query(alias="status")] = None,
    hours: Annotated[int, Query(description="window of the 'due' queue")] = 24,
    sort: str = "due",
    page: int = 1,
    page_size: int = 50,
) -> QueuePage:
    """Queues: mine, team, unassigned, due (within `hours`), overdue, desk (supervisors)."""
    f = queues.QueueFilter(channel, country, crime_area, priority, status_)
    result = queues.queue(session, p, name, f, hours=hours, sort=sort, page=page, page_size=page_size)
    return QueuePage(
        queue=name,
        page=result.page,
        page_size=result.page_size,
        has_next=result.has_next,
        items=[CaseSummary.model_validate(c) for c in result.items],
    )


@router.get("/{ref}", response_model=CaseOut)
def get_case(
    ref: str, session: SessionDep, p: PrincipalDep, x_justification: Justification = None
) -> CaseOut:
    """Open a case (consultation is logged; sensitive cases need X-Justification)."""
    return case_out(reading.open_case(session, p, ref, x_justification))


@router.post("/{ref}/triage", response_model=CaseOut)
def triage(ref: str, body: TriageIn, session: SessionDep, p: PrincipalDep) -> CaseOut:
    return case_out(casework.triage(session, p, ref, body))


@router.post("/{ref}/assign", response_model=CaseOut)
def assign(ref: str, body: AssignIn, session: SessionDep, p: PrincipalDep) -> CaseOut:
    return case_out(casework.assign(session, p, ref, body))


@router.post("/{ref}/status", response_model=CaseOut)
def change_status(ref: str, body: TransitionIn, session: SessionDep, p: PrincipalDep) -> CaseOut:
    """Move the case along its state machine; a forbidden move names the allowed ones."""
    return case_out(casework.transition(session, p, ref, body))


@router.post("/{ref}/deadlines/{deadline_id}/met", response_model=CaseOut)
def meet_deadline(ref: str, deadline_id: int, session: SessionDep, p: PrincipalDep) -> CaseOut:
    casework.meet_deadline(session, p, ref, deadline_id)
    return case_out(reading.case_by_ref(session, p, ref))


@router.get("/{ref}/timeline", response_model=list[EventOut])
def timeline(ref: str, session: SessionDep, p: PrincipalDep) -> list[EventOut]:
    rows = casework.children(session, p, ref, "events")
    return [EventOut.model_validate(e) for e in rows]


@router.post("/{ref}/notes", status_code=201, response_model=NoteOut)
def add_note(ref: str, body: NoteIn, session: SessionDep, p: PrincipalDep) -> NoteOut:
    return NoteOut.model_validate(casework.add_note(session, p, ref, body))


@router.get("/{ref}/notes", response_model=list[NoteOut])
def notes(ref: str, session: SessionDep, p: PrincipalDep) -> list[NoteOut]:
    rows = casework.children(session, p, ref, "notes")
    return [NoteOut.model_validate(n) for n in rows]


@router.post("/{ref}/tasks", status_code=201, response_model=TaskOut)
def add_task(ref: str, body: TaskIn, session: SessionDep, p: PrincipalDep) -> TaskOut:
    return TaskOut.model_validate(casework.add_task(session, p, ref, body))


@router.get("/{ref}/tasks", response_model=list[TaskOut])
def tasks(ref: str, session: SessionDep, p: PrincipalDep) -> list[TaskOut]:
    rows = casework.children(session, p, ref, "tasks")
    return [TaskOut.model_validate(t) for t in rows]


@router.post("/{ref}/tasks/{task_id}/done", response_model=TaskOut)
def complete_task(ref: str, task_id: int, session: SessionDep, p: PrincipalDep) -> TaskOut:
    return TaskOut.model_validate(casework.complete_task(session, p, ref, task_id))


@router.post("/{ref}/messages", status_code=201, response_model=MessageOut)
def add_message(ref: str, body: MessageIn, session: SessionDep, p: PrincipalDep) -> MessageOut:
    """Record a message in or out; outgoing ones are logged as disclosures with recipients."""
    return MessageOut.model_validate(exchange.add_message(session, p, ref, body))


@router.get("/{ref}/messages", response_model=list[MessageOut])
def messages(ref: str, session: SessionDep, p: PrincipalDep) -> list[MessageOut]:
    rows = casework.children(session, p, ref, "messages")
    return [MessageOut.model_validate(m) for m in rows]


@router.post("/{ref}/messages/{message_id}/forward", status_code=201, response_model=MessageOut)
def forward(
    ref: str, message_id: int, recipients: list[str], session: SessionDep, p: PrincipalDep
) -> MessageOut:
    """Forward a message; Europol H2 needs the provider's recorded permission."""
    return MessageOut.model_validate(exchange.forward_message(session, p, ref, message_id, recipients))


@router.post("/{ref}/attachments", status_code=201, response_model=AttachmentOut)
def add_attachment(
    ref: str,
    session: SessionDep,
    p: PrincipalDep,
    file: Annotated[UploadFile, File()],
    settings: SettingsDep,
    classification: Annotated[str | None, Form()] = None,
) -> AttachmentOut:
    """Upload a file (SHA-256 recorded; refused above the size limit with the large-file route)."""
    # A plain def: the queries run in the threadpool, never on the event loop (see ncb.web.deps).
    content = file.file.read()
    markings = MarkingsIn(classification=classification) if classification else None
    att = exchange.add_attachment(
        session,
        p,
        ref,
        file.filename or "",
        file.content_type or "application/octet-stream",
        content,
        markings,
        settings=settings,
    )
    return AttachmentOut.model_validate(att)


@router.get("/{ref}/attachments", response_model=list[AttachmentOut])
def attachments(ref: str, session: SessionDep, p: PrincipalDep) -> list[AttachmentOut]:
    rows = casework.children(session, p, ref, "attachments")
    return [AttachmentOut.model_validate(a) for a in rows]


@router.get("/{ref}/attachments/{att_id}")
def download(ref: str, att_id: int, session: SessionDep, p: PrincipalDep) -> Response:
    att = exchange.open_attachment(session, p, ref, att_id)
    return Response(
        att.data,
        media_type=att.content_type,
        headers={"Content-Disposition": f'attachment; filename="{att.filename}"', "X-SHA256": att.sha256},
    )


@router.post("/{ref}/entities", status_code=201, response_model=EntityOut)
def add_entity(ref: str, body: EntityIn, session: SessionDep, p: PrincipalDep) -> EntityOut:
    """Link a person or object to the case, with provenance."""
    return EntityOut.model_validate(casework.add_entity(session, p, ref, body))


@router.get("/{ref}/entities", response_model=list[EntityOut])
def entities(ref: str, session: SessionDep, p: PrincipalDep) -> list[EntityOut]:
    return [EntityOut.model_validate(e) for e in entities_svc.of_case(session, p, ref)]
