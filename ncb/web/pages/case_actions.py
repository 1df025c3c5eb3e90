"""Case page exchange actions: record and forward messages, share with agencies, attachments.

Each POST runs the service in its own transaction; a refusal re-renders the case page with the
reason beside the field that caused it (recipients, agencies, file).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from ncb.adapters.deps import FactoryDep, PrincipalDep, get_settings_dep
from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.services import exchange, exchange_views, reading
from ncb.services.case_view import case_view
from ncb.services.context import unit_of_work
from ncb.services.errors import Forbidden, NotFound, ServiceError
from ncb.services.exchange_inputs import MessageIn, ShareIn
from ncb.services.inputs import MarkingsIn
from ncb.web.deps import FormDep, text
from ncb.web.pages.cases import form_options
from ncb.web.templating import TEMPLATES, WebRoute, field_errors, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)

SPLIT = re.compile(r"[,;\s]+")


def codes(value: str | None) -> list[str]:
    """Agency codes or addresses typed one per line or separated by commas."""
    return [c for c in SPLIT.split(value or "") if c]


# case.html opens a form's <details> when an error key passes the `match` test ('^entity');
# Jinja has no such test built in, so any error re-render failed without it.
TEMPLATES.env.tests.setdefault("match", lambda value, pattern: re.match(pattern, str(value))
                               is not None)


def _page(request: Request, factory: Any, p: Principal, ref: str, *, errors: dict[str, str],
          values: dict[str, Any], status: int, extra: dict[str, Any] | None = None,
          flash: str | None = None) -> Response:
    with unit_of_work(factory, p) as session:
        view = case_view(session, p, ref, get_settings_dep(request))
        ctx = {**view.context(), "errors": errors, "values": values, "flash": flash,
               "options": form_options(), **(extra or {})}
        return render(request, "case.html", ctx, status=status, principal=p)


def _values(form: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


def _run(request: Request, p: Principal, factory: Any, ref: str, form: dict[str, Any],
         action: Callable[[Session], str], prefix: str, field_map: dict[str, str] | None = None,
         ) -> Response:
    """Run one change; on success go to the URL it returns, else re-render with the error.

    `field_map` renames a service or domain error's field to the form field it concerns.
    """
    fmap = field_map or {}

    def name(raw: str) -> str:  # 'recipients.0' / 'agencies[1]' -> the form field's name
        base = ".".join(x for x in re.sub(r"\[\d+\]", "", raw).split(".") if not x.isdigit())
        return fmap.get(raw, fmap.get(base, base))

    errors: dict[str, str] = {}
    status = 422
    try:
        with unit_of_work(factory, p) as session:
            target = action(session)
    except ValidationError as exc:
        errors = {f"{prefix}.{name(k)}": v for k, v in field_errors(exc).items()}
    except DomainError as exc:
        errors = {f"{prefix}.{name(exc.field)}": exc.message}
    except ServiceError as exc:
        if isinstance(exc, NotFound | Forbidden) and not exc.field:
            raise
        status = exc.status if exc.status in (409, 413, 422) else 422
        errors = {f"{prefix}.{name(exc.field or '__all__')}": exc.detail}
    else:
        return RedirectResponse(target, 303)
    return _page(request, factory, p, ref, errors=errors, values=_values(form), status=status)


# ---------------------------------------------------------------- messages


def _int(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise DomainError(name, "integer", "choose a message from the list") from None


def message_input(session: Session, p: Principal, ref: str, form: dict[str, Any]) -> MessageIn:
    case = reading.case_by_ref(session, p, ref)
    reply_to = _int(text(form, "msg.in_reply_to"), "in_reply_to")
    code, cond = text(form, "msg.handling_code"), text(form, "msg.handling_conditions")
    tlp, origin = text(form, "msg.tlp"), text(form, "msg.originator")
    markings = None
    if code or cond or tlp or origin:
        # Start from the case's markings so naming a code never lowers the classification.
        markings = MarkingsIn(
            classification=case.classification, tlp=tlp or case.tlp,
            handling_code=code or (None if reply_to else case.handling_code),
            handling_conditions=cond, originator=origin)
    return MessageIn.model_validate({
        "direction": text(form, "msg.direction") or "",
        "sender": text(form, "msg.sender") or "",
        "recipients": codes(text(form, "msg.recipients")),
        "subject": text(form, "msg.subject") or "",
        "body": text(form, "msg.body") or "",
        "in_reply_to": reply_to,
        "provider_permission": bool(text(form, "msg.provider_permission")),
        "markings": markings,
    })


MESSAGE_FIELDS = {"markings.handling_code": "handling_code", "parent_codes": "handling_code",
                  "markings.handling_conditions": "handling_conditions", "markings.tlp": "tlp",
                  "markings.originator": "originator", "markings.classification": "handling_code"}


@router.post("/w/cases/{ref}/messages")
def record_message(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                   form: FormDep) -> Response:
    def go(s: Session) -> str:
        msg = exchange.add_message(s, p, ref, message_input(s, p, ref, form))
        return f"/w/cases/{ref}?message={msg.id}#messages"
    return _run(request, p, factory, ref, form, go, "msg", MESSAGE_FIELDS)


@router.post("/w/cases/{ref}/messages/{message_id}/forward")
def forward(request: Request, ref: str, message_id: int, p: PrincipalDep, factory: FactoryDep,
            form: FormDep) -> Response:
    recipients = codes(text(form, f"fwd.{message_id}.recipients"))

    def go(s: Session) -> str:
        if not recipients:
            raise DomainError("recipients", "required", "name at least one recipient")
        msg = exchange.forward_message(s, p, ref, message_id, recipients)
        return f"/w/cases/{ref}?message={msg.id}#messages"
    # Whatever rule refuses the forward (H2, H3, unknown code), it is shown by the recipients.
    fmap = {"handling_code": "recipients", "in_reply_to": "recipients", "__all__": "recipients"}
    return _run(request, p, factory, ref, form, go, f"fwd.{message_id}", fmap)


# ---------------------------------------------------------------- sharing


@router.post("/w/cases/{ref}/share")
def share(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
          form: FormDep) -> Response:
    errors: dict[str, str] = {}
    decisions: list[dict[str, Any]] = []
    status = 422
    try:
        with unit_of_work(factory, p) as session:
            kind, rid = exchange_views.share_target(session, p, ref, text(form, "share.record"))
            data = ShareIn.model_validate({
                "agencies": codes(text(form, "share.agencies")),
                "justification": text(form, "share.justification") or "",
                "provider_permission": bool(text(form, "share.provider_permission"))})
            decisions = exchange.share(session, p, kind, rid, data)
    except ValidationError as exc:
        errors = {f"share.{k.split('.')[0]}": v for k, v in field_errors(exc).items()}
    except DomainError as exc:
        errors = {f"share.{exc.field}": exc.message}
    except ServiceError as exc:
        if not exc.field:
            raise
        decisions = list(exc.extra.get("decisions") or [])
        errors = {f"share.{exc.field.split('[')[0]}": exc.detail}
        status = 403 if isinstance(exc, Forbidden) else 422
    else:
        done = ", ".join(d["agency"] for d in decisions)
        return _page(request, factory, p, ref, errors={}, values={}, status=200,
                     extra={"share_decisions": decisions},
                     flash=f"Shared with {done}. The disclosure is logged.")
    return _page(request, factory, p, ref, errors=errors, values=_values(form), status=status,
                 extra={"share_decisions": decisions})


# ---------------------------------------------------------------- attachments


@router.post("/w/cases/{ref}/attachments")
def upload(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
           form: FormDep) -> Response:
    upload_file = form.get("file")

    def go(s: Session) -> str:
        if not isinstance(upload_file, UploadFile) or not upload_file.filename:
            raise DomainError("file", "required", "choose a file to upload")
        content = upload_file.file.read()
        exchange.add_attachment(s, p, ref, upload_file.filename,
                                upload_file.content_type or "application/octet-stream", content,
                                settings=get_settings_dep(request))
        return f"/w/cases/{ref}?uploaded=1#attachments"
    return _run(request, p, factory, ref, form, go, "att")


@router.get("/w/cases/{ref}/attachments/{att_id}")
def download(ref: str, att_id: int, p: PrincipalDep, factory: FactoryDep) -> Response:
    with unit_of_work(factory, p) as session:
        att = exchange.open_attachment(session, p, ref, att_id)
        data, name, ctype, digest = att.data, att.filename, att.content_type, att.sha256
    ascii_name = re.sub(r'[^A-Za-z0-9._ -]', "_", name) or "attachment"
    return Response(data, media_type=ctype or "application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "X-SHA256": digest})
