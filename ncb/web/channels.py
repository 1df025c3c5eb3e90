"""Channel pages: EAW warrants and clocks, Schengen alerts and SIRENE forms, Interpol notices and
SLTD, Europol (SIENA) messages. Every change goes through ncb.services.channels; refusals with a
field are shown beside it, permission refusals as the workbench's 403 page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.domain import sirene
from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import exchange
from ncb.services.channels import eaw, europol, interpol, schengen, stats
from ncb.services.channels.common import now_utc
from ncb.services.context import unit_of_work
from ncb.services.errors import Forbidden, InvalidInput, NotFound, ServiceError
from ncb.services.reading import case_by_ref
from ncb.store.models import Alert, Case, Message, Notice, SireneForm, Warrant
from ncb.web.charts import PALETTE, bar_chart
from ncb.web.deps import FormDep, text
from ncb.web.templating import WebRoute, field_errors, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Errors = dict[str, str]
PAGE = 50
EVENT_LABELS = {
    "circulated": "Circulated (SIS / Interpol)", "provisional_arrest": "Provisional arrest",
    "arrest": "Arrest", "initial_hearing": "Initial hearing", "consent": "Consent to surrender",
    "extension": "Extension of the decision limit (reasons required)",
    "warrant_produced": "Warrant produced", "provisional_extension": "Provisional extension",
    "extradition_hearing": "Extradition hearing begins", "decision": "First-instance decision",
    "appeal_lodged": "Appeal lodged", "appeal_hearing_started": "Appeal hearing started",
    "appeal_decided": "Appeal decided", "appeal_window_closed": "Appeal window closed",
    "supreme_court_application": "Supreme Court application",
    "final_decision": "Final decision", "force_majeure": "Force majeure (new date required)",
    "surrender": "Surrender", "discharge": "Discharge", "withdrawn": "Withdrawn",
}
SIS_DATA_HINTS = {"date_of_birth": "YYYY-MM-DD", "warrant_reference": "EAW reference"}


# ---------------------------------------------------------------- helpers


def _as_utc(value: str | None, name: str) -> datetime | None:
    """A datetime-local value (read as UTC) or an ISO time; None when empty."""
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{name}: enter a date and time as YYYY-MM-DD HH:MM (UTC)",
                           field=name, rule="datetime") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _local(at: datetime | None = None) -> str:
    """A value for a datetime-local input (UTC, minutes)."""
    return (at or now_utc()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def attempt(factory: sessionmaker[Session], p: Principal, fn: Callable[[Session], Any],
            prefix: str, known: set[str] | frozenset[str] = frozenset()
            ) -> tuple[Any, Errors]:
    """Run one change in its own transaction; refusals become `{prefix.field: message}`.

    A refusal of the role (no field) or of the record itself propagates to the 403/404 page.
    """
    def key(name: str | None) -> str:
        if name and name.split(".")[0] in known:
            return f"{prefix}.{name}"
        if name and name in known:
            return f"{prefix}.{name}"
        return prefix

    try:
        with unit_of_work(factory, p) as session:
            return fn(session), {}
    except ValidationError as exc:
        out: Errors = {}
        for name, msg in field_errors(exc).items():
            out.setdefault(key(name if name != "__all__" else None), msg)
        return None, out
    except DomainError as exc:
        return None, {key(exc.field): exc.message}
    except Forbidden as exc:
        if exc.field:
            return None, {key(exc.field): exc.detail}
        raise
    except NotFound:
        raise
    except ServiceError as exc:
        return None, {key(exc.field): exc.detail}


def _values(form: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


def _page(request: Request, p: Principal, template: str, ctx: dict[str, Any],
          status: int = 200) -> Response:
    ctx.setdefault("errors", {})
    ctx.setdefault("values", {})
    return render(request, f"channels/{template}", ctx, status=status, principal=p)


def _countries() -> list[tuple[str, str]]:
    return sorted(((k, f"{k} {v.name}") for k, v in load_rules().countries.items()),
                  key=lambda x: x[0])


# ---------------------------------------------------------------- EAW


def _next_due(session: Session, warrants: list[Warrant]) -> dict[int, Any]:
    ids = {w.case_id for w in warrants}
    if not ids:
        return {}
    return dict(session.execute(select(Case.id, Case.next_due_at).where(Case.id.in_(ids))).all())


@router.get("/w/eaw")
def eaw_list(request: Request, p: PrincipalDep, factory: FactoryDep, direction: str = "",
             status: str = "", page: int = 1) -> Response:
    page = max(page, 1)
    with unit_of_work(factory, p) as session:
        q = select(Warrant).order_by(Warrant.received_at.desc(), Warrant.id.desc())
        if direction in ("incoming", "outgoing"):
            q = q.where(Warrant.direction == direction)
        if status:
            q = q.where(Warrant.status == status)
        rows = list(session.scalars(q.offset((page - 1) * PAGE).limit(PAGE + 1)))
        items = rows[:PAGE]
        statuses = list(load_rules().state_machines["eaw"].statuses) + list(eaw.OUTGOING_STEPS)
        return _page(request, p, "eaw_list.html", {
            "items": items, "due": _next_due(session, items), "direction": direction,
            "status": status, "statuses": statuses, "page": page,
            "has_next": len(rows) > PAGE, "title": "European Arrest Warrants"})


@router.get("/w/eaw/release-required")
def eaw_release(request: Request, p: PrincipalDep, factory: FactoryDep) -> Response:
    with unit_of_work(factory, p) as session:
        items = eaw.release_required(session, p)
        return _page(request, p, "eaw_release.html", {"items": items,
                                                      "due": _next_due(session, items)})


@router.get("/w/eaw/stats")
def eaw_statistics(request: Request, p: PrincipalDep, factory: FactoryDep,
                   year: int = 0) -> Response:
    year = year or now_utc().year
    if not 2004 <= year <= 2100:
        return _page(request, p, "eaw_stats.html", {
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
    return _page(request, p, "eaw_stats.html", {
        "year": year, "s": s, "counts": counts, "refusals": refusals,
        "chart": bar_chart(counts, f"EAW activity {year}"),
        "refusal_chart": bar_chart(refusals, f"Refusals by ground {year}", colour=PALETTE[4])
        if refusals else None})


# Intake form of a new warrant: section letter -> (warrant attribute, its inputs).
SECTION_INPUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "a": ("identity", ("name", "forenames", "date_of_birth", "place_of_birth", "nationality",
                       "sex", "aliases", "residence", "description")),
    "b": ("decision", ("kind", "reference", "issued_on")),
    "c": ("sentence", ("max_penalty_months", "sentence_months", "remaining_months", "life")),
    "d": ("trial", ("appeared_in_person", "guarantee")),
    "e": ("offences", ("count", "description", "legal_classification", "list_offences")),
    "f": ("other_circumstances", ()),
    "g": ("property_seizure", ()),
    "h": ("life_sentence_review", ()),
    "i": ("issuing_authority", ("name", "country", "signed_by", "signed_on")),
}
LISTS = {"nationality", "aliases"}
YES_NO = {"life", "appeared_in_person"}
NUMBERS = {"max_penalty_months", "sentence_months", "remaining_months", "count"}


def _section_value(letter: str, form: dict[str, Any], offences: list[str]) -> Any:
    attr, inputs = SECTION_INPUTS[letter]
    if not inputs:
        return text(form, f"{letter}.{attr}") or ""
    out: dict[str, Any] = {}
    for name in inputs:
        if name == "list_offences":
            if offences:
                out[name] = offences
            continue
        raw = text(form, f"{letter}.{name}")
        if raw is None:
            continue
        if name in LISTS:
            out[name] = [x.strip().upper() if name == "nationality" else x.strip()
                         for x in raw.split(",") if x.strip()]
        elif name in YES_NO:
            out[name] = {"yes": True, "no": False}.get(raw, raw)
        elif name in NUMBERS:
            out[name] = _int(raw)
        else:
            out[name] = raw
    if not out or (letter == "i" and set(out) == {"country"}):
        return None  # nothing filled in: the section is missing
    return out


def _warrant_errors(exc: ValidationError) -> Errors:
    """Pydantic locations -> input names: warrant.identity.forenames -> a.forenames."""
    attrs = {attr: letter for letter, (attr, _) in SECTION_INPUTS.items()}
    out: Errors = {}
    for loc, msg in field_errors(exc).items():
        parts = [x for x in loc.split(".") if not x.isdigit()]
        if parts[:1] == ["warrant"] and len(parts) > 1 and parts[1] in attrs:
            letter = attrs[parts[1]]
            name = f"{letter}.{parts[2]}" if len(parts) > 2 else f"sec.{letter}"
            if not SECTION_INPUTS[letter][1]:
                name = f"{letter}.{parts[1]}"
        else:
            name = ".".join(parts) or "__all__"
        out.setdefault(name, msg)
    return out


def _new_warrant_page(request: Request, p: Principal, direction: str,
                      errors: Errors | None = None, values: dict[str, Any] | None = None,
                      offences: list[str] | None = None) -> Response:
    rules = load_rules()
    home = "GB"
    defaults = {"executing_country": home} if direction == "incoming" else {
        "issuing_country": home, "i.country": home}
    return _page(request, p, "eaw_new.html", {
        "direction": direction, "countries": _countries(),
        "sections": [(letter, rules.eaw_sections[letter]) for letter in SECTION_INPUTS],
        "list_offences": [(k, v.label) for k, v in rules.eaw_list_offences.items()],
        "chosen_offences": offences or [], "errors": errors or {},
        "values": values or defaults}, status=422 if errors else 200)


@router.get("/w/eaw/new")
def eaw_new(request: Request, p: PrincipalDep, direction: str = "incoming") -> Response:
    if not p.has("case.create"):
        raise Forbidden("your role may not record warrants", rule="permission:case.create")
    return _new_warrant_page(request, p, "outgoing" if direction == "outgoing" else "incoming")


@router.post("/w/eaw/new")
async def eaw_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                     form: FormDep) -> Response:
    """Take in an incoming warrant (every required section) or draft an outgoing one."""
    if not p.has("case.create"):
        raise Forbidden("your role may not record warrants", rule="permission:case.create")
    direction = "outgoing" if text(form, "direction") == "outgoing" else "incoming"
    offences = [str(x) for x in (await request.form()).getlist("e.list_offences")]
    values = _values(form)
    warrant = {attr: v for letter, (attr, _) in SECTION_INPUTS.items()
               if (v := _section_value(letter, form, offences)) is not None}
    warrant["translated"] = text(form, "translated") == "yes"
    errors: Errors = {}
    try:
        received = _as_utc(text(form, "received_at"), "received_at")
    except InvalidInput as exc:
        received, errors = None, {"received_at": exc.detail}
    payload = {"reference": text(form, "reference") or "",
               "issuing_country": text(form, "issuing_country") or "",
               "executing_country": text(form, "executing_country") or "GB",
               "received_at": received if direction == "incoming" else None,
               "proportionality_notes": text(form, "proportionality_notes") or "",
               "warrant": warrant}
    try:
        data = eaw.WarrantIn.model_validate(payload)
    except ValidationError as exc:
        errors = _warrant_errors(exc) | errors
        data = None
    if data is not None and direction == "incoming" and not errors:
        from ncb.domain.eaw import missing_sections

        try:
            missing = missing_sections(data.warrant)
        except DomainError as exc:
            missing, errors = [], {"e.list_offences": exc.message}
        labels = load_rules().eaw_sections
        for letter in missing:
            errors[f"sec.{letter}"] = f"Section ({letter}) {labels[letter].label} is missing"
        if missing:
            errors = {"__all__": "Missing section(s): " + ", ".join(
                f"({m}) {labels[m].label}" for m in missing)} | errors
    if not errors and data is not None:
        def go(s: Session) -> int:
            if direction == "incoming":
                w = eaw.receive(s, p, data)
            else:
                w, _missing = eaw.draft_outgoing(s, p, data)
            s.flush()
            return int(w.id)

        warrant_id, errors = attempt(factory, p, go, "w", {"reference", "issuing_country",
                                                           "executing_country", "received_at"})
        errors = {k.removeprefix("w."): v for k, v in errors.items()}
        if "w" in errors:
            errors["__all__"] = errors.pop("w")
        if not errors:
            return RedirectResponse(f"/w/eaw/{warrant_id}?done=created", 303)
    return _new_warrant_page(request, p, direction, errors, values, offences)


def _warrant_ctx(session: Session, p: Principal, warrant_id: int) -> dict[str, Any]:
    w = eaw.get(session, p, warrant_id)
    case = session.get(Case, w.case_id)
    try:
        clocks = eaw.clocks(session, p, warrant_id)
        clock_error = None
    except DomainError as exc:  # a stored history the rules now refuse: say so, do not crash
        clocks, clock_error = [], exc.message
    rules = load_rules()
    labels = rules.eaw_sections
    sections = [(letter, labels[letter].label, w.sections.get(attr))
                for letter, attr in _section_fields()]
    now = now_utc()
    expired = [c for c in clocks if c.release_on_expiry and c.met_at is None and now > c.due_at]
    return {
        "w": w, "case": case, "sections": sections, "clocks": clocks, "clock_error": clock_error,
        "events": eaw.events(session, w), "expired": expired,
        "release": bool(expired) and w.status not in eaw.TERMINAL,
        "can_certify": p.has("eaw.certify") and w.direction == "incoming"
        and w.status == "received",
        "can_event": p.has("case.transition") and w.status not in eaw.TERMINAL
        and not (w.direction == "incoming" and w.status == "received"),
        "event_kinds": [(k, EVENT_LABELS.get(k, k.replace("_", " ").capitalize()))
                        for k in sorted(eaw.event_kinds(), key=lambda k: EVENT_LABELS.get(k, k))],
        "list_offences": [(k, v.label) for k, v in rules.eaw_list_offences.items()],
        "grounds": list(rules.eaw_refusal_grounds.items()),
        "thresholds": rules.eaw_thresholds, "now_local": _local(),
        "outgoing_open": w.direction == "outgoing" and w.status in eaw.OUTGOING_STEPS[:2],
        "can_translate": p.has("case.transition"), "can_transmit": p.has("message.send"),
        "missing": _missing_of(w) if w.direction == "outgoing" else [],
    }


def _missing_of(w: Warrant) -> list[str]:
    from ncb.domain.eaw import Warrant as Sections
    from ncb.domain.eaw import missing_sections

    try:
        return missing_sections(Sections.model_validate(w.sections))
    except (ValidationError, DomainError):
        return []


def _section_fields() -> list[tuple[str, str]]:
    from ncb.domain.eaw import SECTION_FIELDS

    return list(SECTION_FIELDS.items())


def _warrant_page(request: Request, p: Principal, factory: sessionmaker[Session],
                  warrant_id: int, errors: Errors | None = None,
                  values: dict[str, Any] | None = None, flash: str | None = None) -> Response:
    with unit_of_work(factory, p) as session:
        ctx = _warrant_ctx(session, p, warrant_id)
        now = _local()
        ctx.update({"errors": errors or {},
                    "values": values or {"event.at": now, "tr.at": now, "tx.at": now},
                    "flash": flash})
        return _page(request, p, "eaw_warrant.html", ctx, status=422 if errors else 200)


@router.get("/w/eaw/{warrant_id}")
def eaw_warrant(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
                done: str = "") -> Response:
    flash = {"certify": "Decision recorded.", "event": "Event recorded; clocks recomputed.",
             "created": "Warrant recorded.", "translation": "Translation recorded.",
             "transmit": "Warrant transmitted."}.get(done)
    return _warrant_page(request, p, factory, warrant_id, flash=flash)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().lstrip("-").isdigit() else (
        value if value else None)  # type: ignore[return-value]


CERT_FIELDS = {"decision", "reasons", "offence_max_months", "sentence_months",
               "list_offence_code", "dual_criminality", "refusal_grounds",
               "proportionality_notes"}


@router.post("/w/eaw/{warrant_id}/certify")
async def eaw_certify(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
                      form: FormDep) -> Response:
    if not p.has("eaw.certify"):
        raise Forbidden("your role may not certify warrants", rule="permission:eaw.certify")
    grounds = (await request.form()).getlist("cert.refusal_grounds")
    dual = text(form, "cert.dual_criminality")
    data = {"decision": text(form, "cert.decision") or "", "reasons": text(form, "cert.reasons")
            or "", "offence_max_months": _int(text(form, "cert.offence_max_months")),
            "sentence_months": _int(text(form, "cert.sentence_months")),
            "list_offence_code": text(form, "cert.list_offence_code"),
            "dual_criminality": {"yes": True, "no": False}.get(dual or ""),
            "refusal_grounds": [str(g) for g in grounds],
            "proportionality_notes": text(form, "cert.proportionality_notes") or ""}

    def go(s: Session) -> None:
        eaw.certify(s, p, warrant_id, eaw.CertifyIn.model_validate(data))

    _, errors = attempt(factory, p, go, "cert", CERT_FIELDS | {"list_offence_code"})
    if not errors:
        return RedirectResponse(f"/w/eaw/{warrant_id}?done=certify#certification", 303)
    values = _values(form) | {"cert.refusal_grounds": [str(g) for g in grounds]}
    return _warrant_page(request, p, factory, warrant_id, errors, values)


EVENT_FIELDS = {"kind", "at", "reason", "new_date", "outcome", "refusal_ground"}


@router.post("/w/eaw/{warrant_id}/events")
def eaw_event(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
              form: FormDep) -> Response:
    def go(s: Session) -> None:
        at = _as_utc(text(form, "event.at"), "at")
        new_date = _as_utc(text(form, "event.new_date"), "new_date")
        kind = text(form, "event.kind") or ""
        reason = text(form, "event.reason") or ""
        if kind == "extension" and not reason:
            raise InvalidInput("reason: an extension needs the reasons given to the issuing "
                               "authority (FD 2002/584/JHA Art. 17(4))", field="reason",
                               rule="eaw.extension.reason")
        if kind == "force_majeure" and new_date is None:
            raise InvalidInput("new_date: force majeure needs the new surrender date agreed "
                               "(Art. 23(3))", field="new_date", rule="eaw.force_majeure")
        eaw.record_event(s, p, warrant_id, eaw.EventIn.model_validate({
            "kind": kind, "at": at, "reason": reason, "new_date": new_date,
            "outcome": text(form, "event.outcome"),
            "refusal_ground": text(form, "event.refusal_ground")}))

    _, errors = attempt(factory, p, go, "event", EVENT_FIELDS | {"events"})
    if errors.get("event.events"):
        errors["event.kind"] = errors.pop("event.events")
    if not errors:
        return RedirectResponse(f"/w/eaw/{warrant_id}?done=event#clocks", 303)
    return _warrant_page(request, p, factory, warrant_id, errors, _values(form))


TRANSLATION_FIELDS = {"language", "status", "at"}


@router.post("/w/eaw/{warrant_id}/translation")
def eaw_translation(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    """Outgoing warrant: a translation requested or received."""
    def go(s: Session) -> None:
        at = _as_utc(text(form, "tr.at"), "at")
        eaw.translation(s, p, warrant_id, eaw.TranslationIn.model_validate({
            "language": text(form, "tr.language") or "", "status": text(form, "tr.status") or "",
            "at": at}))

    _, errors = attempt(factory, p, go, "tr", TRANSLATION_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/eaw/{warrant_id}?done=translation#outgoing", 303)
    return _warrant_page(request, p, factory, warrant_id, errors, _values(form))


TRANSMIT_FIELDS = {"recipients", "at", "justification"}


@router.post("/w/eaw/{warrant_id}/transmit")
def eaw_transmit(request: Request, warrant_id: int, p: PrincipalDep, factory: FactoryDep,
                 form: FormDep) -> Response:
    """Outgoing warrant: sent when every section is complete and the translation received."""
    recipients = [x.strip() for x in (text(form, "tx.recipients") or "").split(",") if x.strip()]

    def go(s: Session) -> None:
        at = _as_utc(text(form, "tx.at"), "at")
        eaw.transmit(s, p, warrant_id, eaw.TransmitIn.model_validate({
            "recipients": recipients, "at": at,
            "justification": text(form, "tx.justification") or ""}))

    _, errors = attempt(factory, p, go, "tx", TRANSMIT_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/eaw/{warrant_id}?done=transmit#outgoing", 303)
    return _warrant_page(request, p, factory, warrant_id, errors, _values(form))


# ---------------------------------------------------------------- Schengen / SIRENE


def _articles() -> list[tuple[str, str]]:
    return [(k, f"Art. {k}: {v.label}") for k, v in load_rules().sis_articles.items()]


@router.get("/w/schengen")
def schengen_list(request: Request, p: PrincipalDep, factory: FactoryDep, article: str = "",
                  page: int = 1) -> Response:
    page = max(page, 1)
    with unit_of_work(factory, p) as session:
        q = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
        if article:
            q = q.where(Alert.article == article)
        rows = list(session.scalars(q.offset((page - 1) * PAGE).limit(PAGE + 1)))
        counts = dict(session.execute(select(Alert.article, func.count()).group_by(Alert.article))
                      .all())
        forms = list(session.scalars(select(SireneForm).order_by(SireneForm.created_at.desc(),
                                                                 SireneForm.id.desc()).limit(20)))
        return _page(request, p, "schengen_list.html", {
            "items": rows[:PAGE], "article": article, "articles": load_rules().sis_articles,
            "counts": counts, "page": page, "has_next": len(rows) > PAGE, "forms": forms})


def _alert_form(request: Request, p: Principal, article: str, errors: Errors | None = None,
                values: dict[str, Any] | None = None) -> Response:
    spec = load_rules().sis_articles.get(article)
    return _page(request, p, "schengen_alert_new.html", {
        "article": article if spec else "", "spec": spec, "articles": _articles(),
        "countries": _countries(), "hints": SIS_DATA_HINTS, "errors": errors or {},
        "values": values or {"issuing_country": "GB"}}, status=422 if errors else 200)


@router.get("/w/schengen/alerts/new")
def schengen_alert_new(request: Request, p: PrincipalDep, article: str = "") -> Response:
    if not p.has("entity.create"):
        raise Forbidden("your role may not record alerts", rule="permission:entity.create")
    return _alert_form(request, p, article)


@router.post("/w/schengen/alerts/new")
def schengen_alert_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                          form: FormDep) -> Response:
    article = text(form, "article") or ""
    spec = load_rules().sis_articles.get(article)
    data = {f: text(form, f"data.{f}") for f in (spec.required_fields if spec else [])}
    extra = text(form, "data.other")
    payload: dict[str, Any] = {
        "article": article, "issuing_country": text(form, "issuing_country") or "",
        "schengen_id": text(form, "schengen_id"),
        "data": {k: v for k, v in data.items() if v is not None}
        | ({"notes": extra} if extra else {}),
        "flagged": text(form, "flagged") == "yes", "flag_reason": text(form, "flag_reason"),
        "case_ref": text(form, "case_ref")}

    def go(s: Session) -> int:
        return schengen.create_alert(s, p, schengen.AlertIn.model_validate(payload)).id

    known = {"article", "issuing_country", "schengen_id", "data", "flagged", "flag_reason",
             "case_ref"}
    alert_id, errors = attempt(factory, p, go, "alert", known)
    if not errors:
        return RedirectResponse(f"/w/schengen/alerts/{alert_id}?created=1", 303)
    # `alert.data.surname` -> `data.surname`, the input's name; the rest keep their names.
    errors = {k.removeprefix("alert."): v for k, v in errors.items()}
    if "alert" in errors:
        errors["__all__"] = errors.pop("alert")
    return _alert_form(request, p, article, errors, _values(form))


def _alert_page(request: Request, p: Principal, factory: sessionmaker[Session], alert_id: int,
                errors: Errors | None = None, values: dict[str, Any] | None = None,
                flash: str | None = None) -> Response:
    with unit_of_work(factory, p) as session:
        a = schengen.get_alert(session, p, alert_id)
        forms = schengen.forms_of_alert(session, p, alert_id)
        case = session.get(Case, a.case_id) if a.case_id else None
        from ncb.services import lookup

        home = lookup.home_agency(session).country
        spec = load_rules().sis_articles[a.article]
        return _page(request, p, "schengen_alert.html", {
            "a": a, "spec": spec, "forms": forms, "case": case, "foreign": a.issuing_country
            != home, "can_hit": p.has("case.create"), "flash": flash,
            "can_erase": p.has("case.read_desk") and p.has("case.assign"),
            "g_hours": _g_hours(), "errors": errors or {},
            "values": values or {"hit.hit_at": _local()}}, status=422 if errors else 200)


def _g_hours() -> str:
    rule = load_rules().deadlines[sirene.form_spec("G").deadline or "sirene_g_form"]
    period = rule.period
    return f"{period.amount} {period.unit}" if period else "12 hours"


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
    return _alert_page(request, p, factory, alert_id, errors, _values(form))


HIT_FIELDS = {"hit_at", "place", "action_taken", "urgent", "urgent_reason",
              "additional_information", "case_ref", "alert_id"}


@router.post("/w/schengen/alerts/{alert_id}/hit")
def schengen_hit(request: Request, alert_id: int, p: PrincipalDep, factory: FactoryDep,
                 form: FormDep) -> Response:
    def go(s: Session) -> int:
        data = schengen.HitIn.model_validate({
            "hit_at": _as_utc(text(form, "hit.hit_at"), "hit_at"),
            "place": text(form, "hit.place") or "",
            "action_taken": text(form, "hit.action_taken") or "",
            "urgent": text(form, "hit.urgent") == "yes",
            "urgent_reason": text(form, "hit.urgent_reason"),
            "additional_information": text(form, "hit.additional_information")})
        return schengen.record_hit(s, p, alert_id, data).id

    form_id, errors = attempt(factory, p, go, "hit", HIT_FIELDS)
    if not errors:
        return RedirectResponse(f"/w/schengen/forms/{form_id}?hit=1", 303)
    return _alert_page(request, p, factory, alert_id, errors, _values(form))


_FIELD_NO = re.compile(r"field (\d{3}) \((\w+)\)")


def form_field_errors(messages: list[str]) -> Errors:
    """validate_form's messages keyed by the input they concern (`fields.<name>`)."""
    out: Errors = {}
    for msg in messages:
        if "must give the reason" in msg:
            out.setdefault("fields.urgent_reason", msg)
            continue
        m = _FIELD_NO.search(msg)
        out.setdefault(f"fields.{m.group(2)}" if m else "__all__", msg)
    return out


