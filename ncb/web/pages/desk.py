"""Global search and the supervisor dashboard (caseload, deadlines at risk, team workload)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ncb.adapters.deps import FactoryDep, PrincipalDep, SettingsDep
from ncb.services import dashboard as dash
from ncb.services import search
from ncb.services.context import unit_of_work
from ncb.services.errors import InvalidInput
from ncb.services.queue_views import names_for
from ncb.web.charts import bar_chart
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


@router.get("/w/dashboard")
def dashboard(request: Request, p: PrincipalDep, factory: FactoryDep,
              settings: SettingsDep) -> Response:
    with unit_of_work(factory, p) as session:
        d = dash.dashboard(session, p, settings)
        by_channel = [(label("channel", k), n) for k, n in d.channel]
        by_area = [(label("crime_area", k), n) for k, n in d.crime_area]
        ctx = {
            "by_channel": by_channel, "by_country": d.country, "by_area": by_area,
            "teams": d.teams, "at_risk": d.at_risk, "overdue": d.overdue, "names": d.names,
            "release": d.release, "at_risk_hours": d.at_risk_hours,
            "charts": {
                "channel": bar_chart(by_channel, "Open cases by channel"),
                "country": bar_chart(d.country, "Open cases by country (top 12)"),
                "area": bar_chart(by_area, "Open cases by crime area (top 12)"),
                "teams": bar_chart([(t.name, t.open) for t in d.teams], "Open cases by team",
                                   secondary=[t.overdue for t in d.teams]),
            },
        }
        return render(request, "dashboard.html", ctx, principal=p)
