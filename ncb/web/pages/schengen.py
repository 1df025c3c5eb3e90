"""Schengen / SIRENE pages: alerts by article, a new alert, one alert (hit, erasure), SIRENE
forms (new, one form, sending). Each handler parses, calls one service, renders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from ncb.adapters.deps import FactoryDep, PrincipalDep, SettingsDep, require
from ncb.domain import sirene
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels import schengen, schengen_views
from ncb.services.context import unit_of_work
from ncb.web.deps import FormDep, text
from ncb.web.forms import schengen as forms
from ncb.web.forms.common import Errors, countries, local_input, unprefixed, values
from ncb.web.pages.channel_kit import attempt, channel_page
from ncb.web.templating import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
MAY_RECORD = [Depends(require("entity.create", "your role may not record alerts"))]
MAY_SEND = [Depends(require("message.send", "your role may not send SIRENE forms"))]


@router.get("/w/schengen")
def schengen_list(request: Request, p: PrincipalDep, factory: FactoryDep, settings: SettingsDep,
                  article: str = "", page: int = 1) -> Response:
    page = max(page, 1)
    with unit_of_work(factory, p) as session:
        found = schengen_views.alert_list(session, p, article, page, settings.channel_page_size,
                                          recent_forms=settings.sirene_recent_forms)
        return channel_page(request, p, "schengen_list.html", found | {
            "article": article, "articles": load_rules().sis_articles, "page": page})


def _alert_form(request: Request, p: Principal, article: str, errors: Errors | None = None,
                filled: dict[str, Any] | None = None) -> Response:
    spec = load_rules().sis_articles.get(article)
    return channel_page(request, p, "schengen_alert_new.html", {
        "article": article if spec else "", "spec": spec, "articles": forms.articles(),
        "countries": countries(), "hints": forms.SIS_DATA_HINTS, "errors": errors or {},
        "values": filled or {"issuing_country": "GB"}}, status=422 if errors else 200)


@router.get("/w/schengen/alerts/new", dependencies=MAY_RECORD)
def schengen_alert_new(request: Request, p: PrincipalDep, article: str = "") -> Response:
    return _alert_form(request, p, article)


@router.post("/w/schengen/alerts/new")
def schengen_alert_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                          form: FormDep) -> Response:
    article, payload = forms.alert_payload(form)

    def go(s: Session) -> int:
        return schengen.create_alert(s, p, schengen.AlertIn.model_validate(payload)).id

    alert_id, errors = attempt(factory, p, go, "alert", forms.ALERT_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/schengen/alerts/{alert_id}?created=1", 303)
    # `alert.data.surname` -> `data.surname`, the input's name; the rest keep their names.
    return _alert_form(request, p, article, unprefixed(errors, "alert"), values(form))


def _alert_page(request: Request, p: Principal, factory: sessionmaker[Session], alert_id: int,
                errors: Errors | None = None, filled: dict[str, Any] | None = None,
                flash: str | None = None) -> Response:
    with unit_of_work(factory, p) as session:
        ctx = schengen_views.alert_page(session, p, alert_id)
        return channel_page(request, p, "schengen_alert.html", ctx | {
            "flash": flash, "errors": errors or {},
            "values": filled or {"hit.hit_at": local_input(tz=p.timezone)}}, status=422 if errors else 200)


@router.get("/w/schengen/alerts/{alert_id}")
def schengen_alert(request: Request, alert_id: int, p: PrincipalDep, factory: FactoryDep,
                   created: int = 0) -> Response:
    return _alert_page(request, p, factory, alert_id,
                       flash="Alert recorded; its subject is screened." if created else None)


@router.post("/w/schengen/alerts/{alert_id}/erase")
def schengen_erase(request: Request, alert_id: int, p: PrincipalDep, factory: FactoryDep,
                   form: FormDep) -> Response:
    def go(s: Session) -> None:
        schengen.erase_alert(s, p, alert_id, schengen.EraseIn.model_validate(
            {"justification": text(form, "erase.justification") or ""}))

    _, errors = attempt(factory, p, go, "erase", {"justification"})
    if not errors:
        return _alert_page(request, p, factory, alert_id,
                           flash="Alert erased; its subject is no longer screened.")
    return _alert_page(request, p, factory, alert_id, errors, values(form))


@router.post("/w/schengen/alerts/{alert_id}/hit")
def schengen_hit(request: Request, alert_id: int, p: PrincipalDep, factory: FactoryDep,
                 form: FormDep) -> Response:
    def go(s: Session) -> int:
        data = schengen.HitIn.model_validate(forms.hit_payload(form, p.timezone))
        return schengen.record_hit(s, p, alert_id, data).id

    form_id, errors = attempt(factory, p, go, "hit", forms.HIT_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/schengen/forms/{form_id}?hit=1", 303)
    return _alert_page(request, p, factory, alert_id, errors, values(form))


def _form_page(request: Request, p: Principal, form_type: str, errors: Errors | None = None,
               filled: dict[str, Any] | None = None) -> Response:
    spec = sirene.form_spec(form_type) if form_type in load_rules().sirene_forms else None
    return channel_page(request, p, "schengen_form_new.html", {
        "form_type": form_type if spec else "", "spec": spec,
        "types": [(k, v.label) for k, v in load_rules().sirene_forms.items()],
        "auto": forms.AUTO_FIELDS, "errors": errors or {},
        "values": filled or {"direction": "out"}}, status=422 if errors else 200)


@router.get("/w/schengen/forms/new", dependencies=MAY_SEND)
def schengen_form_new(request: Request, p: PrincipalDep, factory: FactoryDep,
                      type: str = "",  # noqa: A002
                      alert_id: str = "", in_reply_to: str = "", direction: str = "out"
                      ) -> Response:
    """A new form; from an alert or a form it answers, its fields start filled in."""
    direction = "in" if direction == "in" else "out"
    with unit_of_work(factory, p) as session:
        filled = schengen_views.new_form_values(
            session, p, type.upper(), direction, forms.whole(alert_id), forms.whole(in_reply_to))
    return _form_page(request, p, type.upper(), filled=filled)


@router.post("/w/schengen/forms/new")
def schengen_form_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                         form: FormDep) -> Response:
    form_type = forms.form_type_of(form)
    if form_type not in load_rules().sirene_forms:
        return _form_page(request, p, "", {"form_type": "choose form A, G, M or I"},
                          values(form))
    payload = forms.sirene_payload(form, form_type)

    def go(s: Session) -> int:
        return schengen.create_form(s, p, schengen.FormIn.model_validate(payload)).id

    form_id, errors = attempt(factory, p, go, "f", forms.FORM_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/schengen/forms/{form_id}?created=1", 303)
    return _form_page(request, p, form_type, forms.sirene_errors(errors), values(form))


@router.get("/w/schengen/forms/{form_id}")
def schengen_form(request: Request, form_id: int, p: PrincipalDep, factory: FactoryDep,
                  hit: int = 0, created: int = 0, sent: int = 0) -> Response:
    flash = ("Hit recorded: the G form below is a draft to the issuing bureau; send it "
             "before its deadline." if hit else "Form recorded." if created
             else "Form sent." if sent else None)
    with unit_of_work(factory, p) as session:
        ctx = schengen_views.form_page(session, p, form_id)
        return channel_page(request, p, "schengen_form.html", ctx | {"flash": flash})


@router.post("/w/schengen/forms/{form_id}/send")
def schengen_form_send(request: Request, form_id: int, p: PrincipalDep, factory: FactoryDep,
                       form: FormDep) -> Response:
    _, errors = attempt(factory, p, lambda s: schengen.send_form(s, p, form_id), "send")
    if errors:
        with unit_of_work(factory, p) as session:
            ctx = schengen_views.form_page(session, p, form_id)
            return channel_page(request, p, "schengen_form.html", ctx | {
                "deadline": None, "errors": errors, "can_send": False}, status=422)
    return RedirectResponse(f"/w/schengen/forms/{form_id}?sent=1", 303)