# Header fields the service fills itself (or takes from the alert) on an outgoing form.
AUTO_FIELDS = {"timestamp_utc", "reference", "sender", "recipient"}


def _form_page(request: Request, p: Principal, form_type: str, errors: Errors | None = None,
               values: dict[str, Any] | None = None) -> Response:
    spec = sirene.form_spec(form_type) if form_type in load_rules().sirene_forms else None
    return _page(request, p, "schengen_form_new.html", {
        "form_type": form_type if spec else "", "spec": spec,
        "types": [(k, v.label) for k, v in load_rules().sirene_forms.items()],
        "auto": AUTO_FIELDS, "errors": errors or {}, "values": values or {"direction": "out"}},
        status=422 if errors else 200)


@router.get("/w/schengen/forms/new")
def schengen_form_new(request: Request, p: PrincipalDep, type: str = "",  # noqa: A002
                      alert_id: str = "", in_reply_to: str = "") -> Response:
    if not p.has("message.send"):
        raise Forbidden("your role may not send SIRENE forms", rule="permission:message.send")
    return _form_page(request, p, type.upper(), values={
        "direction": "out", "alert_id": alert_id, "in_reply_to": in_reply_to})


@router.post("/w/schengen/forms/new")
def schengen_form_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                         form: FormDep) -> Response:
    form_type = (text(form, "form_type") or "").upper()
    if form_type not in load_rules().sirene_forms:
        return _form_page(request, p, "", {"form_type": "choose form A, G, M or I"},
                          _values(form))
    spec = sirene.form_spec(form_type)
    fields: dict[str, Any] = {}
    for f in spec.fields.values():
        if f.name in AUTO_FIELDS:
            continue
        v = text(form, f"fields.{f.name}")
        if f.name == "urgent":
            if v == "yes":
                fields["urgent"] = True
        elif v is not None:
            fields[f.name] = v
    payload = {"form_type": form_type, "direction": text(form, "direction") or "out",
               "recipient": text(form, "recipient") or "", "sender": text(form, "sender"),
               "reference": text(form, "reference"),
               "alert_id": _int(text(form, "alert_id")), "case_ref": text(form, "case_ref"),
               "in_reply_to": _int(text(form, "in_reply_to")), "fields": fields}

    def go(s: Session) -> int:
        return schengen.create_form(s, p, schengen.FormIn.model_validate(payload)).id

    known = {"form_type", "direction", "recipient", "sender", "reference", "alert_id",
             "case_ref", "in_reply_to"}
    form_id, errors = attempt(factory, p, go, "f", known)
    if not errors:
        return RedirectResponse(f"/w/schengen/forms/{form_id}?created=1", 303)
    errors = {k.removeprefix("f."): v for k, v in errors.items()}
    if "f" in errors:  # the numbered-field check: put each message beside its field
        msg = errors.pop("f")
        parts = [m.strip() for m in msg.split(";")] if msg.startswith("form ") else []
        errors.update(form_field_errors(parts) if parts else {"__all__": msg})
    return _form_page(request, p, form_type, errors, _values(form))


