"""Europol (SIENA) pages: the channel's cases, one case's messages, sending, forwarding and the
provider's permission. Each handler parses, calls one service, renders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from ncb.adapters.deps import FactoryDep, PrincipalDep, SettingsDep, require
from ncb.domain.policy import Principal
from ncb.services import exchange
from ncb.services.channels import europol, europol_views
from ncb.services.context import unit_of_work
from ncb.web.deps import FormDep, text
from ncb.web.forms import europol as forms
from ncb.web.forms.common import Errors, values
from ncb.web.pages.channel_kit import attempt, channel_page
from ncb.web.templating import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
MAY_SEND = [Depends(require("message.send", "your role may not exchange messages"))]
FLASH = {"message": "Message recorded.", "forward": "Message forwarded.",
         "permission": "Provider's permission recorded."}


@router.get("/w/europol")
def europol_list(request: Request, p: PrincipalDep, factory: FactoryDep,
                 settings: SettingsDep) -> Response:
    with unit_of_work(factory, p) as session:
        found = europol_views.case_list(session, p, settings.europol_latest_cases)
        return channel_page(request, p, "europol_list.html", found)


def _europol_page(request: Request, p: Principal, factory: sessionmaker[Session], ref: str,
                  errors: Errors | None = None, filled: dict[str, Any] | None = None,
                  flash: str | None = None) -> Response:
    with unit_of_work(factory, p) as session:
        ctx = europol_views.case_page(session, p, ref)
        return channel_page(request, p, "europol_case.html", ctx | {
            "flash": flash, "errors": errors or {},
            "values": filled or {"msg.direction": "out", "msg.handling_code": "H0",
                                 "msg.sender": p.agency_code}}, status=422 if errors else 200)


@router.get("/w/europol/{ref}")
def europol_case(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                 done: str = "") -> Response:
    return _europol_page(request, p, factory, ref, flash=FLASH.get(done))


@router.post("/w/europol/{ref}/messages", dependencies=MAY_SEND)
def europol_message(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    payload = forms.message_payload(form)

    def go(s: Session) -> None:
        europol.send(s, p, ref, europol.SienaMessageIn.model_validate(payload))

    _, errors = attempt(factory, p, go, "msg", forms.MSG_FIELDS)
    errors = forms.message_errors(errors)
    if not errors:
        return RedirectResponse(f"/w/europol/{ref}?done=message#messages", 303)
    return _europol_page(request, p, factory, ref, errors, values(form))


@router.post("/w/europol/{ref}/messages/{message_id}/forward")
def europol_forward(request: Request, ref: str, message_id: int, p: PrincipalDep,
                    factory: FactoryDep, form: FormDep) -> Response:
    prefix = f"fw{message_id}"
    recipients = forms.forward_recipients(form, prefix)

    def go(s: Session) -> None:
        exchange.forward_message(s, p, ref, message_id, recipients)

    _, errors = attempt(factory, p, go, prefix, {"recipients", "handling_code"})
    if f"{prefix}.handling_code" in errors:  # the H2/H3 rule, explained beside the recipients
        errors[f"{prefix}.recipients"] = errors.pop(f"{prefix}.handling_code")
    if not errors:
        return RedirectResponse(f"/w/europol/{ref}?done=forward#messages", 303)
    return _europol_page(request, p, factory, ref, errors, values(form))


@router.post("/w/europol/{ref}/messages/{message_id}/permission")
def europol_permission(request: Request, ref: str, message_id: int, p: PrincipalDep,
                       factory: FactoryDep, form: FormDep) -> Response:
    prefix = f"perm{message_id}"

    def go(s: Session) -> None:
        europol.record_permission(s, p, ref, message_id, europol.PermissionIn.model_validate(
            {"note": text(form, f"{prefix}.note") or ""}))

    _, errors = attempt(factory, p, go, prefix, {"note"})
    if not errors:
        return RedirectResponse(f"/w/europol/{ref}?done=permission#messages", 303)
    return _europol_page(request, p, factory, ref, errors, values(form))
