"""Global search and the supervisor dashboard (caseload, deadlines at risk, team workload)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from ncb.api.deps import FactoryDep, PrincipalDep
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


def _grouped(session: Any, column: Any, limit: int = 12) -> list[tuple[str, int]]:
    rows = session.execute(
        select(column, func.count(Case.id)).where(Case.status.in_(queues.open_statuses()))
        .group_by(column).order_by(func.count(Case.id).desc()).limit(limit)
    ).all()
    return [(str(k) if k is not None else "—", int(n)) for k, n in rows]


@router.get("/w/dashboard")
def dashboard(request: Request, p: PrincipalDep, factory: FactoryDep) -> Response:
    if not p.has("case.read_desk"):
        raise Forbidden("the dashboard is for supervisors and analysts")
    with unit_of_work(factory, p) as session:
        by_channel = [(label("channel", k), n) for k, n in _grouped(session, Case.channel)]
        by_country = _grouped(session, Case.country)
        by_area = [(label("crime_area", k), n) for k, n in _grouped(session, Case.crime_area)]
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        team_rows = session.execute(
            select(Team.name, func.count(Case.id),
                   func.sum(sql_case((Case.next_due_at < now, 1), else_=0)),
                   func.sum(sql_case((Case.assignee_id.is_(None), 1), else_=0)))
            .join(Team, Team.id == Case.team_id)
            .where(Case.status.in_(queues.open_statuses()))
            .group_by(Team.name).order_by(func.count(Case.id).desc())
        ).all()
        teams = [(str(n), int(c), int(o or 0), int(u or 0)) for n, c, o, u in team_rows]
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