@router.get("/w/schengen/forms/{form_id}")
def schengen_form(request: Request, form_id: int, p: PrincipalDep, factory: FactoryDep,
                  hit: int = 0, created: int = 0, sent: int = 0) -> Response:
    with unit_of_work(factory, p) as session:
        f = schengen.get_form(session, p, form_id)
        case = session.get(Case, f.case_id) if f.case_id else None
        deadline = next((d for d in case.deadlines if d.id == f.deadline_id), None) \
            if case else None
        spec = sirene.form_spec(f.form_type)
        flash = ("Hit recorded: the G form below is a draft to the issuing bureau; send it "
                 "before its deadline." if hit else "Form recorded." if created
                 else "Form sent." if sent else None)
        return _page(request, p, "schengen_form.html", {
            "f": f, "case": case, "deadline": deadline, "spec": spec, "flash": flash,
            "can_send": p.has("message.send") and f.direction == "out" and f.sent_at is None})


@router.post("/w/schengen/forms/{form_id}/send")
def schengen_form_send(request: Request, form_id: int, p: PrincipalDep, factory: FactoryDep,
                       form: FormDep) -> Response:
    _, errors = attempt(factory, p, lambda s: schengen.send_form(s, p, form_id), "send")
    if errors:
        with unit_of_work(factory, p) as session:
            f = schengen.get_form(session, p, form_id)
            case = session.get(Case, f.case_id) if f.case_id else None
            return _page(request, p, "schengen_form.html", {
                "f": f, "case": case, "deadline": None, "spec": sirene.form_spec(f.form_type),
                "errors": errors, "can_send": False}, status=422)
    return RedirectResponse(f"/w/schengen/forms/{form_id}?sent=1", 303)


