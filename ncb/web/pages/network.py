"""The network page: the link graph around an identity or a case, drawn and tabulated."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ncb.adapters.deps import FactoryDep, PrincipalDep
from ncb.services.context import unit_of_work
from ncb.services.errors import InvalidInput
from ncb.services.graph import network
from ncb.web.network_layout import label, layout
from ncb.web.templating import WebRoute, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _identity(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise InvalidInput(
            "identity must be the number of an identity, e.g. identity=42", field="identity", rule="integer"
        )
    return int(value)


@router.get("/w/network")
def network_page(
    request: Request, p: PrincipalDep, factory: FactoryDep, identity: str = "", case: str = ""
) -> Response:
    identity, case = identity.strip(), case.strip()
    if bool(identity) == bool(case):
        raise InvalidInput(
            "give either identity=<number> or case=<reference>, not both", field="identity", rule="one_of"
        )
    ident = _identity(identity) if identity else None
    with unit_of_work(factory, p) as session:
        view = (
            network.around_identity(session, p, ident)
            if ident is not None
            else network.around_case(session, p, case)
        )
        return render(request, "network.html", {"v": view, "pic": layout(view), "short": label,
                                                "hop_rows": network.HOP_ROWS}, principal=p)
