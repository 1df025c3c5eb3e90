"""Interpol pages: notices by type and status, drafting, one notice and its review steps, the
JSON import and the SLTD check. Each handler parses, calls one service, renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ncb.adapters.deps import FactoryDep, PrincipalDep, SettingsDep, require
from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels import interpol, interpol_views
from ncb.services.context import unit_of_work
from ncb.services.errors import InvalidInput
from ncb.web.deps import FormDep, listed, text
from ncb.web.forms import interpol as forms
from ncb.web.forms.common import Errors, countries, unprefixed, values
from ncb.web.pages.channel_kit import attempt, channel_page
from ncb.web.templating import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
MAY_DRAFT = [Depends(require("notice.draft", "your role may not draft notices"))]
MAY_IMPORT = [Depends(require("entity.create", "your role may not import notices"))]
FLASH = {"draft": "Notice drafted. Record the Article 3 assessment next.",
         "article3": "Article 3 assessment recorded.", "submit": "Notice submitted.",
         "review": "Review outcome recorded.", "consent": "Publication consent recorded.",
         "cancel": "Notice cancelled."}


@router.get("/w/interpol")
def interpol_list(request: Request, p: PrincipalDep, factory: FactoryDep, settings: SettingsDep,
                  type: str = "", status: str = "", page: int = 1) -> Response:  # noqa: A002
    page = max(page, 1)
    with unit_of_work(factory, p) as session:
        found = interpol_views.notice_list(session, p, type, status, page,
                                           settings.channel_page_size)
        return channel_page(request, p, "interpol_list.html", found | {
            "type": type, "status": status, "types": forms.notice_types(), "page": page})


def _notice_new(request: Request, p: Principal, errors: Errors | None = None,
                filled: dict[str, Any] | None = None) -> Response:
    return channel_page(request, p, "interpol_notice_new.html", {
        "types": forms.notice_types(), "countries": countries(), "errors": errors or {},
        "values": filled or {"notice_type": "red", "requesting_country": "GB"}},
        status=422 if errors else 200)


@router.get("/w/interpol/notices/new", dependencies=MAY_DRAFT)
def interpol_notice_new(request: Request, p: PrincipalDep) -> Response:
    return _notice_new(request, p)


@router.post("/w/interpol/notices/new")
def interpol_notice_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                           form: FormDep) -> Response:
    payload = forms.notice_payload(form)

    def go(s: Session) -> int:
        return interpol.draft(s, p, interpol.NoticeIn.model_validate(payload)).id

    notice_id, errors = attempt(factory, p, go, "n", forms.NOTICE_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/interpol/notices/{notice_id}?done=draft", 303)
    return _notice_new(request, p, forms.notice_errors(errors), values(form))


def _notice_page(request: Request, p: Principal, factory: sessionmaker[Session], notice_id: int,
                 errors: Errors | None = None, filled: dict[str, Any] | None = None,
                 flash: str | None = None) -> Response:
    with unit_of_work(factory, p) as session:
        ctx = interpol_views.notice_page(session, p, notice_id)
        return channel_page(request, p, "interpol_notice.html", ctx | {
            "flash": flash, "errors": errors or {}, "values": filled or {}},
            status=422 if errors else 200)


@router.get("/w/interpol/notices/{notice_id}")
def interpol_notice(request: Request, notice_id: int, p: PrincipalDep, factory: FactoryDep,
                    done: str = "") -> Response:
    return _notice_page(request, p, factory, notice_id, flash=FLASH.get(done))


def _notice_action(request: Request, p: Principal, factory: sessionmaker[Session],
                   notice_id: int, form: dict[str, Any], action: str,
                   fn: Callable[[Session], Any], known: set[str]) -> Response:
    _, errors = attempt(factory, p, fn, action, known)
    if not errors:
        return RedirectResponse(f"/w/interpol/notices/{notice_id}?done={action}#{action}", 303)
    return _notice_page(request, p, factory, notice_id, errors, values(form))


@router.post("/w/interpol/notices/{notice_id}/article3")
def interpol_article3(request: Request, notice_id: int, p: PrincipalDep,
                            factory: FactoryDep, form: FormDep) -> Response:
    concerns = listed(request, "article3.concerns")

    def go(s: Session) -> None:
        interpol.article3(s, p, notice_id, interpol.Article3In.model_validate(
            {"concerns": concerns, "rationale": text(form, "article3.rationale") or ""}))
    return _notice_action(request, p, factory, notice_id, form, "article3", go,
                          {"concerns", "rationale", "assessed_at"})


@router.post("/w/interpol/notices/{notice_id}/submit")
def interpol_submit(request: Request, notice_id: int, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    return _notice_action(request, p, factory, notice_id, form, "submit",
                          lambda s: interpol.submit(s, p, notice_id), set())


@router.post("/w/interpol/notices/{notice_id}/review")
def interpol_review(request: Request, notice_id: int, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    def go(s: Session) -> None:
        interpol.review(s, p, notice_id, interpol.ReviewIn.model_validate(
            {"outcome": text(form, "review.outcome") or "", "note": text(form, "review.note")
             or ""}))
    return _notice_action(request, p, factory, notice_id, form, "review", go,
                          {"outcome", "note", "status"})


@router.post("/w/interpol/notices/{notice_id}/consent")
def interpol_consent(request: Request, notice_id: int, p: PrincipalDep, factory: FactoryDep,
                     form: FormDep) -> Response:
    def go(s: Session) -> None:
        interpol.public_consent(s, p, notice_id, interpol.ConsentIn.model_validate(
            {"consent": text(form, "consent.consent") == "yes",
             "note": text(form, "consent.note") or ""}))
    return _notice_action(request, p, factory, notice_id, form, "consent", go,
                          {"consent", "note"})


@router.post("/w/interpol/notices/{notice_id}/cancel")
def interpol_cancel(request: Request, notice_id: int, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    def go(s: Session) -> None:
        interpol.cancel(s, p, notice_id, interpol.CancelIn.model_validate(
            {"reason": text(form, "cancel.reason") or ""}))
    return _notice_action(request, p, factory, notice_id, form, "cancel", go,
                          {"reason", "status"})


@router.get("/w/interpol/import", dependencies=MAY_IMPORT)
def interpol_import_page(request: Request, p: PrincipalDep) -> Response:
    return channel_page(request, p, "interpol_import.html", {"types": forms.notice_types(),
                                                             "values": {"type": "red"}})


@router.post("/w/interpol/import")
async def interpol_import(request: Request, p: PrincipalDep, factory: FactoryDep,
                          form: FormDep, settings: SettingsDep) -> Response:
    notice_type = text(form, "type") or "red"
    bad: list[dict[str, Any]] = []
    imported: list[str] = []
    items, errors = await forms.import_file(form, settings.interpol_import_mb)
    if not errors:
        if notice_type not in load_rules().notice_types:
            errors["type"] = f"type: unknown notice type {notice_type!r}"
        else:
            def store() -> list[str]:  # in the threadpool: never wait for a lock on the loop
                with unit_of_work(factory, p) as session:
                    rows = interpol.import_notices(session, p, interpol.unwrap(items),
                                                   notice_type)
                    return [n.notice_ref for n in rows]

            try:
                imported = await run_in_threadpool(store)
            except InvalidInput as exc:
                errors["file"] = exc.detail
                bad = list(exc.extra.get("bad_records") or [])
            except DomainError as exc:
                errors["file"] = exc.message
    return channel_page(request, p, "interpol_import.html", {
        "types": forms.notice_types(), "values": {"type": notice_type}, "errors": errors,
        "bad": bad, "imported": imported}, status=422 if errors else 200)


@router.get("/w/interpol/sltd")
def sltd_page(request: Request, p: PrincipalDep) -> Response:
    return channel_page(request, p, "interpol_sltd.html", {"countries": countries(),
                                                           "result": None})


@router.post("/w/interpol/sltd")
def sltd_check(request: Request, p: PrincipalDep, factory: FactoryDep, form: FormDep
               ) -> Response:
    payload = forms.sltd_payload(form)

    def go(s: Session) -> dict[str, Any]:
        return interpol.sltd_check(s, p, interpol.SltdCheckIn.model_validate(payload))

    result, errors = attempt(factory, p, go, "sltd", forms.SLTD_FIELDS)
    return channel_page(request, p, "interpol_sltd.html", {
        "countries": countries(), "result": result, "errors": unprefixed(errors, "sltd"),
        "values": values(form)}, status=422 if errors else 200)