# ---------------------------------------------------------------- Interpol


def _notice_types() -> list[tuple[str, str]]:
    return [(k, v.label) for k, v in load_rules().notice_types.items()]


@router.get("/w/interpol")
def interpol_list(request: Request, p: PrincipalDep, factory: FactoryDep, type: str = "",  # noqa: A002
                  status: str = "", page: int = 1) -> Response:
    page = max(page, 1)
    with unit_of_work(factory, p) as session:
        q = select(Notice).order_by(Notice.updated_at.desc(), Notice.id.desc())
        if type:
            q = q.where(Notice.notice_type == type)
        if status:
            q = q.where(Notice.status == status)
        rows = list(session.scalars(q.offset((page - 1) * PAGE).limit(PAGE + 1)))
        return _page(request, p, "interpol_list.html", {
            "items": rows[:PAGE], "type": type, "status": status, "types": _notice_types(),
            "statuses": interpol.STATUSES, "page": page, "has_next": len(rows) > PAGE,
            "can_draft": p.has("notice.draft")})


def _notice_new(request: Request, p: Principal, errors: Errors | None = None,
                values: dict[str, Any] | None = None) -> Response:
    return _page(request, p, "interpol_notice_new.html", {
        "types": _notice_types(), "countries": _countries(), "errors": errors or {},
        "values": values or {"notice_type": "red", "requesting_country": "GB"}},
        status=422 if errors else 200)


