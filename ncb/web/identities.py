"""Person/object pages: an identity's visible appearances, merge, split and undo."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.services.context import unit_of_work
from ncb.services.errors import ServiceError
from ncb.services.identities import service
from ncb.web.deps import FormDep, text
from ncb.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _page(request: Request, p: PrincipalDep, factory: FactoryDep, identity_id: int,
          error: str | None = None, status: int = 200) -> Response:
    with unit_of_work(factory, p) as session:
        view = service.person(session, p, identity_id)
        return render(request, "identity.html", {"v": view, "error": error,
                                                 "can_combine": p.has("hit.review")},
                      status=status, principal=p)


@router.get("/w/identities/{identity_id}")
def identity_page(request: Request, identity_id: int, p: PrincipalDep,
                  factory: FactoryDep) -> Response:
    return _page(request, p, factory, identity_id)


@router.get("/w/entities/{entity_id}/identity")
def entity_identity(entity_id: int, p: PrincipalDep, factory: FactoryDep) -> Response:
    with unit_of_work(factory, p) as session:
        ident = service.identity_for(session, p, entity_id)
    return RedirectResponse(f"/w/identities/{ident}", 303)


def _act(request: Request, p: PrincipalDep, factory: FactoryDep, identity_id: int,
         action: object) -> Response:
    try:
        with unit_of_work(factory, p) as session:
            target = action(session)  # type: ignore[operator]
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        return _page(request, p, factory, identity_id, exc.detail, 422)
    return RedirectResponse(f"/w/identities/{target}", 303)


@router.post("/w/identities/{identity_id}/merge")
def merge(request: Request, identity_id: int, p: PrincipalDep, factory: FactoryDep,
          form: FormDep) -> Response:
    other = text(form, "other_identity_id") or ""
    if not other.isdigit():
        return _page(request, p, factory, identity_id,
                     "other_identity_id: give the number of the identity to merge in", 422)
    return _act(request, p, factory, identity_id, lambda s: service.merge(
        s, p, identity_id, int(other), text(form, "reason") or "").identity_id)


@router.post("/w/identities/{identity_id}/split/{entity_id}")
def split(request: Request, identity_id: int, entity_id: int, p: PrincipalDep,
          factory: FactoryDep, form: FormDep) -> Response:
    return _act(request, p, factory, identity_id, lambda s: service.split(
        s, p, identity_id, [entity_id], text(form, "reason") or "").other_identity_id)


@router.post("/w/identities/{identity_id}/changes/{change_id}/undo")
def undo(request: Request, identity_id: int, change_id: int, p: PrincipalDep,
         factory: FactoryDep, form: FormDep) -> Response:
    return _act(request, p, factory, identity_id, lambda s: service.undo(
        s, p, change_id, text(form, "reason") or "").identity_id)
