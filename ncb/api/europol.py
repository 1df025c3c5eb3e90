"""Europol (SIENA) API: messages with handling codes and 4x4 evaluation, permission, forwarding."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, File, Form, UploadFile, status

from ncb.adapters.deps import PrincipalDep, SessionDep, SettingsDep
from ncb.api.models import AttachmentOut, MessageOut
from ncb.services import exchange
from ncb.services.channels import europol

router = APIRouter(prefix="/europol", tags=["europol"])


class SienaMessageOut(MessageOut):
    source_grade: str | None
    intel_grade: str | None
    provider_permission: bool


@router.post("/cases/{ref}/messages", status_code=status.HTTP_201_CREATED, response_model=SienaMessageOut)
def send(ref: str, body: europol.SienaMessageIn, session: SessionDep, p: PrincipalDep) -> SienaMessageOut:
    """A SIENA message; a reply inherits the strictest handling code of what it answers."""
    return SienaMessageOut.model_validate(europol.send(session, p, ref, body))


@router.post("/cases/{ref}/messages/{message_id}/permission", response_model=SienaMessageOut)
def permission(
    ref: str, message_id: int, body: europol.PermissionIn, session: SessionDep, p: PrincipalDep
) -> SienaMessageOut:
    """Record the provider's permission to pass the message on."""
    return SienaMessageOut.model_validate(europol.record_permission(session, p, ref, message_id, body))


@router.post(
    "/cases/{ref}/messages/{message_id}/forward",
    status_code=status.HTTP_201_CREATED,
    response_model=SienaMessageOut,
)
def forward(
    ref: str,
    message_id: int,
    session: SessionDep,
    p: PrincipalDep,
    recipients: Annotated[list[str], Body(embed=True)],
) -> SienaMessageOut:
    """Forward: H2 is refused unless the provider's permission is recorded."""
    return SienaMessageOut.model_validate(exchange.forward_message(session, p, ref, message_id, recipients))


@router.post("/cases/{ref}/attachments", status_code=status.HTTP_201_CREATED, response_model=AttachmentOut)
def attach(
    ref: str,
    session: SessionDep,
    p: PrincipalDep,
    file: Annotated[UploadFile, File()],
    settings: SettingsDep,
    note: Annotated[str, Form()] = "",
) -> AttachmentOut:
    """Attachments above NCB_MAX_ATTACHMENT_MB (50) are refused with a pointer to the large-file
    exchange."""
    content = file.file.read()
    type_ = file.content_type or "application/octet-stream"
    return AttachmentOut.model_validate(
        exchange.add_attachment(session, p, ref, file.filename or "", type_, content, settings=settings)
    )