@router.get("/w/interpol/notices/new")
def interpol_notice_new(request: Request, p: PrincipalDep) -> Response:
    if not p.has("notice.draft"):
        raise Forbidden("your role may not draft notices", rule="permission:notice.draft")
    return _notice_new(request, p)


@router.post("/w/interpol/notices/new")
def interpol_notice_create(request: Request, p: PrincipalDep, factory: FactoryDep,
                           form: FormDep) -> Response:
    subject: dict[str, Any] = {k: text(form, f"subject.{k}") for k in (
        "name", "forename", "date_of_birth", "place_of_birth", "sex_id")}
    subject = {k: v for k, v in subject.items() if v is not None}
    subject.setdefault("name", "")
    nat = text(form, "subject.nationalities")
    if nat:
        subject["nationalities"] = [n.strip() for n in nat.split(",") if n.strip()]
    charge = text(form, "subject.charge")
    if charge:
        subject["arrest_warrants"] = [{"charge": charge, "issuing_country_id":
                                       text(form, "requesting_country") or "GB"}]
    recipients = [r.strip() for r in (text(form, "recipients") or "").split(",") if r.strip()]
    payload = {"notice_type": text(form, "notice_type") or "",
               "requesting_country": text(form, "requesting_country") or "GB",
               "subject": subject, "recipients": recipients, "case_ref": text(form, "case_ref")}

    def go(s: Session) -> int:
        return interpol.draft(s, p, interpol.NoticeIn.model_validate(payload)).id

    known = {"notice_type", "requesting_country", "subject", "recipients", "case_ref"}
    notice_id, errors = attempt(factory, p, go, "n", known)
    if not errors:
        return RedirectResponse(f"/w/interpol/notices/{notice_id}?done=draft", 303)
    errors = {k.removeprefix("n."): v for k, v in errors.items()}
    if "subject.arrest_warrants" in " ".join(errors):
        errors = {("subject.charge" if k.startswith("subject.arrest_warrants") else k): v
                  for k, v in errors.items()}
    errors = {(re.sub(r"^(subject\.nationalities)\.\d+$", r"\1", k)): v for k, v in errors.items()}
    if "n" in errors:
        errors["__all__"] = errors.pop("n")
    return _notice_new(request, p, errors, _values(form))


