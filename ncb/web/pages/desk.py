"""Global search and the supervisor dashboard (caseload, deadlines at risk, team workload)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.services import queues, search
from ncb.services.context import unit_of_work
from ncb.services.errors import Forbidden, InvalidInput
from ncb.store.models import Case, Team
from ncb.web.charts import bar_chart
from ncb.web.pages.queues import names_for
from ncb.web.templating import WebRoute, label, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/w/search")
def search_page(request: Request, p: PrincipalDep, factory: FactoryDep, q: str = "") -> Response:
    ctx: dict[str, Any] = {"q": q, "result": None, "error": None}
    if q.strip():
        try:
            with unit_of_work(factory, p) as session:
                result = search.search(session, p, q, limit=50)
                ctx["result"] = result
                ctx["names"] = names_for(session, result.cases)
                return render(request, "search.html", ctx, principal=p)
        except InvalidInput as exc:
            ctx["error"] = exc.detail
            return render(request, "search.html", ctx, status=422, principal=p)
    return render(request, "search.html", ctx, principal=p)


def caseload(session: Any, now: datetime) -> dict[str, Counter[Any]]:
    """Open cases counted by channel, country, crime area and team (with overdue, unassigned).

    One grouped scan of the open cases (the status index) instead of one per dimension: a
    GROUP BY on a single column makes SQLite walk that column's index over every case.
    """
    overdue = sql_case((Case.next_due_at < now, 1), else_=0)
    unassigned = sql_case((Case.assignee_id.is_(None), 1), else_=0)
    # coalesce(): without it SQLite walks the whole channel index to avoid a sort.
    channel = func.coalesce(Case.channel, "")
    rows = session.execute(
        select(channel, Case.country, Case.crime_area, Case.team_id, overdue, unassigned,
               func.count(Case.id))
        .where(Case.status.in_(queues.open_statuses()))
        .group_by(channel, Case.country, Case.crime_area, Case.team_id, overdue, unassigned)
    ).all()
    out: dict[str, Counter[Any]] = {k: Counter() for k in (
        "channel", "country", "crime_area", "team", "team_overdue", "team_unassigned")}
    for channel, country, area, team, late, free, n in rows:
        out["channel"][channel] += n
        out["country"][country or "—"] += n
        out["crime_area"][area or "—"] += n
        out["team"][team] += n
        out["team_overdue"][team] += n * late
        out["team_unassigned"][team] += n * free
    return out


@router.get("/w/dashboard")
def dashboard(request: Request, p: PrincipalDep, factory: FactoryDep) -> Response:
    if not p.has("case.read_desk"):
        raise Forbidden("the dashboard is for supervisors and analysts")
    with unit_of_work(factory, p) as session:
        load = caseload(session, datetime.now(UTC))
        by_channel = [(label("channel", k), n) for k, n in load["channel"].most_common(12)]
        by_country = list(load["country"].most_common(12))
        by_area = [(label("crime_area", k), n) for k, n in load["crime_area"].most_common(12)]
        names = dict(session.execute(select(Team.id, Team.name)
                                     .execution_options(skip_access=True)).all())
        teams = [(names.get(t, "no team"), n, load["team_overdue"][t],
                  load["team_unassigned"][t]) for t, n in load["team"].most_common()]
        at_risk = queues.queue(session, p, "due", hours=48, sort="due", page_size=15)
        overdue = queues.queue(session, p, "overdue", sort="due", page_size=15)
        ctx = {
            "by_channel": by_channel, "by_country": by_country, "by_area": by_area,
            "teams": teams, "at_risk": at_risk, "overdue": overdue,
            "names": names_for(session, at_risk.items + overdue.items),
            "charts": {
                "channel": bar_chart(by_channel, "Open cases by channel"),
                "country": bar_chart(by_country, "Open cases by country (top 12)"),
                "area": bar_chart(by_area, "Open cases by crime area (top 12)"),
                "teams": bar_chart([(t[0], t[1]) for t in teams], "Open cases by team",
                                   secondary=[t[2] for t in teams]),
            },
        }
        return render(request, "dashboard.html", ctx, principal=p)
