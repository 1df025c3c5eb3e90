"""Threat picture API: trends by crime area, country or route per month; the year in numbers.
Both as JSON, or as CSV with `?format=csv`."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ncb.adapters.deps import PrincipalDep, SessionDep
from ncb.services.threat.trends import trends
from ncb.services.threat.year import year_in_numbers

router = APIRouter(tags=["threat picture"])


def csv_response(rows: list[list[Any]], filename: str) -> Response:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/threat/trends", responses={200: {"content": {"text/csv": {}}}})
def get_trends(session: SessionDep, p: PrincipalDep,
               by: Literal["crime_area", "country", "route"] = "crime_area",
               start: str = Query(alias="from", pattern=r"^\d{4}-\d{2}$"),
               end: str = Query(alias="to", pattern=r"^\d{4}-\d{2}$"),
               top: int = Query(default=8, ge=1, le=30),
               format: Literal["json", "csv"] = "json") -> Any:
    """New cases per month for the top values of `by` (the rest as 'other'), cases you may see."""
    t = trends(session, p, by, start, end, top)
    if format == "csv":
        return csv_response(t.rows(), f"trends-{by}-{start}-{end}.csv")
    return {"by": t.by, "months": t.months, "series": t.series, "labels": t.labels,
            "totals": t.totals}


@router.get("/threat/year/{year}", responses={200: {"content": {"text/csv": {}}}})
def get_year(year: int, session: SessionDep, p: PrincipalDep,
             format: Literal["json", "csv"] = "json") -> Any:
    """The year in numbers: cases by channel and month, EAW, Captura, SIS hits, notices."""
    y = year_in_numbers(session, p, year)
    if format == "csv":
        return csv_response(y.rows(), f"year-{year}.csv")
    return {"year": y.year, "total_cases": y.total_cases, "cases_by_channel": y.cases_by_channel,
            "cases_by_month": y.cases_by_month, "eaw": y.eaw, "captura": y.captura,
            "sis": y.sis, "notices": y.notices}