def _notice_page(request: Request, p: Principal, factory: sessionmaker[Session], notice_id: int,
                 errors: Errors | None = None, values: dict[str, Any] | None = None,
                 flash: str | None = None) -> Response:
    with unit_of_work(factory, p) as session:
        n = interpol.get(session, p, notice_id)
        case = session.get(Case, n.case_id) if n.case_id else None
        kind = load_rules().notice_types.get(n.notice_type)
        return _page(request, p, "interpol_notice.html", {
            "n": n, "case": case, "kind": kind, "flash": flash,
            "characters": list(load_rules().article3_characters.items()),
            "can_draft": p.has("notice.draft"), "errors": errors or {},
            "values": values or {}}, status=422 if errors else 200)


@router.get("/w/interpol/notices/{notice_id}")
def interpol_notice(request: Request, notice_id: int, p: PrincipalDep, factory: FactoryDep,
                    done: str = "") -> Response:
    flash = {"draft": "Notice drafted. Record the Article 3 assessment next.",
             "article3": "Article 3 assessment recorded.", "submit": "Notice submitted.",
             "review": "Review outcome recorded.", "consent": "Publication consent recorded.",
             "cancel": "Notice cancelled."}.get(done)
    return _notice_page(request, p, factory, notice_id, flash=flash)


