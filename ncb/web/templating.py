"""Jinja2 environment, filters, CSRF tokens and the route class that turns errors into pages.

Pages never leak a refused record: a 403 page says only that access was refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup
from pydantic import ValidationError

from ncb.adapters.cookies import set_cookie
from ncb.domain.errors import DomainError
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import appeals, queues
from ncb.services.auth import SESSION_COOKIE, NotAuthenticated
from ncb.services.errors import Forbidden, NotFound, ServiceError

log = logging.getLogger("ncb.web")

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
PRE_SESSION_COOKIE = "ncb_csrf"
GRANT_COOKIE = "ncb_justified"  # lives NCB_JUSTIFICATION_GRANT_MINUTES


class CsrfRefused(ServiceError):
    status = 403
    title = "Form expired"


# ---------------------------------------------------------------- filters


def fmt_dt(value: datetime | str | None, tz: str = "UTC") -> str:
    """A UTC time shown in the reader's time zone, with UTC beside it when they differ. An ISO
    string (a time kept in a record's JSON data) is read first; other text is shown as it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            return fmt_dt(datetime.fromisoformat(value.replace("Z", "+00:00")), tz)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    utc = value.astimezone(UTC)
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = utc.astimezone(zone)
    if local.utcoffset() == timedelta(0) and tz in ("UTC", "Etc/UTC"):
        return utc.strftime("%Y-%m-%d %H:%M UTC")
    text = local.strftime("%Y-%m-%d %H:%M %Z")
    if local.utcoffset() != timedelta(0):
        text += utc.strftime(" (%H:%M UTC)")
    return text


@pass_context
def dt_filter(ctx: Any, value: datetime | str | None) -> str:
    me = ctx.get("me") or {}  # a page without a reader (sign-in) shows the bureau's time
    request = ctx.get("request")
    settings = getattr(getattr(request, "app", None), "state", None)
    bureau = getattr(getattr(settings, "settings", None), "bureau_timezone", "UTC")
    return fmt_dt(value, me.get("timezone") or bureau)


def countdown(value: datetime | None, now: datetime | None = None) -> str:
    """'in 3 h 20 min' or 'overdue by 2 d 4 h'."""
    if value is None:
        return "no deadline"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    seconds = int((value - now).total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        text = f"{days} d {hours} h"
    elif hours:
        text = f"{hours} h {minutes} min"
    else:
        text = f"{minutes} min"
    return f"overdue by {text}" if late else f"in {text}"


def urgency(value: datetime | None) -> str:
    """CSS class for a deadline: overdue, soon (within 24 h), ok."""
    if value is None:
        return "none"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    left = (value - datetime.now(UTC)).total_seconds()
    return "overdue" if left < 0 else "soon" if left < 86400 else "ok"


def slug(value: str | None) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in (value or "none").lower())


def label(kind: str, code: str | None) -> str:
    """Human label of a code from the rules tables (falls back to the code)."""
    if code is None:
        return "—"
    rules = load_rules()
    table: Any = {
        "channel": rules.channels, "priority": rules.priorities, "crime_area": rules.crime_areas,
        "country": rules.countries, "team": rules.teams, "role": rules.roles,
        "status": rules.state_machines["case"].statuses,
    }.get(kind, {})
    item = table.get(code)
    if item is None:
        return code
    return str(getattr(item, "label", None) or getattr(item, "name", None) or code)


def clearance_name(rank: int) -> str:
    for code, cls in load_rules().classifications.items():
        if cls.rank == rank:
            return code
    return str(rank)


TEMPLATES.env.filters |= {"dt": dt_filter, "countdown": countdown, "urgency": urgency, "slug": slug,
                         "size_text": appeals.size_text}
TEMPLATES.env.globals |= {"label": label, "clearance_name": clearance_name, "rules": load_rules}


# ---------------------------------------------------------------- CSRF


def _secret(request: Request) -> bytes:
    return str(request.app.state.settings.secret_key).encode()


def _mac(request: Request, *parts: str) -> str:
    return hmac.new(_secret(request), "|".join(parts).encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """Tied to the session when signed in; else a double-submit cookie (set by `render`)."""
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return _mac(request, "csrf", session)[:40]
    pre = getattr(request.state, "csrf_pre", None) or request.cookies.get(PRE_SESSION_COOKIE)
    if not pre:
        pre = secrets.token_urlsafe(24)
    request.state.csrf_pre = pre
    return _mac(request, "csrf-pre", pre)[:40]


def check_csrf(request: Request, form: dict[str, Any]) -> None:
    sent = str(form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or "")
    session = request.cookies.get(SESSION_COOKIE)
    pre = request.cookies.get(PRE_SESSION_COOKIE)
    if session:
        expected = _mac(request, "csrf", session)[:40]
    elif pre:
        expected = _mac(request, "csrf-pre", pre)[:40]
    else:
        expected = ""
    if not expected or not hmac.compare_digest(sent, expected):
        raise CsrfRefused("this form has expired or did not come from this site: reload the "
                          "page and try again", field=CSRF_FIELD, rule="csrf")


# ---------------------------------------------------------------- justification grant


def grant_justification(response: Response, request: Request, ref: str,
                        justification: str) -> None:
    """Remember a justification for one case in a signed cookie, for
    NCB_JUSTIFICATION_GRANT_MINUTES of the app's settings."""
    seconds = int(request.app.state.settings.justification_grant_minutes) * 60
    payload = base64.urlsafe_b64encode(json.dumps(
        {"r": ref, "j": justification, "e": int(time.time()) + seconds}).encode()).decode()
    session = request.cookies.get(SESSION_COOKIE, "")
    value = f"{payload}.{_mac(request, 'grant', session, payload)[:32]}"
    set_cookie(response, request, GRANT_COOKIE, value, seconds)


def granted_justification(request: Request, ref: str) -> str | None:
    raw = request.cookies.get(GRANT_COOKIE, "")
    payload, _, mac = raw.partition(".")
    if not payload or not mac:
        return None
    session = request.cookies.get(SESSION_COOKIE, "")
    if not hmac.compare_digest(mac, _mac(request, "grant", session, payload)[:32]):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return None
    if data.get("r") != ref or int(data.get("e", 0)) < time.time():
        return None
    return str(data.get("j") or "") or None


# ---------------------------------------------------------------- rendering


def viewer(p: Principal | None) -> dict[str, Any] | None:
    if p is None:
        return None
    roles = load_rules().roles
    return {
        "username": p.username,
        "timezone": p.timezone,
        "agency": p.agency_code,
        "roles": [roles[r].label if r in roles else r for r in sorted(p.roles)],
        "clearance": clearance_name(p.clearance_rank),
        "supervisor": p.has("case.read_desk") and p.has("case.assign"),
        "desk": p.has("case.read_desk"),
        "can_create": p.has("case.create"),
        "graph": p.has("screen.run"),  # link analysis: the network page
        "audit": p.has("audit.read"),
        "federation": p.has("node.manage"),
        "tips": p.has("tip.handle") or p.has("tip.dispatch"),
        "appeals": p.has("appeal.draft") or p.has("appeal.publish"),
        "partner": queues.is_partner(p),
        "data_protection": p.has("retention.review") or p.has("subject_access.handle"),
    }


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200,
    principal: Principal | None = None,
) -> HTMLResponse:
    p = principal or getattr(request.state, "principal", None)
    ctx = {"request": request, "me": viewer(p), "csrf": csrf_token(request), "path": request.url.path,
           **(context or {})}
    response = TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)
    pre = getattr(request.state, "csrf_pre", None)
    if pre and not request.cookies.get(SESSION_COOKIE) and request.cookies.get(
            PRE_SESSION_COOKIE) != pre:
        set_cookie(response, request, PRE_SESSION_COOKIE, pre)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'")
    return response


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "title": title, "detail": detail},
                  status=status)


