"""Work queues (mine, team, due soon, overdue, unassigned, desk; a partner's requests and what
was shared with them), the liaison post view and the partner landing page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ncb.adapters.deps import FactoryDep, PrincipalDep, SettingsDep
from ncb.rules import load_rules
from ncb.services import queue_views, queues
from ncb.services.context import unit_of_work
from ncb.services.errors import NotFound
from ncb.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)

QUEUES = {
    "mine": "My cases", "team": "My team", "due": "Due soon", "overdue": "Overdue",
    "unassigned": "Unassigned", "desk": "Whole desk",
    "ours": "Our requests", "shared": "Shared with us",
}
FILTERS = ("channel", "country", "crime_area", "priority", "status")
SORT_LABELS = {"due": "Deadline", "priority": "Priority", "newest": "Newest", "oldest": "Oldest"}
LANDING = {"dashboard": "/w/dashboard", "post": "/w/post", "partner": "/w/partner",
           "team": "/w/queues/team", "mine": "/w/queues/mine"}


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if v}


def _page_url(request: Request, page: int) -> str:
    params = _params(request)
    params["page"] = str(page)
    return f"{request.url.path}?{urlencode(params)}"


def filter_options() -> dict[str, list[tuple[str, str]]]:
    rules = load_rules()
    return {
        "channel": [(k, v.label) for k, v in rules.channels.items()],
        "country": sorted(((k, f"{k} {v.name}") for k, v in rules.countries.items()),
                          key=lambda x: x[0]),
        "crime_area": [(k, v.label) for k, v in rules.crime_areas.items()],
        "priority": [(k, v.label) for k, v in rules.priorities.items()],
        "status": [(k, v.label) for k, v in rules.state_machines["case"].statuses.items()],
    }


@router.get("/")
def home(p: PrincipalDep) -> Response:
    return RedirectResponse(LANDING[queues.landing(p)], 303)


@router.get("/w/queues/{name}")
def queue_page(
    request: Request, name: str, p: PrincipalDep, factory: FactoryDep, channel: str = "",
    country: str = "", crime_area: str = "", priority: str = "", status: str = "",
    sort: str = "due", page: int = 1, hours: int = 24,
) -> Response:
    if name not in QUEUES:
        raise NotFound(f"there is no queue called {name!r}")
    f = queues.QueueFilter(channel=channel or None, country=country or None,
                           crime_area=crime_area or None, priority=priority or None,
                           status=status or None)
    with unit_of_work(factory, p) as session:
        view = queue_views.queue_view(session, p, name, f, hours=hours, sort=sort, page=page)
        ctx: dict[str, Any] = {
            "queue": name, "title": QUEUES[name], "queues": view.queues, "labels": QUEUES,
            "result": view.result, "names": view.names, "release": view.release,
            "filters": {k: getattr(f, k) or "" for k in FILTERS}, "sort": sort, "hours": hours,
            "options": filter_options(), "sorts": SORT_LABELS,
            "prev_url": _page_url(request, view.result.page - 1) if view.result.page > 1 else None,
            "next_url": _page_url(request, view.result.page + 1) if view.result.has_next else None,
        }
        return render(request, "queue.html", ctx, principal=p)


@router.get("/w/post")
def post_page(request: Request, p: PrincipalDep, factory: FactoryDep, settings: SettingsDep,
              page: int = 1, sort: str = "due") -> Response:
    """A liaison officer's post: cases concerning its countries, and their open tasks."""
    with unit_of_work(factory, p) as session:
        view = queue_views.post_view(session, p, settings, sort=sort, page=page)
        ctx = {
            "post": view.post, "countries": view.countries, "result": view.result,
            "names": view.names, "tasks": view.tasks, "sort": sort,
            "prev_url": _page_url(request, view.result.page - 1) if view.result.page > 1 else None,
            "next_url": _page_url(request, view.result.page + 1) if view.result.has_next else None,
        }
        return render(request, "post.html", ctx, principal=p)


@router.get("/w/partner")
def partner_page(request: Request, p: PrincipalDep, factory: FactoryDep,
                 settings: SettingsDep) -> Response:
    """A partner's first screen: their agency's requests and what the bureau shared with it."""
    with unit_of_work(factory, p) as session:
        view = queue_views.partner_view(session, p, settings)
        return render(request, "partner.html", {"view": view, "labels": QUEUES}, principal=p)