def _notice_action(request: Request, p: Principal, factory: sessionmaker[Session],
                   notice_id: int, form: dict[str, Any], action: str,
                   fn: Callable[[Session], Any], known: set[str]) -> Response:
    _, errors = attempt(factory, p, fn, action, known)
    if not errors:
        return RedirectResponse(f"/w/interpol/notices/{notice_id}?done={action}#{action}", 303)
    return _notice_page(request, p, factory, notice_id, errors, _values(form))


@router.post("/w/interpol/notices/{notice_id}/article3")
async def interpol_article3(request: Request, notice_id: int, p: PrincipalDep,
                            factory: FactoryDep, form: FormDep) -> Response:
    concerns = [str(c) for c in (await request.form()).getlist("article3.concerns")]

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


@router.get("/w/interpol/import")
def interpol_import_page(request: Request, p: PrincipalDep) -> Response:
    if not p.has("entity.create"):
        raise Forbidden("your role may not import notices", rule="permission:entity.create")
    return _page(request, p, "interpol_import.html", {"types": _notice_types(),
                                                      "values": {"type": "red"}})


MAX_IMPORT_BYTES = 20 * 1024 * 1024


@router.post("/w/interpol/import")
async def interpol_import(request: Request, p: PrincipalDep, factory: FactoryDep,
                          form: FormDep) -> Response:
    upload = form.get("file")
    notice_type = text(form, "type") or "red"
    errors: Errors = {}
    bad: list[dict[str, Any]] = []
    imported: list[str] = []
    items: Any = None
    if not isinstance(upload, UploadFile) and not hasattr(upload, "read"):
        errors["file"] = "file: choose a JSON file of notices"
    else:
        raw = await upload.read(MAX_IMPORT_BYTES + 1)  # type: ignore[union-attr]
        if not raw:
            errors["file"] = "file: the file is empty; choose a JSON file of notices"
        elif len(raw) > MAX_IMPORT_BYTES:
            errors["file"] = "file: larger than 20 MB; split it or use `ncb notice import`"
        else:
            try:
                items = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError) as exc:
                errors["file"] = f"file: not valid JSON ({exc})"
    if not errors:
        if notice_type not in load_rules().notice_types:
            errors["type"] = f"type: unknown notice type {notice_type!r}"
        else:
            def go(s: Session) -> list[str]:
                rows = interpol.import_notices(s, p, interpol.unwrap(items), notice_type)
                return [n.notice_ref for n in rows]

            try:
                with unit_of_work(factory, p) as session:
                    imported = go(session)
            except InvalidInput as exc:
                errors["file"] = exc.detail
                bad = list(exc.extra.get("bad_records") or [])
            except DomainError as exc:
                errors["file"] = exc.message
    return _page(request, p, "interpol_import.html", {
        "types": _notice_types(), "values": {"type": notice_type}, "errors": errors,
        "bad": bad, "imported": imported}, status=422 if errors else 200)


