"""EAW pages: warrant lists, the release list, statistics, intake, one warrant and its actions.

Each handler parses its form (ncb.web.forms.eaw), calls one service, renders.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from ncb.adapters.deps import FactoryDep, PrincipalDep, SettingsDep, require
from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services.channels import eaw, eaw_views, stats
from ncb.services.channels.common import now_utc
from ncb.services.context import unit_of_work
from ncb.web.charts import PALETTE, bar_chart
from ncb.web.deps import FormDep, listed
from ncb.web.forms import eaw as forms
from ncb.web.forms.common import Errors, countries, local_input, unprefixed, values
from ncb.web.pages.channel_kit import attempt, channel_page
from ncb.web.templating import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
MAY_RECORD = [Depends(require("case.create", "your role may not record warrants"))]
MAY_CERTIFY = [Depends(require("eaw.certify", "your role may not certify warrants"))]
FLASH = {"certify": "Decision recorded.", "event": "Event recorded; clocks recomputed.",
         "created": "Warrant recorded.", "translation": "Translation recorded.",
         "transmit": "Warrant transmitted."}


@router.get("/w/eaw")
def eaw_list(request: Request, p: PrincipalDep, factory: FactoryDep, settings: SettingsDep,
             direction: str = "", status: str = "", page: int = 1) -> Response:
    page = max(page, 1)
    with unit_of_work(factory, p) as session:
        found = eaw_views.warrant_list(session, p, direction, status, page,
                                       settings.channel_page_size)
        return channel_page(request, p, "eaw_list.html", {
            "items": found.items, "due": found.due, "direction": direction,
            "status": status, "statuses": found.statuses, "page": page,
            "has_next": found.has_next, "title": "European Arrest Warrants"})


@router.get("/w/eaw/release-required")
def eaw_release(request: Request, p: PrincipalDep, factory: FactoryDep) -> Response:
    with unit_of_work(factory, p) as session:
        items, due = eaw_views.release_list(session, p)
        return channel_page(request, p, "eaw_release.html", {"items": items, "due": due})


@router.get("/w/eaw/stats")
def eaw_statistics(request: Request, p: PrincipalDep, factory: FactoryDep,
                   year: int = 0) -> Response:
    year = year or now_utc().year
    if not 2004 <= year <= 2100:
        return channel_page(request, p, "eaw_stats.html", {
            "year": year, "s": None, "errors": {"year": "year: give a year from 2004 to 2100"}},
            status=422)
    with unit_of_work(factory, p) as session:
        s = stats.eaw_stats(session, p, year)
    grounds = load_rules().eaw_refusal_grounds
    counts = [("Requests received", s["requests_received"]), ("Certified", s["certified"]),
              ("Arrests", s["arrests"]), ("Final decisions", s["final_decisions"]),
              ("Surrenders", s["surrenders"])]
    refusals = [(grounds[g].label if g in grounds else g, n)
                for g, n in s["refusals_by_ground"].items()]
    return channel_page(request, p, "eaw_stats.html", {
        "year": year, "s": s, "counts": counts, "refusals": refusals,
        "chart": bar_chart(counts, f"EAW activity {year}"),
        "refusal_chart": bar_chart(refusals, f"Refusals by ground {year}", colour=PALETTE[4])
        if refusals else None})


def _new_warrant_page(request: Request, p: Principal, direction: str,
                      errors: Errors | None = None, filled: dict[str, Any] | None = None,
                      offences: list[str] | None = None) -> Response:
    rules = load_rules()
    home = "GB"
    defaults = {"executing_country": home} if direction == "incoming" else {
        "issuing_country": home, "i.country": home}
    return channel_page(request, p, "eaw_new.html", {
        "direction": direction, "countries": countries(),
        "sections": [(letter, rules.eaw_sections[letter]) for letter in forms.SECTION_INPUTS],
        "list_offences": [(k, v.label) for k, v in rules.eaw_list_offences.items()],
        "chosen_offences": offences or [], "errors": errors or {},
        "values": filled or defaults}, status=422 if errors else 200)


@router.get("/w/eaw/new", dependencies=MAY_RECORD)
def eaw_new(request: Request, p: PrincipalDep, direction: str = "incoming") -> Response:
    return _new_warrant_page(request, p, "outgoing" if direction == "outgoing" else "incoming")


@router.post("/w/eaw/new", dependencies=MAY_RECORD)
def eaw_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                     form: FormDep) -> Response:
    """Take in an incoming warrant (every required section) or draft an outgoing one."""
    direction = forms.direction_of(form)
    offences = listed(request, "e.list_offences")
    payload, errors = forms.warrant_payload(form, offences, p.timezone)
    data: eaw.WarrantIn | None = None
    try:
        data = eaw.WarrantIn.model_validate(payload)
    except ValidationError as exc:
        errors = forms.warrant_errors(exc) | errors
    if data is not None and direction == "incoming" and not errors:
        try:
            errors = forms.missing_errors(eaw_views.missing_sections(data),
                                          load_rules().eaw_sections)
        except DomainError as exc:
            errors = {"e.list_offences": exc.message}
    if not errors and data is not None:
        checked = data

        def go(s: Session) -> int:
            if direction == "incoming":
                w = eaw.receive(s, p, checked)
            else:
                w, _missing = eaw.draft_outgoing(s, p, checked)
            return int(w.id)

        warrant_id, errors = attempt(factory, p, go, "w", forms.WARRANT_FIELDS)
        errors = unprefixed(errors, "w")
        if not errors:
            return RedirectResponse(f"/w/eaw/{warrant_id}?done=created", 303)
    return _new_warrant_page(request, p, direction, errors, values(form), offences)


def _warrant_page(request: Request, p: Principal, factory: sessionmaker[Session],
                  warrant_id: int, errors: Errors | None = None,
                  filled: dict[str, Any] | None = None, flash: str | None = None) -> Response:
    rules = load_rules()
    with unit_of_work(factory, p) as session:
        ctx = eaw_views.warrant_page(session, p, warrant_id)
        now = local_input(tz=p.timezone)
        ctx |= {
            "event_kinds": [(c.kind, c.label) for c in ctx["event_choices"]],
            "list_offences": [(k, v.label) for k, v in rules.eaw_list_offences.items()],
            "grounds": list(rules.eaw_refusal_grounds.items()),
            "thresholds": rules.eaw_thresholds, "now_local": now,
            "errors": errors or {},
            "values": filled or {"event.at": now, "tr.at": now, "tx.at": now}, "flash": flash}
        return channel_page(request, p, "eaw_warrant.html", ctx, status=422 if errors else 200)


@router.get("/w/eaw/{warrant_id}")
def eaw_warrant(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
                done: str = "") -> Response:
    return _warrant_page(request, p, factory, warrant_id, flash=FLASH.get(done))


@router.post("/w/eaw/{warrant_id}/certify", dependencies=MAY_CERTIFY)
def eaw_certify(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
                      form: FormDep) -> Response:
    grounds = listed(request, "cert.refusal_grounds")
    data = forms.certify_payload(form, grounds)

    def go(s: Session) -> None:
        eaw.certify(s, p, warrant_id, eaw.CertifyIn.model_validate(data))

    _, errors = attempt(factory, p, go, "cert", forms.CERT_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/eaw/{warrant_id}?done=certify#certification", 303)
    filled = values(form) | {"cert.refusal_grounds": grounds}
    return _warrant_page(request, p, factory, warrant_id, errors, filled)


@router.post("/w/eaw/{warrant_id}/events")
def eaw_event(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
              form: FormDep) -> Response:
    def go(s: Session) -> None:
        eaw.record_event(s, p, warrant_id, eaw.EventIn.model_validate(forms.event_payload(form, p.timezone)))

    _, errors = attempt(factory, p, go, "event", forms.EVENT_FIELDS)
    if errors.get("event.events"):
        errors["event.kind"] = errors.pop("event.events")
    if not errors:
        return RedirectResponse(f"/w/eaw/{warrant_id}?done=event#clocks", 303)
    return _warrant_page(request, p, factory, warrant_id, errors, values(form))


@router.post("/w/eaw/{warrant_id}/translation")
def eaw_translation(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    """Outgoing warrant: a translation requested or received."""
    def go(s: Session) -> None:
        eaw.translation(s, p, warrant_id,
                        eaw.TranslationIn.model_validate(forms.translation_payload(form, p.timezone)))

    _, errors = attempt(factory, p, go, "tr", forms.TRANSLATION_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/eaw/{warrant_id}?done=translation#outgoing", 303)
    return _warrant_page(request, p, factory, warrant_id, errors, values(form))


@router.post("/w/eaw/{warrant_id}/transmit")
def eaw_transmit(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
                 form: FormDep) -> Response:
    """Outgoing warrant: sent when every section is complete and the translation received."""
    def go(s: Session) -> None:
        eaw.transmit(s, p, warrant_id,
                     eaw.TransmitIn.model_validate(forms.transmit_payload(form, p.timezone)))

    _, errors = attempt(factory, p, go, "tx", forms.TRANSMIT_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/eaw/{warrant_id}?done=transmit#outgoing", 303)
    return _warrant_page(request, p, factory, warrant_id, errors, values(form))
