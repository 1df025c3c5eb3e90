"""The federation node page: peers and key fingerprints (revoke), outbox/inbox, conflicts, recalls.

Supervisors and administrators only (`node.manage`). A revoke is a POST with CSRF and a reason;
a refusal re-renders the page with the reason beside the form that caused it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.domain.policy import Principal
from ncb.services.context import unit_of_work
from ncb.services.errors import InvalidInput, NotFound
from ncb.services.federation import overview
from ncb.web.deps import FormDep, text
from ncb.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _page(request: Request, p: Principal, factory: Any, status: int = 200,
          **extra: Any) -> Response:
    q = request.query_params
    form = {"outbox_state": q.get("outbox_state", ""), "inbox_state": q.get("inbox_state", "")}
    try:
        with unit_of_work(factory, p) as session:
            view = overview.overview(session, p, form["outbox_state"], form["inbox_state"])
    except InvalidInput as exc:
        with unit_of_work(factory, p) as session:
            view = overview.overview(session, p)
        extra = {**extra, "filter_error": exc.detail, "filter_field": exc.field}
        status = 422
    return render(request, "federation/node.html", {
        "view": view, "form": form, "outbox_states": overview.OUTBOX_STATES,
        "inbox_states": overview.INBOX_STATES, **extra}, status=status, principal=p)


@router.get("/w/federation")
def node_page(request: Request, p: PrincipalDep, factory: FactoryDep) -> Response:
    return _page(request, p, factory)


@router.post("/w/federation/peers/{agency}/revoke")
def revoke(request: Request, agency: str, p: PrincipalDep, factory: FactoryDep,
           form: FormDep) -> Response:
    reason = text(form, "reason") or ""
    key_id = text(form, "key_id")
    try:
        with unit_of_work(factory, p) as session:
            n = overview.revoke_peer(session, p, agency[:40], key_id, reason)
    except (InvalidInput, NotFound) as exc:
        return _page(request, p, factory, status=exc.status, revoke_error=exc.detail,
                     revoke_agency=agency, revoke_field=exc.field or "key_id")
    return RedirectResponse(f"/w/federation?revoked={agency[:40]}&n={n}#peers", 303)