def field_errors(exc: ValidationError, rename: dict[str, str] | None = None) -> dict[str, str]:
    """Map pydantic error locations to form field names ('markings.tlp', 'person.last_name')."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()))
        for prefix, new in (rename or {}).items():
            if loc == prefix or loc.startswith(prefix + "."):
                loc = new + loc[len(prefix):]
        out.setdefault(loc or "__all__", str(err.get("msg", "invalid")).removeprefix(
            "Value error, "))
    return out


def service_field(exc: ServiceError, rename: dict[str, str] | None = None) -> dict[str, str]:
    name = exc.field or "__all__"
    for prefix, new in (rename or {}).items():
        if name == prefix or name.startswith(prefix + "."):
            name = new + name[len(prefix):]
    return {name: exc.detail}


class WebRoute(APIRoute):
    """Pages: a missing session redirects to /login; refusals and absences render HTML pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except NotAuthenticated:
                target = request.url.path
                if request.url.query:
                    target += "?" + request.url.query
                nxt = quote(target, safe="") if request.method == "GET" else ""
                response = RedirectResponse(f"/login?next={nxt}" if nxt else "/login", 303)
                if request.headers.get("hx-request"):
                    response.headers["HX-Redirect"] = "/login"
                return response
            except CsrfRefused as exc:
                return error_page(request, 403, exc.title, exc.detail)
            except Forbidden:
                # Nothing of the record: not its title, not why in detail.
                return error_page(request, 403, "Access refused",
                                  "You may not see this record, or your role may not do this. "
                                  "If you need it, ask the bureau's duty supervisor.")
            except NotFound as exc:
                return error_page(request, 404, "Not found", exc.detail)
            except ServiceError as exc:
                return error_page(request, exc.status, exc.title, exc.detail)
            except DomainError as exc:
                return error_page(request, 409, "Not allowed", str(exc))
            except RequestValidationError as exc:
                msgs = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}"
                                 for e in exc.errors())
                return error_page(request, 422, "Invalid request", msgs)

        return handler


def inline_svg(svg: str) -> Markup:
    return Markup(svg)  # noqa: S704 - built by ncb.web.charts with escaped text only