@router.get("/w/interpol/sltd")
def sltd_page(request: Request, p: PrincipalDep) -> Response:
    return _page(request, p, "interpol_sltd.html", {"countries": _countries(), "result": None})


@router.post("/w/interpol/sltd")
def sltd_check(request: Request, p: PrincipalDep, factory: FactoryDep, form: FormDep
               ) -> Response:
    payload = {"number": text(form, "number") or "",
               "issuing_country": text(form, "issuing_country"),
               "justification": text(form, "justification") or ""}

    def go(s: Session) -> dict[str, Any]:
        return interpol.sltd_check(s, p, interpol.SltdCheckIn.model_validate(payload))

    result, errors = attempt(factory, p, go, "sltd", {"number", "issuing_country",
                                                      "justification"})
    errors = {k.removeprefix("sltd."): v for k, v in errors.items()}
    if "sltd" in errors:
        errors["__all__"] = errors.pop("sltd")
    return _page(request, p, "interpol_sltd.html", {
        "countries": _countries(), "result": result, "errors": errors,
        "values": _values(form)}, status=422 if errors else 200)


# ---------------------------------------------------------------- Europol


@router.get("/w/europol")
def europol_list(request: Request, p: PrincipalDep, factory: FactoryDep) -> Response:
    with unit_of_work(factory, p) as session:
        cases = list(session.scalars(select(Case).where(Case.channel == "europol")
                                     .order_by(Case.received_at.desc()).limit(100)))
        counts = dict(session.execute(
            select(Message.case_id, func.count()).where(Message.case_id.in_(
                [c.id for c in cases] or [0])).group_by(Message.case_id)).all())
        return _page(request, p, "europol_list.html", {"cases": cases, "counts": counts})


def _europol_page(request: Request, p: Principal, factory: sessionmaker[Session], ref: str,
                  errors: Errors | None = None, values: dict[str, Any] | None = None,
                  flash: str | None = None) -> Response:
    with unit_of_work(factory, p) as session:
        case = case_by_ref(session, p, ref)
        messages = list(session.scalars(select(Message).where(Message.case_id == case.id)
                                        .order_by(Message.sent_at, Message.id)))
        rules = load_rules()
        scheme = rules.grading["europol_4x4"]
        codes = rules.handling_codes["europol"].codes
        return _page(request, p, "europol_case.html", {
            "case": case, "messages": messages, "flash": flash, "codes": codes,
            "source_codes": scheme.source_codes, "info_codes": scheme.information_codes,
            "can_send": p.has("message.send"), "errors": errors or {},
            "values": values or {"msg.direction": "out", "msg.handling_code": "H0",
                                 "msg.sender": p.agency_code}}, status=422 if errors else 200)


@router.get("/w/europol/{ref}")
def europol_case(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                 done: str = "") -> Response:
    flash = {"message": "Message recorded.", "forward": "Message forwarded.",
             "permission": "Provider's permission recorded."}.get(done)
    return _europol_page(request, p, factory, ref, flash=flash)


MSG_FIELDS = {"direction", "sender", "recipients", "subject", "body", "handling_code",
              "handling_conditions", "source_reliability", "information_accuracy",
              "classification", "in_reply_to", "evaluation"}


@router.post("/w/europol/{ref}/messages")
def europol_message(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                    form: FormDep) -> Response:
    if not p.has("message.send"):
        raise Forbidden("your role may not exchange messages", rule="permission:message.send")
    payload = {"direction": text(form, "msg.direction") or "out",
               "sender": text(form, "msg.sender") or "",
               "recipients": [r.strip() for r in (text(form, "msg.recipients") or "").split(",")
                              if r.strip()],
               "subject": text(form, "msg.subject") or "", "body": text(form, "msg.body") or "",
               "handling_code": text(form, "msg.handling_code") or "",
               "handling_conditions": text(form, "msg.handling_conditions"),
               "source_reliability": text(form, "msg.source_reliability"),
               "information_accuracy": text(form, "msg.information_accuracy"),
               "provider_permission": text(form, "msg.provider_permission") == "yes"}

    def go(s: Session) -> None:
        europol.send(s, p, ref, europol.SienaMessageIn.model_validate(payload))

    _, errors = attempt(factory, p, go, "msg", MSG_FIELDS)
    errors = {{"msg.evaluation.source": "msg.source_reliability",
               "msg.evaluation.information": "msg.information_accuracy"}.get(k, k): v
              for k, v in errors.items()}
    if not errors:
        return RedirectResponse(f"/w/europol/{ref}?done=message#messages", 303)
    return _europol_page(request, p, factory, ref, errors, _values(form))


@router.post("/w/europol/{ref}/messages/{message_id}/forward")
def europol_forward(request: Request, ref: str, message_id: int, p: PrincipalDep,
                    factory: FactoryDep, form: FormDep) -> Response:
    prefix = f"fw{message_id}"
    recipients = [r.strip() for r in (text(form, f"{prefix}.recipients") or "").split(",")
                  if r.strip()]

    def go(s: Session) -> None:
        if not recipients:
            raise InvalidInput("recipients: name at least one recipient", field="recipients",
                               rule="required")
        exchange.forward_message(s, p, ref, message_id, recipients)

    _, errors = attempt(factory, p, go, prefix, {"recipients", "handling_code"})
    if f"{prefix}.handling_code" in errors:  # the H2/H3 rule, explained beside the recipients
        errors[f"{prefix}.recipients"] = errors.pop(f"{prefix}.handling_code")
    if not errors:
        return RedirectResponse(f"/w/europol/{ref}?done=forward#messages", 303)
    return _europol_page(request, p, factory, ref, errors, _values(form))


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
    return _europol_page(request, p, factory, ref, errors, _values(form))
