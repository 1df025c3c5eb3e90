"""Workbench pages for the tip queue (sanitise, dispatch, follow-up) and appeal management
(draft, publish as an audited supervisor decision, withdraw, mark caught). Behind login.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from ncb.adapters.deps import FactoryDep, PrincipalDep, get_settings_dep
from ncb.domain.policy import Principal
from ncb.services import appeals, tips
from ncb.services.appeals import AppealIn
from ncb.services.context import unit_of_work
from ncb.services.errors import Conflict, Forbidden, InvalidInput, TooLarge
from ncb.web.deps import FormDep, text
from ncb.web.templating import WebRoute, field_errors, render, service_field

router = APIRouter(route_class=WebRoute, include_in_schema=False)

TIP_TABS = {"received": "To sanitise", "sanitised": "To dispatch", "dispatched": "Dispatched",
            "closed": "Closed", "all": "All"}
APPEAL_FIELDS = ("kind", "case", "name", "aliases", "age", "year_of_birth", "height_cm",
                 "distinguishing_marks", "wanted_for", "believed_country", "entity_id")


def _need_any(p: Principal, *perms: str) -> None:
    if not any(p.has(x) for x in perms):
        raise Forbidden("your role may not do this")


# --- tips ----------------------------------------------------------------------------------


@router.get("/w/tips")
def tip_queue(request: Request, p: PrincipalDep, factory: FactoryDep, status: str = "") -> Response:
    _need_any(p, "tip.handle", "tip.dispatch")
    if status not in TIP_TABS:
        status = "received" if p.has("tip.handle") else "sanitised"
    with unit_of_work(factory, p) as session:
        rows = tips.queue(session, p, None if status == "all" else status)
        # Listed by public id: supervisors read the queue too, and the reference code is
        # half of the sender's credential (only the handler's tip page shows it).
        items = [{"id": t.public_id, "status": t.status,
                  "received": t.received_hour, "case": tips.case_ref_of(session, t),
                  "about": tips.appeal_case_ref(session, t),
                  "preview": ((t.body if tips.may_read_raw(p) else t.sanitised_body) or "")[:140]}
                 for t in rows]
    return render(request, "tips/queue.html", {"tips": items, "tab": status, "tabs": TIP_TABS},
                  principal=p)


def _tip_page(request: Request, p: Principal, factory: Any, tip_id: str,
              errors: dict[str, str] | None = None, flash: str | None = None,
              status: int = 200) -> Response:
    with unit_of_work(factory, p) as session:
        t = tips.open_tip(session, p, tip_id)
        ctx = {
            "tip": t, "raw": t.body if tips.may_read_raw(p) else None,
            "reference": tips.reference_for(p, t),
            "messages": tips.messages(session, p, t), "case": tips.case_ref_of(session, t),
            "about": tips.appeal_case_ref(session, t),
            "can_sanitise": p.has("tip.handle") and t.status in ("received", "sanitised"),
            "can_dispatch": p.has("tip.dispatch") and t.status == "sanitised",
            "errors": errors or {}, "flash": flash,
        }
    return render(request, "tips/tip.html", ctx, status=status, principal=p)


@router.get("/w/tips/{tip_id}")
def tip_page(request: Request, tip_id: str, p: PrincipalDep, factory: FactoryDep,
             done: str = "") -> Response:
    flash = {"sanitised": "Sanitised: a supervisor can now dispatch it.",
             "dispatched": "Dispatched to the case.", "asked": "Question sent: the sender reads "
             "it with their reference code.", "closed": "Tip closed."}.get(done)
    return _tip_page(request, p, factory, tip_id, flash=flash)


def _tip_action(request: Request, p: Principal, factory: Any, tip_id: str, done: str,
                action: Any) -> Response:
    try:
        with unit_of_work(factory, p) as session:
            action(session)
    except (InvalidInput, Conflict) as exc:
        return _tip_page(request, p, factory, tip_id, errors=service_field(exc), status=422)
    return RedirectResponse(f"/w/tips/{tip_id}?done={done}", 303)


@router.post("/w/tips/{tip_id}/sanitise")
def tip_sanitise(request: Request, tip_id: str, p: PrincipalDep, factory: FactoryDep,
                 form: FormDep) -> Response:
    body = text(form, "sanitised_body") or ""
    return _tip_action(request, p, factory, tip_id, "sanitised",
                       lambda s: tips.sanitise(s, p, tip_id, body))


@router.post("/w/tips/{tip_id}/dispatch")
def tip_dispatch(request: Request, tip_id: str, p: PrincipalDep, factory: FactoryDep,
                 form: FormDep) -> Response:
    case, why = text(form, "case") or "", text(form, "justification")
    return _tip_action(request, p, factory, tip_id, "dispatched",
                       lambda s: tips.dispatch(s, p, tip_id, case, why))


@router.post("/w/tips/{tip_id}/ask")
def tip_ask(request: Request, tip_id: str, p: PrincipalDep, factory: FactoryDep,
            form: FormDep) -> Response:
    question = text(form, "question") or ""
    return _tip_action(request, p, factory, tip_id, "asked",
                       lambda s: tips.ask(s, p, tip_id, question))


@router.post("/w/tips/{tip_id}/close")
def tip_close(request: Request, tip_id: str, p: PrincipalDep, factory: FactoryDep,
              form: FormDep) -> Response:
    return _tip_action(request, p, factory, tip_id, "closed", lambda s: tips.close(s, p, tip_id))


# --- appeals -------------------------------------------------------------------------------


def _state(a: Any) -> str:
    if a.withdrawn_at is not None:
        return "withdrawn"
    return "live" if a.published_at is not None else "draft"


@router.get("/w/appeals")
def appeal_list(request: Request, p: PrincipalDep, factory: FactoryDep) -> Response:
    with unit_of_work(factory, p) as session:
        rows = [{"a": a, "state": _state(a), "case": appeals.case_reference(session, a)}
                for a in appeals.list_appeals(session, p)]
        counts = appeals.public_counts(session)
    return render(request, "tips/appeals.html", {"appeals": rows, "counts": counts}, principal=p)


def _appeal_input(form: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {k: text(form, k) for k in APPEAL_FIELDS}
    data["aliases"] = [a.strip() for a in (data["aliases"] or "").split(",") if a.strip()]
    data = {k: v for k, v in data.items() if v is not None}
    data.setdefault("case", "")
    data.setdefault("name", "")
    data.setdefault("wanted_for", "")
    return data


def _photo(request: Request, form: dict[str, Any]) -> bytes | None:
    settings = get_settings_dep(request)
    upload = form.get("photo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = upload.file.read(settings.appeal_photo_kib * 1024 + 1)
    appeals.check_photo_size(settings, len(data))
    return data or None


def _form_values(form: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


@router.get("/w/appeals/new")
def appeal_new(request: Request, p: PrincipalDep, case: str = "") -> Response:
    _need_any(p, "appeal.draft", "appeal.publish")
    return render(request, "tips/appeal_form.html", {"errors": {}, "values": {"case": case},
                                                     "appeal": None}, principal=p)


@router.post("/w/appeals/new")
def appeal_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                  form: FormDep) -> Response:
    errors: dict[str, str]
    try:
        data = AppealIn.model_validate(_appeal_input(form))
        with unit_of_work(factory, p) as session:
            aid = appeals.draft_appeal(session, p, data, photo=_photo(request, form)).id
    except ValidationError as exc:
        errors = field_errors(exc)
    except (InvalidInput, TooLarge) as exc:
        errors = service_field(exc)
    else:
        return RedirectResponse(f"/w/appeals/{aid}?done=drafted", 303)
    return render(request, "tips/appeal_form.html", {"errors": errors, "appeal": None,
                                                     "values": _form_values(form)},
                  status=422, principal=p)


def _appeal_page(request: Request, p: Principal, factory: Any, appeal_id: int,
                 errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                 flash: str | None = None, status: int = 200) -> Response:
    with unit_of_work(factory, p) as session:
        a = appeals.get_appeal(session, p, appeal_id)
        case = appeals.case_reference(session, a)
        current = {"kind": a.kind, "case": case or "", "name": a.name, "aliases": ", ".join(a.aliases or []),
                   "age": a.age or "", "year_of_birth": a.year_of_birth or "",
                   "height_cm": a.height_cm or "", "distinguishing_marks": a.distinguishing_marks,
                   "wanted_for": a.wanted_for, "believed_country": a.believed_country or "",
                   "entity_id": a.entity_id or ""}
        live = appeals.is_live(a)
        ctx = {"appeal": a, "state": _state(a), "case": case, "errors": errors or {},
               "values": values or current, "flash": flash, "live": live,
               "can_publish": p.has("appeal.publish"),
               "can_edit": p.has("appeal.publish") or (not live and p.has("appeal.draft"))}
    return render(request, "tips/appeal.html", ctx, status=status, principal=p)


@router.get("/w/appeals/{appeal_id}")
def appeal_page(request: Request, appeal_id: int, p: PrincipalDep, factory: FactoryDep,
                done: str = "") -> Response:
    flash = {"drafted": "Draft saved. A supervisor must approve it before it is published.",
             "saved": "Changes saved.", "published": "Published: it is on the public site now.",
             "withdrawn": "Withdrawn: it is no longer on the public site.",
             "status": "Status changed."}.get(done)
    return _appeal_page(request, p, factory, appeal_id, flash=flash)


@router.post("/w/appeals/{appeal_id}")
def appeal_save(request: Request, appeal_id: int, p: PrincipalDep, factory: FactoryDep,
                form: FormDep) -> Response:
    errors: dict[str, str]
    try:
        data = AppealIn.model_validate(_appeal_input(form))
        with unit_of_work(factory, p) as session:
            appeals.update_appeal(session, p, appeal_id, data, photo=_photo(request, form),
                                  remove_photo=bool(text(form, "remove_photo")))
    except ValidationError as exc:
        errors = field_errors(exc)
    except (InvalidInput, TooLarge) as exc:
        errors = service_field(exc)
    else:
        return RedirectResponse(f"/w/appeals/{appeal_id}?done=saved", 303)
    return _appeal_page(request, p, factory, appeal_id, errors, _form_values(form), status=422)


def _appeal_action(request: Request, p: Principal, factory: Any, appeal_id: int, done: str,
                   action: Any) -> Response:
    try:
        with unit_of_work(factory, p) as session:
            action(session)
    except (InvalidInput, Conflict) as exc:
        return _appeal_page(request, p, factory, appeal_id, errors=service_field(exc), status=422)
    return RedirectResponse(f"/w/appeals/{appeal_id}?done={done}", 303)


@router.post("/w/appeals/{appeal_id}/publish")
def appeal_publish(request: Request, appeal_id: int, p: PrincipalDep, factory: FactoryDep,
                   form: FormDep) -> Response:
    why = text(form, "justification") or ""
    return _appeal_action(request, p, factory, appeal_id, "published",
                          lambda s: appeals.publish_appeal(s, p, appeal_id, why))


@router.post("/w/appeals/{appeal_id}/withdraw")
def appeal_withdraw(request: Request, appeal_id: int, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    why = text(form, "reason") or ""
    return _appeal_action(request, p, factory, appeal_id, "withdrawn",
                          lambda s: appeals.withdraw_appeal(s, p, appeal_id, why))


@router.post("/w/appeals/{appeal_id}/status")
def appeal_status(request: Request, appeal_id: int, p: PrincipalDep, factory: FactoryDep,
                  form: FormDep) -> Response:
    new = text(form, "status") or ""
    return _appeal_action(request, p, factory, appeal_id, "status",
                          lambda s: appeals.set_status(s, p, appeal_id, new))
