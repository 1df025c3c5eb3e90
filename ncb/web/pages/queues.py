"""Work queues (mine, team, due soon, overdue, unassigned, desk) and the liaison post view."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.domain.policy import Principal
from ncb.rules import load_rules
from ncb.services import queues
from ncb.services.context import unit_of_work
from ncb.services.errors import NotFound
from ncb.store.models import Case, Task, Team, User
from ncb.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)

QUEUES = {
    "mine": "My cases", "team": "My team", "due": "Due soon", "overdue": "Overdue",
    "unassigned": "Unassigned", "desk": "Whole desk",
}
FILTERS = ("channel", "country", "crime_area", "priority", "status")
SORT_LABELS = {"due": "Deadline", "priority": "Priority", "newest": "Newest", "oldest": "Oldest"}


def queue_names(p: Principal) -> list[str]:
    return [n for n in QUEUES if n != "desk" or p.has("case.read_desk")]


def names_for(session: Session, cases: list[Case]) -> dict[str, dict[int, str]]:
    # Teams and users carry no markings: the access filter has nothing to hide there.
    teams = dict(session.execute(select(Team.id, Team.name).execution_options(skip_access=True))
                 .all())
    ids = {c.assignee_id for c in cases if c.assignee_id}
    users = dict(session.execute(
        select(User.id, User.username).where(User.id.in_(ids))
        .execution_options(skip_access=True)).all()) if ids else {}
    return {"teams": teams, "users": users}


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
    if p.has("case.read_desk") and p.has("case.assign"):
        return RedirectResponse("/w/dashboard", 303)
    if "liaison_officer" in p.roles:
        return RedirectResponse("/w/post", 303)
    if not p.has("case.transition") and not p.has("case.read_desk"):
        return RedirectResponse("/w/queues/team", 303)
    return RedirectResponse("/w/queues/mine", 303)


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
        result = queues.queue(session, p, name, f, hours=hours, sort=sort, page=max(page, 1))
        ctx: dict[str, Any] = {
            "queue": name, "title": QUEUES[name], "queues": queue_names(p), "labels": QUEUES,
            "result": result, "names": names_for(session, result.items),
            "filters": {k: getattr(f, k) or "" for k in FILTERS}, "sort": sort, "hours": hours,
            "options": filter_options(), "sorts": SORT_LABELS,
            "prev_url": _page_url(request, result.page - 1) if result.page > 1 else None,
            "next_url": _page_url(request, result.page + 1) if result.has_next else None,
        }
        return render(request, "queue.html", ctx, principal=p)


@router.get("/w/post")
def post_page(request: Request, p: PrincipalDep, factory: FactoryDep, page: int = 1,
              sort: str = "due") -> Response:
    """A liaison officer's post: cases concerning its countries, and their open tasks."""
    with unit_of_work(factory, p) as session:
        user = session.get(User, p.user_id) if p.user_id else None
        countries = tuple(user.post_countries or ()) if user else ()
        result = queues.queue(session, p, "post", None, sort=sort, page=max(page, 1),
                              post_countries=countries)
        tasks = session.execute(
            select(Task, Case.reference, Case.title).join(Case, Case.id == Task.case_id)
            .where(Case.country.in_(list(countries) or ["--"]), Task.done_at.is_(None))
            .order_by(Task.due_at.asc().nulls_last(), Task.id).limit(50)
        ).all() if countries else []
        ctx = {
            "post": user.post if user else None, "countries": countries, "result": result,
            "names": names_for(session, result.items), "tasks": tasks, "sort": sort,
            "prev_url": _page_url(request, result.page - 1) if result.page > 1 else None,
            "next_url": _page_url(request, result.page + 1) if result.has_next else None,
        }
        return render(request, "post.html", ctx, principal=p)
