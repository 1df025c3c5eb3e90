"""Routes of the public site: the most-wanted list, one appeal, the tip form and follow-up."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from ncb.rules import load_rules
from ncb.services import appeals, tip_forms, tips
from ncb.services.errors import Forbidden, InvalidInput, NotFound, ServiceError, TooLarge
from ncb.settings import Settings
from ncb.store.db import transaction
from ncb.web.public import i18n
from ncb.web.public.language import SCOPE_KEY
from ncb.web.public.service_messages import N_

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "public"
ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                  trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
ENV.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
ENV.globals |= i18n.template_globals()
MAX_FORM_BYTES = 64 * 1024
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")

HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

TIP_FORM_CSP = HEADERS["Content-Security-Policy"] + "; script-src 'self'"


class UnsupportedForm(ServiceError):
    status = 415
    title = "Unsupported form"


def country_name(code: str | None) -> str:
    if not code:
        return i18n.gettext("Unknown")
    local = i18n.country(code)
    if local:
        return local
    found = load_rules().countries.get(code)
    return str(getattr(found, "name", code)) if found else code


ENV.globals |= {"country_name": country_name, "max_tip": tips.MAX_TIP_CHARS,
                "max_answer": tips.MAX_ANSWER_CHARS}


def page(template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    response = HTMLResponse(ENV.get_template(template).render(**context), status_code=http_status)
    response.headers["Content-Language"] = i18n.language().tag
    return response


def error_page(status: int, title: str, detail: str) -> HTMLResponse:
    # Service messages are English source strings; the catalogue carries the public ones.
    return page("error.html", status, title=i18n.gettext(title), detail=i18n.gettext(detail))


class PublicRoute(APIRoute):
    """Security headers on every answer; errors as plain public pages (nothing logged)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            shown = request.scope.get(SCOPE_KEY, i18n.DEFAULT)
            i18n.CURRENT.set(shown)  # copied into the worker thread of a sync route
            i18n.PATH.set(request.url.path)
            i18n.SUGGESTED.set(i18n.preferred(request.headers.get("accept-language", ""), shown))
            try:
                response = await original(request)
            except NotFound:
                response = error_page(404, N_("Not found"), N_("There is no such page on this site."))
            except ServiceError as exc:
                response = error_page(exc.status, exc.title, exc.detail)
            except RequestValidationError:
                response = error_page(400, N_("Bad request"), N_("The request was not understood."))
            for name, value in HEADERS.items():
                response.headers[name] = value
            if request.url.path.endswith("/tip"):  # the one script: the flood's proof of work
                response.headers["Content-Security-Policy"] = TIP_FORM_CSP
            return response

        return handler


router = APIRouter(prefix="/public", route_class=PublicRoute, include_in_schema=False)


def public_session(request: Request) -> Iterator[Session]:
    """A transaction without any principal: marked (internal) records are invisible to it."""
    with transaction(request.app.state.factory) as session:
        yield session


def public_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


PublicSession = Annotated[Session, Depends(public_session, scope="function")]
PublicSettings = Annotated[Settings, Depends(public_settings)]


