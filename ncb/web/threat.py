"""Threat picture pages: trends over months with a line chart, the year in numbers with bar
charts; each with its CSV download (the API's ?format=csv)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.services.context import unit_of_work
from ncb.services.threat.trends import DIMENSIONS, trends
from ncb.services.threat.year import year_in_numbers
from ncb.web.charts import bar_chart
from ncb.web.templating import WebRoute, render
from ncb.web.trend_chart import line_chart

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _default_range() -> tuple[str, str]:
    now = datetime.now(UTC)
    start = (now.year - 1, now.month + 1) if now.month < 12 else (now.year, 1)
    return f"{start[0]:04d}-{start[1]:02d}", f"{now:%Y-%m}"


@router.get("/w/threat")
def threat_page(request: Request, p: PrincipalDep, factory: FactoryDep,
                by: str = "crime_area") -> Response:
    start, end = _default_range()
    start = request.query_params.get("from") or start
    end = request.query_params.get("to") or end
    with unit_of_work(factory, p) as session:
        t = trends(session, p, by, start, end)
    chart = line_chart(t.months, t.series, t.labels,
                       f"New cases per month by {by.replace('_', ' ')}")
    return render(request, "threat/trends.html",
                  {"t": t, "chart": chart, "dims": DIMENSIONS, "start": t.months[0],
                   "end": t.months[-1]}, principal=p)


@router.get("/w/threat/year")
def year_page(request: Request, p: PrincipalDep, factory: FactoryDep,
              year: int | None = None) -> Response:
    year = year or datetime.now(UTC).year
    with unit_of_work(factory, p) as session:
        y = year_in_numbers(session, p, year)
    charts = {
        "cases_by_channel": bar_chart(list(y.cases_by_channel.items()), "New cases by channel"),
        "cases_by_month": bar_chart(list(y.cases_by_month.items()), "New cases by month",
                                    label_width=90),
        "eaw": bar_chart(list(y.eaw.items()), "European Arrest Warrants received"),
        "captura": bar_chart(list(y.captura.items()), "Captura appeals"),
        "sis": bar_chart(list(y.sis.items()), "SIS hits and alerts", label_width=240),
        "notices": bar_chart(list(y.notices.items()), "Interpol notices"),
    }
    return render(request, "threat/year.html", {"y": y, "charts": charts}, principal=p)
