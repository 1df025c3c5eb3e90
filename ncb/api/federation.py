"""Node-to-node endpoints: identity, push (envelopes in), pull (signed; envelopes out).

No user signs in here: every envelope carries the sending node's signature and is verified
against keys registered out of band; pulls are signed the same way. In a real deployment
these paths sit behind mutual TLS as well (docs/federation.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from ncb.services.context import SYSTEM
from ncb.services.federation import endpoint
from ncb.services.federation import node as node_svc
from ncb.services.federation.node import Node
from ncb.store.access import PRINCIPAL
from ncb.store.db import transaction

router = APIRouter(prefix="/federation", tags=["federation"])
PUBLIC_PATHS = frozenset({"/federation/identity", "/federation/inbox", "/federation/outbox"})


class PushIn(BaseModel):
    envelopes: list[str] = Field(max_length=100_000, description="Wire envelopes (canonical "
                                 "JSON text); at most NCB_FEDERATION_MAX_PUSH are taken")


def _node(request: Request) -> tuple[sessionmaker[Session], Node]:
    factory: sessionmaker[Session] = request.app.state.factory
    node: Node | None = getattr(request.app.state, "fed_node", None)
    if node is None:
        with factory() as s:
            s.info[PRINCIPAL] = SYSTEM
            node = node_svc.from_settings(s, request.app.state.settings)
        request.app.state.fed_node = node
    return factory, node


@router.get("/identity")
def identity(request: Request) -> dict[str, Any]:
    _, node = _node(request)
    return node.keys.identity()


@router.post("/inbox")
def push(request: Request, body: PushIn) -> dict[str, Any]:
    factory, node = _node(request)
    return endpoint.accept_push(factory, node, body.envelopes,
                                request.app.state.settings.federation_max_push)


@router.get("/outbox")
def pull(
    request: Request, agency: Annotated[str, Query(max_length=40)],
    after: Annotated[int, Query(ge=0)], at: Annotated[int, Query()],
    sig: Annotated[str, Query(max_length=200)],
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    lane: Annotated[str, Query(max_length=8, description="main (records) or blob")] = "main",
) -> dict[str, Any]:
    factory, node = _node(request)
    with transaction(factory, **{PRINCIPAL: node.principal()}) as s:
        return {"envelopes": endpoint.serve_pull(s, node, agency, after, at, sig, limit, lane,
                                                 request.app.state.settings)}
