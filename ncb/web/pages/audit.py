"""The audit page: supervisors and the data-protection officer filter the log and export CSV."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ncb.adapters.deps import FactoryDep, PrincipalDep, SettingsDep
from ncb.services import audit_log
from ncb.services.context import unit_of_work
from ncb.services.errors import InvalidInput
from ncb.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _day(value: str | None, field: str, end: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(f"{field} must be a date as YYYY-MM-DD", field=field,
                           rule="date") from None
    return day.replace(hour=23, minute=59, second=59) if end else day


def _filter(request: Request) -> audit_log.AuditFilter:
    q = request.query_params
    return audit_log.AuditFilter(
        actor=q.get("actor") or None, action=q.get("action") or None,
        record_kind=q.get("record_kind") or None, record_id=q.get("record_id") or None,
        since=_day(q.get("since"), "since"), until=_day(q.get("until"), "until", end=True))


@router.get("/w/audit")
def audit_page(request: Request, p: PrincipalDep, factory: FactoryDep, settings: SettingsDep,
               page: int = 1) -> Response:
    page = max(1, min(page, 10_000))
    form = {k: request.query_params.get(k, "") for k in
            ("actor", "action", "record_kind", "record_id", "since", "until")}
    try:
        f = _filter(request)
        with unit_of_work(factory, p) as session:
            size = settings.audit_page_size
            result = audit_log.search(session, p, f, limit=size, offset=(page - 1) * size)
    except InvalidInput as exc:
        return render(request, "audit.html", {"form": form, "result": None, "error": exc.detail,
                                              "error_field": exc.field}, status=422, principal=p)
    query = urlencode({k: v for k, v in form.items() if v})
    return render(request, "audit.html", {"form": form, "result": result, "page": page,
                                          "query": query, "error": None}, principal=p)


@router.get("/w/audit.csv")
def audit_csv(request: Request, p: PrincipalDep, factory: FactoryDep,
              settings: SettingsDep) -> Response:
    f = _filter(request)
    with unit_of_work(factory, p) as session:
        body = audit_log.export_csv(session, p, f, settings.audit_export_rows)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"',
        "Cache-Control": "no-store"})
