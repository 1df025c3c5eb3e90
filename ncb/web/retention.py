"""Retention review pages: the queue of held records due for review, keep or erase each."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.services.context import unit_of_work
from ncb.services.errors import InvalidInput, ServiceError
from ncb.services.retention import decide, queue
from ncb.web.deps import FormDep, text
from ncb.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)
KINDS = ("case", "notice", "alert", "tip", "appeal")


def _page(request: Request, p: PrincipalDep, factory: FactoryDep, kind: str | None = None,
          flash: str | None = None, error: str | None = None, status: int = 200) -> Response:
    with unit_of_work(factory, p) as session:
        q = queue.review_queue(session, p, kind=kind if kind in KINDS else None)
        return render(request, "data_protection/retention.html",
                      {"q": q, "kind": kind, "kinds": KINDS, "flash": flash, "error": error},
                      status=status, principal=p)


@router.get("/w/retention")
def retention_page(request: Request, p: PrincipalDep, factory: FactoryDep,
                   kind: str | None = None) -> Response:
    return _page(request, p, factory, kind)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput("next_review_at: give a date as YYYY-MM-DD", field="next_review_at",
                           rule="date") from None


@router.post("/w/retention/{kind}/{record_id}/keep")
def keep(request: Request, kind: str, record_id: int, p: PrincipalDep, factory: FactoryDep,
         form: FormDep) -> Response:
    try:
        with unit_of_work(factory, p) as session:
            r = decide.keep(session, p, kind, record_id, text(form, "reason") or "",
                            _date(text(form, "next_review_at")))
            msg = f"Kept {kind} {record_id}; next review {r.next_review_at:%Y-%m-%d}."
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        return _page(request, p, factory, error=exc.detail, status=422)
    return _page(request, p, factory, flash=msg)


@router.post("/w/retention/{kind}/{record_id}/erase")
def erase(request: Request, kind: str, record_id: int, p: PrincipalDep, factory: FactoryDep,
          form: FormDep) -> Response:
    try:
        with unit_of_work(factory, p) as session:
            r = decide.erase(session, p, kind, record_id, text(form, "reason") or "")
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        return _page(request, p, factory, error=exc.detail, status=422 if exc.status != 409
                     else 409)
    kept = f" Kept: {'; '.join(r.kept)}." if r.kept else ""
    idents = "".join(f" Identity {i['identity_id']}: {i['appearances_left']} appearance(s) left."
                     for i in r.identities)
    return _page(request, p, factory, flash=f"Erased {'; '.join(r.erased)}.{kept}{idents}")
