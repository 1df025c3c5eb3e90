"""Case pages: open (with justification when sensitive), work it, add entities, create one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ncb.adapters.deps import FactoryDep, PrincipalDep, get_settings_dep
from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import casework, reading, screening
from ncb.services.case_view import CaseView, case_view, consult
from ncb.services.casework_inputs import AssignIn, NoteIn, TaskIn, TransitionIn
from ncb.services.context import unit_of_work
from ncb.services.errors import Forbidden, InvalidInput, JustificationRequired, ServiceError
from ncb.services.inputs import CaseIn, EntityIn, handling_codes
from ncb.services.intake import add_entity, intake_case
from ncb.web.deps import FormDep, text
from ncb.web.forms.common import as_utc
from ncb.web.pages.queues import filter_options
from ncb.web.templating import (
    WebRoute,
    field_errors,
    grant_justification,
    granted_justification,
    render,
    service_field,
)

router = APIRouter(route_class=WebRoute, include_in_schema=False)

ENTITY_FIELDS = ("kind", "name", "first_name", "last_name", "date_of_birth", "gender",
                 "nationality", "identifier", "role")
PERSON_FIELDS = ("first_name", "last_name", "date_of_birth", "gender", "nationality",
                 "identifier")


def form_options() -> dict[str, Any]:
    rules = load_rules()
    return {
        **filter_options(),
        "classification": list(rules.classifications),
        "tlp": list(rules.tlp),
        "handling_code": sorted(handling_codes()),
        "request_type": [(k, v.label) for k, v in rules.request_types.items()],
    }


def _render_case(request: Request, session: Session, p: Principal, ref: str,
                 errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                 status: int = 200, flash: str | None = None,
                 view: CaseView | None = None) -> Response:
    view = view or case_view(session, p, ref, get_settings_dep(request))
    ctx = {**view.context(), "errors": errors or {}, "values": values or {},
           "flash": flash, "options": form_options()}
    return render(request, "case.html", ctx, status=status, principal=p)


@router.get("/w/cases/new")
def new_case_page(request: Request, p: PrincipalDep) -> Response:
    if not p.has("case.create"):
        raise Forbidden("your role may not create cases")
    return render(request, "case_new.html", {"errors": {}, "values": {
        "direction": "incoming", "priority": "normal", "markings.classification": "OFFICIAL",
        "markings.tlp": "TLP:AMBER", "markings.handling_code": "P"},
        "options": form_options()}, principal=p)


def case_input(form: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {k: text(form, k) for k in (
        "channel", "direction", "request_type", "title", "summary", "external_ref",
        "requesting_agency", "requesting_country", "country", "crime_area", "priority")}
    data = {k: v for k, v in data.items() if v is not None}
    data.setdefault("title", "")
    data.setdefault("channel", "")
    data["markings"] = {k: text(form, f"markings.{k}") for k in (
        "classification", "handling_code", "handling_conditions", "tlp")}
    person = {k: text(form, f"person.{k}") for k in PERSON_FIELDS}
    if any(person.values()):
        data["entities"] = [{"kind": "person", **{k: v for k, v in person.items() if v}}]
    return data


RENAME = {"entities.0": "person"}


@router.post("/w/cases/new")
def new_case_submit(request: Request, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    errors: dict[str, str] = {}
    try:
        data = CaseIn.model_validate(case_input(form))
    except ValidationError as exc:
        errors = field_errors(exc, RENAME)
    else:
        try:
            with unit_of_work(factory, p) as session:
                case = intake_case(session, p, data)
                ref = case.reference
        except (InvalidInput, DomainError) as exc:
            errors = (service_field(exc, RENAME) if isinstance(exc, ServiceError)
                      else {exc.field: exc.message})
        except Forbidden as exc:
            if exc.field:
                errors = service_field(exc, RENAME)
            else:
                raise
        else:
            url = f"/w/cases/{ref}?created=1"
            if data.markings.classification != "OFFICIAL":
                response = RedirectResponse(url, 303)
                grant_justification(response, request, ref, "created this case")
                return response
            return RedirectResponse(url, 303)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    return render(request, "case_new.html", {"errors": errors, "values": values,
                                             "options": form_options()}, status=422, principal=p)


@router.get("/w/cases/{ref}")
def case_page(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
              created: int = 0) -> Response:
    justification = granted_justification(request, ref)
    try:
        with unit_of_work(factory, p) as session:
            view = consult(session, p, ref, justification, get_settings_dep(request))
            flash = None
            if created:
                n = len(view.hits)
                flash = ("Case created. Screening: "
                         + (f"{n} hit(s) to review below." if n else "no hits."))
            return _render_case(request, session, p, ref, flash=flash, view=view)
    except JustificationRequired as exc:
        return render(request, "justify.html", {
            "ref": ref, "classification": exc.extra.get("classification"), "errors": {}},
            principal=p)


@router.post("/w/cases/{ref}/open")
def case_open_justified(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                        form: FormDep) -> Response:
    justification = text(form, "justification")
    try:
        with unit_of_work(factory, p) as session:
            view = consult(session, p, ref, justification, get_settings_dep(request))
            response = _render_case(request, session, p, ref, view=view)
    except JustificationRequired as exc:
        return render(request, "justify.html", {
            "ref": ref, "classification": exc.extra.get("classification"),
            "errors": {"justification": "State why you need to open this case."}},
            status=422, principal=p)
    grant_justification(response, request, ref, justification or "")
    return response


def _act(request: Request, p: Principal, factory: Any, ref: str, form: dict[str, Any],
         action: Callable[[Session], Any], prefix: str, anchor: str) -> Response:
    """Run one change in its own transaction; on a refusal, show the case with the error."""
    errors: dict[str, str] = {}
    try:
        with unit_of_work(factory, p) as session:
            action(session)
    except ValidationError as exc:
        errors = {f"{prefix}.{k}" if k != "__all__" else prefix: v
                  for k, v in field_errors(exc).items()}
    except (InvalidInput, DomainError) as exc:
        name = exc.field if isinstance(exc, ServiceError) else exc.field
        msg = exc.detail if isinstance(exc, ServiceError) else exc.message
        errors = {f"{prefix}.{name}" if name else prefix: msg}
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        errors = {prefix: exc.detail}
    else:
        return RedirectResponse(f"/w/cases/{ref}#{anchor}", 303)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    with unit_of_work(factory, p) as session:
        return _render_case(request, session, p, ref, errors, values, status=422)


@router.post("/w/cases/{ref}/status")
def case_status(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                form: FormDep) -> Response:
    def go(s: Session) -> None:
        casework.transition(s, p, ref, TransitionIn(status=text(form, "status") or "",
                                                    reason=text(form, "reason") or ""))
    return _act(request, p, factory, ref, form, go, "status", "work")


@router.post("/w/cases/{ref}/assign")
def case_assign(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                form: FormDep) -> Response:
    def go(s: Session) -> None:
        casework.assign(s, p, ref, AssignIn(username=text(form, "username"),
                                            team=text(form, "team")))
    return _act(request, p, factory, ref, form, go, "assign", "work")


@router.post("/w/cases/{ref}/notes")
def case_note(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
              form: FormDep) -> Response:
    def go(s: Session) -> None:
        casework.add_note(s, p, ref, NoteIn(body=text(form, "body") or ""))
    return _act(request, p, factory, ref, form, go, "note", "timeline")


@router.post("/w/cases/{ref}/tasks")
def case_task(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
              form: FormDep) -> Response:
    def go(s: Session) -> None:
        due = text(form, "due_at")
        data: dict[str, Any] = {"title": text(form, "title") or "",
                                "assignee": text(form, "assignee")}
        if due:
            try:
                data["due_at"] = as_utc(due, "due_at", p.timezone)  # typed in their zone
            except InvalidInput:
                data["due_at"] = due  # let the model name the field and the rule
        casework.add_task(s, p, ref, TaskIn.model_validate(data))
    return _act(request, p, factory, ref, form, go, "task", "tasks")


@router.post("/w/cases/{ref}/tasks/{task_id}/done")
def case_task_done(request: Request, ref: str, task_id: int, p: PrincipalDep,
                   factory: FactoryDep, form: FormDep) -> Response:
    return _act(request, p, factory, ref, form,
                lambda s: casework.complete_task(s, p, ref, task_id), "task", "tasks")


@router.post("/w/cases/{ref}/entities")
def case_entity(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                form: FormDep) -> Response:
    def go(s: Session) -> None:
        if not p.has("entity.create"):
            raise Forbidden("your role may not add entities", rule="permission:entity.create")
        data = {k: text(form, f"entity.{k}") for k in ENTITY_FIELDS}
        ent = EntityIn.model_validate({k: v for k, v in data.items() if v is not None})
        add_entity(s, p, reading.case_by_ref(s, p, ref), ent)
    return _act(request, p, factory, ref, form, go, "entity", "entities")


@router.post("/w/cases/{ref}/hits/{hit_id}")
def case_hit_review(request: Request, ref: str, hit_id: int, p: PrincipalDep,
                    factory: FactoryDep, form: FormDep) -> Response:
    decision = text(form, "decision") or ""
    if request.headers.get("hx-request"):
        with unit_of_work(factory, p) as session:
            screening.review_hit(session, p, ref, hit_id, decision)
            case = reading.case_by_ref(session, p, ref)
            hit = next((h for h in screening.hits_for_case(session, p, case)
                        if hit_id in h.hit_ids), None)
            if hit is not None and hit.id == hit_id:
                return render(request, "_hit.html", {"hit": hit, "case": case,
                                                     "can_review": True}, principal=p)
        # The groups changed (identities merged or split): htmx reloads the case's hits.
        return Response(status_code=204, headers={"HX-Redirect": f"/w/cases/{ref}#hits"})
    return _act(request, p, factory, ref, form,
                lambda s: screening.review_hit(s, p, ref, hit_id, decision), "hits", "hits")
