"""Subject access pages: the requests and their clocks, one request with its items, the pack."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.services.context import unit_of_work
from ncb.services.errors import ServiceError
from ncb.services.subject_access import identity_proof, pack, requests
from ncb.web.deps import FormDep, text
from ncb.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/w/sar")
def sar_list(request: Request, p: PrincipalDep, factory: FactoryDep,
             error: str | None = None, status: int = 200) -> Response:
    with unit_of_work(factory, p) as session:
        rows = requests.listing(session, p)
    return render(request, "data_protection/sar_list.html", {"rows": rows, "error": error},
                  status=status, principal=p)


@router.post("/w/sar")
def sar_open(request: Request, p: PrincipalDep, factory: FactoryDep, form: FormDep) -> Response:
    who = requests.Particulars(text(form, "name") or "", date_of_birth=text(form, "date_of_birth"),
                               nationality=text(form, "nationality"),
                               identifier=text(form, "identifier"))
    try:
        with unit_of_work(factory, p) as session:
            ref = requests.open_request(session, p, who)[0].reference
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        return sar_list(request, p, factory, exc.detail, 422)
    return RedirectResponse(f"/w/sar/{ref}", 303)


def _page(request: Request, p: PrincipalDep, factory: FactoryDep, ref: str,
          error: str | None = None, status: int = 200) -> Response:
    with unit_of_work(factory, p) as session:
        v = pack.build(session, p, ref)
        return render(request, "data_protection/sar.html", {"v": v, "error": error},
                      status=status, principal=p)


@router.get("/w/sar/{ref}")
def sar_page(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep) -> Response:
    return _page(request, p, factory, ref)


def _act(request: Request, p: PrincipalDep, factory: FactoryDep, ref: str,
         action: Callable[[Session], Any]) -> Response:
    try:
        with unit_of_work(factory, p) as session:
            action(session)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        return _page(request, p, factory, ref, exc.detail, 422)
    return RedirectResponse(f"/w/sar/{ref}", 303)


@router.post("/w/sar/{ref}/identities")
def sar_confirm(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                form: FormDep) -> Response:
    raw = (text(form, "identity_ids") or "").replace(",", " ").split()
    if not all(x.isascii() and x.isdigit() for x in raw):
        return _page(request, p, factory, ref, "identity_ids: numbers, separated by spaces", 422)
    return _act(request, p, factory, ref, lambda s: requests.confirm_identities(
        s, p, ref, [int(x) for x in raw]))


@router.post("/w/sar/{ref}/decisions")
def sar_decide(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
               form: FormDep) -> Response:
    ground = text(form, "ground") or None
    return _act(request, p, factory, ref, lambda s: requests.decide(
        s, p, ref, text(form, "item") or "", ground is None, ground))


@router.post("/w/sar/{ref}/extend")
def sar_extend(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
               form: FormDep) -> Response:
    return _act(request, p, factory, ref,
                lambda s: requests.extend(s, p, ref, text(form, "reason") or ""))


@router.post("/w/sar/{ref}/identity-proof/request")
def sar_ask_proof(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                  form: FormDep) -> Response:
    return _act(request, p, factory, ref,
                lambda s: identity_proof.ask_for_proof(s, p, ref, text(form, "what") or ""))


@router.post("/w/sar/{ref}/identity-proof/received")
def sar_proof_received(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep,
                       form: FormDep) -> Response:
    return _act(request, p, factory, ref,
                lambda s: identity_proof.proof_received(s, p, ref))


@router.post("/w/sar/{ref}/answer")
def sar_answer(request: Request, ref: str, p: PrincipalDep, factory: FactoryDep) -> Response:
    return _act(request, p, factory, ref, lambda s: requests.answer(s, p, ref))


@router.get("/w/sar/{ref}/pack.json")
def sar_pack(ref: str, p: PrincipalDep, factory: FactoryDep) -> Response:
    with unit_of_work(factory, p) as session:
        body = pack.export(session, p, ref)
    return Response(json.dumps(body, indent=2, ensure_ascii=False), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{ref}-pack.json"'})