async def read_form(request: Request) -> dict[str, str]:
    """A small url-encoded form, size-limited while reading; no files, no multipart."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise UnsupportedForm("send the form from this site's pages")
    declared = request.headers.get("content-length", "")
    if declared and (not (declared.isascii() and declared.isdigit())
                     or int(declared) > MAX_FORM_BYTES):
        raise TooLarge(N_("the message is too long"))
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_FORM_BYTES:
            raise TooLarge(N_("the message is too long"))
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=12)
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput(N_("the form could not be read")) from None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


PublicForm = Annotated[dict[str, str], Depends(read_form)]


# --- the most-wanted list --------------------------------------------------------------


@router.get("")
@router.get("/")
def wanted_list(session: PublicSession, q: str = "", country: str = "",
                status: str = "") -> Response:
    q, country = q.strip()[:100], country.strip().upper()[:2]
    status = status if status in ("wanted", "caught") else ""
    return page("list.html", appeals=appeals.published_appeals(session, q, country, status),
                counts=appeals.public_counts(session),
                countries=appeals.public_countries(session),
                q=q, country=country, status=status)


@router.get("/appeals/{public_id}")
def appeal_page(public_id: str, session: PublicSession) -> Response:
    found = appeals.published_appeal(session, public_id) if PUBLIC_ID.match(public_id) else None
    if found is None:
        raise NotFound("no such appeal")
    return page("appeal.html", a=found)


@router.get("/appeals/{public_id}/photo")
def appeal_photo(public_id: str, session: PublicSession) -> Response:
    found = appeals.published_photo(session, public_id) if PUBLIC_ID.match(public_id) else None
    if found is None:
        raise NotFound("no such photo")
    data, kind = found
    return Response(data, media_type=kind)


# --- anonymous tips ------------------------------------------------------------------------


def source(request: Request) -> str | None:
    """The client address, handed to the limits that count per source in memory only."""
    return request.client.host if request.client else None


def _tip_form(session: Session, settings: Settings, status: int = 200, about: str = "",
              body: str = "", error: str | None = None, token: str | None = None) -> HTMLResponse:
    # `work`: the proof-of-work bits the page's script stamps the form with (0: none needed);
    # `wait`: the minutes a browser without JavaScript waits instead (the slow lane).
    bits = tips.current_bits()
    return page("tip.html", status, token=token or tips.issue_form_token(settings), work=bits,
                wait=-(-tip_forms.slow_wait(bits) // 60), choices=appeals.live_choices(session),
                about=about, body=body, error=error)


@router.get("/tip")
def tip_form(session: PublicSession, settings: PublicSettings, about: str = "") -> Response:
    return _tip_form(session, settings, about=about[:16])


@router.post("/tip")
def tip_send(request: Request, session: PublicSession, settings: PublicSettings,
             form: PublicForm) -> Response:
    body, about = form.get("body", ""), form.get("about", "")[:16]
    try:
        receipt = tips.submit_tip(session, settings, body, appeal_public_id=about or None,
                                  form_token=form.get("token"), stamp=form.get("stamp"),
                                  source=source(request))
    except (InvalidInput, tips.TooMany) as exc:
        session.rollback()
        # A refusal for load leaves the form's token unused: keep it, so the wait already
        # spent counts (a new token would start the slow lane's wait again).
        keep = form.get("token") if isinstance(exc, tips.TooMany) else None
        return _tip_form(session, settings, exc.status, about, body[: tips.MAX_TIP_CHARS],
                         exc.detail, keep)
    return page("receipt.html", 201, reference=receipt.reference, pin=receipt.pin)


@router.get("/follow-up")
def follow_up_form() -> Response:
    return page("follow_up.html")


def _thread_page(settings: Settings, thread: tips.PublicThread, pin: str, status: int = 200,
                 notice: str | None = None, error: str | None = None) -> HTMLResponse:
    return page("thread.html", status, thread=thread, pin=pin, notice=notice, error=error,
                token=tips.issue_form_token(settings))


@router.post("/follow-up")
def follow_up(request: Request, session: PublicSession, settings: PublicSettings,
              form: PublicForm) -> Response:
    reference, pin = form.get("reference", ""), form.get("pin", "").strip()
    try:
        thread = tips.read_thread(session, settings, reference, pin, source(request))
    except (Forbidden, tips.Locked, tips.TooMany) as exc:
        return page("follow_up.html", exc.status, error=exc.detail)
    return _thread_page(settings, thread, pin)


@router.post("/follow-up/answer")
def follow_up_answer(request: Request, session: PublicSession, settings: PublicSettings,
                     form: PublicForm) -> Response:
    reference, pin = form.get("reference", ""), form.get("pin", "").strip()
    try:
        thread = tips.answer(session, settings, reference, pin, form.get("body", ""),
                             form_token=form.get("token"), source=source(request))
    except (Forbidden, tips.Locked) as exc:
        return page("follow_up.html", exc.status, error=exc.detail)
    except (InvalidInput, tips.TooMany) as exc:
        if exc.rule == "pin_source_limit":  # the thread is not open to this source now
            return page("follow_up.html", exc.status, error=exc.detail)
        session.rollback()
        thread = tips.read_thread(session, settings, reference, pin, source(request))
        return _thread_page(settings, thread, pin, exc.status, error=exc.detail)
    return _thread_page(settings, thread, pin,
                        notice=i18n.gettext("Thank you. Your answer has been passed on."))


@router.get("/about")
def about() -> Response:
    return page("about.html")


@router.get("/bureau")
def bureau() -> Response:
    return page("bureau.html")


@router.get("/contact")
def contact() -> Response:
    return page("contact.html")


@router.get("/{rest:path}")
def not_found(rest: str) -> Response:
    """Anything else under /public: a plain 404 page, with the same headers."""
    raise NotFound("no such page")
